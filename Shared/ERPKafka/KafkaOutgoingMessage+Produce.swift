import CRdKafka

extension KafkaOutgoingMessage {
    /// Hands the message to librdkafka (`rd_kafka_produceva`, since the variadic `producev` is not
    /// callable from Swift) with `id` as its opaque, and returns librdkafka's immediate answer.
    ///
    /// Topic, key, value and headers are laid out in one scratch buffer that only has to live for
    /// this call: `RD_KAFKA_MSG_F_COPY` makes librdkafka copy what it keeps.
    func produce(on client: OpaquePointer, id: UInt) -> rd_kafka_resp_err_t {
        var byteCount = topic.utf8.count + 1 + (key?.count ?? 0) + value.count
        for header in headers {
            byteCount += header.key.utf8.count + 1 + (header.value?.count ?? 0)
        }
        let arena = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 1)
        defer { arena.deallocate() }
        var cursor = arena
        func place<Bytes: Collection<UInt8>>(_ bytes: Bytes, nulTerminated: Bool = false) -> UnsafeMutableRawPointer {
            let start = cursor
            UnsafeMutableRawBufferPointer(start: cursor, count: bytes.count).copyBytes(from: bytes)
            cursor += bytes.count
            if nulTerminated {
                cursor.storeBytes(of: 0, as: UInt8.self)
                cursor += 1
            }
            return start
        }

        var values: [rd_kafka_vu_t] = []
        values.reserveCapacity(5 + headers.count)
        var topicValue = rd_kafka_vu_t()
        topicValue.vtype = RD_KAFKA_VTYPE_TOPIC
        topicValue.u.cstr = UnsafePointer(place(topic.utf8, nulTerminated: true).assumingMemoryBound(to: CChar.self))
        values.append(topicValue)

        var flags = rd_kafka_vu_t()
        flags.vtype = RD_KAFKA_VTYPE_MSGFLAGS
        flags.u.i = RD_KAFKA_MSG_F_COPY
        values.append(flags)

        if let key {
            var keyValue = rd_kafka_vu_t()
            keyValue.vtype = RD_KAFKA_VTYPE_KEY
            keyValue.u.mem.ptr = place(key)
            keyValue.u.mem.size = key.count
            values.append(keyValue)
        }

        var payload = rd_kafka_vu_t()
        payload.vtype = RD_KAFKA_VTYPE_VALUE
        payload.u.mem.ptr = place(value)
        payload.u.mem.size = value.count
        values.append(payload)

        var opaque = rd_kafka_vu_t()
        opaque.vtype = RD_KAFKA_VTYPE_OPAQUE
        opaque.u.ptr = UnsafeMutableRawPointer(bitPattern: id)
        values.append(opaque)

        for header in headers {
            var headerValue = rd_kafka_vu_t()
            headerValue.vtype = RD_KAFKA_VTYPE_HEADER
            headerValue.u.header.name = UnsafePointer(place(header.key.utf8, nulTerminated: true).assumingMemoryBound(to: CChar.self))
            if let bytes = header.value {
                headerValue.u.header.val = UnsafeRawPointer(place(bytes))
                headerValue.u.header.size = bytes.count
            } else {
                // A null pointer is how librdkafka tells a value-less header from an empty one.
                headerValue.u.header.val = nil
                headerValue.u.header.size = 0
            }
            values.append(headerValue)
        }

        guard let error = rd_kafka_produceva(client, values, values.count) else {
            return RD_KAFKA_RESP_ERR_NO_ERROR
        }
        defer { rd_kafka_error_destroy(error) }
        return rd_kafka_error_code(error)
    }
}
