import ERPProtocol
import Foundation

extension FieldValidator {
    /// The description, tags and custom field values every record type has, checked the same
    /// way for each (custom fields against the type's definitions).
    mutating func commonFields<Record: CRMRecord>(
        into record: inout Record, description: String?, tags: [String]?, customFields: [String: JSONValue]?, definitions: [CustomFieldDefinition]
    ) {
        record.description = text(description, field: "description", maximum: 10_000) ?? ""
        record.tags = self.tags(tags)
        record.customFields = CustomFieldValues.validate(customFields ?? [:], definitions: definitions, into: &self)
    }

    /// A person's name and email (a contact or a lead): trimmed, the email normalized, and at
    /// least one of the three given.
    mutating func person(firstName: String?, lastName: String?, email: String?) -> (firstName: String, lastName: String, email: String?) {
        let first = text(firstName, field: "firstName", maximum: 100) ?? ""
        let last = text(lastName, field: "lastName", maximum: 100) ?? ""
        let normalized = self.email(email)
        if first.isEmpty, last.isEmpty, normalized == nil, email == nil {
            add(.required("lastName", message: "Give a first name, a last name or an email."))
        }
        return (first, last, normalized)
    }
}
