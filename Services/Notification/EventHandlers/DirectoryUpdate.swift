import ERPPostgres
import ERPProtocol
import Foundation

/// Keeps `recipients` and `organizations` in step with auth's events (the only way this
/// service learns who belongs to an organization: it never reads auth's tables).
struct DirectoryUpdate {
    let connection: PostgresConnection

    func apply(_ event: EventEnvelope<JSONValue>) async throws {
        let directory = DirectoryRepository(connection)
        switch event.type {
        case EventType.Auth.organizationCreated:
            let created = try event.data.decode(OrganizationCreated.self)
            try await directory.saveOrganization(tenant: event.tenantID, name: created.name, locale: created.locale)
            try await directory.saveUser(tenant: event.tenantID, user: created.ownerUserId.uuid, email: created.ownerEmail, name: created.ownerName,
                                         roles: nil, active: true, isOwner: true, locale: created.locale)
        case EventType.Auth.organizationUpdated:
            if let name = event.data["name"]?.stringValue {
                let locale = try await directory.organization()?.locale ?? "en"
                try await directory.saveOrganization(tenant: event.tenantID, name: name, locale: event.data["locale"]?.stringValue ?? locale)
            }
        case EventType.Auth.userCreated, EventType.Auth.userUpdated, EventType.Auth.userDeactivated, EventType.Auth.userReactivated:
            let user = try event.data.decode(UserLifecycleEvent.self)
            try await directory.saveUser(tenant: event.tenantID, user: user.userId.uuid, email: user.email, name: user.name, roles: user.roles,
                                         active: user.status == "active", isOwner: false, locale: nil)
        case EventType.Auth.userRoleChanged:
            if let user = event.data["userId"]?.stringValue.flatMap(UUID.init(uuidString:)),
                let roles = event.data["roles"]?.arrayValue?.compactMap(\.stringValue)
            {
                try await directory.setRoles(user: user, roles: roles)
            }
        default:
            break
        }
    }
}
