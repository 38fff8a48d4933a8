/// A response timeout for every public path that starts with `prefix` (longest prefix wins).
struct RouteTimeout: Sendable, Hashable {
    var prefix: String
    var milliseconds: Int64
}
