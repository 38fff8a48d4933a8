import AsyncHTTPClient
import ERPProtocol
import ERPServiceKit
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Organizations' allowances from their plans: erp-subscription's
/// `GET /v1/organizations/{id}/entitlements` (`rateLimit.requestsPerMinute` and `readOnly`),
/// asked with the gateway's platform token and kept in memory, so the hot path only reads a table.
///
/// An organization seen for the first time gets the configured default at once and is fetched in
/// the background; its allowance is fetched again `timeToLive` after the last answer (the first
/// request after that still gets the old value and starts the refresh). A failed fetch keeps what
/// was known (or the default) and is tried again after `retryGap`. The table holds at most
/// `capacity` organizations: when full, entries past their refresh time go first, then a quarter.
final class PlanOrganizationLimits: OrganizationLimitSource, Service {
    private struct Entry {
        var requestsPerWindow: Int
        var readOnly = false
        var refreshAt: ContinuousClock.Instant
        var fetching: Bool
    }

    private struct Refused: Error {
        let status: UInt
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// False after a failed fetch until one succeeds: failures are logged once per outage.
        var reachable = true
    }

    private let entitlementsBase: String
    private let tokens: PlatformTokenProvider
    private let httpClient: HTTPClient
    private let defaultLimit: Int
    private let windowSeconds: Int
    private let timeToLive: Duration
    private let retryGap: Duration
    private let fetchTimeout: TimeAmount
    private let capacity: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let queue: AsyncStream<String>
    private let enqueue: AsyncStream<String>.Continuation
    /// Fetches in flight at most (a burst of new organizations does not become a burst of calls).
    private let concurrency = 4

    init(
        subscriptionURL: String, tokens: PlatformTokenProvider, httpClient: HTTPClient, defaultLimit: Int, windowSeconds: Int,
        timeToLive: Duration, capacity: Int, logger: Logger, fetchTimeout: TimeAmount = .seconds(3)
    ) {
        var base = subscriptionURL
        while base.hasSuffix("/") { base.removeLast() }
        self.entitlementsBase = base + "/v1/organizations/"
        self.tokens = tokens
        self.httpClient = httpClient
        self.defaultLimit = defaultLimit
        self.windowSeconds = windowSeconds
        self.timeToLive = timeToLive
        self.retryGap = min(timeToLive, .seconds(10))
        self.fetchTimeout = fetchTimeout
        self.capacity = max(1, capacity)
        self.logger = logger
        (queue, enqueue) = AsyncStream.makeStream(of: String.self)
    }

    /// A plan's requests per minute as requests per the gateway's window (rounded up, at least 1).
    static func requestsPerWindow(requestsPerMinute: Int, windowSeconds: Int) -> Int {
        guard requestsPerMinute > 0 else { return 1 }
        let (product, overflow) = requestsPerMinute.multipliedReportingOverflow(by: windowSeconds)
        return overflow ? Int.max / 2 : max(1, (product + 59) / 60)
    }

    func requestsPerWindow(organization: String) -> Int {
        entry(organization).requestsPerWindow
    }

    /// Whether the organization's plan allows reads only (unpaid or canceled). Unknown until the
    /// first fetch answers: an organization is writable until its plan says otherwise.
    func isReadOnly(organization: String) -> Bool {
        entry(organization).readOnly
    }

    /// The known entry (or a default one), starting a background fetch when it is due.
    private func entry(_ organization: String) -> Entry {
        let now = ContinuousClock.now
        let (entry, fetch) = state.withLock { state -> (Entry, Bool) in
            if var entry = state.entries[organization] {
                guard !entry.fetching, now >= entry.refreshAt else { return (entry, false) }
                entry.fetching = true
                state.entries[organization] = entry
                return (entry, true)
            }
            if state.entries.count >= capacity { makeRoom(&state.entries, now: now) }
            let entry = Entry(requestsPerWindow: defaultLimit, refreshAt: now, fetching: true)
            state.entries[organization] = entry
            return (entry, true)
        }
        if fetch { enqueue.yield(organization) }
        return entry
    }

