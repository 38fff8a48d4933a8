/// The isolation level a transaction starts with.
public enum PostgresIsolationLevel: Sendable, Hashable {
    case readCommitted
    case repeatableRead
    /// Use with `PostgresPool.withRetryingTransaction`: serializable transactions may fail with
    /// `serializationFailure` under contention and must be run again.
    case serializable

    /// The BEGIN statement; fixed text, so it is safe to send without binds.
    var beginStatement: String {
        switch self {
        case .readCommitted: "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}
