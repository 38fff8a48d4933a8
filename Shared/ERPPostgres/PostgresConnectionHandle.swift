import CLibPQ
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one libpq connection (`PGconn`). Every method blocks and is called on the pool's
/// `BlockingExecutor`, never on Swift's cooperative threads.
final class PostgresConnectionHandle: @unchecked Sendable {  // `connection` and `isBroken` are only touched while holding `lock`
    /// What `cleanUpForReuse` found.
    enum ReuseState {
        case clean
        /// The borrower left a transaction open (or failed); it was rolled back.
        case rolledBack
        /// Broken or in an unknown state; the handle closed itself.
        case unusable
    }

    let id: Int
    private let configuration: PostgresConfiguration
    private let lock = NSLock()
    private var connection: OpaquePointer?
    /// Set when the protocol state can no longer be trusted (e.g. an unexpected COPY).
    private var isBroken = false

    private init(id: Int, configuration: PostgresConfiguration, connection: OpaquePointer) {
        self.id = id
        self.configuration = configuration
        self.connection = connection
    }

    deinit {
        if let connection { PQfinish(connection) }
    }

    /// Connects (blocking, bounded by `connectTimeout`).
    static func open(id: Int, configuration: PostgresConfiguration) throws -> PostgresConnectionHandle {
        let parameters = configuration.connectionParameters
        let keywords: [UnsafePointer<CChar>?] = parameters.map { UnsafePointer(strdup($0.0)) } + [nil]
        let values: [UnsafePointer<CChar>?] = parameters.map { UnsafePointer(strdup($0.1)) } + [nil]
        defer {
            for pointer in keywords + values { free(UnsafeMutablePointer(mutating: pointer)) }
        }
        guard let connection = PQconnectdbParams(keywords, values, 1) else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = configuration.redact(Self.firstLine(PQerrorMessage(connection)) ?? "could not connect")
            PQfinish(connection)
            throw PostgresError(code: .connectionFailed, message: message)
        }
        // libpq prints server notices to stderr by default; they carry no information callers need
        // (e.g. "relation already exists, skipping") and would bypass the structured logs.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        return PostgresConnectionHandle(id: id, configuration: configuration, connection: connection)
    }

    /// Runs one statement with its binds (`PQexecParams`, explicit type OIDs, text format).
    func execute(_ query: PostgresQuery) throws -> PostgresRows {
        if let encodingError = query.encodingError { throw encodingError }
        for bind in query.binds where bind.text?.utf8.contains(0) == true {
            // libpq sends text parameters up to the first NUL: the value would be cut silently.
            throw PostgresError(code: .encoding, message: "a text bind contains a NUL character, which PostgreSQL cannot store")
        }
        return try lock.withLock {
            let connection = try usableConnection()
            let types = query.binds.map { $0.dataType.rawValue }
            let values: [UnsafePointer<CChar>?] = query.binds.map { bind in bind.text.map { UnsafePointer(strdup($0)) } }
            defer {
                for pointer in values { free(UnsafeMutablePointer(mutating: pointer)) }
            }
            let result = PQexecParams(connection, query.sql, Int32(query.binds.count), types, values, nil, nil, 0)
            defer { PQclear(result) }
            return try rows(from: result, connection: connection, binds: query.binds)
        }
    }

    /// Runs parameterless, possibly multi-statement text with the simple query protocol.
    func executeScript(_ sql: String) throws {
        try lock.withLock {
            let connection = try usableConnection()
            let result = PQexec(connection, sql)
            defer { PQclear(result) }
            _ = try rows(from: result, connection: connection, binds: [])
        }
    }

    /// Whether the connection can be lent out. An idle connection must have nothing to read: input
    /// or EOF means the server ended the session (e.g. FATAL 57P01 on shutdown), so it is closed
    /// here and the pool opens a fresh one before anything is sent on it.
    func checkOutHealth() -> Bool {
        lock.withLock {
            guard let connection, !isBroken, PQstatus(connection) == CONNECTION_OK,
                PQtransactionStatus(connection) == PQTRANS_IDLE
            else {
                closeLocked()
                return false
            }
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
            guard descriptor.fd >= 0, poll(&descriptor, 1, 0) == 0 else {
                closeLocked()
                return false
            }
            return true
        }
    }

    /// Makes the connection safe for the next borrower: rolls back a transaction left open or
    /// failed; closes the connection when that fails or its state is unknown.
    func cleanUpForReuse() -> ReuseState {
        lock.withLock {
            guard let connection, !isBroken, PQstatus(connection) == CONNECTION_OK else {
                closeLocked()
                return .unusable
            }
            switch PQtransactionStatus(connection) {
            case PQTRANS_IDLE:
                return .clean
            case PQTRANS_INTRANS, PQTRANS_INERROR:
                let result = PQexec(connection, "ROLLBACK")
                defer { PQclear(result) }
                if PQresultStatus(result) == PGRES_COMMAND_OK, PQtransactionStatus(connection) == PQTRANS_IDLE {
                    return .rolledBack
                }
                closeLocked()
                return .unusable
            default:
                closeLocked()
                return .unusable
            }
        }
    }

    /// Rolls back if a transaction is open or failed; a no-op otherwise (e.g. after a failed COMMIT).
    func rollbackIfInTransaction() throws {
        let inTransaction = lock.withLock {
            guard let connection else { return false }
            let status = PQtransactionStatus(connection)
            return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
        }
        if inTransaction { try executeScript("ROLLBACK") }
    }

    func close() {
        lock.withLock { closeLocked() }
    }

    private func closeLocked() {
        if let connection { PQfinish(connection) }
        connection = nil
    }

    private func usableConnection() throws -> OpaquePointer {
        guard let connection, !isBroken else {
            throw PostgresError(code: .connectionFailed, message: "the connection is closed")
        }
        return connection
    }

    private func rows(from result: OpaquePointer?, connection: OpaquePointer, binds: [PostgresBind]) throws -> PostgresRows {
        guard let result else {
            throw PostgresError(code: .connectionFailed, message: connectionMessage(connection))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return Self.rows(from: result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            // The session now expects COPY data this wrapper does not speak; never reuse it.
            isBroken = true
            throw PostgresError(code: .server, message: "COPY is not supported through this connection")
        default:
            throw error(from: result, connection: connection, binds: binds)
        }
    }

    private static func rows(from result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var names: [String] = []
        var types: [PostgresDataType] = []
        for column in 0..<columnCount {
            names.append(String(cString: PQfname(result, Int32(column))))
            types.append(PostgresDataType(rawValue: PQftype(result, Int32(column))))
        }
        var cells: [String?] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    cells.append(nil)
                } else {
                    cells.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
        }
        let tag = String(cString: PQcmdTuples(result))
        return PostgresRows(
            affectedRows: Int(tag) ?? 0,
            commandTag: String(cString: PQcmdStatus(result)),
            columnNames: names,
            columnTypes: types,
            cells: cells
        )
    }

    private func error(from result: OpaquePointer, connection: OpaquePointer, binds: [PostgresBind]) -> PostgresError {
        func field(_ code: Unicode.Scalar) -> String? {
            PQresultErrorField(result, Int32(UInt8(ascii: code))).map { String(cString: $0) }
        }
        let sqlState = field("C")
        let connectionLost = PQstatus(connection) != CONNECTION_OK
        var code = sqlState.map(PostgresError.code(forSQLState:)) ?? .server
        if connectionLost { code = .connectionFailed }
        var message =
            field("M") ?? Self.firstLine(PQresultErrorMessage(result)) ?? Self.firstLine(PQerrorMessage(connection)) ?? "the statement failed"
        // Some primary messages quote the offending input (`invalid input syntax for type uuid: "…"`);
        // that input is a bind value and must not reach logs.
        for bind in binds {
            if let text = bind.text, !text.isEmpty {
                message = message.replacingOccurrences(of: "\"\(text)\"", with: "\"…\"")
            }
        }
        return PostgresError(code: code, message: configuration.redact(message), sqlState: sqlState, constraint: field("n"))
    }

    private func connectionMessage(_ connection: OpaquePointer) -> String {
        configuration.redact(Self.firstLine(PQerrorMessage(connection)) ?? "the connection to the server was lost")
    }

    private static func firstLine(_ text: UnsafePointer<CChar>?) -> String? {
        guard let text else { return nil }
        // libpq's messages continue with hint lines ("\tIs the server running…"); the first says what happened.
        let line = String(cString: text).split(whereSeparator: \.isNewline).first?.trimmingCharacters(in: .whitespaces)
        return line?.isEmpty == false ? line : nil
    }
}
