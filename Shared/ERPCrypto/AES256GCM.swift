internal import COpenSSL
import Foundation

/// AES-256 in Galois/Counter Mode (NIST SP 800-38D) with 96-bit nonces and 128-bit tags.
///
/// With random nonces, seal at most 2^32 messages under one key (SP 800-38D §8.3), then
/// rotate the key; a repeated nonce under one key reveals plaintext and forges tags.
public enum AES256GCM {
    /// Key length in bytes.
    public static let keyLength = 32
    /// Nonce length in bytes.
    public static let nonceLength = 12
    /// Tag length in bytes.
    public static let tagLength = 16

    // EVP_*Update take an Int32 length, so long inputs go through in slices.
    private static let sliceLength = 1 << 30

    /// Encrypts and authenticates `plaintext`, and authenticates `aad` without encrypting it.
    ///
    /// - Parameters:
    ///   - key: 32 bytes.
    ///   - nonce: 12 bytes, unique per key; nil draws a random one (the normal case).
    ///   - aad: bytes bound to the ciphertext, e.g. a record id, so a ciphertext cannot be
    ///     moved to another record.
    public static func seal(
        _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8]? = nil, authenticating aad: [UInt8] = []
    ) throws -> SealedBox {
        try encrypt(plaintext, key: key, nonce: nonce, aad: aad)
    }

    /// Encrypts and authenticates `plaintext`; see `seal(_:key:nonce:authenticating:)`.
    public static func seal(
        _ plaintext: some DataProtocol, key: [UInt8], nonce: [UInt8]? = nil, authenticating aad: [UInt8] = []
    ) throws -> SealedBox {
        try encrypt(Array(plaintext), key: key, nonce: nonce, aad: aad)
    }

    // Both overloads funnel here so the generic one cannot resolve to itself.
    private static func encrypt(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8]?, aad: [UInt8]) throws -> SealedBox {
        guard key.count == keyLength else { throw CryptoError.invalidKeySize }
        let nonce = nonce ?? SecureRandom.bytes(count: nonceLength)
        guard nonce.count == nonceLength else { throw CryptoError.invalidNonceSize }
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.library("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        try start(context, key: key, nonce: nonce, encrypting: true)
        try feedAAD(context, aad)
        var ciphertext = try transform(context, plaintext)
        var finalLength: Int32 = 0
        var spare = [UInt8](repeating: 0, count: 16)
        guard EVP_CipherFinal_ex(context, &spare, &finalLength) == 1 else {
            throw CryptoError.library("EVP_CipherFinal_ex")
        }
        // GCM is a stream mode: Final emits nothing, but append whatever it reports.
        ciphertext += spare.prefix(Int(finalLength))
        var tag = [UInt8](repeating: 0, count: tagLength)
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), &tag) == 1 else {
            throw CryptoError.library("EVP_CTRL_GCM_GET_TAG")
        }
        return SealedBox(validatedNonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Checks the tag and returns the plaintext.
    ///
    /// - Throws: `CryptoError.authenticationFailed` when the key, the associated data, or
    ///   any byte of the box is wrong; no plaintext is returned in that case.
    public static func open(_ box: SealedBox, key: [UInt8], authenticating aad: [UInt8] = []) throws -> [UInt8] {
        guard key.count == keyLength else { throw CryptoError.invalidKeySize }
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.library("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        try start(context, key: key, nonce: box.nonce, encrypting: false)
        try feedAAD(context, aad)
        var plaintext = try transform(context, box.ciphertext)
        var tag = box.tag
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else {
            throw CryptoError.library("EVP_CTRL_GCM_SET_TAG")
        }
        var finalLength: Int32 = 0
        var spare = [UInt8](repeating: 0, count: 16)
        guard EVP_CipherFinal_ex(context, &spare, &finalLength) == 1 else {
            // Unauthenticated plaintext must not linger in memory either.
            plaintext.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            ERR_clear_error()
            throw CryptoError.authenticationFailed
        }
        return plaintext + spare.prefix(Int(finalLength))
    }

    private static func start(_ context: OpaquePointer, key: [UInt8], nonce: [UInt8], encrypting: Bool) throws {
        guard EVP_CipherInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil, encrypting ? 1 : 0) == 1 else {
            throw CryptoError.library("EVP_CipherInit_ex")
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceLength), nil) == 1 else {
            throw CryptoError.library("EVP_CTRL_GCM_SET_IVLEN")
        }
        // -1 keeps the direction chosen above.
        guard EVP_CipherInit_ex(context, nil, nil, key, nonce, -1) == 1 else {
            throw CryptoError.library("EVP_CipherInit_ex")
        }
    }

    private static func feedAAD(_ context: OpaquePointer, _ aad: [UInt8]) throws {
        var offset = 0
        while offset < aad.count {
            let count = min(aad.count - offset, sliceLength)
            var written: Int32 = 0
            // A NULL output buffer tells GCM the input is associated data.
            let status = aad.withUnsafeBufferPointer {
                EVP_CipherUpdate(context, nil, &written, $0.baseAddress! + offset, Int32(count))
            }
            guard status == 1 else { throw CryptoError.library("EVP_CipherUpdate(aad)") }
            offset += count
        }
    }

    private static func transform(_ context: OpaquePointer, _ input: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: input.count)
        var offset = 0
        while offset < input.count {
            let count = min(input.count - offset, sliceLength)
            var written: Int32 = 0
            let status = input.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    EVP_CipherUpdate(context, target.baseAddress! + offset, &written, source.baseAddress! + offset, Int32(count))
                }
            }
            // GCM is a stream mode: every input byte yields one output byte at once.
            guard status == 1, Int(written) == count else { throw CryptoError.library("EVP_CipherUpdate") }
            offset += count
        }
        return output
    }
}
