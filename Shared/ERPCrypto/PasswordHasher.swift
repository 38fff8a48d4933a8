import Foundation

/// Hashes and checks user passwords with scrypt, stored as PHC strings.
///
/// New hashes look like `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (salt and hash in unpadded
/// standard base64). `verify` also reads `$pbkdf2-sha256$i=…$…` strings from an older
/// scheme; `needsRehash` tells the caller to replace them (and weaker scrypt strings) after a
/// successful login.
///
/// Each hash or verify costs the configured scrypt memory (128 MiB by default) and a few
/// hundred milliseconds of CPU: run it on a blocking executor, and bound how many run at once.
///
/// The password is hashed as its UTF-8 bytes, without Unicode normalisation.
public struct PasswordHasher: Sendable {
    /// The parameters for new hashes.
    public let parameters: Parameters

    /// Creates a hasher.
    ///
    /// Traps unless the parameters are within the limits `verify` accepts (ln ≤ 22, r ≤ 32,
    /// p ≤ 16, at most 512 MiB and 16× the OWASP work, salt 8–64 bytes, hash 16–64 bytes):
    /// otherwise the hashes it writes could not be read back.
    public init(parameters: Parameters = .owasp) {
        let probe = PHCString(
            scheme: .scrypt(ln: parameters.ln, r: parameters.r, p: parameters.p),
            salt: [UInt8](repeating: 0, count: parameters.saltLength),
            hash: [UInt8](repeating: 0, count: parameters.hashLength))
        precondition(PHCString(probe.encoded) == probe, "password hasher parameters are outside the accepted limits")
        self.parameters = parameters
    }

    /// Hashes `password` with a fresh random salt and returns the PHC string to store.
    public func hash(_ password: String) throws -> String {
        let scheme = PHCString.Scheme.scrypt(ln: parameters.ln, r: parameters.r, p: parameters.p)
        let salt = SecureRandom.bytes(count: parameters.saltLength)
        let hash = try PHCString.derive(
            Array(password.utf8), scheme: scheme, salt: salt, length: parameters.hashLength)
        return PHCString(scheme: scheme, salt: salt, hash: hash).encoded
    }

    /// True when `password` matches `encoded`.
    ///
    /// False, without trapping, for malformed strings, unknown schemes and parameters beyond
    /// the accepted limits (those return at once, before any hashing).
    public func verify(_ password: String, against encoded: String) -> Bool {
        guard let phc = PHCString(encoded),
              let candidate = try? PHCString.derive(
                  Array(password.utf8), scheme: phc.scheme, salt: phc.salt, length: phc.hash.count)
        else { return false }
        return ConstantTime.equals(candidate, phc.hash)
    }

    /// True when `encoded` should be replaced by a fresh `hash` of the password (after it
    /// verified): another scheme, any scrypt parameter or size below this hasher's, or a
    /// string that cannot be parsed.
    public func needsRehash(_ encoded: String) -> Bool {
        guard let phc = PHCString(encoded), case let .scrypt(ln, r, p) = phc.scheme else { return true }
        return ln < parameters.ln || r < parameters.r || p < parameters.p
            || phc.salt.count < parameters.saltLength || phc.hash.count < parameters.hashLength
    }
}
