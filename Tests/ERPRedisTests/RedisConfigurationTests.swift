import Testing

@testable import ERPRedis

@Suite("RedisConfiguration")
struct RedisConfigurationTests {
    @Test("parses host, port, database and credentials")
    func parses() throws {
        let plain = try RedisConfiguration(url: "redis://127.0.0.1:16379")
        #expect(plain.host == "127.0.0.1")
        #expect(plain.port == 16379)
        #expect(plain.database == 0)
        #expect(plain.username == nil)
        #expect(plain.password == nil)
        #expect(plain.poolSize == 8)
        #expect(plain.connectTimeout == .seconds(2))
        #expect(plain.commandTimeout == .seconds(2))

        let defaults = try RedisConfiguration(url: "redis://cache/")
        #expect(defaults.port == 6379)
        #expect(defaults.database == 0)

        let withPassword = try RedisConfiguration(url: "redis://:p%40ss%3Aword@cache:6380/2", poolSize: 3)
        #expect(withPassword.password == "p@ss:word")
        #expect(withPassword.username == nil)
        #expect(withPassword.database == 2)
        #expect(withPassword.poolSize == 3)

        let withUser = try RedisConfiguration(url: "redis://app:pw@[::1]:7000/15")
        #expect(withUser.username == "app")
        #expect(withUser.password == "pw")
        #expect(withUser.host == "::1")
        #expect(withUser.port == 7000)
        #expect(withUser.database == 15)
    }

    @Test(
        "rejects junk with .invalidConfiguration",
        arguments: [
            "", "not a url", "http://cache:6379", "rediss://cache", "redis://", "redis://:6379", "redis://cache:0",
            "redis://cache:70000", "redis://cache/abc", "redis://cache/-1", "redis://cache/1/2", "redis://cache?db=1",
            "redis://cache#x", "redis://app@cache",
        ])
    func rejectsJunk(url: String) {
        let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test("rejects a pool size or timeout that is not above zero")
    func rejectsBadLimits() {
        for make in [
            { try RedisConfiguration(url: "redis://cache", poolSize: 0) },
            { try RedisConfiguration(url: "redis://cache", connectTimeout: .zero) },
            { try RedisConfiguration(url: "redis://cache", commandTimeout: .milliseconds(-1)) },
        ] {
            let error = #expect(throws: RedisError.self) { try make() }
            #expect(error?.code == .invalidConfiguration)
        }
    }

    @Test("the password never shows in description, debugDescription, dump or errors")
    func passwordIsHidden() throws {
        let configuration = try RedisConfiguration(url: "redis://app:hunter2-secret@cache:6380/4")
        #expect(configuration.description == "redis://app:***@cache:6380/4")
        #expect(!String(reflecting: configuration).contains("hunter2"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(!"\(configuration)".contains("hunter2"))

        let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://app:hunter2-secret@cache/x") }
        #expect(error.map { "\($0)".contains("hunter2") } == false)
    }
}
