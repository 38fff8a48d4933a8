import Configuration
import ERPServiceKit
import Foundation

/// Everything erp-crm reads from its environment, on top of the platform's `ServiceConfiguration`.
struct CRMConfiguration: Sendable {
    var service: ServiceConfiguration
    /// Largest CSV body `POST /v1/imports/{entity}` accepts (`CRM_IMPORT_MAX_BYTES`, 10 MiB).
    var importMaxBytes = 10 << 20
    /// Most data rows one import may carry (`CRM_IMPORT_MAX_ROWS`).
    var importMaxRows = 10_000
    /// Most rows one export writes (`CRM_EXPORT_MAX_ROWS`); a larger result is refused with 422.
    var exportMaxRows = 100_000
    /// Prefix of every Redis key this service writes (idempotency replays).
    var redisKeyPrefix = "erp:crm"

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(service: ServiceConfiguration) {
        self.service = service
    }

    init(reader: ConfigReader = ConfigReader(provider: EnvironmentVariablesProvider())) throws {
        self.init(service: ServiceConfiguration(service: .crm, defaultPort: 8083, reader: reader))
        importMaxBytes = reader.int(forKey: "crm.import.max.bytes", default: importMaxBytes)
        importMaxRows = reader.int(forKey: "crm.import.max.rows", default: importMaxRows)
        exportMaxRows = reader.int(forKey: "crm.export.max.rows", default: exportMaxRows)
        redisKeyPrefix = reader.string(forKey: "crm.redis.prefix", default: redisKeyPrefix)
        guard importMaxBytes > 0, importMaxRows > 0, exportMaxRows > 0 else {
            throw Invalid(description: "CRM_IMPORT_MAX_BYTES, CRM_IMPORT_MAX_ROWS and CRM_EXPORT_MAX_ROWS must be positive")
        }
    }
}
