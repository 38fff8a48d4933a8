import ERPCrypto
import Foundation
import Testing

@Suite("AES-256-GCM")
struct AES256GCMTests {
    // McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test case 16.
    static let key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
    static let nonce = hex("cafebabefacedbaddecaf888")
    static let plaintext = hex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
    static let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    static let ciphertext = hex(
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
    static let tag = hex("76fc6ece0f4e1768cddf8853bb2d551b")

    @Test("GCM spec test case 16: exact ciphertext and tag, and back")
    func testCase16() throws {
        let box = try AES256GCM.seal(Self.plaintext, key: Self.key, nonce: Self.nonce, authenticating: Self.aad)
        #expect(box.nonce == Self.nonce)
        #expect(box.ciphertext == Self.ciphertext)
        #expect(box.tag == Self.tag)
        #expect(box.combined == Self.nonce + Self.ciphertext + Self.tag)
        #expect(try AES256GCM.open(box, key: Self.key, authenticating: Self.aad) == Self.plaintext)
        let reread = try AES256GCM.SealedBox(combined: box.combined)
        #expect(reread == box)
        #expect(try AES256GCM.open(reread, key: Self.key, authenticating: Self.aad) == Self.plaintext)
    }

    @Test("tampered tag, ciphertext, nonce, aad or key fails")
    func tampering() throws {
        let box = try AES256GCM.SealedBox(nonce: Self.nonce, ciphertext: Self.ciphertext, tag: Self.tag)
        var badTag = Self.tag
        badTag[15] ^= 0x80
        var badCiphertext = Self.ciphertext
        badCiphertext[0] ^= 0x01
        var badNonce = Self.nonce
        badNonce[11] ^= 0x01
        var badKey = Self.key
        badKey[31] ^= 0x01
        let cases: [(AES256GCM.SealedBox, [UInt8], [UInt8])] = [
            (try .init(nonce: Self.nonce, ciphertext: Self.ciphertext, tag: badTag), Self.key, Self.aad),
            (try .init(nonce: Self.nonce, ciphertext: badCiphertext, tag: Self.tag), Self.key, Self.aad),
            (try .init(nonce: badNonce, ciphertext: Self.ciphertext, tag: Self.tag), Self.key, Self.aad),
            (box, Self.key, Array(Self.aad.dropLast())),
            (box, Self.key, []),
            (box, badKey, Self.aad),
        ]
        for (box, key, aad) in cases {
            #expect(throws: CryptoError.authenticationFailed) { try AES256GCM.open(box, key: key, authenticating: aad) }
        }
    }

    /// Test cases 13 and 14: the all-zero key and nonce, empty and one-block zero plaintext.
    @Test("GCM spec test cases 13 and 14", arguments: [
        ([UInt8](), [UInt8](), "530f8afbc74536b9a963b4f1c4cb738b"),
        ([UInt8](repeating: 0, count: 16), hex("cea7403d4d606b6e074ec5d3baf39d18"), "d0d1c8a799996bf0265b98b5d48ab919"),
    ] as [([UInt8], [UInt8], String)])
    func zeroKey(plaintext: [UInt8], ciphertext: [UInt8], tag: String) throws {
        let key = [UInt8](repeating: 0, count: 32)
        let box = try AES256GCM.seal(plaintext, key: key, nonce: [UInt8](repeating: 0, count: 12))
        #expect(box.ciphertext == ciphertext)
        #expect(box.tag == hex(tag))
        #expect(try AES256GCM.open(box, key: key) == plaintext)
    }

    @Test("random nonces differ; sizes are checked")
    func randomNonceAndSizes() throws {
        let key = SecureRandom.bytes(count: 32)
        let first = try AES256GCM.seal(Data("same".utf8), key: key)
        let second = try AES256GCM.seal(Data("same".utf8), key: key)
        #expect(first.nonce.count == 12)
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
        #expect(try AES256GCM.open(second, key: key) == bytes("same"))
        #expect(throws: CryptoError.invalidKeySize) { try AES256GCM.seal([1], key: [UInt8](repeating: 0, count: 16)) }
        #expect(throws: CryptoError.invalidNonceSize) { try AES256GCM.seal([1], key: key, nonce: [0, 0, 0]) }
        #expect(throws: CryptoError.malformedInput) { try AES256GCM.SealedBox(combined: [UInt8](repeating: 0, count: 27)) }
        let empty = try AES256GCM.SealedBox(combined: [UInt8](repeating: 0, count: 28))
        #expect(empty.ciphertext.isEmpty)
    }
}
