import AsyncHTTPClient
import ERPPostgres
import ERPProtocol
import ERPTestSupport
import Foundation
import Logging

/// erp-crm with 100,000 contacts in one tenant (release binary, real Postgres/Redis/Kafka):
/// list (first page and a page deep in the list), list with `q`, cross-entity search, and
/// contact creation (transaction with the outbox row and the search-term trigger), each from 8
/// concurrent clients. References measured in the same run: `GET /v1/contacts/{id}` through the
/// same service (HTTP, auth, one tenant transaction, a primary-key SELECT), and a bare
/// primary-key SELECT through an ERPPostgres pool of the service's size.
struct CRMBenchmark {
    let contacts = 100_000
    let clients = 8
    let seconds = 6

    func run() async throws {
        print("\n== crm: list / search / create with \(contacts) contacts in one tenant (release erp-crm, \(clients) clients, \(seconds) s each)")
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let service = binaries.appendingPathComponent("erp-crm").path
        let upstream = binaries.appendingPathComponent("erp-test-upstream").path
        guard FileManager.default.isExecutableFile(atPath: service), FileManager.default.isExecutableFile(atPath: upstream) else {
            print("   skipped: erp-crm or erp-test-upstream missing (bench.sh builds them)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("erp-crm-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let signing = try BenchSigner(directory: directory)
        let tenant = TenantID.random()
        let token = try signing.signer.sign(AccessTokenClaims(
            sub: UserID.random().description, org: tenant, roles: ["Owner"], perms: ["crm.*.*"], iss: "erp-auth", aud: .init("erp"),
            exp: Date().addingTimeInterval(3600), iat: Date(), jti: UUID().uuidString, kind: .user))
        let schema = try await TestSchema.create("crmbench")
        var pids: [pid_t] = []
        defer {
            for pid in pids { kill(pid, SIGTERM) }
            for pid in pids { _ = ProcessRunner.wait(for: pid) }
            Task { try? await schema.drop() }
        }
        let jwksPort = FreePort.find()
        pids.append(try ProcessRunner.spawn(
            [upstream, "--port", String(jwksPort), "--name", "jwks", "--jwks-file", signing.jwksFile.path],
            output: directory.appendingPathComponent("jwks.log").path))
        let port = FreePort.find()
        let poolSize = 10
        var environment = [
            "HTTP_PORT=\(port)", "POSTGRES_URL=\(schema.appURL)", "POSTGRES_MIGRATION_URL=\(schema.ownerURL)", "POSTGRES_POOL_SIZE=\(poolSize)",
            "REDIS_URL=\(TestEnvironment.redisURL)", "AUTH_JWKS_URL=http://127.0.0.1:\(jwksPort)/.well-known/jwks.json",
            "CRM_REDIS_PREFIX=\(TestEnvironment.uniqueName("crmbench"))", "LOG_LEVEL=warning",
        ]
        if let kafka = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] { environment.append("KAFKA_BOOTSTRAP_SERVERS=\(kafka)") }
        pids.append(try ProcessRunner.spawn(["/usr/bin/env"] + environment + [service], output: directory.appendingPathComponent("crm.log").path))
        try await waitUntilReady(port: port)

        let pool = PostgresPool(configuration: try PostgresConfiguration(url: schema.appURL, poolSize: poolSize), logger: Logger(label: "crmbench"))
        defer { Task { await pool.shutdown() } }
        let seedStart = ContinuousClock.now
        try await seed(pool, tenant: tenant)
        let owner = PostgresPool(configuration: try PostgresConfiguration(url: schema.ownerURL, poolSize: 1), logger: Logger(label: "crmbench"))
        try await owner.withConnection { try await $0.executeScript("ANALYZE") }
        await owner.shutdown()
        print("   seeded \(contacts) contacts (with their search terms) in \(format((ContinuousClock.now - seedStart).milliseconds / 1000, 1)) s")

        let base = "http://127.0.0.1:\(port)"
        // The shared client keeps up to 8 connections per host: one per benchmark client.
        let client = HTTPClient.shared
        let sample = try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
            try await connection.query("SELECT id, last_name FROM contacts ORDER BY id LIMIT 2000").map {
                (try $0.decode(UUID.self, at: 0), try $0.decode(String.self, at: 1))
            }
        }
        let ids = sample.map(\.0), names = Array(Set(sample.map { $0.1.lowercased() }))
        // A cursor 50,000 rows into the default order, to show keyset pages do not slow down with depth.
        var deepCursor = ""
        try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
            let row = try await connection.query("SELECT id, created_at::text FROM contacts ORDER BY created_at DESC, id DESC OFFSET 50000 LIMIT 1").first!
            deepCursor = try Cursor(encoding: ["s": "-createdAt", "k": try row.decode(String.self, at: 1), "id": try row.decode(UUID.self, at: 0).uuidString]).rawValue
        }
        let cursor = deepCursor

        // Warm up connections and caches.
        _ = try await LoadRun.run(clients: clients, seconds: 2) { index in try await LoadRun.http(client, "\(base)/v1/contacts/\(ids[index % ids.count].uuidString)", token: token) }

