import Foundation

/// erp-crm: companies, contacts, leads, opportunities, pipelines, activities and lead scores.
@main
struct CRMApp {
    static func main() async throws {
        let configuration: CRMConfiguration
        do {
            configuration = try CRMConfiguration()
        } catch {
            FileHandle.standardError.write(Data("erp-crm: \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        try await CRMApplication.run(configuration: configuration)
    }
}
