@testable import ERPCrypto
import Foundation
import Testing

@Suite("PasswordHasher")
struct PasswordHasherTests {
    // The OWASP default costs ~128 MiB per hash; the tests that do not pin the default use a
    // cheaper setting so the suite stays quick.
    static let cheap = PasswordHasher(parameters: .init(ln: 10, r: 8, p: 1))

    @Test("default parameters produce an OWASP scrypt PHC string that verifies")
    func defaultHash() throws {
        let hasher = PasswordHasher()
        #expect(hasher.parameters == .owasp)
        let encoded = try hasher.hash("correct horse battery staple")
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        #expect(fields.count == 5)
        #expect(fields[1] == "scrypt")
        #expect(fields[2] == "ln=17,r=8,p=1")
        #expect(fields[3].count == 22)  // 16 bytes, unpadded base64
        #expect(fields[4].count == 43)  // 32 bytes
        #expect(!fields[3].contains("=") && !fields[4].contains("="))
        #expect(hasher.verify("correct horse battery staple", against: encoded))
        #expect(!hasher.verify("correct horse battery stapler", against: encoded))
        #expect(!hasher.needsRehash(encoded))
    }

    @Test("wrong passwords fail; the same password hashes differently each time")
    func saltAndMismatch() throws {
        let hasher = Self.cheap
        let first = try hasher.hash("pässwörd")
        let second = try hasher.hash("pässwörd")
        #expect(first != second)
        #expect(hasher.verify("pässwörd", against: first))
        #expect(hasher.verify("pässwörd", against: second))
        #expect(!hasher.verify("passwörd", against: first))
        #expect(!hasher.verify("", against: first))
        let empty = try hasher.hash("")
        #expect(hasher.verify("", against: empty))
        #expect(!hasher.verify(" ", against: empty))
    }

    /// Strings written outside this module (Python's hashlib): scrypt("password", salt
    /// "NaCl"×4, N=16, r=1, p=1) and PBKDF2-HMAC-SHA256("password", same salt, 1000), 32 bytes
    /// each. This checks the PHC reading (field order, base64 flavour, parameter wiring), not
    /// only that `verify` agrees with `hash`.
    @Test("verifies strings written elsewhere")
    func externalStrings() {
        let hasher = Self.cheap
        #expect(hasher.verify("password", against: Self.externalScrypt))
        #expect(!hasher.verify("Password", against: Self.externalScrypt))
        #expect(hasher.verify("password", against: Self.externalPBKDF2))
        #expect(!hasher.verify("passwore", against: Self.externalPBKDF2))
    }

    static let externalScrypt = "$scrypt$ln=4,r=1,p=1$TmFDbE5hQ2xOYUNsTmFDbA$twtU6EYGoopJMxz3TmXfHmL027Fw5qeMNBMkhd4LuGU"
    static let externalPBKDF2 = "$pbkdf2-sha256$i=1000$TmFDbE5hQ2xOYUNsTmFDbA$/8df4tEV18KlGLQiQELzuBVaqC1RApUkjmK70Ip7YPQ"

    @Test("needsRehash: weaker scrypt, other schemes, unparseable")
    func needsRehash() throws {
        let hasher = PasswordHasher()
        let salt = "c2FsdHNhbHRzYWx0c2FsdA"  // 16 bytes
        let hash = "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"  // 32 bytes
        #expect(!hasher.needsRehash("$scrypt$ln=17,r=8,p=1$\(salt)$\(hash)"))
        #expect(!hasher.needsRehash("$scrypt$ln=18,r=8,p=1$\(salt)$\(hash)"))
        #expect(hasher.needsRehash("$scrypt$ln=16,r=8,p=1$\(salt)$\(hash)"))
        #expect(hasher.needsRehash("$scrypt$ln=17,r=4,p=1$\(salt)$\(hash)"))
        #expect(hasher.needsRehash("$scrypt$ln=18,r=8,p=1$c2FsdHNhbHQ$\(hash)"))  // 8-byte salt
        #expect(hasher.needsRehash("$pbkdf2-sha256$i=600000$\(salt)$\(hash)"))
        #expect(hasher.needsRehash("garbage"))
        #expect(hasher.needsRehash(Self.externalScrypt))
        #expect(Self.cheap.needsRehash(Self.externalScrypt))
        #expect(!Self.cheap.needsRehash(try Self.cheap.hash("x")))
    }

    @Test("malformed or absurd strings are refused at once", arguments: [
        "",
        "$",
        "$scrypt$",
        "$scrypt$ln=17,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA",
        "$scrypt$ln=17,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g$",
        "$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=22,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=17,r=8,p=64$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=17,r=999999999,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=99999999999999999999,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=-1,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=017,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$r=8,ln=17,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=17,r=8$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=17,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=17,r=8,p=1$!!!!$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$scrypt$ln=17,r=8,p=1$$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$pbkdf2-sha256$i=999999999$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$pbkdf2-sha256$i=0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$pbkdf2-sha1$i=1000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
    ])
    func refusesQuickly(encoded: String) {
        let hasher = PasswordHasher()
        // Refused by the parser, i.e. before any key derivation (which would take seconds at
        // these costs, or fail to allocate): a stored string cannot be used to stall the server.
        #expect(PHCString(encoded) == nil)
        #expect(!hasher.verify("password", against: encoded))
        #expect(hasher.needsRehash(encoded))
    }
}
