import AsyncHTTPClient
import ERPProtocol
import Foundation
import NIOCore
import NIOHTTP1

/// A ``PaymentProvider`` speaking Stripe's HTTP API (form-encoded requests, JSON answers,
/// `Authorization: Bearer <secret key>`, `Idempotency-Key` on charges). The base URL is
/// configurable (`PAYMENT_PROVIDER_URL`), so Stripe's own test mode or any compatible
/// server can stand in.
struct StripePaymentProvider: PaymentProvider {
    let baseURL: String
    let secretKey: String
    let httpClient: HTTPClient
    var timeout: TimeAmount = .seconds(20)

    func createCustomer(organization: TenantID, email: String?) async throws -> String {
        var form = [("metadata[tenant_id]", organization.description)]
        if let email { form.append(("email", email)) }
        let object = try await post("/v1/customers", form: form, idempotencyKey: "customer-\(organization)")
        guard let id = object["id"] as? String else { throw Self.malformed }
        return id
    }

    func attach(paymentMethod reference: String, customer: String) async throws -> CardDetails {
        let object = try await post("/v1/payment_methods/\(reference)/attach", form: [("customer", customer)], idempotencyKey: nil)
        guard let card = object["card"] as? [String: Any], let brand = card["brand"] as? String, let last4 = card["last4"] as? String,
              let month = (card["exp_month"] as? NSNumber)?.intValue, let year = (card["exp_year"] as? NSNumber)?.intValue
        else { throw Self.malformed }
        return CardDetails(brand: brand, last4: last4, expMonth: month, expYear: year)
    }

    func charge(_ request: ChargeRequest) async throws -> ChargeResult {
        var form = [
            ("amount", String(request.amount.amountMinor)), ("currency", request.amount.currency.rawValue.lowercased()),
            ("customer", request.customer), ("payment_method", request.paymentMethod), ("confirm", "true"), ("off_session", "true"),
            ("description", request.description),
        ]
        for (key, value) in request.metadata.sorted(by: { $0.key < $1.key }) { form.append(("metadata[\(key)]", value)) }
        do {
            let intent = try await post("/v1/payment_intents", form: form, idempotencyKey: request.idempotencyKey)
            return Self.result(of: intent)
        } catch let declined as Declined {
            return declined.result
        }
    }

    func retrieve(providerPaymentID: String) async throws -> ChargeResult {
        guard let id = providerPaymentID.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["_", "-"])) else { throw Self.malformed }
        return Self.result(of: try await get("/v1/payment_intents/\(id)"))
    }

    /// Stripe's search over payment intents by the `payment_id` we put into their metadata.
    func find(paymentID: String) async throws -> ChargeResult? {
        let quoted = paymentID.filter { $0.isHexDigit || $0 == "-" }
        let answer = try await get("/v1/payment_intents/search", query: [("query", "metadata['payment_id']:'\(quoted)'")])
        guard let intents = answer["data"] as? [[String: Any]] else { throw Self.malformed }
        return intents.first.map(Self.result(of:))
    }

    // MARK: - HTTP

    private static let malformed = PaymentProviderRejection(code: "malformed_response", message: "unexpected answer from the provider")

    /// A card error (HTTP 402): the charge failed, which is an answer, not an outage.
    private struct Declined: Error {
        var result: ChargeResult
    }

    private static func result(of intent: [String: Any]) -> ChargeResult {
        let id = intent["id"] as? String
        let error = intent["last_payment_error"] as? [String: Any]
        switch intent["status"] as? String {
        case "succeeded":
            return ChargeResult(providerPaymentID: id, status: .succeeded)
        case "processing", "requires_capture":
            return ChargeResult(providerPaymentID: id, status: .pending)
        default:
            return ChargeResult(
                providerPaymentID: id, status: .failed, failureCode: (error?["decline_code"] ?? error?["code"]) as? String ?? "payment_failed",
                failureMessage: error?["message"] as? String
            )
        }
    }

    private func post(_ path: String, form: [(String, String)], idempotencyKey: String?) async throws -> [String: Any] {
        try await send(.POST, path, form: form, idempotencyKey: idempotencyKey)
    }

    /// A GET: `query` goes into the URL.
    private func get(_ path: String, query: [(String, String)] = []) async throws -> [String: Any] {
        try await send(.GET, path, form: query, idempotencyKey: nil)
    }

    private func send(_ method: HTTPMethod, _ path: String, form: [(String, String)], idempotencyKey: String?) async throws -> [String: Any] {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let query = method == .GET && !form.isEmpty ? "?" + Self.encode(form) : ""
        var request = HTTPClientRequest(url: base + path + query)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(secretKey)")
        if method == .POST {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.encode(form)))
        }
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw SubscriptionError.providerUnavailable
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        switch response.status.code {
        case 200..<300:
            return object
        case 402:
            // Stripe answers a declined card with 402 and the intent inside the error.
            let error = object["error"] as? [String: Any] ?? [:]
            var intent = error["payment_intent"] as? [String: Any] ?? [:]
            if intent["last_payment_error"] == nil { intent["last_payment_error"] = error }
            if intent["status"] == nil { intent["status"] = "requires_payment_method" }
            throw Declined(result: Self.result(of: intent))
        case 400..<500:
            let error = object["error"] as? [String: Any] ?? [:]
            throw PaymentProviderRejection(code: error["code"] as? String ?? "invalid_request", message: error["message"] as? String ?? "")
        default:
            throw SubscriptionError.providerUnavailable
        }
    }

    /// `application/x-www-form-urlencoded` with the strict unreserved set.
    static func encode(_ form: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { key, value in
            (key.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }
}
