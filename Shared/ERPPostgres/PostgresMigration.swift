/// One versioned schema change, normally a file `NNNN_name.sql` of a service's `Migrations/` folder.
///
/// Never edit a migration that has landed: the migrator stores each one's checksum and refuses to
/// run when an applied migration's text changed. Write a new migration instead.
public struct PostgresMigration: Sendable, Hashable {
    public let version: Int
    public let name: String
    /// Fixed DDL/DML without parameters; runs inside the migrator's transaction, so it must not
    /// contain BEGIN/COMMIT or statements that refuse transactions (`CREATE INDEX CONCURRENTLY`).
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
