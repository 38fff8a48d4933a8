extension AES256GCM {
    /// The result of `AES256GCM.seal`: nonce, ciphertext and tag.
    public struct SealedBox: Sendable, Hashable {
        /// The 12-byte nonce.
        public let nonce: [UInt8]
        /// The ciphertext, as long as the plaintext.
        public let ciphertext: [UInt8]
        /// The 16-byte authentication tag.
        public let tag: [UInt8]

        /// Assembles a box from its parts, e.g. read from separate columns.
        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) throws {
            guard nonce.count == AES256GCM.nonceLength else { throw CryptoError.invalidNonceSize }
            guard tag.count == AES256GCM.tagLength else { throw CryptoError.malformedInput }
            self.init(validatedNonce: nonce, ciphertext: ciphertext, tag: tag)
        }

        /// Splits `nonce || ciphertext || tag`, the layout of `combined`.
        public init(combined: [UInt8]) throws {
            guard combined.count >= AES256GCM.nonceLength + AES256GCM.tagLength else {
                throw CryptoError.malformedInput
            }
            let tagStart = combined.count - AES256GCM.tagLength
            self.init(
                validatedNonce: Array(combined[..<AES256GCM.nonceLength]),
                ciphertext: Array(combined[AES256GCM.nonceLength..<tagStart]),
                tag: Array(combined[tagStart...]))
        }

        init(validatedNonce nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }

        /// `nonce || ciphertext || tag`: one blob to store or send.
        public var combined: [UInt8] { nonce + ciphertext + tag }
    }
}
