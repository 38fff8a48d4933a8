import Foundation

/// Where `swift build` put the executables the tests spawn (next to the test bundle).
enum TestBinaries {
    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["ERP_BIN_DIR"] { return URL(fileURLWithPath: override) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The test binary sits in `<bin>/erp-suitePackageTests.xctest` (a file on Linux, a bundle elsewhere).
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("erp-gateway").path) { return url }
        }
        fatalError("erp-gateway not found next to the test binary; run `swift build --build-tests` first")
    }

    static var gateway: String { directory.appendingPathComponent("erp-gateway").path }
    static var upstream: String { directory.appendingPathComponent("erp-test-upstream").path }
    static var auth: String { directory.appendingPathComponent("erp-auth").path }
    static var notification: String { directory.appendingPathComponent("erp-notification").path }
}
