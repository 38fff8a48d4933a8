import ERPProtocol
import Hummingbird
import Prometheus

/// Builds the router every service starts from, with the middleware in the one order that is
/// right: tracing first (so even errors carry the request id), then problem+json conversion,
/// metrics, authentication (so its refusals are problems too), and `Idempotency-Key` handling
/// last (it scopes keys by the authenticated caller). Health and metrics
/// routes are registered here; the service adds its own routes afterwards.
public enum ServiceRouter {
    public static func make(
        verifier: AccessTokenVerifier?,
        publicPaths: PublicPaths = .standard,
        readiness: [ReadinessCheck] = [],
        metrics: PrometheusCollectorRegistry? = nil,
        idempotency: IdempotencyStore? = nil
    ) -> Router<ERPRequestContext> {
        let router = Router(context: ERPRequestContext.self)
        router.add(middleware: RequestTracingMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: MetricsMiddleware<ERPRequestContext>())
        if let verifier {
            router.add(middleware: AuthenticationMiddleware(verifier: verifier, publicPaths: publicPaths))
        }
        if let idempotency {
            router.add(middleware: IdempotencyMiddleware(store: idempotency))
        }
        HealthRoutes(checks: readiness).register(on: router)
        if let metrics {
            MetricsRoute(registry: metrics).register(on: router)
        }
        return router
    }
}
