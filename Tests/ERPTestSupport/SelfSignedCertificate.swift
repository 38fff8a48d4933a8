import Foundation

/// A self-signed certificate for localhost and 127.0.0.1 (it is its own authority), in a
/// temporary directory: for test servers that speak TLS (an HTTPS upstream, an SMTP server).
public struct SelfSignedCertificate: Sendable {
    public let directory: URL
    /// The certificate (PEM); also the CA file a client trusts it with.
    public var certificate: String { directory.appendingPathComponent("cert.pem").path }
    /// Its private key (PEM, unencrypted).
    public var key: String { directory.appendingPathComponent("key.pem").path }

    public init(commonName: String = "erp-test-server") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("erp-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try ProcessRunner.run([
            "/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", directory.appendingPathComponent("key.pem").path, "-out", directory.appendingPathComponent("cert.pem").path,
            "-days", "2", "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
    }

    public func remove() { try? FileManager.default.removeItem(at: directory) }
}
