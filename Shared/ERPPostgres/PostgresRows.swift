/// The result of a statement: its rows (text cells, decoded on access), column names and the
/// number of rows the command affected.
///
/// Copied out of the libpq result on the blocking thread, so it is a plain value that can be
/// kept and sent anywhere after the connection went back to the pool.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// Rows inserted, updated, deleted or selected, as reported in the command tag (0 when the
    /// command reports none).
    public let affectedRows: Int
    public let columnNames: [String]
    /// Each column's type OID, in `columnNames` order.
    public let columnTypes: [PostgresDataType]
    private let cells: [String?]

    /// The command tag's verb part, e.g. `COMMIT` or `ROLLBACK` (a COMMIT of a failed transaction).
    let commandTag: String

    init(affectedRows: Int, commandTag: String, columnNames: [String], columnTypes: [PostgresDataType], cells: [String?]) {
        self.affectedRows = affectedRows
        self.commandTag = commandTag
        self.columnNames = columnNames
        self.columnTypes = columnTypes
        self.cells = cells
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columnNames.isEmpty ? 0 : cells.count / columnNames.count }

    public subscript(position: Int) -> PostgresRow {
        precondition(indices.contains(position), "row index out of range")
        let width = columnNames.count
        return PostgresRow(
            columnNames: columnNames,
            columnTypes: columnTypes,
            cells: cells[position * width..<(position + 1) * width]
        )
    }
}
