/// The dev broker's command line, parsed by hand (four flags do not justify a dependency).
struct DevBrokerOptions {
    static let usage = "usage: erp-dev-broker --port PORT [--bootstrap-file PATH] [--brokers COUNT]"

    /// The fixed loopback port clients bootstrap through.
    var port: UInt16 = 19092
    /// Where the mock cluster's real (ephemeral) bootstrap address is written.
    var bootstrapFile: String?
    var brokerCount = 1

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `arguments` (without the program name). Throws `Invalid`; nil means help was asked for.
    static func parse(_ arguments: [String]) throws -> DevBrokerOptions? {
        var options = DevBrokerOptions()
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "-h", "--help":
                return nil
            case "--port":
                guard let text = remaining.popFirst(), let port = UInt16(text), port > 0 else {
                    throw Invalid(description: "--port needs a TCP port number")
                }
                options.port = port
            case "--bootstrap-file":
                guard let path = remaining.popFirst(), !path.isEmpty else {
                    throw Invalid(description: "--bootstrap-file needs a path")
                }
                options.bootstrapFile = path
            case "--brokers":
                guard let text = remaining.popFirst(), let count = Int(text), (1...9).contains(count) else {
                    throw Invalid(description: "--brokers needs a count from 1 to 9")
                }
                options.brokerCount = count
            default:
                throw Invalid(description: "unknown argument \(flag)")
            }
        }
        return options
    }
}
