import ERPProtocol
import Foundation

/// Checks an owner being set inside a write: `OwnerRule` (403 without the assign permission),
/// then that the new owner is an active member of the organization (422). Nothing is written
/// before either check passes, so a refused write leaves the record as it was.
struct OwnerCheck {
    let tx: CRMTransaction

    init(_ tx: CRMTransaction) { self.tx = tx }

    func check(_ type: RecordType, _ change: OwnerRule.Change, field: String = "ownerId") async throws {
        try authorize(type, change)
        guard change.isChange, let owner = change.proposed else { return }
        if let issue = try await memberIssues([owner], field: { _ in field }).first { throw ProblemDetails.validation([issue]) }
    }

    /// 403 unless the caller may make `change`.
    func authorize(_ type: RecordType, _ change: OwnerRule.Change) throws {
        let rule = OwnerRule(type: type, caller: tx.actorUser, permissions: tx.permissions)
        if let missing = rule.missingPermission(for: change) {
            throw ProblemDetails.forbidden(detail: "Giving a \(type.rawValue) to another owner needs the permission \(missing.rawValue).")
        }
    }

    /// An issue for each of `users` that is not an active member, named by `field(index)`. The
    /// caller always qualifies: their token proves membership even before auth's event arrived.
    func memberIssues(_ users: [UserID], field: (Int) -> String) async throws -> [FieldIssue] {
        let others = users.filter { $0 != tx.actorUser }
        let statuses = try await MemberRepository(tx.connection).statuses(of: others)
        return users.enumerated().compactMap { index, user in
            guard user != tx.actorUser, statuses[user] != .active else { return nil }
            let message = statuses[user] == .deactivated ? "This user was deactivated." : "Not a user of this organization."
            return FieldIssue(field: field(index), code: "not_a_member", message: message)
        }
    }
}
