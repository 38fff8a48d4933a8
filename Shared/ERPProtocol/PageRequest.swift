/// Validated list parameters: `limit` (1…200, default 50) and an optional `cursor`.
public struct PageRequest: Hashable, Sendable, Codable {
    /// Page size when the client sends none.
    public static let defaultLimit = 50
    /// Largest page a client may ask for.
    public static let maximumLimit = 200
    /// Smallest page a client may ask for.
    public static let minimumLimit = 1

    /// Rows to return.
    public let limit: Int
    /// Where to continue; `nil` for the first page.
    public let cursor: Cursor?

    /// Validates `limit` (default ``defaultLimit``). Throws a 422 `validation_failed` problem
    /// naming the `limit` field when it is outside ``minimumLimit``…``maximumLimit``.
    public init(limit: Int? = nil, cursor: Cursor? = nil) throws(ProblemDetails) {
        let limit = limit ?? Self.defaultLimit
        guard (Self.minimumLimit...Self.maximumLimit).contains(limit) else {
            throw .validation([Self.limitIssue])
        }
        self.init(validLimit: limit, cursor: cursor)
    }

    /// Validates raw query parameters (`?limit=…&cursor=…`); a missing or empty parameter takes
    /// its default. Every invalid parameter is listed in the one thrown problem.
    public init(queryLimit: String?, queryCursor: String?) throws(ProblemDetails) {
        var issues: [FieldIssue] = []
        var limit: Int?
        if let queryLimit, !queryLimit.isEmpty {
            if let value = Int(queryLimit), (Self.minimumLimit...Self.maximumLimit).contains(value) {
                limit = value
            } else {
                issues.append(Self.limitIssue)
            }
        }
        var cursor: Cursor?
        if let queryCursor, !queryCursor.isEmpty {
            cursor = Cursor(rawValue: queryCursor)
            if cursor == nil { issues.append(contentsOf: Cursor.invalidProblem.errors ?? []) }
        }
        guard issues.isEmpty else { throw .validation(issues) }
        try self.init(limit: limit, cursor: cursor)
    }

    /// The first page with the default limit.
    public static var first: PageRequest {
        PageRequest(validLimit: defaultLimit, cursor: nil)
    }

    private init(validLimit: Int, cursor: Cursor?) {
        self.limit = validLimit
        self.cursor = cursor
    }

    /// Rows to fetch from the database: one more than `limit`, so the extra row tells
    /// whether a next page exists without a count query.
    public var fetchLimit: Int { limit + 1 }

    private static var limitIssue: FieldIssue {
        .outOfRange("limit", message: "limit must be an integer from \(minimumLimit) to \(maximumLimit).")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                limit: try container.decodeIfPresent(Int.self, forKey: .limit),
                cursor: try container.decodeIfPresent(Cursor.self, forKey: .cursor))
        } catch let problem as ProblemDetails {
            throw DecodingError.dataCorruptedError(forKey: .limit, in: container, debugDescription: problem.description)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case limit, cursor
    }
}
