import ERPCrypto
import Foundation
import Testing

@Suite("SHA-256, constant-time compare, random")
struct DigestAndCompareTests {
    /// FIPS 180-4 examples (NIST CSRC "SHA256.pdf").
    @Test("SHA-256 known answers", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256(message: String, expected: String) {
        #expect(SHA256.hash(bytes(message)) == hex(expected))
        #expect(SHA256.hexDigest(bytes(message)) == expected)
        #expect(SHA256.hexDigest(Data(message.utf8)) == expected)
    }

    @Test("ConstantTime.equals truth table")
    func constantTimeEquals() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([0, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([1, 2], [1, 2, 3]))
        #expect(!ConstantTime.equals([], [0]))
    }

    @Test("SecureRandom gives the requested sizes and different values")
    func secureRandom() {
        #expect(SecureRandom.bytes(count: 0).isEmpty)
        let first = SecureRandom.bytes(count: 32)
        let second = SecureRandom.bytes(count: 32)
        #expect(first.count == 32)
        // Equal 256-bit draws would mean a broken generator.
        #expect(first != second)
        let token = SecureRandom.token()
        #expect(token.count == 43)
        #expect(Base64URL.decode(token)?.count == 32)
        #expect(SecureRandom.token(byteCount: 16).count == 22)
    }
}
