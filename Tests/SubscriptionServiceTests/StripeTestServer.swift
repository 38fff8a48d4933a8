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

    private struct Intent {
        var status: String
        var metadataJSON: String
        var paymentID: String
    }

    private struct State {
        var customers = 0
        var charges: [Charge] = []
        var replies: [String: (HTTPResponse.Status, String)] = [:]
        var intents: [String: Intent] = [:]
        /// GET requests (retrieve and search), in order.
        var lookups: [String] = []
        /// Charges whose answer is lost on the way back (made, then a 500).
        var answersToLose = 0
    }

    private let state = Mutex(State())

    /// Distinct charges the provider accepted (a replayed idempotency key is not a new charge).
    var charges: [Charge] { state.withLock { $0.charges } }

    /// The GET requests it answered (`retrieve <id>`, `search <query>`).
    var lookups: [String] { state.withLock { $0.lookups } }

    /// The next `count` charges are made but their answers lost (the client sees a 500).
    func loseAnswers(_ count: Int) { state.withLock { $0.answersToLose = count } }

    /// Forgets every idempotency key, as Stripe does after 24 hours.
    func forgetIdempotencyKeys() { state.withLock { $0.replies = [:] } }

    /// A processing intent finishes (as the bank answers), e.g. `succeeded`.
    func finish(paymentID: String, status: String) {
        state.withLock { state in
            for (id, intent) in state.intents where intent.paymentID == paymentID { state.intents[id]?.status = status }
        }
    }

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
        router.get("/v1/payment_intents/search") { request, _ in self.search(request) }
        router.get("/v1/payment_intents/:id") { request, context in self.retrieve(request, context) }
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
        let status = pm == "pm_card_chargeDeclined" ? "requires_payment_method" : pm == "pm_card_processing" ? "processing" : "succeeded"
        let lost = state.withLock {
            $0.replies[key] = reply
            $0.charges.append(Charge(idempotencyKey: key, amount: Int64(form["amount"] ?? "") ?? -1, paymentMethod: pm, metadata: metadata))
            $0.intents[id] = Intent(status: status, metadataJSON: metadataJSON, paymentID: metadata["payment_id"] ?? "")
            guard $0.answersToLose > 0 else { return false }
            $0.answersToLose -= 1
            return true
        }
        if lost { return Self.json(.internalServerError, #"{"error":{"type":"api_error"}}"#) }
        return Self.json(reply.0, reply.1)
    }

    private func intentJSON(_ id: String, _ intent: Intent) -> String {
        #"{"id":"\#(id)","object":"payment_intent","status":"\#(intent.status)","metadata":\#(intent.metadataJSON)}"#
    }

    private func retrieve(_ request: Request, _ context: BasicRequestContext) -> Response {
        guard authorized(request) else { return Self.json(.unauthorized, "{}") }
        let id = context.parameters.get("id") ?? ""
        let intent = state.withLock { state in
            state.lookups.append("retrieve \(id)")
            return state.intents[id]
        }
        guard let intent else { return Self.json(.notFound, #"{"error":{"type":"invalid_request_error","code":"resource_missing"}}"#) }
        return Self.json(.ok, intentJSON(id, intent))
    }

    /// `query=metadata['payment_id']:'<id>'`, the only search the service makes.
    private func search(_ request: Request) -> Response {
        guard authorized(request) else { return Self.json(.unauthorized, "{}") }
        let query = request.uri.queryParameters.get("query") ?? ""
        let prefix = "metadata['payment_id']:'"
        guard query.hasPrefix(prefix), query.hasSuffix("'") else {
            return Self.json(.badRequest, #"{"error":{"type":"invalid_request_error","code":"parameter_invalid"}}"#)
        }
        let paymentID = String(query.dropFirst(prefix.count).dropLast())
        let found = state.withLock { state in
            state.lookups.append("search \(paymentID)")
            return state.intents.filter { $0.value.paymentID == paymentID }
        }
        let data = found.map { intentJSON($0.key, $0.value) }.joined(separator: ",")
        return Self.json(.ok, #"{"object":"search_result","data":[\#(data)]}"#)
    }
}
