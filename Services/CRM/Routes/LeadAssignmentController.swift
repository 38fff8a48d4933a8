import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The round-robin rotation new and reassigned leads go to.
struct LeadAssignmentController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/lead-assignment", use: show)
        router.put("/v1/lead-assignment", use: replace)
    }

    struct Rotation: ResponseCodable, Sendable {
        /// The users in turn order.
        var userIds: [UserID]
        var lastAssignedUserId: UserID?
        var assignments: Int64
    }

    struct RotationInput: Decodable, Sendable {
        var userIds: [UserID]
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> Rotation {
        let tenant = try context.require(CRMPermission.leadRead).tenantID
        return try await dependencies.read(tenant) { tx in
            let repository = LeadAssignmentRepository(tx.connection)
            let state = try await repository.state()
            return Rotation(userIds: try await repository.members(), lastAssignedUserId: state.last, assignments: state.assignments)
        }
    }

    /// Replaces the rotation (an empty list turns round-robin off); every user must be an active
    /// member (or the caller).
    @Sendable func replace(_ request: Request, context: ERPRequestContext) async throws -> Rotation {
        try context.require(CRMPermission.leadAssign)
        let input = try await request.decode(as: RotationInput.self, context: context)
        guard Set(input.userIds).count == input.userIds.count, input.userIds.count <= 500 else {
            throw ProblemDetails.validation([.invalid("userIds", message: "At most 500 distinct users.")])
        }
        return try await dependencies.write(context) { tx in
            let issues = try await OwnerCheck(tx).memberIssues(input.userIds) { "userIds.\($0)" }
            guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
            let repository = LeadAssignmentRepository(tx.connection)
            try await repository.setMembers(input.userIds, tenant: tx.tenant)
            let state = try await repository.state()
            return Rotation(userIds: input.userIds, lastAssignedUserId: state.last, assignments: state.assignments)
        }
    }
}
