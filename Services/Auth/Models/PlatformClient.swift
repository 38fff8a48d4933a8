import ERPCrypto
import ERPProtocol

/// A suite service's own machine client, `svc_<service>`, for calls it makes on its own
/// behalf (a scheduler closing billing periods, the notification service reading a user's
/// locale): not owned by any organization, so it comes from the deployment's environment
/// (`AUTH_PLATFORM_CLIENTS`), not from a tenant's admin. Its token names no organization
/// unless the request asks to act within one.
struct PlatformClient: Sendable, Equatable {
    static let clientIDPrefix = "svc_"
    /// Generated secrets only; a short one would be guessable offline from its fast hash.
    static let minimumSecretLength = 32

    let service: ServiceName
    /// SHA-256 of the secret: secrets are long random strings, so a slow hash buys nothing.
    let secretHash: [UInt8]

    var clientID: String { Self.clientIDPrefix + service.rawValue }

    /// Everything an Admin may do; owner-only grants (billing, deleting the organization) stay
    /// with people. A request's `scope` narrows it further.
    static var permissions: PermissionSet { BuiltInRole.admin.permissions }

    init(service: ServiceName, secret: String) {
        self.service = service
        self.secretHash = SHA256.hash(Array(secret.utf8))
    }

    func authenticates(_ secret: String) -> Bool {
        ConstantTime.equals(SHA256.hash(Array(secret.utf8)), secretHash)
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `crm=<secret>,notification=<secret>`; errors name the entry, never a secret.
    static func parse(_ list: String) throws -> [PlatformClient] {
        var clients: [ServiceName: PlatformClient] = [:]
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let equals = entry.firstIndex(of: "=") else {
                throw Invalid(description: "AUTH_PLATFORM_CLIENTS entries look like <service>=<secret>")
            }
            let name = String(entry[..<equals])
            let secret = String(entry[entry.index(after: equals)...])
            guard let service = ServiceName(rawValue: name), service != .auth else {
                throw Invalid(description: "AUTH_PLATFORM_CLIENTS: '\(name)' is not a service of the suite")
            }
            guard secret.count >= minimumSecretLength else {
                throw Invalid(description: "AUTH_PLATFORM_CLIENTS: the secret of '\(name)' must be at least \(minimumSecretLength) characters")
            }
            guard clients[service] == nil else { throw Invalid(description: "AUTH_PLATFORM_CLIENTS names '\(name)' twice") }
            clients[service] = PlatformClient(service: service, secret: secret)
        }
        return ServiceName.allCases.compactMap { clients[$0] }
    }
}
