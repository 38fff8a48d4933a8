internal import COpenSSL

/// Password-based key derivation through OpenSSL 3's EVP_KDF.
///
/// Both functions are deliberately slow and (scrypt) memory hungry; run them on a blocking
/// executor, not on Swift's cooperative pool.
public enum KDF {
    /// The memory ceiling `scrypt` uses when none is given: 1 GiB, far above the OWASP
    /// setting (N=2^17, r=8 needs about 128 MiB) but below what would endanger the host.
    public static let defaultScryptMaxMemory = 1 << 30

    /// scrypt (RFC 7914).
    ///
    /// - Parameters:
    ///   - n: CPU/memory cost, a power of two greater than 1.
    ///   - r: block size, at least 1.
    ///   - p: parallelisation, at least 1.
    ///   - length: bytes to derive, at least 1.
    ///   - maxMemory: refuse parameters needing more than this many bytes
    ///     (scrypt needs 128·r·(N + p + 2)).
    /// - Throws: `CryptoError.invalidParameters` for out-of-range values.
    public static func scrypt(
        password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int, length: Int,
        maxMemory: Int = defaultScryptMaxMemory
    ) throws -> [UInt8] {
        guard n > 1, n & (n - 1) == 0, r >= 1, p >= 1, length >= 1,
              r <= Int(UInt32.max), p <= Int(UInt32.max),
              let required = scryptMemory(n: n, r: r, p: p), required <= maxMemory
        else { throw CryptoError.invalidParameters }
        let parameters = OSSLParameterList()
        parameters.appendOctets(OSSL_KDF_PARAM_PASSWORD, password)
        parameters.appendOctets(OSSL_KDF_PARAM_SALT, salt)
        parameters.appendUInt64(OSSL_KDF_PARAM_SCRYPT_N, UInt64(n))
        parameters.appendUInt32(OSSL_KDF_PARAM_SCRYPT_R, UInt32(r))
        parameters.appendUInt32(OSSL_KDF_PARAM_SCRYPT_P, UInt32(p))
        // OpenSSL's own default ceiling is 32 MiB, too low for the OWASP setting.
        parameters.appendUInt64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, UInt64(required))
        return try derive(algorithm: "SCRYPT", length: length, parameters: parameters)
    }

    /// PBKDF2 (RFC 8018) with HMAC over `algorithm`.
    ///
    /// SP 800-132's minimums (salt length, iterations) are not enforced here, so the RFC 6070
    /// vectors and older stored hashes can be computed; `PasswordHasher` picks safe values.
    /// - Throws: `CryptoError.invalidParameters` unless `iterations` and `length` are at least 1.
    public static func pbkdf2(
        password: [UInt8], salt: [UInt8], iterations: Int, algorithm: HashAlgorithm, length: Int
    ) throws -> [UInt8] {
        guard iterations >= 1, length >= 1 else { throw CryptoError.invalidParameters }
        let parameters = OSSLParameterList()
        parameters.appendOctets(OSSL_KDF_PARAM_PASSWORD, password)
        parameters.appendOctets(OSSL_KDF_PARAM_SALT, salt)
        parameters.appendUInt64(OSSL_KDF_PARAM_ITER, UInt64(iterations))
        parameters.appendUTF8(OSSL_KDF_PARAM_DIGEST, algorithm.openSSLName)
        // pkcs5=1 turns off the SP 800-132 lower-bound checks (see above).
        parameters.appendInt32(OSSL_KDF_PARAM_PKCS5, 1)
        return try derive(algorithm: "PBKDF2", length: length, parameters: parameters)
    }

    /// Bytes OpenSSL allocates for scrypt: B (128·r·p) plus V, X and T (128·r·(N + 2));
    /// nil on overflow.
    static func scryptMemory(n: Int, r: Int, p: Int) -> Int? {
        let (blockBytes, overflow1) = r.multipliedReportingOverflow(by: 128)
        let (bLength, overflow2) = blockBytes.multipliedReportingOverflow(by: p)
        let (vBlocks, overflow3) = n.addingReportingOverflow(2)
        let (vLength, overflow4) = blockBytes.multipliedReportingOverflow(by: vBlocks)
        let (total, overflow5) = bLength.addingReportingOverflow(vLength)
        guard !(overflow1 || overflow2 || overflow3 || overflow4 || overflow5) else { return nil }
        return total
    }

    private static func derive(algorithm: String, length: Int, parameters: OSSLParameterList) throws -> [UInt8] {
        guard let kdf = EVP_KDF_fetch(nil, algorithm, nil) else { throw CryptoError.library("EVP_KDF_fetch") }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else { throw CryptoError.library("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: length)
        let status = parameters.withParameters { list in
            output.withUnsafeMutableBufferPointer { EVP_KDF_derive(context, $0.baseAddress, $0.count, list) }
        }
        guard status == 1 else { throw CryptoError.library("EVP_KDF_derive") }
        return output
    }
}
