internal import COpenSSL

/// Builds an `OSSL_PARAM` array for OpenSSL 3's KDF/MAC APIs.
///
/// `OSSL_PARAM` stores raw pointers to its key and value, so both must outlive the call
/// that reads them; Swift's temporary string and array pointers do not. This copies keys and
/// values into memory it owns until it is released, and wipes the copies first because
/// values can be passwords.
final class OSSLParameterList {
    private var parameters: [OSSL_PARAM] = []
    private var allocations: [(pointer: UnsafeMutableRawPointer, size: Int)] = []

    deinit {
        for allocation in allocations {
            OPENSSL_cleanse(allocation.pointer, allocation.size)
            allocation.pointer.deallocate()
        }
    }

    func appendOctets(_ key: String, _ bytes: [UInt8]) {
        // One spare byte so an empty value still has a real address.
        let storage = allocate(bytes.count + 1)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(storage), byteCount: $0.count) }
        parameters.append(OSSL_PARAM_construct_octet_string(cString(key), storage, bytes.count))
    }

    func appendUTF8(_ key: String, _ value: String) {
        let text = cString(value)
        parameters.append(OSSL_PARAM_construct_utf8_string(cString(key), text, value.utf8.count))
    }

    func appendUInt64(_ key: String, _ value: UInt64) {
        let storage = allocate(MemoryLayout<UInt64>.size)
        storage.storeBytes(of: value, as: UInt64.self)
        parameters.append(OSSL_PARAM_construct_uint64(cString(key), storage.assumingMemoryBound(to: UInt64.self)))
    }

    func appendUInt32(_ key: String, _ value: UInt32) {
        let storage = allocate(MemoryLayout<UInt32>.size)
        storage.storeBytes(of: value, as: UInt32.self)
        parameters.append(OSSL_PARAM_construct_uint32(cString(key), storage.assumingMemoryBound(to: UInt32.self)))
    }

    func appendInt32(_ key: String, _ value: Int32) {
        let storage = allocate(MemoryLayout<Int32>.size)
        storage.storeBytes(of: value, as: Int32.self)
        parameters.append(OSSL_PARAM_construct_int(cString(key), storage.assumingMemoryBound(to: Int32.self)))
    }

    /// Calls `body` with the END-terminated array.
    func withParameters<Result>(_ body: (UnsafePointer<OSSL_PARAM>) throws -> Result) rethrows -> Result {
        let terminated = parameters + [OSSL_PARAM_construct_end()]
        return try terminated.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        allocations.append((pointer, size))
        return pointer
    }

    private func cString(_ text: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(text.utf8CString)
        let storage = allocate(utf8.count)
        utf8.withUnsafeBytes { storage.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return storage.assumingMemoryBound(to: CChar.self)
    }
}
