import ERPCrypto
import Foundation
import Testing

@Suite("Base64url and Base32")
struct EncodingTests {
    /// RFC 4648 §10 test vectors; base64url differs from base64 only in `-_` and padding here.
    static let vectors: [(String, String, String)] = [
        ("", "", ""),
        ("f", "Zg", "MY======"),
        ("fo", "Zm8", "MZXQ===="),
        ("foo", "Zm9v", "MZXW6==="),
        ("foob", "Zm9vYg", "MZXW6YQ="),
        ("fooba", "Zm9vYmE", "MZXW6YTB"),
        ("foobar", "Zm9vYmFy", "MZXW6YTBOI======"),
    ]

    @Test("RFC 4648 vectors", arguments: vectors)
    func rfc4648(plain: String, base64url: String, base32: String) {
        #expect(Base64URL.encode(bytes(plain)) == base64url)
        #expect(Base64URL.decode(base64url) == bytes(plain))
        #expect(Base32.encode(bytes(plain)) == base32)
        #expect(Base32.decode(base32) == bytes(plain))
        let unpadded = String(base32.prefix { $0 != "=" })
        #expect(Base32.encode(bytes(plain), padding: false) == unpadded)
        #expect(Base32.decode(unpadded) == bytes(plain))
        #expect(Base32.decode(unpadded.lowercased()) == bytes(plain))
    }

    @Test("base64url uses - and _ and takes Data")
    func urlAlphabet() {
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
        #expect(Base64URL.encode(Data([0xFB, 0xFF])) == "-_8")
    }

    @Test("base64url rejects invalid text", arguments: [
        "Zg==",  // padding is not part of base64url as JWS uses it
        "Zm9v+g", "Zm9v/g",  // standard-alphabet characters
        "Zm 9v", "Zm9v\n",  // whitespace
        "Z",  // a single trailing character cannot encode a byte
        "Zh",  // non-zero unused bits: canonical form is "Zg"
        "Zm9",  // non-zero unused bits: canonical form is "Zm8"
        "Zm9vé",
    ])
    func base64urlRejects(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test("base32 rejects invalid text", arguments: [
        "MY=====",  // padding that does not complete a block
        "M",  // impossible length
        "MZX",  // impossible length
        "MZXW6Y",  // impossible length
        "MY1=====",  // '1' is not in the alphabet
        "MZ======",  // non-zero unused bits: canonical form is "MY"
        "MY==MY==",  // data after padding
        "MZXW 6YTB",
    ])
    func base32Rejects(text: String) {
        #expect(Base32.decode(text) == nil)
    }

    @Test("round trips over every length up to 64")
    func roundTrips() {
        for length in 0...64 {
            let data = SecureRandom.bytes(count: length)
            #expect(Base64URL.decode(Base64URL.encode(data)) == data)
            #expect(Base32.decode(Base32.encode(data)) == data)
            #expect(Base32.decode(Base32.encode(data, padding: false)) == data)
        }
    }
}