    /// Takes an organization's new entitlements as they are announced
    /// (`erp.subscription.entitlements.changed`), so an upgrade, a downgrade or a lapse into
    /// read-only binds at once instead of after the TTL. An organization not in the table yet is
    /// left to its first request (the table holds organizations that call, not every one).
    func apply(_ entitlements: OrganizationEntitlements) {
        let organization = entitlements.organizationId.description
        let perWindow = Self.requestsPerWindow(requestsPerMinute: entitlements.rateLimit.requestsPerMinute, windowSeconds: windowSeconds)
        let now = ContinuousClock.now
        state.withLock { state in
            guard var entry = state.entries[organization] else { return }
            entry.requestsPerWindow = perWindow
            entry.readOnly = entitlements.readOnly
            // A fetch already under way may bring an older answer; this one is fresh for a TTL.
            entry.refreshAt = now + timeToLive
            state.entries[organization] = entry
        }
    }

    /// How many organizations the table holds (tests).
    var count: Int { state.withLock { $0.entries.count } }

    private func makeRoom(_ entries: inout [String: Entry], now: ContinuousClock.Instant) {
        entries = entries.filter { $0.value.fetching || $0.value.refreshAt > now }
        guard entries.count >= capacity else { return }
        for key in entries.keys.prefix(max(1, entries.count - capacity * 3 / 4)) { entries[key] = nil }
    }

    // MARK: Background fetching

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await organization in queue {
                    if running >= concurrency {
                        await group.next()
                        running -= 1
                    }
                    group.addTask { await self.refresh(organization) }
                    running += 1
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.enqueue.finish()
        }
    }

    private func refresh(_ organization: String) async {
        let plan: Plan?
        do {
            plan = try await fetch(organization)
        } catch is CancellationError {
            return  // shutting down
        } catch {
            plan = nil
            let firstFailure = state.withLock { state in
                defer { state.reachable = false }
                return state.reachable
            }
            // Never the token: the error's type or the status is enough to act on.
            let reason = (error as? Refused).map { "HTTP \($0.status)" } ?? String(describing: type(of: error))
            logger.log(
                level: firstFailure ? .warning : .debug, "organization entitlements unavailable, keeping the last allowance",
                metadata: [LogMetadataKey.tenantID: .string(organization), "erp.failure": .string(reason)])
        }
        let now = ContinuousClock.now
        let recovered = state.withLock { state -> Bool in
            if var entry = state.entries[organization] {
                entry.fetching = false
                entry.refreshAt = now + (plan == nil ? retryGap : timeToLive)
                if let plan {
                    entry.requestsPerWindow = plan.requestsPerWindow
                    entry.readOnly = plan.readOnly
                }
                state.entries[organization] = entry
            }
            guard plan != nil, !state.reachable else { return false }
            state.reachable = true
            return true
        }
        if recovered { logger.info("organization entitlements reachable again") }
    }

    /// What the gateway keeps of an organization's entitlements.
    private struct Plan {
        var requestsPerWindow: Int
        var readOnly: Bool
    }

    /// The allowance per window and the read-only flag; the default (writable) when the
    /// organization has no subscription (404).
    private func fetch(_ organization: String) async throws -> Plan {
        let token = try await tokens.token()
        var request = HTTPClientRequest(url: entitlementsBase + organization + "/entitlements")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await httpClient.execute(request, timeout: fetchTimeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        switch response.status {
        case .ok:
            let entitlements = try ERPJSON.decode(OrganizationEntitlements.self, from: Data(buffer: body))
            return Plan(
                requestsPerWindow: Self.requestsPerWindow(requestsPerMinute: entitlements.rateLimit.requestsPerMinute, windowSeconds: windowSeconds),
                readOnly: entitlements.readOnly)
        case .notFound:
            return Plan(requestsPerWindow: defaultLimit, readOnly: false)
        default:
            throw Refused(status: response.status.code)
        }
    }
}
