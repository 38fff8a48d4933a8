import ERPPostgres
import Foundation
import Testing

@Suite("PostgresQuery interpolation")
struct PostgresQueryTests {
    @Test("interpolated values become numbered binds, never SQL text")
    func valuesBecomeBinds() {
        let id = UUID()
        let limit = 10
        let name = "x'; DROP TABLE users; --"
        let query: PostgresQuery = "SELECT * FROM t WHERE id = \(id) AND n > \(limit) AND name = \(name)"
        #expect(query.sql == "SELECT * FROM t WHERE id = $1 AND n > $2 AND name = $3")
        #expect(query.binds.map(\.dataType) == [.uuid, .int8, .text])
        #expect(query.binds.map(\.text) == [id.uuidString.lowercased(), "10", name])
        #expect(!query.sql.contains("DROP"))
        #expect(!query.description.contains("DROP"))
    }

    @Test("nil optionals are typed NULL binds")
    func optionalNil() {
        let missing: Int? = nil
        let present: String? = "here"
        let query: PostgresQuery = "INSERT INTO t VALUES (\(missing), \(present))"
        #expect(query.sql == "INSERT INTO t VALUES ($1, $2)")
        #expect(query.binds == [PostgresBind(dataType: .int8, text: nil), PostgresBind(dataType: .text, text: "here")])
    }

    @Test("identifiers are quoted with embedded quotes doubled; unescaped fragments are copied")
    func identifiersAndFragments() {
        let query: PostgresQuery = "SELECT * FROM \(identifier: "we\"ird table") ORDER BY n \(unescaped: "DESC")"
        #expect(query.sql == #"SELECT * FROM "we""ird table" ORDER BY n DESC"#)
        #expect(query.binds.isEmpty)
    }

    @Test("the unsafeSQL escape hatch keeps explicit binds")
    func unsafeSQL() {
        let query = PostgresQuery(unsafeSQL: "SELECT $1", binds: [PostgresBind(dataType: .int4, text: "7")])
        #expect(query.sql == "SELECT $1")
        #expect(query.binds.count == 1)
    }
}
