import ERPPostgres
import ERPTestSupport
import Foundation
import Testing

@Suite("PostgresEncodable / PostgresDecodable round trips against the real server")
struct PostgresCodingTests {
    struct Address: Codable, Sendable, Equatable {
        var city: String
        var lines: [String]
    }

    struct Customer: Codable, Sendable, Equatable {
        var name: String
        var vip: Bool
        var balanceMinor: Int
        var since: Date
        var address: Address?
    }

    /// Sends `value` as a bind, checks the server saw the intended type, and decodes it back.
    private func roundTrip<T: PostgresEncodable & PostgresDecodable>(
        _ value: T, serverType: String, on pool: PostgresPool
    ) async throws -> T {
        let rows = try await pool.query("SELECT \(value) AS value, pg_typeof(\(value))::text AS type")
        let type = try rows[0].decode(String.self, named: "type")
        #expect(type == serverType, "\(T.self)")
        return try rows[0].decode(T.self, named: "value")
    }

    @Test("integers, text, bool, uuid, double keep their values and server types")
    func scalars() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 2)
        #expect(try await roundTrip(Int.max, serverType: "bigint", on: pool) == Int.max)
        #expect(try await roundTrip(Int.min, serverType: "bigint", on: pool) == Int.min)
        #expect(try await roundTrip(Int64(-42), serverType: "bigint", on: pool) == -42)
        #expect(try await roundTrip(Int32.max, serverType: "integer", on: pool) == Int32.max)
        #expect(try await roundTrip(Int16.min, serverType: "smallint", on: pool) == Int16.min)
        let text = "Grüße, 世界 🚀 \"double\" 'single' \\backslash\nnew line\ttab"
        #expect(try await roundTrip(text, serverType: "text", on: pool) == text)
        #expect(try await roundTrip("", serverType: "text", on: pool) == "")
        #expect(try await roundTrip(true, serverType: "boolean", on: pool) == true)
        #expect(try await roundTrip(false, serverType: "boolean", on: pool) == false)
        let id = UUID()
        #expect(try await roundTrip(id, serverType: "uuid", on: pool) == id)
        #expect(try await roundTrip(0.1 as Double, serverType: "double precision", on: pool) == 0.1)
        #expect(try await roundTrip(-1.5e300 as Double, serverType: "double precision", on: pool) == -1.5e300)
        #expect(try await roundTrip(Double.infinity, serverType: "double precision", on: pool) == .infinity)
        #expect(try await roundTrip(Double.nan, serverType: "double precision", on: pool).isNaN)
        // Decoding is lenient about width when the value fits, strict when it does not.
        let small = try await pool.query("SELECT 7::int2 AS a, 70000::int4 AS b")
        #expect(try small[0].decode(Int.self, named: "a") == 7)
        #expect(throws: PostgresError(code: .decoding, message: "")) { try small[0].decode(Int16.self, named: "b") }
    }

    @Test("timestamptz keeps milliseconds and microseconds")
    func timestamps() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        let date = Date(timeIntervalSince1970: 1_700_000_000.123)
        let decoded = try await roundTrip(date, serverType: "timestamp with time zone", on: pool)
        #expect(abs(decoded.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
        let rendered = try await pool.query("SELECT to_char(\(date) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS t")
        #expect(try rendered[0].decode(String.self, named: "t") == "2023-11-14 22:13:20.123000")

        let micro = Date(timeIntervalSince1970: 1_234_567_890.654321)
        let back = try await roundTrip(micro, serverType: "timestamp with time zone", on: pool)
        #expect(abs(back.timeIntervalSince1970 - micro.timeIntervalSince1970) < 0.000_001)
        let old = Date(timeIntervalSince1970: -2_000_000_000.5)  // 1906, before the epoch
        #expect(try await roundTrip(old, serverType: "timestamp with time zone", on: pool) == old)

        // The server's own clock comes back as a sensible date, and a non-UTC literal is converted.
        let server = try await pool.query("SELECT now() AS now, '2024-02-29 23:30:00+05:30'::timestamptz AS shifted, '2024-03-01'::date AS day")
        #expect(abs(try server[0].decode(Date.self, named: "now").timeIntervalSinceNow) < 60)
        #expect(try server[0].decode(Date.self, named: "shifted") == Date(timeIntervalSince1970: 1_709_229_600))
        #expect(try server[0].decode(Date.self, named: "day") == Date(timeIntervalSince1970: 1_709_251_200))
    }

    @Test("numeric keeps many digits exactly, and refuses to round what Decimal cannot hold")
    func numerics() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        let amount = try #require(Decimal(string: "12345678901234567890.123456789012345678", locale: Locale(identifier: "en_US_POSIX")))
        #expect(try await roundTrip(amount, serverType: "numeric", on: pool) == amount)
        let negative = try #require(Decimal(string: "-0.000000000000000000000000000001", locale: Locale(identifier: "en_US_POSIX")))
        #expect(try await roundTrip(negative, serverType: "numeric", on: pool) == negative)
        // Arithmetic on the server sees the exact value.
        let doubled = try await pool.query("SELECT (\(amount) * 2)::text AS v")
        #expect(try doubled[0].decode(String.self, named: "v") == "24691357802469135780.246913578024691356")
        let huge = try await pool.query("SELECT 1234567890123456789012345678901234567890.5::numeric AS v")
        #expect(throws: PostgresError(code: .decoding, message: "")) { try huge[0].decode(Decimal.self, named: "v") }
    }

    @Test("bytea keeps zero bytes; Data and [UInt8] both map to it")
    func bytes() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        let raw: [UInt8] = [0, 1, 0, 255, 0, 0x5c, 0x78, 0]
        #expect(try await roundTrip(raw, serverType: "bytea", on: pool) == raw)
        #expect(try await roundTrip(Data(raw), serverType: "bytea", on: pool) == Data(raw))
        #expect(try await roundTrip([UInt8](), serverType: "bytea", on: pool) == [])
        let length = try await pool.query("SELECT length(\(raw)) AS n")
        #expect(try length[0].decode(Int.self, named: "n") == raw.count)
    }

    @Test("jsonb holds a Codable struct, readable from SQL")
    func json() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        let customer = Customer(
            name: "Zoë \"Z\" O'Brien", vip: true, balanceMinor: -1250,
            since: Date(timeIntervalSince1970: 1_700_000_000.5),
            address: Address(city: "Kraków", lines: ["ul. Długa 1", "m. 2"])
        )
        let decoded = try await roundTrip(PostgresJSON(customer), serverType: "jsonb", on: pool)
        #expect(decoded.value == customer)
        let fields = try await pool.query(
            "SELECT \(PostgresJSON(customer))->>'name' AS name, \(PostgresJSON(customer))->'address'->>'city' AS city, \(PostgresJSON(customer))->>'since' AS since"
        )
        #expect(try fields[0].decode(String.self, named: "name") == customer.name)
        #expect(try fields[0].decode(String.self, named: "city") == "Kraków")
        #expect(try fields[0].decode(String.self, named: "since") == "2023-11-14T22:13:20.500Z")
    }

    @Test("arrays of Int, Int64, String and UUID, with awkward elements")
    func arrays() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        #expect(try await roundTrip([1, -2, Int.max], serverType: "bigint[]", on: pool) == [1, -2, Int.max])
        #expect(try await roundTrip([Int64(5)], serverType: "bigint[]", on: pool) == [5])
        #expect(try await roundTrip([Int](), serverType: "bigint[]", on: pool) == [])
        let strings = ["plain", "a,b", "{braces}", "\"quoted\"", "back\\slash", "NULL", "", " padded ", "ünï €"]
        #expect(try await roundTrip(strings, serverType: "text[]", on: pool) == strings)
        let ids = [UUID(), UUID()]
        #expect(try await roundTrip(ids, serverType: "uuid[]", on: pool) == ids)
        // Arrays work with ANY(), the usual way to bind an IN list.
        let matched = try await pool.query("SELECT 'NULL' = ANY(\(strings)) AS hit, cardinality(\(strings)) AS n")
        #expect(try matched[0].decode(Bool.self, named: "hit"))
        #expect(try matched[0].decode(Int.self, named: "n") == strings.count)
        // Server-built arrays with NULLs decode into optional-free arrays only by throwing.
        let withNull = try await pool.query("SELECT ARRAY['a', NULL]::text[] AS v")
        #expect(throws: PostgresError(code: .decoding, message: "")) { try withNull[0].decode([String].self, named: "v") }
    }

    @Test("NULL binds and NULL cells map to nil; NULL into a non-optional throws .decoding")
    func optionals() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        let missing: Int? = nil
        let present: String? = "value"
        let rows = try await pool.query(
            "SELECT \(missing) AS missing, \(missing) IS NULL AS was_null, pg_typeof(\(missing))::text AS type, \(present) AS present"
        )
        let row = rows[0]
        #expect(try row.decode(Int?.self, named: "missing") == nil)
        #expect(try row.decode(Bool.self, named: "was_null"))
        #expect(try row.decode(String.self, named: "type") == "bigint")
        #expect(try row.decode(String?.self, named: "present") == "value")
        #expect(try row.decode(UUID?.self, named: "missing") == nil)

        let error = try #require(throws: PostgresError.self) { try row.decode(Int.self, named: "missing") }
        #expect(error.code == .decoding)
        #expect(error.message.contains("missing"))
        #expect(throws: PostgresError(code: .decoding, message: "")) { try row.decode(Int.self, named: "no_such_column") }
        #expect(throws: PostgresError(code: .decoding, message: "")) { try row.decode(Int.self, at: 9) }
        #expect(throws: PostgresError(code: .decoding, message: "")) { try row.decode(Int.self, named: "present") }
    }

    @Test("a value that looks like SQL stays data")
    func injectionStaysData() async throws {
        try await PostgresTestDatabase.withOwnerTable("inj", columns: "id serial PRIMARY KEY, name text NOT NULL") { table in
            let pool = try PostgresTestDatabase.appPool(poolSize: 1)
            let evil = "x'); DROP TABLE \(table); --"
            let other = "Robert'); DELETE FROM \(table) WHERE ('1' = '1"
            try await pool.execute("INSERT INTO \(identifier: table) (name) VALUES (\(evil)), (\(other))")
            let rows = try await pool.query("SELECT name FROM \(identifier: table) WHERE name = \(evil) OR name = \(other) ORDER BY id")
            #expect(try rows.map { try $0.decode(String.self, at: 0) } == [evil, other])
            let count = try await pool.query("SELECT count(*) FROM \(identifier: table)")
            #expect(try count[0].decode(Int.self, at: 0) == 2)
        }
    }

    @Test("a NUL character in text is refused instead of being cut off")
    func nulCharacter() async throws {
        let pool = try PostgresTestDatabase.appPool(poolSize: 1)
        await #expect(throws: PostgresError(code: .encoding, message: "")) {
            try await pool.query("SELECT \("before\u{0}after")")
        }
        try await pool.ping()
    }
}
