import Foundation
import NIOHTTP1

/// The token of an `Authorization: Bearer …` header.
enum BearerToken {
    static func extract(from headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: "authorization") else { return nil }
        let utf8 = value.utf8
        guard utf8.count > 7 else { return nil }
        let scheme = value.prefix(7)
        guard scheme.lowercased() == "bearer " else { return nil }
        let token = value.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
