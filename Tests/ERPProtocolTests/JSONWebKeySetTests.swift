import Foundation
import Testing

import ERPProtocol

@Suite("JSONWebKeySet")
struct JSONWebKeySetTests {
    /// RFC 8032 §7.1 test 1 public key, which RFC 8037 A.2 shows as a JWK.
    static let publicKey: [UInt8] = [
        0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
        0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
    ]

    @Test("golden: an Ed25519 key set")
    func golden() throws {
        let set = JSONWebKeySet(keys: [.ed25519(publicKey: Self.publicKey, kid: "2026-11-key-1")])
        try Golden.check(set, matches: "jwks")
        #expect(set.keys[0].x == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
        #expect(set.key(withID: "2026-11-key-1")?.ed25519PublicKey == Data(Self.publicKey))
        #expect(set.key(withID: "other") == nil)
    }

    @Test("keys that are not 32-byte Ed25519 signing keys yield no public key")
    func rejectsOtherKeys() {
        let good = JSONWebKey.ed25519(publicKey: Self.publicKey, kid: "k")
        var wrongCurve = good
        wrongCurve.crv = "X25519"
        var short = good
        short.x = Base64URL.encode(Self.publicKey.dropLast())
        var padded = good
        padded.x = "11qYAYKxCrfVS+7TyWQHOg7hcvPapiMlrwIaaPcHURo"
        var encryption = good
        encryption.use = "enc"
        for key in [wrongCurve, short, padded, encryption] {
            #expect(key.ed25519PublicKey == nil)
        }
    }

    @Test("base64url round trip without padding")
    func base64URL() {
        for length in 0..<8 {
            let bytes = (0..<length).map { UInt8(250 + $0 % 6) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == Data(bytes))
        }
        #expect(Base64URL.decode("a") == nil)
        #expect(Base64URL.decode("ab+c") == nil)
    }
}
