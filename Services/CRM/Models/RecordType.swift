/// The kinds of CRM record that have a timeline, custom fields, activities and search entries.
enum RecordType: String, Sendable, Hashable, Codable, CaseIterable {
    case company
    case contact
    case lead
    case opportunity

    /// The plural used in paths and import/export names (`companies`).
    var plural: String {
        switch self {
        case .company: "companies"
        case .contact: "contacts"
        case .lead: "leads"
        case .opportunity: "opportunities"
        }
    }

    init?(plural: String) {
        guard let match = Self.allCases.first(where: { $0.plural == plural }) else { return nil }
        self = match
    }
}
