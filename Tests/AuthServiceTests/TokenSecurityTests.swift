import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation
import Logging
import Testing

@testable import AuthService

@Suite("Auth: access-token verification")
struct TokenSecurityTests {
    @Test("unknown key, alg none, HS256 keyed with the public key, expired and wrong audience are all 401")
    func forgedTokens() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let genuine = try await harness.dependencies.verifier.verify(registered.token)
            let signer = try await harness.dependencies.keys.currentSigner()
            var expired = genuine
            expired.exp = Date().addingTimeInterval(-120)
            expired.iat = Date().addingTimeInterval(-1000)
            var wrongAudience = genuine
            wrongAudience.aud = .init("someone-else")
            let unknownKey = try AccessTokenSigner(key: .generate(), kid: "not-a-key-of-ours").sign(genuine)
            let sameKidOtherKey = try AccessTokenSigner(key: .generate(), kid: signer.kid).sign(genuine)
            let payload = ERPCryptoBase64.encode([UInt8](try ERPJSON.encode(genuine)))
            let none = ERPCryptoBase64.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + payload + "."
            let hsHeader = ERPCryptoBase64.encode(Array("{\"alg\":\"HS256\",\"kid\":\"\(signer.kid)\",\"typ\":\"JWT\"}".utf8))
            let hsMAC = HMAC.authenticationCode(for: Array("\(hsHeader).\(payload)".utf8), key: signer.key.publicKey.rawRepresentation, algorithm: .sha256)
            let hs256 = "\(hsHeader).\(payload).\(ERPCryptoBase64.encode(hsMAC))"
            let cases = [
                ("unknown kid", unknownKey), ("known kid, other key", sameKidOtherKey), ("alg none", none), ("HS256 with public key", hs256),
                ("expired", try signer.sign(expired)), ("wrong audience", try signer.sign(wrongAudience)),
            ]
            for (name, token) in cases {
                let response = try await api.send(.get, "/v1/me", token: token)
                #expect(response.status == .unauthorized, "\(name)")
            }
            #expect(try await api.send(.get, "/v1/me", token: registered.token).status == .ok)
        }
    }

    @Test("JWKS publishes the signing key; after a rotation new tokens use the new key and old tokens keep working")
    func keyRotation() async throws {
        try await AuthHarness.run { harness, api in
            let registered = try await api.register()
            let before = try await api.send(.get, "/.well-known/jwks.json").json(JSONWebKeySet.self)
            #expect(before.keys.count == 1)
            let oldKid = try await harness.dependencies.keys.currentSigner().kid
            try await harness.dependencies.keys.rotate()
            let newKid = try await harness.dependencies.keys.currentSigner().kid
            #expect(newKid != oldKid)
            let after = try await api.send(.get, "/.well-known/jwks.json").json(JSONWebKeySet.self)
            #expect(Set(after.keys.map(\.kid)) == [oldKid, newKid])
            #expect(after.keys.first?.kid == newKid)
            #expect(try await api.send(.get, "/v1/me", token: registered.token).status == .ok)
            let fresh = try await api.tokens(registered.email)
            let header = String(decoding: try #require(ERPCryptoBase64.decode(fresh.accessToken.split(separator: ".")[0])), as: UTF8.self)
            #expect(header.contains(newKid))
            // A verifier built from the published JWKS (as every other service has) accepts both.
            let published = StaticKeyProvider(keys: Dictionary(uniqueKeysWithValues: try after.keys.map { ($0.kid, try Ed25519.PublicKey(rawRepresentation: try #require($0.ed25519PublicKey))) }))
            let verifier = AccessTokenVerifier(keys: published, issuer: "erp-auth", audience: "erp")
            _ = try await verifier.verify(registered.token)
            _ = try await verifier.verify(fresh.accessToken)
        }
    }

    @Test("after AUTH_KEY_ENCRYPTION_KEY is rotated, the signing key sealed under the previous one still signs and is re-sealed under the new one")
    func keyEncryptionKeyRotation() async throws {
        let oldKEK = SecureRandom.bytes(count: 32)
        try await AuthHarness.run(configure: { $0.previousKeyEncryptionKeys = [oldKEK] }) { harness, _ in
            let logger = Logger(label: "auth-test")
            // A signing key made while the old key-encryption key was the current one.
            let before = SigningKeyStore(pool: harness.pool, box: SecretBox(key: oldKEK), retention: 960, rotationInterval: 86_400, logger: logger)
            try await before.rotate()
            let kid = try await before.currentSigner().kid

            let after = SigningKeyStore(pool: harness.pool, box: harness.dependencies.box, retention: 960, rotationInterval: 86_400, logger: logger)
            try await after.prepare()
            #expect(try await after.currentSigner().kid == kid, "the same key signs on, no new key was needed")
            let sealed = try await harness.pool.withConnection { connection in
                try await connection.query("SELECT sealed_private_key FROM signing_keys WHERE kid = \(kid)").map { try $0.decode([UInt8].self, at: 0) }
            }
            let stored = try #require(sealed.first)
            let current = SecretBox(key: harness.dependencies.configuration.keyEncryptionKey)
            #expect((try? current.open(stored, purpose: SigningKeyStore.sealPurpose)) != nil, "re-sealed under the current key")
            #expect(throws: (any Error).self) { try SecretBox(key: oldKEK).open(stored, purpose: SigningKeyStore.sealPurpose) }
        }
    }
}
