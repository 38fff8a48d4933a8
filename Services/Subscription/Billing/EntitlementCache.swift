import ERPProtocol
import ERPRedis
import Foundation
import Logging

/// Entitlements cached in Redis, because the gateway and every service ask for them.
///
/// Invalidation is generation-based: a change bumps the tenant's generation (after its commit)
/// and deletes the entry; a reader remembers the generation it saw before computing, and its
/// result is stored only if the generation is still the same. So a reader that computed from
/// the old state can never put it back after the change. Redis trouble is never fatal: the
/// caller computes from Postgres.
struct EntitlementCache: Sendable {
    let redis: RedisPool
    let prefix: String
    var ttlSeconds = 300
    let logger: Logger

    private static let storeIfCurrent = RedisScript("""
        local generation = redis.call('GET', KEYS[2]) or '0'
        if generation ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
        return 1
        """)

    private func entryKey(_ tenant: TenantID) -> String { "\(prefix):entitlements:\(tenant)" }
    private func generationKey(_ tenant: TenantID) -> String { "\(prefix):entitlements-gen:\(tenant)" }

    /// Whether the cache is used at all (`SUBSCRIPTION_ENTITLEMENTS_TTL_SECONDS=0` turns it off,
    /// which the benchmark uses as its uncached reference).
    var isEnabled: Bool { ttlSeconds > 0 }

    /// The cached entitlements and, on a miss, the generation to hand back to ``store(_:generation:)``.
    func lookup(_ tenant: TenantID) async -> (OrganizationEntitlements?, generation: String) {
        guard isEnabled else { return (nil, "unavailable") }
        do {
            let values = try await redis.pipeline([["GET", .init(entryKey(tenant))], ["GET", .init(generationKey(tenant))]])
            if let bytes = values[0].bytes, let cached = try? ERPJSON.decode(OrganizationEntitlements.self, from: Data(bytes)) {
                return (cached, "")
            }
            return (nil, values[1].string ?? "0")
        } catch {
            logger.warning("entitlement cache unavailable", metadata: ["erp.error": .string(String(describing: type(of: error)))])
            return (nil, "unavailable")
        }
    }

    func store(_ entitlements: OrganizationEntitlements, generation: String) async {
        guard generation != "unavailable", let data = try? ERPJSON.encode(entitlements) else { return }
        let tenant = entitlements.organizationId
        _ = try? await redis.evaluate(
            Self.storeIfCurrent, keys: [entryKey(tenant), generationKey(tenant)],
            arguments: [.init(generation), .init(bytes: Array(data)), .init(ttlSeconds)]
        )
    }

    /// Call after the change committed.
    func invalidate(_ tenant: TenantID) async {
        guard isEnabled else { return }
        do {
            _ = try await redis.pipeline([["INCR", .init(generationKey(tenant))], ["DEL", .init(entryKey(tenant))]])
        } catch {
            // The entry expires within ttlSeconds anyway.
            logger.warning("entitlement cache invalidation failed", metadata: ["erp.error": .string(String(describing: type(of: error)))])
        }
    }
}
