import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The parameters of a token request, from an OAuth-style form body
/// (`application/x-www-form-urlencoded`), a JSON body, and HTTP Basic client authentication.
struct TokenRequestForm: Sendable {
    var grantType: String?
    var clientID: String?
    var clientSecret: String?
    var apiKey: String?
    var scope: String?
    /// For platform clients: the organization to act within.
    var organization: String?

    static func read(_ request: Request, context: ERPRequestContext) async throws -> TokenRequestForm {
        var form = TokenRequestForm()
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            let body = try await request.body.collect(upTo: 16 * 1024)
            var components = URLComponents()
            components.percentEncodedQuery = String(buffer: body).replacingOccurrences(of: "+", with: "%20")
            let items = components.queryItems ?? []
            func value(_ name: String) -> String? { items.first { $0.name == name }?.value }
            form.grantType = value("grant_type")
            form.clientID = value("client_id")
            form.clientSecret = value("client_secret")
            form.apiKey = value("api_key")
            form.scope = value("scope")
            form.organization = value("organization")
        } else {
            struct JSONForm: Decodable {
                var grantType: String?
                var clientId: String?
                var clientSecret: String?
                var apiKey: String?
                var scope: String?
                var organization: String?
            }
            let json = try await request.decode(as: JSONForm.self, context: context)
            form = TokenRequestForm(grantType: json.grantType, clientID: json.clientId, clientSecret: json.clientSecret, apiKey: json.apiKey, scope: json.scope,
                                     organization: json.organization)
        }
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        {
            form.clientID = String(pair[..<colon]).removingPercentEncoding
            form.clientSecret = String(pair[pair.index(after: colon)...]).removingPercentEncoding
        }
        return form
    }
}
