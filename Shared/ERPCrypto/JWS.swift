/// JWS compact serialization (RFC 7515) with EdDSA/Ed25519 (RFC 8037), the suite's only
/// JWT signature algorithm.
///
/// This type handles bytes only. Reading the header (`alg` must be `EdDSA`, `kid` picks the
/// key) and the claims is the caller's job: the service kit's JWT layer.
public enum JWS {
    /// Signs `payload` and returns `BASE64URL(header).BASE64URL(payload).BASE64URL(signature)`.
    ///
    /// - Parameter header: the protected header as JSON bytes, e.g. `{"alg":"EdDSA","kid":"…"}`;
    ///   it is signed exactly as given.
    public static func signEdDSA(header: [UInt8], payload: [UInt8], key: Ed25519.PrivateKey) throws -> String {
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let signature = try key.signature(for: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// Splits and decodes a compact JWS without checking its signature.
    ///
    /// Throws `CryptoError.malformedInput` unless there are exactly three parts, each valid
    /// unpadded base64url, with a non-empty header and signature (an unsigned `alg: none`
    /// token has an empty signature and is refused here).
    public static func parse(_ compact: String) throws -> Parsed {
        let bytes = Array(compact.utf8)
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else { throw CryptoError.malformedInput }
        let headerText = bytes[..<dots[0]]
        let payloadText = bytes[(dots[0] + 1)..<dots[1]]
        let signatureText = bytes[(dots[1] + 1)...]
        guard !headerText.isEmpty, !signatureText.isEmpty,
              let header = Base64URL.decode(String(decoding: headerText, as: UTF8.self)),
              let payload = Base64URL.decode(String(decoding: payloadText, as: UTF8.self)),
              let signature = Base64URL.decode(String(decoding: signatureText, as: UTF8.self))
        else { throw CryptoError.malformedInput }
        // The signature covers the text as received, not a re-encoding of the decoded parts.
        return Parsed(
            headerJSON: header, payload: payload,
            signingInput: Array(bytes[..<dots[1]]), signature: signature)
    }

    /// True when the signature of `parsed` is a valid Ed25519 signature of its signing input.
    ///
    /// This does not look at the header: the caller must check that `alg` is `EdDSA` (and pick
    /// `key` by `kid`) before trusting the result, and must check the claims after.
    public static func verifyEdDSA(_ parsed: Parsed, key: Ed25519.PublicKey) -> Bool {
        key.isValidSignature(parsed.signature, for: parsed.signingInput)
    }
}
