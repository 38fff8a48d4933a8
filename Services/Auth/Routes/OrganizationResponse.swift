import ERPProtocol
import Foundation
import Hummingbird

/// An organization as the API shows it.
struct OrganizationResponse: ResponseCodable, Sendable, Hashable {
    var id: TenantID
    var name: String
    var slug: String
    var locale: String
    var timezone: String
    var passwordMinLength: Int
    var createdAt: Date
    var updatedAt: Date
    var version: Int

    init(_ organization: Organization, policy: PasswordPolicy) {
        id = organization.id
        name = organization.name
        slug = organization.slug
        locale = organization.locale
        timezone = organization.timezone
        passwordMinLength = policy.raising(minimumLength: organization.passwordMinLength).minimumLength
        createdAt = organization.createdAt
        updatedAt = organization.updatedAt
        version = organization.version
    }
}
