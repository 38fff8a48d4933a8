import HTTPTypes
import Hummingbird
import NIOCore

/// A response body writer that keeps what is written, so a response can be stored and still
/// be sent. A class because `ResponseBody.write` consumes its writer. Used by one task only.
final class ResponseBodyCollector: ResponseBodyWriter {
    private(set) var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
