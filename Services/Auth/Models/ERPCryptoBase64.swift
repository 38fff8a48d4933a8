import ERPCrypto

/// base64url without padding (ERPProtocol has a type of the same name, hence the alias).
typealias ERPCryptoBase64 = ERPCrypto.Base64URL

