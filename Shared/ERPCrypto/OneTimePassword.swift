import Foundation

/// HOTP (RFC 4226) and TOTP (RFC 6238) codes for multi-factor authentication.
public enum OneTimePassword {
    /// The code lengths RFC 4226 allows: at least 6 digits, and at most the 10 digits a
    /// 31-bit truncated value can fill.
    public static let digitRange = 6...10

    /// The HOTP code for `counter`, zero-padded to `digits` characters.
    ///
    /// Traps unless `digits` is in `digitRange`: that is configuration, not user input.
    public static func hotp(
        secret: [UInt8], counter: UInt64, digits: Int = 6, algorithm: HashAlgorithm = .sha1
    ) -> String {
        precondition(digitRange.contains(digits), "one-time passwords have 6 to 10 digits")
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) }
        let mac = HMAC.authenticationCode(for: message, key: secret, algorithm: algorithm)
        // Dynamic truncation, RFC 4226 §5.3.
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = UInt64(mac[offset] & 0x7F) << 24
            | UInt64(mac[offset + 1]) << 16
            | UInt64(mac[offset + 2]) << 8
            | UInt64(mac[offset + 3])
        var modulus: UInt64 = 1
        for _ in 0..<digits { modulus *= 10 }
        let code = String(value % modulus)
        return String(repeating: "0", count: digits - code.count) + code
    }

    /// The TOTP code at `time`.
    public static func totp(
        secret: [UInt8], time: Date, period: Int = 30, digits: Int = 6, algorithm: HashAlgorithm = .sha1
    ) -> String {
        hotp(secret: secret, counter: UInt64(timeStep(for: time, period: period)), digits: digits, algorithm: algorithm)
    }

    /// The time step (`T` of RFC 6238) that `time` falls in. Times before 1970 count as step 0;
    /// times beyond the year 30 million are clamped so step arithmetic cannot overflow.
    public static func timeStep(for time: Date, period: Int = 30) -> Int {
        precondition(period > 0, "the TOTP period must be positive")
        let seconds = time.timeIntervalSince1970.rounded(.down)
        guard seconds > 0 else { return 0 }  // also catches NaN
        return Int(min(seconds, 1e15)) / period
    }

    /// Checks a user-entered TOTP code against the steps around `time`.
    ///
    /// - Parameter allowedDrift: how many steps before and after the current one are also
    ///   accepted, for clock skew and typing time; 0 to 10 (more traps).
    /// - Returns: the matched time step, or nil. Store it and refuse a later code whose step is
    ///   not greater, so one code cannot be used twice (RFC 6238 §5.2).
    ///
    /// The code must be exactly `digits` ASCII digits; strip spaces before calling. Every
    /// candidate in the window is computed and compared in constant time, so timing does
    /// not tell which step (or digit) was close.
    public static func validateTOTP(
        _ code: String, secret: [UInt8], time: Date, period: Int = 30, digits: Int = 6,
        algorithm: HashAlgorithm = .sha1, allowedDrift: Int = 1
    ) -> Int? {
        precondition((0...10).contains(allowedDrift), "allowedDrift must be between 0 and 10 steps")
        let entered = Array(code.utf8)
        guard digitRange.contains(digits), entered.count == digits,
              entered.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        let current = timeStep(for: time, period: period)
        var matched: Int?
        for step in (current - allowedDrift)...(current + allowedDrift) where step >= 0 {
            let candidate = hotp(secret: secret, counter: UInt64(step), digits: digits, algorithm: algorithm)
            if ConstantTime.equals(Array(candidate.utf8), entered), matched == nil {
                matched = step
            }
        }
        return matched
    }

    /// The `otpauth://totp/…` URI that authenticator apps read from a QR code (Key Uri Format).
    ///
    /// The label is `issuer:accountName`; both parts and all values are percent-encoded
    /// (RFC 3986 unreserved characters stay as they are), and the secret is unpadded base32.
    public static func provisioningURI(
        secret: [UInt8], accountName: String, issuer: String,
        algorithm: HashAlgorithm = .sha1, digits: Int = 6, period: Int = 30
    ) -> String {
        let label = percentEncoded(issuer) + ":" + percentEncoded(accountName)
        let query = [
            ("secret", Base32.encode(secret, padding: false)),
            ("issuer", issuer),
            ("algorithm", algorithm.openSSLName),
            ("digits", String(digits)),
            ("period", String(period)),
        ]
        return "otpauth://totp/" + label + "?"
            + query.map { $0.0 + "=" + percentEncoded($0.1) }.joined(separator: "&")
    }

    /// Percent-encodes every byte except RFC 3986 unreserved characters. Foundation's
    /// `urlQueryAllowed` would leave `&`, `=`, `+` and `:` raw, which breaks the URI.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output = [UInt8]()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
