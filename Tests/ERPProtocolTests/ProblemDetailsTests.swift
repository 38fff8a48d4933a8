import Foundation
import Testing

import ERPProtocol

@Suite("ProblemDetails")
struct ProblemDetailsTests {
    @Test("golden: a validation problem with two field issues")
    func goldenValidation() throws {
        let problem = ProblemDetails.validation([
            .required("email"),
            .outOfRange("lines.0.quantity", message: "quantity must be at least 1."),
        ]).with(requestId: "req-7f3a9c", instance: "/api/v1/crm/leads")
        #expect(problem.status == 422)
        #expect(problem.code == .validationFailed)
        try Golden.check(problem, matches: "problem-validation")
    }

    @Test("factories pair each code with its status, title and type URI")
    func factories() {
        let cases: [(ProblemDetails, Int, String)] = [
            (.malformedJSON(), 400, "malformed_json"), (.unauthorized(), 401, "unauthorized"),
            (.forbidden(), 403, "forbidden"), (.notFound(detail: "No such lead."), 404, "not_found"),
            (.routeNotFound(), 404, "route_not_found"), (.conflict(), 409, "conflict"),
            (.preconditionFailed(), 412, "precondition_failed"), (.payloadTooLarge(), 413, "payload_too_large"),
            (.unsupportedMediaType(), 415, "unsupported_media_type"), (.rateLimited(), 429, "rate_limited"),
            (.internalError(), 500, "internal_error"), (.serviceUnavailable(), 503, "service_unavailable"),
            (.gatewayTimeout(), 504, "gateway_timeout"), (.planLimitExceeded(), 403, "plan_limit_exceeded"),
            (.preconditionRequired(), 428, "precondition_required"), (.methodNotAllowed(), 405, "method_not_allowed"),
        ]
        for (problem, status, code) in cases {
            #expect(problem.status == status, "\(code)")
            #expect(problem.code.rawValue == code)
            #expect(problem.type == "https://errors.erp.dev/\(code)")
            #expect(!problem.title.isEmpty)
            #expect(problem.isClientError == (status < 500))
        }
        #expect(ProblemDetails.notFound(detail: "No such lead.").detail == "No such lead.")
        #expect(ProblemDetails.contentType == "application/problem+json")
    }

    @Test("optional members are omitted, and a body without type decodes as about:blank")
    func optionalMembers() throws {
        let json = String(decoding: try ERPJSON.encode(ProblemDetails.notFound()), as: UTF8.self)
        #expect(json == #"{"code":"not_found","status":404,"title":"Not found","type":"https://errors.erp.dev/not_found"}"#)
        let foreign = try ERPJSON.decode(
            ProblemDetails.self, from: Data(#"{"code":"teapot","status":418,"title":"I'm a teapot","extra":1}"#.utf8))
        #expect(foreign.type == "about:blank")
        #expect(foreign.code == "teapot")
    }

    @Test("is an Error that handlers can throw and catch as itself")
    func isError() {
        func handler() throws { throw ProblemDetails.conflict(detail: "Email already used.") }
        #expect(throws: ProblemDetails.conflict(detail: "Email already used.")) { try handler() }
        #expect(ProblemDetails.conflict(detail: "x").description == "409 conflict: Conflict — x")
    }
}
