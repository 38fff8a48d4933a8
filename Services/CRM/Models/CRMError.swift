import ERPProtocol
import ERPServiceKit
import Foundation

/// The CRM service's domain refusals, each a stable problem `code`.
struct CRMError: Error, ProblemConvertible, CustomStringConvertible {
    let problem: ProblemDetails

    private init(_ code: String, _ status: Int, _ title: String, _ detail: String, errors: [FieldIssue]? = nil) {
        problem = ProblemDetails(code: ProblemCode(rawValue: code), status: status, title: title, detail: detail, errors: errors)
    }

    var description: String { "\(problem.code.rawValue): \(problem.detail ?? "")" }

    /// A live contact already has this email; merge instead of creating a second one.
    static func duplicateContact(_ existing: UUID?) -> CRMError {
        let who = existing.map { "Contact \($0.lowercased)" } ?? "Another contact"
        return CRMError(
            "duplicate_contact", 409, "Duplicate contact", "\(who) already has this email; update or merge it.",
            errors: [.alreadyTaken("email", message: "Used by \(who.lowercased()).")]
        )
    }

    /// A live company already has this domain.
    static func duplicateCompany(_ existing: UUID?) -> CRMError {
        let who = existing.map { "Company \($0.lowercased)" } ?? "Another company"
        return CRMError(
            "duplicate_company", 409, "Duplicate company", "\(who) already has this domain; update or merge it.",
            errors: [.alreadyTaken("domain", message: "Used by \(who.lowercased()).")]
        )
    }

    static let versionMismatch = CRMError(
        "precondition_failed", 412, "Precondition failed", "The record changed since you read it; read it again and reapply your change."
    )
    static let mergedRecord = CRMError(
        "record_merged", 409, "Record was merged", "This record was merged into another one and cannot be restored or changed."
    )
    static let notDeleted = CRMError("record_not_deleted", 409, "Record not deleted", "Only a deleted record can be restored.")
    static let selfMerge = CRMError(
        "invalid_merge", 422, "Invalid merge", "A record cannot be merged into itself.",
        errors: [.invalid("duplicateId", message: "Name another record.")]
    )
    static func invalidTransition(from: String, to: String) -> CRMError {
        CRMError(
            "invalid_status_transition", 409, "Status change not allowed", "A lead that is \(from) cannot become \(to).",
            errors: [.invalid("status", message: "Not allowed from \(from).")]
        )
    }
    static func leadNotConvertible(_ status: String) -> CRMError {
        CRMError("lead_not_convertible", 409, "Lead cannot be converted", "Only a qualified lead can be converted; this one is \(status).")
    }
    static let leadConverted = CRMError("lead_converted", 409, "Lead converted", "A converted lead is read-only; change its contact or opportunity.")
    static let noRoundRobinMembers = CRMError(
        "round_robin_empty", 409, "No one to assign", "The round-robin rotation has no members; set them with PUT /v1/lead-assignment."
    )
    static func stageInUse(_ count: Int) -> CRMError {
        CRMError(
            "stage_in_use", 409, "Stage in use", "\(count) opportunities are in a stage you removed; move them first.",
            errors: [.invalid("stages", message: "A removed stage still holds opportunities.")]
        )
    }
    static let pipelineInUse = CRMError("pipeline_in_use", 409, "Pipeline in use", "The pipeline still has opportunities.")
    static let defaultPipelineRequired = CRMError(
        "default_pipeline_required", 409, "Default pipeline required", "Make another pipeline the default first."
    )
    static func opportunityClosed(_ status: String) -> CRMError {
        CRMError("opportunity_closed", 409, "Opportunity closed", "The opportunity is \(status); reopen it first.")
    }
    static let opportunityNotClosed = CRMError("opportunity_not_closed", 409, "Opportunity not closed", "Only a won or lost opportunity can be reopened.")
    static let activityNotTask = CRMError(
        "not_a_task", 409, "Not a task", "Only tasks have a due date and can be completed.",
        errors: [.invalid("kind", message: "Use kind task.")]
    )
    static let exportTooLarge = CRMError(
        "export_too_large", 422, "Export too large", "The filtered list has more rows than one export may hold; narrow the filters."
    )
}

extension UUID {
    /// The canonical lowercase form used on the wire.
    var lowercased: String { uuidString.lowercased() }
}
