import ERPServiceKit
import Foundation
import Logging
import Synchronization
import Testing

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    @Test("one JSON object per line with level, message and metadata; credentials redacted")
    func format() throws {
        let lines = Mutex<[Data]>([])
        var logger = Logger(label: "test") { label in
            JSONLogHandler(label: label, level: .info, sink: LogSink { data in lines.withLock { $0.append(data) } })
        }
        logger[metadataKey: LogMetadataKey.requestID] = "req-1"
        logger.info("user logged in", metadata: ["erp.tenant.id": "t-1", "password": "hunter2", "refresh_token": "abc"])
        logger.debug("not written below the level")

        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.last == UInt8(ascii: "\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
        #expect(object["msg"] as? String == "user logged in")
        #expect(object["level"] as? String == "info")
        #expect(object["erp.request.id"] as? String == "req-1")
        #expect(object["erp.tenant.id"] as? String == "t-1")
        #expect(object["password"] as? String == "[redacted]")
        #expect(object["refresh_token"] as? String == "[redacted]")
        #expect(!String(decoding: line, as: UTF8.self).contains("hunter2"))
    }
}
