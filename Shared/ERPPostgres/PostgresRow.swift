/// One result row. Cells are decoded on request into any `PostgresDecodable` type.
public struct PostgresRow: Sendable {
    public let columnNames: [String]
    let columnTypes: [PostgresDataType]
    let cells: ArraySlice<String?>

    /// The cell at `column` (0-based). Decode NULLable columns as `T?`; NULL into a non-optional
    /// type, a missing column or unparsable text throw `PostgresError(.decoding)`.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at column: Int) throws -> T {
        guard columnNames.indices.contains(column) else {
            throw PostgresError(code: .decoding, message: "the row has no column \(column)")
        }
        return try decodeCell(type, column: column)
    }

    /// The cell of the column called `column` (the first one, if several share the name).
    public func decode<T: PostgresDecodable>(_ type: T.Type, named column: String) throws -> T {
        guard let index = columnNames.firstIndex(of: column) else {
            throw PostgresError(code: .decoding, message: "the row has no column \"\(column)\"")
        }
        return try decodeCell(type, column: index)
    }

    private func decodeCell<T: PostgresDecodable>(_ type: T.Type, column: Int) throws -> T {
        do {
            guard let text = cells[cells.startIndex + column] else { return try T.postgresNull() }
            return try T(postgresText: text, dataType: columnTypes[column])
        } catch let error as PostgresError {
            // Name the column so the mistake can be found; the cell's text is row data and stays out.
            throw PostgresError(code: error.code, message: "column \"\(columnNames[column])\": \(error.message)")
        }
    }
}