        let bare = try await LoadRun.run(clients: clients, seconds: seconds) { index in
            let rows = try await pool.query("SELECT id, first_name, last_name, email FROM contacts WHERE tenant_id = \(tenant.uuid) AND id = \(ids[index % ids.count])")
            return rows.count <= 1
        }
        let bareTenant = try await LoadRun.run(clients: clients, seconds: seconds) { index in
            try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
                try await connection.query("SELECT id, first_name, last_name, email FROM contacts WHERE id = \(ids[index % ids.count])").count == 1
            }
        }
        let byID = try await LoadRun.run(clients: clients, seconds: seconds) { index in
            try await LoadRun.http(client, "\(base)/v1/contacts/\(ids[index % ids.count].uuidString)", token: token)
        }
        let firstPage = try await LoadRun.run(clients: clients, seconds: seconds) { _ in try await LoadRun.http(client, "\(base)/v1/contacts?limit=50", token: token) }
        let deepPage = try await LoadRun.run(clients: clients, seconds: seconds) { _ in
            try await LoadRun.http(client, "\(base)/v1/contacts?limit=50&cursor=\(cursor)", token: token)
        }
        let byName = try await LoadRun.run(clients: clients, seconds: seconds) { _ in
            try await LoadRun.http(client, "\(base)/v1/contacts?limit=50&sort=name", token: token)
        }
        let listSearch = try await LoadRun.run(clients: clients, seconds: seconds) { index in
            try await LoadRun.http(client, "\(base)/v1/contacts?limit=50&q=\(names[index % names.count])", token: token)
        }
        let search = try await LoadRun.run(clients: clients, seconds: seconds) { index in
            try await LoadRun.http(client, "\(base)/v1/search?limit=20&q=\(names[index % names.count].prefix(3))", token: token)
        }
        let fuzzy = try await LoadRun.run(clients: clients, seconds: seconds) { index in
            let name = names[index % names.count]
            return try await LoadRun.http(client, "\(base)/v1/search?limit=20&fuzzy=true&q=\(name.prefix(1))x\(name.dropFirst(2))", token: token)
        }
        let run = UUID().uuidString.prefix(8)
        let create = try await LoadRun.run(clients: clients, seconds: seconds) { index in
            try await LoadRun.http(
                client, "\(base)/v1/contacts", token: token,
                json: #"{"firstName":"Bench","lastName":"Create\#(index)","email":"create\#(index)-\#(run)@bench.example","tags":["bench"]}"#)
        }

        func line(_ label: String, _ run: LoadRun) {
            print("   \(label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(run.summary)")
        }
        line("bare PK SELECT (pool, no transaction)", bare)
        line("PK SELECT in a tenant transaction (pool)", bareTenant)
        line("GET /v1/contacts/{id} (reference)", byID)
        line("GET /v1/contacts?limit=50", firstPage)
        line("GET /v1/contacts?limit=50&cursor=<row 50,000>", deepPage)
        line("GET /v1/contacts?limit=50&sort=name", byName)
        line("GET /v1/contacts?limit=50&q=<last name>", listSearch)
        line("GET /v1/search?q=<3-letter prefix>", search)
        line("GET /v1/search?fuzzy=true&q=<typo>", fuzzy)
        line("POST /v1/contacts (outbox + search terms)", create)
        print("   ratios to GET /v1/contacts/{id} (p50, p99):")
        for (label, run) in [("first page", firstPage), ("deep page", deepPage), ("sort=name", byName), ("list q", listSearch), ("search", search),
                             ("fuzzy search", fuzzy), ("create", create)] {
            print("     \(label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(format(run.p50 / byID.p50))× / \(format(run.p99 / byID.p99))×")
        }
        print("   ratios to the bare PK SELECT through the pool (p50): GET by id \(format(byID.p50 / bare.p50))×, first page \(format(firstPage.p50 / bare.p50))×, search \(format(search.p50 / bare.p50))×")
        print("   create throughput / GET-by-id throughput: \(format(create.perSecond / byID.perSecond))×")
    }

    /// 100,000 contacts written as the service would (row-level security, triggers), in batches.
    private func seed(_ pool: PostgresPool, tenant: TenantID) async throws {
        let batch = 10_000
        for start in stride(from: 0, to: contacts, by: batch) {
            try await pool.withTenantTransaction(tenant: tenant.uuid) { connection in
                try await connection.execute(
                    """
                    INSERT INTO contacts (tenant_id, id, first_name, last_name, email, phone, title, tags, version, created_by, created_at, updated_at)
                    SELECT \(tenant.uuid), gen_random_uuid(),
                        (ARRAY['Ada','Alan','Grace','Linus','Margaret','Ken','Barbara','Dennis','Frances','Edsger','Radia','Tim'])[1 + g % 12],
                        initcap(translate(substr(md5((g % 5000)::text), 1, 7), '0123456789', 'aeiouyrstn')),
                        'contact' || g || '@company' || (g % 997) || '.example', '+1 555 ' || lpad((g % 10000)::text, 4, '0'),
                        (ARRAY['CEO','CTO','Buyer','Engineer','Manager'])[1 + g % 5], CASE WHEN g % 10 = 0 THEN ARRAY['vip'] ELSE '{}' END,
                        1, 'bench', now() - make_interval(secs => g), now() - make_interval(secs => g)
                    FROM generate_series(\(start + 1), \(start + batch)) AS g
                    """
                )
            }
        }
    }

    struct NotReady: Error, CustomStringConvertible {
        let port: Int
        var description: String { "erp-crm did not become ready on port \(port)" }
    }

    private func waitUntilReady(port: Int) async throws {
        for _ in 0..<600 {
            if (try? ProcessRunner.run(["curl", "-sf", "http://127.0.0.1:\(port)/health/ready"])) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw NotReady(port: port)
    }
}
