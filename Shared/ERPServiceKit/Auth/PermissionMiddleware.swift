import ERPProtocol
import Hummingbird

/// Guards a whole route group with one permission, e.g. every route under `/leads` needs
/// `crm.lead.read`; handlers that write check the stronger permission themselves.
public struct PermissionMiddleware: RouterMiddleware {
    public typealias Context = ERPRequestContext

    private let permission: Permission

    public init(_ permission: Permission) {
        self.permission = permission
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try context.require(permission)
        return try await next(request, context)
    }
}
