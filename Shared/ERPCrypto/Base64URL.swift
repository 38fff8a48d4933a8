import Foundation

/// Base64url (RFC 4648 §5) without padding, as JWS (RFC 7515) and URL tokens use it.
public enum Base64URL {
    /// Encodes `bytes` without `=` padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        Base64Codec.url.encode(bytes)
    }

    /// Encodes `data` without `=` padding.
    public static func encode(_ data: some DataProtocol) -> String {
        Base64Codec.url.encode(Array(data))
    }

    /// Decodes unpadded base64url text.
    ///
    /// Returns nil for characters outside the base64url alphabet (this includes `=`, `+`, `/`
    /// and whitespace), impossible lengths, and non-canonical final characters.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        Base64Codec.url.decode(text)
    }
}
