import ERPProtocol
import ERPTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: RBAC and the OpenAPI document")
struct RBACTests {
    static let platformRoutes: Set<String> = ["/health/live", "/health/ready", "/metrics", "/openapi.yaml"]

    /// `METHOD /path` of every route the service registers (path parameters as `{name}`).
    static func routes(_ harness: CRMHarness) -> [(method: HTTPRequest.Method, path: String)] {
        let router = CRMApplication.makeRouter(dependencies: harness.dependencies, verifier: nil)
        return router.routes.map { (HTTPRequest.Method(rawValue: $0.method.rawValue)!, $0.path.description) }
    }

    /// A concrete path for a route: ids are random (so reads are 404, not 403), entities real.
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: "{id}", with: UUID().lowercased).replacingOccurrences(of: "{companyId}", with: UUID().lowercased)
            .replacingOccurrences(of: "{entity}", with: "companies")
    }

    @Test("every route is documented in openapi.yaml and every documented operation exists")
    func documentMatchesRoutes() async throws {
        try await CRMHarness.run { harness in
            let routes = Set(Self.routes(harness).filter { !Self.platformRoutes.contains($0.path) }.map { "\($0.method) \($0.path)" })
            let documented = try OpenAPIOperations.documented(in: try #require(CRMApplication.openAPIURL)).subtracting(["GET /openapi.yaml"])
            #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "documented but missing: \(documented.subtracting(routes).sorted())")
            #expect(routes.count == 67)
            let served = try await harness.send(.get, "/openapi.yaml")
            #expect(served.status == .ok)
            #expect(served.text.hasPrefix("openapi: 3.1.0"))
        }
    }

    @Test("a Viewer (crm.*.read) reads every list and record but every write is 403; no token is 401")
    func viewerReadsButCannotWrite() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let routes = Self.routes(harness).filter { !Self.platformRoutes.contains($0.path) }
            var checked = 0
            for route in routes {
                let path = Self.concrete(route.path)
                let unauthenticated = try await harness.send(route.method, path, json: "{}")
                #expect(unauthenticated.status == .unauthorized, "\(route.method) \(route.path)")
                let response = try await harness.send(route.method, path + (route.path == "/v1/search" ? "?q=abc" : ""), token: tenant.viewerToken, json: "{}")
                if route.method == .get && !route.path.hasPrefix("/v1/exports/") {
                    #expect(response.status != .forbidden && response.status.code < 500, "\(route.method) \(route.path): \(response.text)")
                } else {
                    // Writes, and exports (a User permission, not a Viewer one).
                    #expect(response.status == .forbidden, "\(route.method) \(route.path): \(response.status)")
                }
                checked += 1
            }
            #expect(checked == 67)
            // The viewer's reads return real data.
            let company = try await harness.create("/v1/companies", tenant, json: #"{"name":"Visible"}"#, as: CompanyResponse.self)
            let read = try await harness.send(.get, "/v1/companies/\(company.id.lowercased)", token: tenant.viewerToken)
            #expect(read.status == .ok)
            #expect(try await harness.send(.patch, "/v1/companies/\(company.id.lowercased)", token: tenant.viewerToken, json: #"{"name":"x"}"#, headers: .ifMatch(read.etag)).status == .forbidden)
        }
    }

    @Test("another tenant's records of every type are 404 on every route that names one")
    func crossTenantIs404() async throws {
        try await CRMHarness.run { harness in
            let owner = try harness.tenant()
            let company = try await harness.create("/v1/companies", owner, json: #"{"name":"Theirs"}"#, as: CompanyResponse.self)
            let contact = try await harness.create("/v1/contacts", owner, json: #"{"lastName":"Theirs"}"#, as: ContactResponse.self)
            let lead = try await harness.create("/v1/leads", owner, json: #"{"lastName":"Theirs","source":"web"}"#, as: LeadResponse.self)
            let opportunity = try await harness.create("/v1/opportunities", owner, json: #"{"name":"Theirs","amount":{"amountMinor":1,"currency":"USD"}}"#, as: OpportunityResponse.self)
            let activity = try await harness.create("/v1/activities", owner, json: """
                {"kind":"note","subject":"Theirs","recordType":"company","recordId":"\(company.id.lowercased)"}
                """, as: ActivityController.ActivityResponse.self)
            let pipelineID = opportunity.pipelineId
            let ids: [String: UUID] = [
                "companies": company.id, "contacts": contact.id, "leads": lead.id, "opportunities": opportunity.id, "activities": activity.id,
                "pipelines": pipelineID,
            ]
            let other = try harness.tenant()
            var checked = 0
            for route in Self.routes(harness) where route.path.contains("{id}") && route.path.hasPrefix("/v1/") {
                let collection = String(route.path.split(separator: "/")[1])
                guard let id = ids[collection] else { continue }
                let path = route.path.replacingOccurrences(of: "{id}", with: id.lowercased).replacingOccurrences(of: "{companyId}", with: company.id.lowercased)
                let body: String = switch route.path {
                case "/v1/companies/{id}/merge", "/v1/contacts/{id}/merge": #"{"duplicateId":"\#(UUID().lowercased)"}"#
                case "/v1/leads/{id}/status": #"{"status":"contacted"}"#
                case "/v1/opportunities/{id}/stage": #"{"stageId":"\#(UUID().lowercased)"}"#
                case "/v1/opportunities/{id}/lost": #"{"reason":"x"}"#
                case "/v1/leads/{id}/assign": #"{"ownerId":"\#(UserID.random())"}"#
                default: "{}"
                }
                let response = try await harness.send(route.method, path, token: other.token, json: body, headers: .ifMatch("\"1\""))
                #expect(response.status == .notFound, "\(route.method) \(route.path): \(response.status) \(response.text)")
                checked += 1
            }
            #expect(checked >= 35)
            // Nothing of the owner's changed.
            let still = try await harness.send(.get, "/v1/companies/\(company.id.lowercased)", token: owner.token).decoded(CompanyResponse.self)
            #expect(still.version == 1 && still.deletedAt == nil)
        }
    }

    @Test("platform tokens without an organization are refused on tenant routes")
    func platformTokens() async throws {
        try await CRMHarness.run { harness in
            let now = Date()
            let token = try harness.signer.sign(AccessTokenClaims(
                sub: "svc_gateway", org: .platform, roles: [], perms: ["crm.*.*"], iss: "erp-auth", aud: .init("erp"),
                exp: now.addingTimeInterval(600), iat: now.addingTimeInterval(-1), jti: UUID().uuidString, kind: .service))
            let response = try await harness.send(.get, "/v1/companies", token: token)
            #expect(response.status == .forbidden)
            #expect(response.problemCode == "organization_scope_required")
        }
    }
}
