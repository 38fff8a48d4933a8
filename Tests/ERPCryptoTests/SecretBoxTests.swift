import ERPCrypto
import Foundation
import Testing

@Suite("SecretBox")
struct SecretBoxTests {
    static let key = SecureRandom.bytes(count: 32)

    @Test("what is sealed opens with the same key and purpose, and the sealed bytes do not contain it")
    func roundTrip() throws {
        let box = SecretBox(key: Self.key)
        let secret = bytes("whsec_a-signing-secret-of-some-length")
        let sealed = try box.seal(secret, purpose: "test.secret")
        #expect(sealed.count == AES256GCM.nonceLength + secret.count + AES256GCM.tagLength)
        #expect(!hexString(sealed).contains(hexString(secret)))
        #expect(try box.open(sealed, purpose: "test.secret") == secret)
        // A fresh nonce each time: the same secret never seals to the same bytes.
        #expect(try box.seal(secret, purpose: "test.secret") != sealed)
    }

    @Test("another purpose, another key or an altered byte does not open")
    func refusesWhatItDidNotSeal() throws {
        let box = SecretBox(key: Self.key)
        let sealed = try box.seal(bytes("seed"), purpose: "auth.totp")
        #expect(throws: (any Error).self) { try box.open(sealed, purpose: "auth.signing-key") }
        #expect(throws: (any Error).self) { try SecretBox(key: SecureRandom.bytes(count: 32)).open(sealed, purpose: "auth.totp") }
        var altered = sealed
        altered[altered.count - 1] ^= 1
        #expect(throws: (any Error).self) { try box.open(altered, purpose: "auth.totp") }
        #expect(throws: (any Error).self) { try box.open([], purpose: "auth.totp") }
    }

    @Test("the configured key is exactly 32 bytes of base64")
    func keyParsing() {
        let encoded = Data(Self.key).base64EncodedString()
        #expect(SecretBox.key(base64: encoded) == Self.key)
        #expect(SecretBox.key(base64: encoded + "\n") == Self.key)
        #expect(SecretBox.key(base64: nil) == nil)
        #expect(SecretBox.key(base64: "") == nil)
        #expect(SecretBox.key(base64: "change-me") == nil)
        #expect(SecretBox.key(base64: Data(Self.key.prefix(16)).base64EncodedString()) == nil)
        #expect(SecretBox.key(base64: Data(Self.key + [0]).base64EncodedString()) == nil)
    }
}
