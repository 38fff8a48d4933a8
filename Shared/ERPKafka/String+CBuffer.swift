extension String {
    /// Decodes a NUL-terminated C string that librdkafka wrote into a Swift-owned buffer.
    init(cBuffer buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
