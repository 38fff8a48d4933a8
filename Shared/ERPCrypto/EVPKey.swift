internal import COpenSSL

/// Owns one `EVP_PKEY` and frees it when the last Swift value using it goes away.
final class EVPKey: @unchecked Sendable {  // never mutated after init; OpenSSL 3 allows concurrent sign/verify on one EVP_PKEY, each with its own EVP_MD_CTX
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }
}
