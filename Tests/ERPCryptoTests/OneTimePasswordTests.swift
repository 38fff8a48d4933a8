import ERPCrypto
import Foundation
import Testing

@Suite("HOTP and TOTP")
struct OneTimePasswordTests {
    static let seed20 = bytes("12345678901234567890")
    static let seed32 = bytes("12345678901234567890123456789012")
    static let seed64 = bytes("1234567890123456789012345678901234567890123456789012345678901234")

    static func seed(for algorithm: HashAlgorithm) -> [UInt8] {
        switch algorithm {
        case .sha1: seed20
        case .sha256: seed32
        case .sha512: seed64
        }
    }

    /// RFC 4226 Appendix D.
    @Test("RFC 4226 HOTP")
    func hotp() {
        let expected = ["755224", "287082", "359152", "969429", "338314",
                        "254676", "287922", "162583", "399871", "520489"]
        for (counter, code) in expected.enumerated() {
            #expect(OneTimePassword.hotp(secret: Self.seed20, counter: UInt64(counter)) == code)
        }
    }

    /// RFC 6238 Appendix B, every row.
    @Test("RFC 6238 TOTP", arguments: [
        (59, "94287082", HashAlgorithm.sha1), (59, "46119246", .sha256), (59, "90693936", .sha512),
        (1_111_111_109, "07081804", .sha1), (1_111_111_109, "68084774", .sha256), (1_111_111_109, "25091201", .sha512),
        (1_111_111_111, "14050471", .sha1), (1_111_111_111, "67062674", .sha256), (1_111_111_111, "99943326", .sha512),
        (1_234_567_890, "89005924", .sha1), (1_234_567_890, "91819424", .sha256), (1_234_567_890, "93441116", .sha512),
        (2_000_000_000, "69279037", .sha1), (2_000_000_000, "90698825", .sha256), (2_000_000_000, "38618901", .sha512),
        (20_000_000_000, "65353130", .sha1), (20_000_000_000, "77737706", .sha256), (20_000_000_000, "47863826", .sha512),
    ] as [(Int, String, HashAlgorithm)])
    func totp(seconds: Int, code: String, algorithm: HashAlgorithm) {
        let time = Date(timeIntervalSince1970: TimeInterval(seconds))
        let secret = Self.seed(for: algorithm)
        #expect(OneTimePassword.totp(secret: secret, time: time, digits: 8, algorithm: algorithm) == code)
        #expect(OneTimePassword.validateTOTP(code, secret: secret, time: time, digits: 8, algorithm: algorithm)
            == seconds / 30)
    }

    @Test("validation accepts the drift window only, and reports the step")
    func validationWindow() {
        let secret = Self.seed20
        let now = Date(timeIntervalSince1970: 1_234_567_890)
        let step = 1_234_567_890 / 30
        let previous = OneTimePassword.hotp(secret: secret, counter: UInt64(step - 1))
        let next = OneTimePassword.hotp(secret: secret, counter: UInt64(step + 1))
        let twoAhead = OneTimePassword.hotp(secret: secret, counter: UInt64(step + 2))
        #expect(OneTimePassword.validateTOTP(previous, secret: secret, time: now) == step - 1)
        #expect(OneTimePassword.validateTOTP(next, secret: secret, time: now) == step + 1)
        #expect(OneTimePassword.validateTOTP(twoAhead, secret: secret, time: now) == nil)
        #expect(OneTimePassword.validateTOTP(twoAhead, secret: secret, time: now, allowedDrift: 2) == step + 2)
        #expect(OneTimePassword.validateTOTP(next, secret: secret, time: now, allowedDrift: 0) == nil)
        let current = OneTimePassword.totp(secret: secret, time: now)
        #expect(OneTimePassword.validateTOTP(current, secret: secret, time: now) == step)
        #expect(OneTimePassword.validateTOTP(current, secret: bytes("another secret"), time: now) == nil)
    }

    @Test("time steps: floor division, pre-1970 and far-future times do not trap")
    func timeSteps() {
        #expect(OneTimePassword.timeStep(for: Date(timeIntervalSince1970: 59)) == 1)
        #expect(OneTimePassword.timeStep(for: Date(timeIntervalSince1970: 60)) == 2)
        #expect(OneTimePassword.timeStep(for: Date(timeIntervalSince1970: 59), period: 60) == 0)
        #expect(OneTimePassword.timeStep(for: Date(timeIntervalSince1970: -100)) == 0)
        let far = Date(timeIntervalSince1970: 1e300)
        let code = OneTimePassword.totp(secret: Self.seed20, time: far)
        #expect(OneTimePassword.validateTOTP(code, secret: Self.seed20, time: far) == OneTimePassword.timeStep(for: far))
    }

    @Test("malformed codes are refused", arguments: ["", "12345", "1234567", "12 345", "abcdef", "１２３４５６", "+12345"])
    func malformedCodes(code: String) {
        #expect(OneTimePassword.validateTOTP(code, secret: Self.seed20, time: Date()) == nil)
    }

    @Test("provisioning URI follows the Key Uri Format with correct escaping")
    func provisioningURI() {
        let uri = OneTimePassword.provisioningURI(
            secret: Self.seed20, accountName: "alice+mfa@example.com", issuer: "ACME Co & Sons")
        #expect(uri == "otpauth://totp/ACME%20Co%20%26%20Sons:alice%2Bmfa%40example.com"
            + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co%20%26%20Sons"
            + "&algorithm=SHA1&digits=6&period=30")
        let custom = OneTimePassword.provisioningURI(
            secret: [0xFF], accountName: "bob", issuer: "Ünï:corp", algorithm: .sha256, digits: 8, period: 60)
        #expect(custom == "otpauth://totp/%C3%9Cn%C3%AF%3Acorp:bob?secret=74&issuer=%C3%9Cn%C3%AF%3Acorp"
            + "&algorithm=SHA256&digits=8&period=60")
    }
}
