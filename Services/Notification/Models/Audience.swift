import ERPProtocol
import Foundation

/// Who a rule notifies: the address the event names, the organization's owners or admins,
/// everyone with a role, or one user.
enum Audience: Sendable, Equatable, CustomStringConvertible {
    case event
    case owners
    case admins
    case role(String)
    case user(UUID)

    init?(_ text: String) {
        switch text {
        case "event": self = .event
        case "owners": self = .owners
        case "admins": self = .admins
        default:
            if text.hasPrefix("role:"), text.count > 5, text.count <= 100 {
                self = .role(String(text.dropFirst(5)))
            } else if text.hasPrefix("user:"), let id = UUID(uuidString: String(text.dropFirst(5))) {
                self = .user(id)
            } else {
                return nil
            }
        }
    }

    var description: String {
        switch self {
        case .event: return "event"
        case .owners: return "owners"
        case .admins: return "admins"
        case .role(let role): return "role:\(role)"
        case .user(let id): return "user:\(id.uuidString.lowercased())"
        }
    }
}
