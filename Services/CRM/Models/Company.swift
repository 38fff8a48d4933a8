import ERPProtocol
import Foundation

/// An organization the tenant sells to or works with.
struct Company: Sendable, Hashable {
    @LowercaseUUID var id: UUID
    var name: String
    /// Normalized registrable domain (`acme.com`): duplicates are found by it.
    var domain: String?
    var website: String?
    var industry: String?
    var employeeCount: Int?
    var annualRevenue: Money?
    var phone: String?
    var address: PostalAddress
    var description: String
    var ownerID: UserID?
    var tags: [String]
    var customFields: [String: JSONValue]
    var version: Int64
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?
    @LowercaseOptionalUUID var mergedInto: UUID?

    var event: CompanyEvent {
        CompanyEvent(
            companyId: id, name: name, domain: domain, industry: industry, ownerId: ownerID, tags: tags, version: version, deletedAt: deletedAt
        )
    }
}

/// A postal address; every part optional.
struct PostalAddress: Sendable, Hashable, Codable {
    var street: String?
    var city: String?
    var region: String?
    var postalCode: String?
    /// ISO 3166-1 alpha-2, e.g. `DE`.
    var country: String?

    static let empty = PostalAddress()
}
