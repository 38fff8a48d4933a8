/// The suite's services. The raw value is the name used in topics (`erp.crm.events`),
/// event types (`erp.crm.lead.converted`), permissions (`crm.lead.read`) and URL paths
/// (`/api/v1/crm/...`).
public enum ServiceName: String, Codable, Sendable, CaseIterable, Hashable {
    case gateway
    case auth
    case subscription
    case crm
    case hrm
    case finance
    case inventory
    case project
    case notification
    case file
    case ai

    /// The executable (and container) name, e.g. `erp-crm`.
    public var executableName: String { "erp-\(rawValue)" }

    /// The local-stack HTTP port (ARCHITECTURE.md §1); production reads addresses from the environment.
    public var defaultPort: Int {
        switch self {
        case .gateway: 8080
        case .auth: 8081
        case .subscription: 8082
        case .crm: 8083
        case .hrm: 8084
        case .finance: 8085
        case .inventory: 8086
        case .project: 8087
        case .notification: 8088
        case .file: 8089
        case .ai: 8090
        }
    }

    /// The environment variable holding this service's base URL for direct
    /// service-to-service calls, e.g. `CRM_URL`.
    public var urlEnvironmentVariable: String { "\(rawValue.uppercased())_URL" }
}
