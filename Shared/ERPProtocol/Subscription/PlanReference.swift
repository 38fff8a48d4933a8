import Foundation

/// Names one version of a catalog plan (`pro` version 2).
public struct PlanReference: Codable, Sendable, Hashable {
    public var code: String
    public var version: Int
    public var name: String

    public init(code: String, version: Int, name: String) {
        self.code = code
        self.version = version
        self.name = name
    }
}
