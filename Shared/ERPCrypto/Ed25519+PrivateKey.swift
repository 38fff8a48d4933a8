internal import COpenSSL
import Foundation

extension Ed25519 {
    /// An Ed25519 signing key.
    ///
    /// Holds the key inside OpenSSL; `seed` copies it out only when asked (to store it
    /// encrypted). Printing the value shows no key material.
    public struct PrivateKey: Sendable, CustomStringConvertible {
        private let key: EVPKey
        /// The matching verification key.
        public let publicKey: PublicKey

        /// Creates the key from its 32-byte seed (the JWK `d` value).
        public init(seed: [UInt8]) throws {
            guard seed.count == Ed25519.seedLength else { throw CryptoError.invalidKeySize }
            let created = seed.withUnsafeBufferPointer {
                EVP_PKEY_new_raw_private_key_ex(nil, Ed25519.keyType, nil, $0.baseAddress, $0.count)
            }
            guard let pointer = created else { throw CryptoError.library("EVP_PKEY_new_raw_private_key_ex") }
            let key = EVPKey(pointer)
            var publicBytes = [UInt8](repeating: 0, count: Ed25519.publicKeyLength)
            var length = publicBytes.count
            let status = publicBytes.withUnsafeMutableBufferPointer {
                EVP_PKEY_get_raw_public_key(pointer, $0.baseAddress, &length)
            }
            guard status == 1, length == Ed25519.publicKeyLength else {
                throw CryptoError.library("EVP_PKEY_get_raw_public_key")
            }
            self.key = key
            self.publicKey = try PublicKey(rawRepresentation: publicBytes)
        }

        /// Creates a new random key.
        public static func generate() -> PrivateKey {
            do {
                return try PrivateKey(seed: SecureRandom.bytes(count: Ed25519.seedLength))
            } catch {
                // Every 32-byte string is a valid seed, so only a broken OpenSSL gets here.
                preconditionFailure("OpenSSL could not create an Ed25519 key")
            }
        }

        /// The 32-byte seed (the JWK `d` value). Treat it as a secret.
        public var seed: [UInt8] {
            var bytes = [UInt8](repeating: 0, count: Ed25519.seedLength)
            var length = bytes.count
            let status = bytes.withUnsafeMutableBufferPointer {
                EVP_PKEY_get_raw_private_key(key.pointer, $0.baseAddress, &length)
            }
            // The key was created from a seed, so reading it back cannot fail.
            precondition(status == 1 && length == Ed25519.seedLength, "OpenSSL could not export an Ed25519 seed")
            return bytes
        }

        /// The same bytes as `seed`.
        public var rawRepresentation: [UInt8] { seed }

        /// Signs `message` (pure Ed25519, no pre-hash).
        public func signature(for message: [UInt8]) throws -> [UInt8] {
            try sign(message)
        }

        /// Signs `message` (pure Ed25519, no pre-hash).
        public func signature(for message: some DataProtocol) throws -> [UInt8] {
            try sign(Array(message))
        }

        // Both overloads funnel here so the generic one cannot resolve to itself.
        private func sign(_ message: [UInt8]) throws -> [UInt8] {
            guard let context = EVP_MD_CTX_new() else { throw CryptoError.library("EVP_MD_CTX_new") }
            defer { EVP_MD_CTX_free(context) }
            // Ed25519 hashes internally, so the digest must be NULL.
            guard EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1 else {
                throw CryptoError.library("EVP_DigestSignInit")
            }
            var signature = [UInt8](repeating: 0, count: Ed25519.signatureLength)
            var length = signature.count
            let status = message.withNonNullPointer { input, count in
                signature.withUnsafeMutableBufferPointer {
                    EVP_DigestSign(context, $0.baseAddress, &length, input, count)
                }
            }
            guard status == 1, length == Ed25519.signatureLength else {
                throw CryptoError.library("EVP_DigestSign")
            }
            return signature
        }

        public var description: String { "Ed25519.PrivateKey(<redacted>)" }
    }
}
