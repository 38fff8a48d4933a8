import ERPCrypto

/// base64url without padding (ERPProtocol has a type of the same name, hence the alias).
typealias ERPCryptoBase64 = ERPCrypto.Base64URL

/// Hex SHA-256 of text, for Redis keys that must not hold an email in clear.
enum ERPCryptoSHA {
    static func hex(_ text: String) -> String { SHA256.hexDigest(Array(text.utf8)) }
}
