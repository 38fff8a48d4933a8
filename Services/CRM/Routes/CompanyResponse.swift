import ERPProtocol
import Foundation
import Hummingbird

/// A company as the API returns it.
struct CompanyResponse: ResponseCodable, Sendable {
    @LowercaseUUID var id: UUID
    var name: String
    var domain: String?
    var website: String?
    var industry: String?
    var employeeCount: Int?
    var annualRevenue: Money?
    var phone: String?
    var address: PostalAddress
    var description: String
    var ownerId: UserID?
    var tags: [String]
    var customFields: [String: JSONValue]
    var version: Int64
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?
    @LowercaseOptionalUUID var mergedInto: UUID?

    init(_ company: Company) {
        id = company.id
        name = company.name
        domain = company.domain
        website = company.website
        industry = company.industry
        employeeCount = company.employeeCount
        annualRevenue = company.annualRevenue
        phone = company.phone
        address = company.address
        description = company.description
        ownerId = company.ownerID
        tags = company.tags
        customFields = company.customFields
        version = company.version
        createdBy = company.createdBy
        createdAt = company.createdAt
        updatedAt = company.updatedAt
        deletedAt = company.deletedAt
        mergedInto = company.mergedInto
    }
}

/// A contact as the API returns it, with its company links.
struct ContactResponse: ResponseCodable, Sendable {
    struct CompanyLink: Codable, Sendable {
        @LowercaseUUID var companyId: UUID
        var companyName: String
        var role: String
        var isPrimary: Bool
    }

    @LowercaseUUID var id: UUID
    var firstName: String
    var lastName: String
    var email: String?
    var phone: String?
    var title: String?
    var description: String
    var ownerId: UserID?
    var tags: [String]
    var customFields: [String: JSONValue]
    var companies: [CompanyLink]?
    var version: Int64
    var createdBy: String
    var createdAt: Date
    var updatedAt: Date
    var deletedAt: Date?
    @LowercaseOptionalUUID var mergedInto: UUID?

    /// `withLinks` false for list rows (links are read per contact).
    init(_ contact: Contact, withLinks: Bool = true) {
        id = contact.id
        firstName = contact.firstName
        lastName = contact.lastName
        email = contact.email
        phone = contact.phone
        title = contact.title
        description = contact.description
        ownerId = contact.ownerID
        tags = contact.tags
        customFields = contact.customFields
        companies = withLinks
            ? contact.companies.map { CompanyLink(companyId: $0.companyID, companyName: $0.companyName, role: $0.role, isPrimary: $0.isPrimary) }
            : nil
        version = contact.version
        createdBy = contact.createdBy
        createdAt = contact.createdAt
        updatedAt = contact.updatedAt
        deletedAt = contact.deletedAt
        mergedInto = contact.mergedInto
    }
}

/// A contact linked to a company, as `GET /v1/companies/{id}/contacts` lists them.
struct CompanyContactResponse: Codable, Sendable {
    @LowercaseUUID var contactId: UUID
    var name: String
    var role: String
    var isPrimary: Bool
    var linkedAt: Date
}
