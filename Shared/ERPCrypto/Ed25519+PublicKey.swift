internal import COpenSSL
import Foundation

extension Ed25519 {
    /// An Ed25519 verification key.
    public struct PublicKey: Sendable, Hashable {
        private let key: EVPKey
        /// The 32-byte encoded point (the JWK `x` value).
        public let rawRepresentation: [UInt8]

        /// Creates the key from its 32-byte encoding (the JWK `x` value).
        public init(rawRepresentation: [UInt8]) throws {
            try self.init(validating: rawRepresentation)
        }

        /// Creates the key from its 32-byte encoding.
        public init(rawRepresentation: some DataProtocol) throws {
            try self.init(validating: Array(rawRepresentation))
        }

        // Both initialisers funnel here so the generic one cannot resolve to itself.
        private init(validating rawRepresentation: [UInt8]) throws {
            guard rawRepresentation.count == Ed25519.publicKeyLength else { throw CryptoError.invalidKeySize }
            let created = rawRepresentation.withUnsafeBufferPointer {
                EVP_PKEY_new_raw_public_key_ex(nil, Ed25519.keyType, nil, $0.baseAddress, $0.count)
            }
            guard let pointer = created else {
                ERR_clear_error()
                throw CryptoError.invalidKey
            }
            self.key = EVPKey(pointer)
            self.rawRepresentation = rawRepresentation
        }

        /// True when `signature` is a valid Ed25519 signature of `message` under this key.
        ///
        /// Any malformed input (wrong length, bad encoding) is simply invalid.
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
            verify(signature, message)
        }

        /// True when `signature` is a valid Ed25519 signature of `message` under this key.
        public func isValidSignature(_ signature: some DataProtocol, for message: some DataProtocol) -> Bool {
            verify(Array(signature), Array(message))
        }

        // Both overloads funnel here so the generic one cannot resolve to itself.
        private func verify(_ signature: [UInt8], _ message: [UInt8]) -> Bool {
            guard signature.count == Ed25519.signatureLength else { return false }
            guard let context = EVP_MD_CTX_new() else { return false }
            defer {
                EVP_MD_CTX_free(context)
                // A rejected signature may leave entries in the thread's error queue.
                ERR_clear_error()
            }
            guard EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1 else { return false }
            let status = signature.withUnsafeBufferPointer { signatureBuffer in
                message.withNonNullPointer { input, count in
                    EVP_DigestVerify(context, signatureBuffer.baseAddress, signatureBuffer.count, input, count)
                }
            }
            return status == 1
        }

        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            lhs.rawRepresentation == rhs.rawRepresentation
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(rawRepresentation)
        }
    }
}
