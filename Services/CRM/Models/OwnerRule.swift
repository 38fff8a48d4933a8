import ERPProtocol

/// Who may name a record's owner. Owning a record makes someone answerable for it, so putting
/// it on another person's desk needs `crm.<type>.assign`, with two exceptions that keep day-to-day
/// work free of it: anyone may own what they create, and whoever owns a record may hand it over.
struct OwnerRule: Sendable {
    /// An owner being set.
    enum Change: Sendable, Equatable {
        /// The owner of a record being created.
        case initial(UserID?)
        /// The owner of an existing record changing from one to the other.
        case reassignment(from: UserID?, to: UserID?)

        /// The owner after the change.
        var proposed: UserID? {
            switch self {
            case .initial(let owner): owner
            case .reassignment(_, let owner): owner
            }
        }

        /// Whether this sets an owner someone has not already been given.
        var isChange: Bool {
            switch self {
            case .initial(let owner): owner != nil
            case .reassignment(let from, let to): from != to
            }
        }
    }

    let type: RecordType
    /// The acting user; nil for a service client, which owns nothing itself.
    let caller: UserID?
    let permissions: PermissionSet

    /// The permission `change` needs and the caller lacks; nil when the caller may make it.
    func missingPermission(for change: Change) -> Permission? {
        let assign = CRMPermission.assign(type)
        guard needsAssign(change), !permissions.contains(assign) else { return nil }
        return assign
    }

    private func needsAssign(_ change: Change) -> Bool {
        switch change {
        case .initial(let owner):
            guard let owner else { return false }
            return owner != caller
        case .reassignment(let from, let to):
            guard from != to else { return false }
            // The current owner hands over their own record.
            if let from, from == caller { return false }
            return true
        }
    }
}
