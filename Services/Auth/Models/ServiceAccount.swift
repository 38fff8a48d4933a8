import ERPProtocol
import Foundation

/// A machine client of one organization (client-credentials grant). Its client id names the
/// tenant, so a token request can be checked inside that tenant's row-level-security scope.
struct ServiceAccount: Sendable, Hashable {
    var id: ServiceAccountID
    var tenantID: TenantID
    var name: String
    var description: String
    var permissions: PermissionSet
    var createdAt: Date
    var secretRotatedAt: Date
    var lastUsedAt: Date?

    var clientID: String { ServiceAccount.clientID(tenant: tenantID, account: id) }

    static func clientID(tenant: TenantID, account: ServiceAccountID) -> String {
        "sa_" + ERPCryptoBase64.encode(TenantBoundToken.bytes(of: tenant.uuid) + TenantBoundToken.bytes(of: account.uuid))
    }

    /// The tenant and account a client id names, or nil.
    static func parse(clientID: String) -> (TenantID, ServiceAccountID)? {
        guard clientID.hasPrefix("sa_"), let bytes = ERPCryptoBase64.decode(clientID.dropFirst(3)), bytes.count == 32 else { return nil }
        let tenant = bytes[0..<16].withUnsafeBytes { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
        let account = bytes[16..<32].withUnsafeBytes { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
        return (TenantID(tenant), ServiceAccountID(account))
    }
}
