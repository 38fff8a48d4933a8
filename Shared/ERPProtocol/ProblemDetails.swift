/// The error body of every HTTP API in the suite: RFC 9457 problem details, served as
/// `application/problem+json`, with the suite's extension members `code`, `requestId` and
/// `errors`.
///
/// ```json
/// {"code":"validation_failed","errors":[{"code":"required","field":"email","message":"…"}],
///  "requestId":"…","status":422,"title":"Validation failed","type":"https://errors.erp.dev/validation_failed"}
/// ```
///
/// `type` is `https://errors.erp.dev/<code>`: one documentation URI per code, so the RFC's
/// "type identifies the problem" and our `code` never disagree. A body without `type`
/// decodes as `about:blank`, as RFC 9457 §4.2.1 says. `ProblemDetails` is also an `Error`:
/// handlers throw it and the error middleware writes it unchanged.
public struct ProblemDetails: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The media type of problem bodies.
    public static let contentType = "application/problem+json"
    /// Prefix of the `type` URI; the code follows it.
    public static let typeBaseURI = "https://errors.erp.dev/"

    /// URI identifying the problem type (`https://errors.erp.dev/<code>`).
    public var type: String
    /// Short human summary of the problem type; the same for every occurrence of a code.
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// Human explanation of this occurrence; never contains SQL, secrets or tokens.
    public var detail: String?
    /// URI reference of this occurrence, usually the request path.
    public var instance: String?
    /// Stable machine code; clients branch on this.
    public var code: ProblemCode
    /// The request id (`X-Request-Id`) to quote to support and find in logs.
    public var requestId: String?
    /// The offending fields of a `validation_failed` problem.
    public var errors: [FieldIssue]?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, code, requestId, errors
    }

    /// A problem; `type` defaults to ``typeURI(for:)`` of `code`.
    public init(
        code: ProblemCode, status: Int, title: String, detail: String? = nil, instance: String? = nil,
        requestId: String? = nil, errors: [FieldIssue]? = nil, type: String? = nil
    ) {
        self.type = type ?? Self.typeURI(for: code)
        self.title = title
        self.status = status
        self.detail = detail
        self.instance = instance
        self.code = code
        self.requestId = requestId
        self.errors = errors
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "about:blank"
        title = try container.decode(String.self, forKey: .title)
        status = try container.decode(Int.self, forKey: .status)
        detail = try container.decodeIfPresent(String.self, forKey: .detail)
        instance = try container.decodeIfPresent(String.self, forKey: .instance)
        code = try container.decode(ProblemCode.self, forKey: .code)
        requestId = try container.decodeIfPresent(String.self, forKey: .requestId)
        errors = try container.decodeIfPresent([FieldIssue].self, forKey: .errors)
    }

    /// `https://errors.erp.dev/<code>`.
    public static func typeURI(for code: ProblemCode) -> String {
        typeBaseURI + code.rawValue
    }

    /// The same problem stamped with the request's id and path (done once, by the error middleware).
    public func with(requestId: String?, instance: String? = nil) -> ProblemDetails {
        var copy = self
        copy.requestId = requestId ?? copy.requestId
        copy.instance = instance ?? copy.instance
        return copy
    }

    /// Whether the caller is at fault (4xx) rather than the server (5xx).
    public var isClientError: Bool { (400..<500).contains(status) }

    public var description: String {
        var text = "\(status) \(code): \(title)"
        if let detail { text += " — \(detail)" }
        if let errors, !errors.isEmpty {
            text += " [" + errors.map { "\($0.field): \($0.code)" }.joined(separator: ", ") + "]"
        }
        return text
    }
}
