import ERPProtocol

/// What fetching one service's OpenAPI document gave: the document, or why it is left out.
enum ServiceDocument: Sendable {
    case available(JSONValue)
    case unavailable(reason: String)
}
