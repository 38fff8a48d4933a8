import ERPCrypto
import ERPProtocol
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `Idempotency-Key` on POSTs (ARCHITECTURE.md §5): the first request with a key runs and its
/// 2xx response is kept; a retry with the same key and the same request gets that response
/// again (with `Idempotent-Replayed: true`) instead of creating a second record. A retry while
/// the first is still running gets 409; the same key on a different request gets 422.
/// Failures (thrown errors, non-2xx) are not kept, so a corrected retry runs for real; they
/// wrote nothing, because every write is one transaction.
///
/// Keys are scoped per caller (tenant and subject; anonymous callers share one scope, where
/// the fingerprint, which covers the body, keeps one caller's request from replaying to
/// another's). Runs after authentication. POSTs without the header are untouched, and so are
/// the paths `exempt` names: responses that carry a secret shown once (tokens, API keys) must
/// not sit in Redis in the clear; those endpoints are safe to repeat or refuse a repeat with 409.
public struct IdempotencyMiddleware: RouterMiddleware {
    public typealias Context = ERPRequestContext

    public static let keyField = HTTPField.Name("Idempotency-Key")!
    public static let replayedField = HTTPField.Name("Idempotent-Replayed")!
    /// Headers worth replaying; tracing headers belong to the new request.
    private static let replayedHeaders: [HTTPField.Name] = [.contentType, .location, .eTag]

    private let store: IdempotencyStore
    private let maxBodyBytes: Int
    private let maxResponseBytes: Int
    private let exempt: @Sendable (String) -> Bool

    /// - Parameters:
    ///   - maxBodyBytes: the largest request body an idempotent POST may have (it is hashed).
    ///   - maxResponseBytes: larger responses are passed through without being kept.
    ///   - exempt: paths whose POSTs ignore the header (see above).
    public init(
        store: IdempotencyStore, maxBodyBytes: Int = 4 << 20, maxResponseBytes: Int = 1 << 20,
        exempt: @escaping @Sendable (String) -> Bool = { _ in false }
    ) {
        self.store = store
        self.exempt = exempt
        self.maxBodyBytes = maxBodyBytes
        self.maxResponseBytes = maxResponseBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let idempotencyKey = request.headers[Self.keyField], !exempt(request.uri.path) else {
            return try await next(request, context)
        }
        guard (1...255).contains(idempotencyKey.utf8.count), idempotencyKey.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw IdempotencyError.malformedKey
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw IdempotencyError.bodyTooLarge
        }
        let fingerprint = Self.fingerprint(request, body: body)
        let key = store.key(scope: Self.scope(of: context), idempotencyKey: idempotencyKey)

        let claim: IdempotencyRecord
        do {
            switch try await store.claim(key, fingerprint: fingerprint) {
            case .claimed(let record):
                claim = record
            case .existing(let record):
                guard record.fingerprint == fingerprint else { throw IdempotencyError.keyReused }
                guard record.state == .completed, let stored = record.response else { throw IdempotencyError.inProgress }
                return Self.replay(stored)
            }
        } catch let error as IdempotencyError {
            throw error
        } catch {
            // Running without the guarantee the client asked for could create duplicates.
            context.logger.error("idempotency store unavailable", metadata: [LogMetadataKey.error: .string(String(describing: type(of: error)))])
            throw ProblemDetails.serviceUnavailable(detail: "Idempotent requests are unavailable; retry shortly.")
        }

        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            try? await store.release(key, claim: claim)
            throw error
        }
        guard (200..<300).contains(response.status.code), let length = response.body.contentLength, length <= maxResponseBytes else {
            try? await store.release(key, claim: claim)
            return response
        }
        return try await keep(response, key: key, claim: claim, context: context)
    }

    /// Reads the response body once, stores it, and answers with the same bytes.
    private func keep(_ response: Response, key: String, claim: IdempotencyRecord, context: Context) async throws -> Response {
        let collector = ResponseBodyCollector()
        try await response.body.write(collector)
        var headers: [[String]] = []
        for name in Self.replayedHeaders {
            for value in response.headers[values: name] { headers.append([name.rawName, value]) }
        }
        let stored = IdempotencyRecord.StoredResponse(status: Int(response.status.code), headers: headers, body: Data(collector.buffer.readableBytesView))
        do {
            try await store.complete(key, claim: claim, response: stored)
        } catch {
            // The work is done and committed; failing the response now would invite a duplicate.
            context.logger.warning("idempotent response not stored", metadata: [LogMetadataKey.error: .string(String(describing: type(of: error)))])
        }
        var copy = response
        copy.body = ResponseBody(byteBuffer: collector.buffer)
        return copy
    }

    private static func replay(_ stored: IdempotencyRecord.StoredResponse) -> Response {
        var headers = HTTPFields()
        for pair in stored.headers where pair.count == 2 {
            if let name = HTTPField.Name(pair[0]) { headers.append(HTTPField(name: name, value: pair[1])) }
        }
        headers[replayedField] = "true"
        return Response(status: HTTPResponse.Status(code: stored.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.body)))
    }

    private static func scope(of context: Context) -> String {
        guard let identity = context.identity else { return "anonymous" }
        return "\(identity.tenantID):\(identity.subject)"
    }

    private static func fingerprint(_ request: Request, body: ByteBuffer) -> String {
        var bytes = Array("\(request.method.rawValue) \(request.uri.path)?\(request.uri.query ?? "")\n".utf8)
        bytes.append(contentsOf: body.readableBytesView)
        return SHA256.hexDigest(bytes)
    }
}
