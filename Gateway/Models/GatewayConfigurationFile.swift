/// The optional JSON file named by `GATEWAY_CONFIG_FILE`:
///
/// ```json
/// {"upstreams": {"crm": {"instances": ["http://10.0.0.5:8083", "http://10.0.0.6:8083"]}},
///  "timeoutMs": 30000, "routeTimeouts": {"/api/v1/ai/chat": 300000},
///  "publicRoutes": ["GET /api/v1/crm/forms/*"]}
/// ```
///
/// The environment wins where both name the same thing.
struct GatewayConfigurationFile: Sendable, Codable {
    /// The instances of one service.
    struct Upstream: Sendable, Codable {
        var instances: [String]
    }

    var upstreams: [String: Upstream]?
    var timeoutMs: Int64?
    var routeTimeouts: [String: Int64]?
    var publicRoutes: [String]?
}
