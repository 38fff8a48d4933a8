import ERPProtocol
import ERPServiceKit
import Foundation
import HTTPTypes
import Hummingbird

/// The payment provider's webhooks (Stripe's format): `payment_intent.succeeded` and
/// `payment_intent.payment_failed` settle a payment that was still processing. Public (the
/// provider has no token) but signed: a bad or stale signature is a 400 and changes nothing;
/// a replayed event id is acknowledged and changes nothing.
struct WebhookController {
    let dependencies: SubscriptionDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.post("/v1/webhooks/payments", use: receive)
    }

    struct Acknowledgement: ResponseCodable {
        var received: Bool
        var duplicate: Bool
    }

    struct ProviderEvent: Decodable {
        struct Body: Decodable {
            var object: PaymentIntent
        }
        struct PaymentIntent: Decodable {
            var id: String?
            var status: String?
            var metadata: [String: String]?
            var lastPaymentError: ProviderError?

            enum CodingKeys: String, CodingKey {
                case id, status, metadata
                case lastPaymentError = "last_payment_error"
            }
        }
        struct ProviderError: Decodable {
            var code: String?
            var declineCode: String?
            var message: String?

            enum CodingKeys: String, CodingKey {
                case code, message
                case declineCode = "decline_code"
            }
        }
        var id: String
        var type: String
        var data: Body
    }

    @Sendable func receive(_ request: Request, context: ERPRequestContext) async throws -> Acknowledgement {
        guard let secret = dependencies.configuration.webhookSecret else { throw SubscriptionError.paymentsUnavailable }
        let body = try await request.body.collect(upTo: 1 << 20)
        let bytes = Array(buffer: body)
        let signature = WebhookSignature(secret: secret, tolerance: dependencies.configuration.webhookTolerance)
        guard signature.isValid(header: request.headers[HTTPField.Name("Stripe-Signature")!], body: bytes, now: Date()) else {
            throw SubscriptionError.badSignature
        }
        guard let event = try? JSONDecoder().decode(ProviderEvent.self, from: Data(bytes)) else {
            throw ProblemDetails.malformedJSON(detail: "Not a provider event.")
        }
        let intent = event.data.object
        guard let tenantText = intent.metadata?["tenant_id"], let tenantUUID = UUID(uuidString: tenantText),
              let paymentText = intent.metadata?["payment_id"], let paymentID = UUID(uuidString: paymentText)
        else {
            // Not one of ours (e.g. a payment made elsewhere on the same account): acknowledged, ignored.
            return Acknowledgement(received: true, duplicate: false)
        }
        let tenant = TenantID(tenantUUID)
        let result: ChargeResult?
        switch event.type {
        case "payment_intent.succeeded":
            result = ChargeResult(providerPaymentID: intent.id, status: .succeeded)
        case "payment_intent.payment_failed":
            let error = intent.lastPaymentError
            result = ChargeResult(providerPaymentID: intent.id, status: .failed, failureCode: error?.declineCode ?? error?.code ?? "payment_failed",
                                  failureMessage: error?.message)
        default:
            result = nil
        }
        let fresh = try await dependencies.withLifecycle(tenant, actor: "provider:webhook", trace: context.trace) { lifecycle in
            guard try await WebhookEventRepository(lifecycle.connection).claim(event.id, type: event.type, tenant: tenant) else { return false }
            if let result { try await lifecycle.recordChargeResult(paymentID: paymentID, result) }
            return true
        }
        return Acknowledgement(received: true, duplicate: !fresh)
    }
}
