import ERPCrypto
import ERPProtocol
import Foundation

/// An opaque, single-purpose secret that names its tenant: `<prefix>_<base64url(tenant ‖ 32
/// random bytes)>`. The tenant part lets the service look the token up inside that tenant's
/// row-level-security scope (a token can never match another tenant's row), and only the
/// SHA-256 of the whole string is stored, so a database leak yields no usable token.
struct TenantBoundToken: Sendable, Hashable {
    enum Purpose: String, Sendable {
        case invitation = "inv"
        case passwordReset = "rst"
        case emailVerification = "vfy"
        case apiKey = "erpk"
        case clientSecret = "scs"
    }

    let purpose: Purpose
    let tenantID: TenantID
    let value: String

    /// A fresh token for `tenant`.
    init(purpose: Purpose, tenant: TenantID) {
        self.purpose = purpose
        self.tenantID = tenant
        let bytes = Self.bytes(of: tenant.uuid) + SecureRandom.bytes(count: 32)
        self.value = purpose.rawValue + "_" + ERPCryptoBase64.encode(bytes)
    }

    /// Parses a presented token of `purpose`; nil for anything else.
    init?(parsing text: String, purpose: Purpose) {
        guard text.utf8.count < 200, text.hasPrefix(purpose.rawValue + "_"),
            let bytes = ERPCryptoBase64.decode(text.dropFirst(purpose.rawValue.count + 1)), bytes.count == 48
        else { return nil }
        let uuid = bytes.withUnsafeBytes { raw in
            UUID(uuid: raw.loadUnaligned(as: uuid_t.self))
        }
        self.purpose = purpose
        self.tenantID = TenantID(uuid)
        self.value = text
    }

    /// What is stored and looked up.
    var hash: [UInt8] { SHA256.hash(Array(value.utf8)) }

    static func bytes(of uuid: UUID) -> [UInt8] {
        withUnsafeBytes(of: uuid.uuid) { Array($0) }
    }
}
