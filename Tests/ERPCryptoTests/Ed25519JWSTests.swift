import ERPCrypto
import Foundation
import Testing

@Suite("Ed25519 and JWS (RFC 8037)")
struct Ed25519JWSTests {
    // RFC 8037 Appendix A.1.
    static let d = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
    static let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    // RFC 8037 Appendix A.4.
    static let compact = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
        + "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

    static func rfcPrivateKey() throws -> Ed25519.PrivateKey {
        try Ed25519.PrivateKey(seed: #require(Base64URL.decode(d)))
    }

    static func rfcPublicKey() throws -> Ed25519.PublicKey {
        try Ed25519.PublicKey(rawRepresentation: #require(Base64URL.decode(x)))
    }

    @Test("A.1 key: the seed yields the published public key")
    func keyPair() throws {
        let key = try Self.rfcPrivateKey()
        #expect(Base64URL.encode(key.publicKey.rawRepresentation) == Self.x)
        #expect(Base64URL.encode(key.seed) == Self.d)
        #expect(key.rawRepresentation == key.seed)
        #expect(try key.publicKey == Self.rfcPublicKey())
        #expect(!String(describing: key).contains(Self.d))
    }

    @Test("A.4: signing gives the RFC's compact JWS exactly, and it verifies")
    func signVector() throws {
        let token = try JWS.signEdDSA(
            header: bytes(#"{"alg":"EdDSA"}"#), payload: bytes("Example of Ed25519 signing"),
            key: Self.rfcPrivateKey())
        #expect(token == Self.compact)
        let parsed = try JWS.parse(Self.compact)
        #expect(parsed.headerJSON == bytes(#"{"alg":"EdDSA"}"#))
        #expect(parsed.payload == bytes("Example of Ed25519 signing"))
        #expect(parsed.signingInput == bytes("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"))
        #expect(parsed.signature.count == 64)
        #expect(JWS.verifyEdDSA(parsed, key: try Self.rfcPublicKey()))
    }

    @Test("tampered payload, header or signature, or another key, fails")
    func tampering() throws {
        let publicKey = try Self.rfcPublicKey()
        let parts = Self.compact.split(separator: ".").map(String.init)
        let otherPayload = Base64URL.encode(bytes("Example of Ed25519 signinG"))
        let otherHeader = Base64URL.encode(bytes(#"{"alg":"EdDSA","x":1}"#))
        var signature = try #require(Base64URL.decode(parts[2]))
        signature[10] ^= 0x01
        let forgeries = [
            [parts[0], otherPayload, parts[2]],
            [otherHeader, parts[1], parts[2]],
            [parts[0], parts[1], Base64URL.encode(signature)],
        ].map { $0.joined(separator: ".") }
        for forgery in forgeries {
            #expect(!JWS.verifyEdDSA(try JWS.parse(forgery), key: publicKey))
        }
        let stranger = Ed25519.PrivateKey.generate().publicKey
        #expect(!JWS.verifyEdDSA(try JWS.parse(Self.compact), key: stranger))
    }

    @Test("parse refuses malformed compact strings", arguments: [
        "",
        "a.b",
        "a.b.c.d",
        "eyJhbGciOiJFZERTQSJ9.RXhh.",  // empty signature (alg none style)
        ".RXhh.hgyY",  // empty header
        "eyJhbGciOiJFZERTQSJ9.RXhh.hgy=",  // padding
        "eyJhbGciOiJFZERTQSJ9.RX+h.hgyY",  // standard alphabet
        "eyJhbGciOiJFZERTQSJ9.RXhh.h",  // impossible length
        " eyJhbGciOiJFZERTQSJ9.RXhh.hgyY",
    ])
    func parseRejects(compact: String) {
        #expect(throws: CryptoError.malformedInput) { try JWS.parse(compact) }
    }

    @Test("an empty payload is allowed and signs")
    func emptyPayload() throws {
        let key = Ed25519.PrivateKey.generate()
        let token = try JWS.signEdDSA(header: bytes(#"{"alg":"EdDSA"}"#), payload: [], key: key)
        let parsed = try JWS.parse(token)
        #expect(parsed.payload.isEmpty)
        #expect(JWS.verifyEdDSA(parsed, key: key.publicKey))
    }

    @Test("generated keys sign and verify; wrong sizes are refused")
    func generatedKeys() throws {
        let key = Ed25519.PrivateKey.generate()
        let message = Data("hello".utf8)
        let signature = try key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: Data("hellO".utf8)))
        #expect(!key.publicKey.isValidSignature(Array(signature.prefix(63)), for: Array(message)))
        #expect(try Ed25519.PrivateKey(seed: key.seed).publicKey == key.publicKey)
        #expect(throws: CryptoError.invalidKeySize) { try Ed25519.PrivateKey(seed: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: CryptoError.invalidKeySize) { try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33)) }
    }

    /// RFC 8032 §7.1 TEST 1: empty message, a second deterministic signature check.
    @Test("RFC 8032 test 1 (empty message)")
    func rfc8032EmptyMessage() throws {
        let key = try Ed25519.PrivateKey(seed: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(key.publicKey.rawRepresentation == hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        let signature = try key.signature(for: [UInt8]())
        #expect(signature == hex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"))
        #expect(key.publicKey.isValidSignature(signature, for: [UInt8]()))
    }
}
