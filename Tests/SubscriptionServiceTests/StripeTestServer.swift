import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// A Stripe-compatible payment provider on a real loopback port, speaking the slice of Stripe's
/// API the service uses (customers, attaching payment methods, confirming payment intents with
/// `Idempotency-Key`), with Stripe's documented test payment methods: `pm_card_visa` and
/// `pm_card_mastercard` succeed, `pm_card_chargeDeclined` is declined (402), and
/// `pm_card_processing` stays processing until a webhook settles it. It stands in for the
/// external provider, the way stripe-mock does; our own services are never replaced.
final class StripeTestServer: Sendable {
    static let secretKey = "sk_test_subscription_suite"

    struct Charge: Sendable {
        var idempotencyKey: String
        var amount: Int64
        var paymentMethod: String
        var metadata: [String: String]
    }

    private struct State {
        var customers = 0
        var charges: [Charge] = []
        var replies: [String: (HTTPResponse.Status, String)] = [:]
    }

    private let state = Mutex(State())

    /// Distinct charges the provider accepted (a replayed idempotency key is not a new charge).
    var charges: [Charge] { state.withLock { $0.charges } }

    static let cards: [String: (brand: String, last4: String)] = [
        "pm_card_visa": ("visa", "4242"), "pm_card_mastercard": ("mastercard", "4444"),
        "pm_card_chargeDeclined": ("visa", "0002"), "pm_card_processing": ("visa", "3220"),
    ]

    /// Serves on a free port while `body` runs; passes the base URL.
    func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/v1/customers") { request, context in try await self.customer(request, context) }
        router.post("/v1/payment_methods/:pm/attach") { request, context in try await self.attach(request, context) }
        router.post("/v1/payment_intents") { request, context in try await self.paymentIntent(request, context) }
        try await Application(router: router).test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    private func authorized(_ request: Request) -> Bool {
        request.headers[.authorization] == "Bearer \(Self.secretKey)"
    }

    private static func form(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 1 << 16)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func customer(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard authorized(request) else { return Self.json(.unauthorized, #"{"error":{"type":"invalid_request_error","code":"api_key_invalid"}}"#) }
        let number = state.withLock { $0.customers += 1; return $0.customers }
        return Self.json(.ok, #"{"id":"cus_test_\#(number)","object":"customer"}"#)
    }

    private func attach(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard authorized(request) else { return Self.json(.unauthorized, "{}") }
        let pm = context.parameters.get("pm") ?? ""
        guard let card = Self.cards[pm] else {
            return Self.json(.notFound, #"{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such PaymentMethod"}}"#)
        }
        return Self.json(.ok, """
            {"id":"\(pm)","object":"payment_method","card":{"brand":"\(card.brand)","last4":"\(card.last4)","exp_month":12,"exp_year":2034}}
            """)
    }

    private func paymentIntent(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard authorized(request) else { return Self.json(.unauthorized, "{}") }
        let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? UUID().uuidString
        if let replay = state.withLock({ $0.replies[key] }) { return Self.json(replay.0, replay.1) }
        let form = try await Self.form(request)
        let pm = form["payment_method"] ?? ""
        var metadata: [String: String] = [:]
        for (name, value) in form where name.hasPrefix("metadata[") { metadata[String(name.dropFirst(9).dropLast())] = value }
        let id = "pi_test_\(UUID().uuidString.prefix(12))"
        let metadataJSON = String(decoding: try JSONEncoder().encode(metadata), as: UTF8.self)
        let reply: (HTTPResponse.Status, String)
        switch pm {
        case "pm_card_chargeDeclined":
            reply = (HTTPResponse.Status(code: 402), """
                {"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline","message":"Your card was declined.",
                "payment_intent":{"id":"\(id)","status":"requires_payment_method","metadata":\(metadataJSON)}}}
                """)
        case "pm_card_processing":
            reply = (.ok, #"{"id":"\#(id)","object":"payment_intent","status":"processing","metadata":\#(metadataJSON)}"#)
        default:
            reply = (.ok, #"{"id":"\#(id)","object":"payment_intent","status":"succeeded","metadata":\#(metadataJSON)}"#)
        }
        state.withLock {
            $0.replies[key] = reply
            $0.charges.append(Charge(idempotencyKey: key, amount: Int64(form["amount"] ?? "") ?? -1, paymentMethod: pm, metadata: metadata))
        }
        return Self.json(reply.0, reply.1)
    }
}
