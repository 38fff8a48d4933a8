/// One invalid field in a `validation_failed` problem.
///
/// `field` is a dotted path in the request's JSON member names, with array indices as
/// numeric segments: `email`, `address.city`, `lines.0.quantity`. Query parameters use their
/// name (`limit`, `cursor`). Dotted paths are what front-end form libraries key fields by, so a
/// form can show the message next to its input without translating JSON pointers.
public struct FieldIssue: Hashable, Sendable, Codable {
    /// Dotted path of the offending field, e.g. `lines.0.quantity`.
    public var field: String
    /// Stable machine code of the issue, e.g. `required`, `invalid`, `out_of_range`.
    public var code: String
    /// Human-readable explanation.
    public var message: String

    /// An issue with a custom code.
    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    /// The field is missing or empty.
    public static func required(_ field: String, message: String = "This field is required.") -> FieldIssue {
        FieldIssue(field: field, code: "required", message: message)
    }

    /// The value has the wrong format or is not allowed.
    public static func invalid(_ field: String, message: String) -> FieldIssue {
        FieldIssue(field: field, code: "invalid", message: message)
    }

    /// The value is outside its allowed range or length.
    public static func outOfRange(_ field: String, message: String) -> FieldIssue {
        FieldIssue(field: field, code: "out_of_range", message: message)
    }

    /// The value must be unique (per tenant) and is already taken.
    public static func alreadyTaken(_ field: String, message: String) -> FieldIssue {
        FieldIssue(field: field, code: "already_taken", message: message)
    }
}
