import ERPCrypto
import Foundation
import Testing

@Suite("scrypt and PBKDF2")
struct KDFTests {
    /// RFC 7914 §12, vectors 1–3.
    @Test("RFC 7914 scrypt", arguments: [
        ("", "", 16, 1, 1,
         "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
        ("password", "NaCl", 1024, 8, 16,
         "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
        ("pleaseletmein", "SodiumChloride", 16384, 8, 1,
         "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
            + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
    ] as [(String, String, Int, Int, Int, String)])
    func scrypt(password: String, salt: String, n: Int, r: Int, p: Int, expected: String) throws {
        let key = try KDF.scrypt(password: bytes(password), salt: bytes(salt), n: n, r: r, p: p, length: 64)
        #expect(key == hex(expected))
    }

    /// RFC 7914 §12 vector 4 (N = 2^20, r = 8) needs 128·r·(N + p + 2) bytes, just over 1 GiB,
    /// and several seconds; the machines have the memory, and it runs alongside the other tests.
    @Test("RFC 7914 scrypt vector 4 (1 GiB)")
    func scryptLarge() throws {
        let key = try KDF.scrypt(
            password: bytes("pleaseletmein"), salt: bytes("SodiumChloride"),
            n: 1_048_576, r: 8, p: 1, length: 64, maxMemory: 1_100 << 20)
        #expect(key == hex(
            "2101cb9b6a511aaeaddbbe09cf70f881ec568d574a2ffd4dabe5ee9820adaa47"
                + "8e56fd8f4ba5d09ffa1c6d927c40f4c337304049e8a952fbcbf45c6fa77a41a4"))
    }

    @Test("scrypt refuses bad parameters and respects the memory ceiling")
    func scryptParameters() {
        for (n, r, p) in [(0, 1, 1), (1, 1, 1), (1000, 1, 1), (16, 0, 1), (16, 1, 0)] {
            #expect(throws: CryptoError.invalidParameters) {
                try KDF.scrypt(password: [], salt: [], n: n, r: r, p: p, length: 16)
            }
        }
        #expect(throws: CryptoError.invalidParameters) {
            try KDF.scrypt(password: [], salt: [], n: 1 << 20, r: 8, p: 1, length: 32)  // default 1 GiB ceiling
        }
        #expect(throws: CryptoError.invalidParameters) {
            try KDF.scrypt(password: [], salt: [], n: 16, r: 1, p: 1, length: 0)
        }
    }

    /// RFC 7914 §11 (PBKDF2-HMAC-SHA256).
    @Test("RFC 7914 PBKDF2-HMAC-SHA256", arguments: [
        ("passwd", "salt", 1,
         "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
        ("Password", "NaCl", 80000,
         "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
            + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
    ] as [(String, String, Int, String)])
    func pbkdf2SHA256(password: String, salt: String, iterations: Int, expected: String) throws {
        let key = try KDF.pbkdf2(
            password: bytes(password), salt: bytes(salt), iterations: iterations, algorithm: .sha256, length: 64)
        #expect(key == hex(expected))
    }

    /// RFC 6070 (PBKDF2-HMAC-SHA1). The c = 16777216 vector is left out: 16.7 million
    /// iterations take tens of seconds and prove nothing the c = 4096 vectors do not.
    @Test("RFC 6070 PBKDF2-HMAC-SHA1", arguments: [
        (bytes("password"), bytes("salt"), 1, "0c60c80f961f0e71f3a9b524af6012062fe037a6"),
        (bytes("password"), bytes("salt"), 2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
        (bytes("password"), bytes("salt"), 4096, "4b007901b765489abead49d926f721d065a429c1"),
        (bytes("passwordPASSWORDpassword"), bytes("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096,
         "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"),
        (bytes("pass\0word"), bytes("sa\0lt"), 4096, "56fa6aa75548099dcc37d7f03425e0c3"),
    ] as [([UInt8], [UInt8], Int, String)])
    func pbkdf2SHA1(password: [UInt8], salt: [UInt8], iterations: Int, expected: String) throws {
        let expectedBytes = hex(expected)
        let key = try KDF.pbkdf2(
            password: password, salt: salt, iterations: iterations, algorithm: .sha1, length: expectedBytes.count)
        #expect(key == expectedBytes)
    }

    @Test("PBKDF2 refuses zero iterations or length")
    func pbkdf2Parameters() {
        #expect(throws: CryptoError.invalidParameters) {
            try KDF.pbkdf2(password: [1], salt: [2], iterations: 0, algorithm: .sha256, length: 32)
        }
        #expect(throws: CryptoError.invalidParameters) {
            try KDF.pbkdf2(password: [1], salt: [2], iterations: 1, algorithm: .sha256, length: 0)
        }
    }
}
