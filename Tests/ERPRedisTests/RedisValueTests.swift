import ERPRedis
import Testing

@Suite("RedisValue, RedisArgument and RedisError")
struct RedisValueTests {
    @Test("accessors read the matching cases and nothing else")
    func accessors() {
        #expect(RedisValue.simpleString("OK").string == "OK")
        #expect(RedisValue.bulk("text").string == "text")
        #expect(RedisValue.bulkString([0xFF, 0xFE]).string == nil)
        #expect(RedisValue.integer(7).string == nil)
        #expect(RedisValue.null.string == nil)

        #expect(RedisValue.integer(-3).int == -3)
        #expect(RedisValue.bulk("42").int == 42)
        #expect(RedisValue.bulk("4x").int == nil)
        #expect(RedisValue.error("ERR 1").int == nil)

        #expect(RedisValue.array([.null]).array == [.null])
        #expect(RedisValue.null.array == nil)

        #expect(RedisValue.bulkString([0, 1]).bytes == [0, 1])
        #expect(RedisValue.simpleString("OK").bytes == Array("OK".utf8))
        #expect(RedisValue.null.bytes == nil)
        #expect(RedisValue.null.isNull)
    }

    @Test("arguments encode text as UTF-8 and integers in decimal")
    func argumentEncoding() {
        #expect(RedisArgument("é").bytes == [0xC3, 0xA9])
        #expect(RedisArgument(-12).bytes == Array("-12".utf8))
        #expect(RedisArgument(Int64.max).bytes == Array("9223372036854775807".utf8))
        let literal: RedisArgument = 5
        #expect(literal == RedisArgument("5"))
        #expect(RedisArgument(bytes: [0, 13, 10]).bytes == [0, 13, 10])
    }

    @Test("interpolating arguments shows lengths, not values")
    func argumentsAreRedacted() {
        let argv: [RedisArgument] = ["SET", "session", RedisArgument("tok-very-secret")]
        #expect(!"\(argv)".contains("tok-very-secret"))
        #expect(!String(reflecting: argv).contains("tok-very-secret"))
        #expect("\(argv[2])" == "<15 bytes>")
    }

    @Test("errors compare by code and describe code and message")
    func errors() {
        let error = RedisError(.server, "WRONGTYPE Operation against a key holding the wrong kind of value")
        #expect(error.code == .server)
        #expect(error.code != .timeout)
        #expect(error.description == "redis server error: WRONGTYPE Operation against a key holding the wrong kind of value")
        #expect(RedisError(code: .poolClosed, message: "").description == "redis pool closed")
    }
}
