import ERPCrypto

/// MFA recovery codes: ten random `xxxxx-xxxxx` codes (base32, 50 bits each), shown once and
/// stored as SHA-256 of their normalised form, so dashes, spaces and case do not matter.
enum RecoveryCodes {
    static let count = 10

    static func generate() -> [String] {
        (0..<count).map { _ in
            let text = Base32.encode(SecureRandom.bytes(count: 7), padding: false).lowercased().prefix(10)
            return text.prefix(5) + "-" + text.suffix(5)
        }
    }

    static func hash(_ code: String) -> [UInt8] {
        let normalised = code.lowercased().filter { $0.isLetter || $0.isNumber }
        return SHA256.hash(Array(normalised.utf8))
    }
}
