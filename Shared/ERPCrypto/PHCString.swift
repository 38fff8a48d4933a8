import Foundation

/// A password hash in PHC string format, limited to the schemes PasswordHasher reads:
/// `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` and `$pbkdf2-sha256$i=600000$<salt>$<hash>`
/// (also `pbkdf2-sha512`), salt and hash in unpadded standard base64.
///
/// Parsing refuses costs beyond `Limits`: the string comes from storage, and a tampered or
/// mistaken row must not make one login attempt take minutes or gigabytes.
struct PHCString: Sendable, Hashable {
    enum Scheme: Sendable, Hashable {
        case scrypt(ln: Int, r: Int, p: Int)
        case pbkdf2(HashAlgorithm, iterations: Int)
    }

    /// Ceilings for anything read from a stored string.
    enum Limits {
        static let maxLn = 22
        static let maxR = 32
        static let maxP = 16
        /// scrypt memory (128·r·N): 4× the OWASP setting.
        static let maxScryptMemory = 512 << 20
        /// scrypt work (N·r·p): 16× the OWASP setting.
        static let maxScryptWork = 1 << 24
        /// About 8× OWASP's PBKDF2-HMAC-SHA256 recommendation.
        static let maxPBKDF2Iterations = 5_000_000
        static let saltLengths = 8...64
        static let hashLengths = 16...64
    }

    let scheme: Scheme
    let salt: [UInt8]
    let hash: [UInt8]

    init(scheme: Scheme, salt: [UInt8], hash: [UInt8]) {
        self.scheme = scheme
        self.salt = salt
        self.hash = hash
    }

    /// Parses `encoded`; nil when it is malformed, of another scheme, or beyond `Limits`.
    init?(_ encoded: String) {
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty,
              let salt = Base64Codec.standard.decode(fields[3]),
              let hash = Base64Codec.standard.decode(fields[4]),
              Limits.saltLengths.contains(salt.count), Limits.hashLengths.contains(hash.count)
        else { return nil }
        let settings = Self.settings(fields[2])
        switch fields[1] {
        case "scrypt":
            guard let settings, settings.map(\.name) == ["ln", "r", "p"] else { return nil }
            let (ln, r, p) = (settings[0].value, settings[1].value, settings[2].value)
            guard (1...Limits.maxLn).contains(ln), (1...Limits.maxR).contains(r), (1...Limits.maxP).contains(p),
                  (128 * r) << ln <= Limits.maxScryptMemory, (r * p) << ln <= Limits.maxScryptWork
            else { return nil }
            scheme = .scrypt(ln: ln, r: r, p: p)
        case "pbkdf2-sha256", "pbkdf2-sha512":
            let algorithm: HashAlgorithm = fields[1] == "pbkdf2-sha256" ? .sha256 : .sha512
            guard let settings, settings.map(\.name) == ["i"],
                  (1...Limits.maxPBKDF2Iterations).contains(settings[0].value),
                  hash.count <= algorithm.digestLength
            else { return nil }
            scheme = .pbkdf2(algorithm, iterations: settings[0].value)
        default:
            return nil
        }
        self.salt = salt
        self.hash = hash
    }

    var encoded: String {
        let prefix = switch scheme {
        case let .scrypt(ln, r, p): "$scrypt$ln=\(ln),r=\(r),p=\(p)$"
        case let .pbkdf2(algorithm, iterations):
            "$pbkdf2-\(algorithm == .sha512 ? "sha512" : "sha256")$i=\(iterations)$"
        }
        return prefix + Base64Codec.standard.encode(salt) + "$" + Base64Codec.standard.encode(hash)
    }

    /// Derives `length` bytes from `password` with `scheme` and `salt`.
    static func derive(_ password: [UInt8], scheme: Scheme, salt: [UInt8], length: Int) throws -> [UInt8] {
        switch scheme {
        case let .scrypt(ln, r, p):
            try KDF.scrypt(password: password, salt: salt, n: 1 << ln, r: r, p: p, length: length)
        case let .pbkdf2(algorithm, iterations):
            try KDF.pbkdf2(password: password, salt: salt, iterations: iterations, algorithm: algorithm, length: length)
        }
    }

    /// `name=value` pairs with decimal values (no sign, no leading zeros, at most 9 digits, so
    /// they fit an Int and cannot overflow the checks above); nil if any pair is malformed.
    private static func settings(_ text: Substring) -> [(name: Substring, value: Int)]? {
        var result: [(name: Substring, value: Int)] = []
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty,
                  (1...9).contains(parts[1].count),
                  parts[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  parts[1] == "0" || !parts[1].hasPrefix("0"),
                  let value = Int(parts[1])
            else { return nil }
            result.append((parts[0], value))
        }
        return result
    }
}
