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

    @Test("rotation: previous keys open what they sealed and report it with a copy under the current key; they seal nothing")
    func rotation() throws {
        let old = SecureRandom.bytes(count: 32)
        let sealedUnderOld = try SecretBox(key: old).seal(bytes("whsec_old"), purpose: "test.secret")
        let rotated = SecretBox(key: Self.key, previousKeys: [SecureRandom.bytes(count: 32), old])
        let opened = try rotated.openReportingRotation(sealedUnderOld, purpose: "test.secret")
        #expect(opened.plaintext == bytes("whsec_old"))
        let resealed = try #require(opened.resealed)
        // The copy opens with the current key alone, so the old key can go once rows are re-sealed.
        #expect(try SecretBox(key: Self.key).open(resealed, purpose: "test.secret") == bytes("whsec_old"))
        #expect(throws: (any Error).self) { try SecretBox(key: old).open(resealed, purpose: "test.secret") }
        // Under the current key nothing needs re-sealing; new seals use the current key only.
        let fresh = try rotated.seal(bytes("new"), purpose: "test.secret")
        #expect(try rotated.openReportingRotation(fresh, purpose: "test.secret").resealed == nil)
        #expect(throws: (any Error).self) { try SecretBox(key: old).open(fresh, purpose: "test.secret") }
        // A previous key doesn't widen what opens: another purpose or a flipped bit still fails.
        #expect(throws: (any Error).self) { try rotated.open(sealedUnderOld, purpose: "other.secret") }
        var altered = sealedUnderOld
        altered[altered.count - 1] ^= 1
        #expect(throws: (any Error).self) { try rotated.open(altered, purpose: "test.secret") }
    }

    @Test("previous keys are a comma-separated list of keys; one bad entry refuses the list")
    func previousKeyParsing() {
        let first = SecureRandom.bytes(count: 32)
        let list = "\(Data(first).base64EncodedString()), \(Data(Self.key).base64EncodedString())"
        #expect(SecretBox.keys(base64List: list) == [first, Self.key])
        #expect(SecretBox.keys(base64List: nil) == [])
        #expect(SecretBox.keys(base64List: " ") == [])
        #expect(SecretBox.keys(base64List: list + ",change-me") == nil)
    }
}
