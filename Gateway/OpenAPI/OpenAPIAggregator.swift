import AsyncHTTPClient
import ERPProtocol
import ERPServiceKit
import Foundation
import Logging
import NIOCore

/// Fetches every configured service's OpenAPI document (`GET <instance>/openapi.json`, then
/// `/openapi.yaml`), merges them (`OpenAPIMerger`) and keeps the result.
///
/// On demand, with caching: the first request waits for the first merge; later ones get the
/// cached snapshot at once and, when it is older than `timeToLive` — or older than `retryGap`
/// while a service is missing from it — start one background refresh for the next caller
/// (stale-while-revalidate). A service that is down is left out with a note; it never fails
/// the document.
actor OpenAPIAggregator {
    private let services: [UpstreamService]
    private let httpClient: HTTPClient
    private let timeToLive: Duration
    private let retryGap: Duration
    private let fetchTimeout: TimeAmount
    private let logger: Logger
    private var snapshot: OpenAPISnapshot?
    private var refreshing: Task<OpenAPISnapshot, Never>?

    static let maxDocumentBytes = 8 << 20

    init(services: [UpstreamService], httpClient: HTTPClient, timeToLive: Duration, retryGap: Duration, fetchTimeout: TimeAmount, logger: Logger) {
        self.services = services
        self.httpClient = httpClient
        self.timeToLive = timeToLive
        self.retryGap = retryGap
        self.fetchTimeout = fetchTimeout
        self.logger = logger
    }

    /// The snapshot to serve now.
    func current() async -> OpenAPISnapshot {
        guard let snapshot else { return await refresh() }
        let age = ContinuousClock.now - snapshot.createdAt
        if age > timeToLive || (!snapshot.missing.isEmpty && age > retryGap) {
            startRefresh()
        }
        return snapshot
    }

    /// Fetches and merges now (joining a refresh already under way).
    func refresh() async -> OpenAPISnapshot {
        await startRefresh().value
    }

    @discardableResult
    private func startRefresh() -> Task<OpenAPISnapshot, Never> {
        if let refreshing { return refreshing }
        let task = Task { await self.build() }
        refreshing = task
        return task
    }

    private func build() async -> OpenAPISnapshot {
        let documents = await fetchAll()
        let merged = OpenAPIMerger.merge(documents)
        let json = (try? ERPJSON.encode(merged)) ?? Data("{}".utf8)
        let missing = documents.compactMap { entry -> String? in
            if case .unavailable = entry.value { entry.key } else { nil }
        }.sorted()
        if !missing.isEmpty {
            logger.warning("openapi documents missing", metadata: ["erp.openapi.missing": .string(missing.joined(separator: ","))])
        }
        let built = OpenAPISnapshot(
            json: ByteBuffer(bytes: json), html: ByteBuffer(string: OpenAPIDocsPage.render(merged)), missing: missing,
            createdAt: .now)
        snapshot = built
        refreshing = nil
        return built
    }

    private func fetchAll() async -> [String: ServiceDocument] {
        await withTaskGroup(of: (String, ServiceDocument).self) { group in
            for service in services {
                group.addTask { (service.name, await self.fetch(service)) }
            }
            var result: [String: ServiceDocument] = [:]
            for await (name, document) in group { result[name] = document }
            return result
        }
    }

    /// Healthy instances first; the first that serves a readable document wins.
    private nonisolated func fetch(_ service: UpstreamService) async -> ServiceDocument {
        let instances = service.instances.filter(\.isHealthy) + service.instances.filter { !$0.isHealthy }
        var reason = "no instance configured"
        instances: for instance in instances {
            let base = instance.address.baseURL
            for path in ["/openapi.json", "/openapi.yaml"] {
                let body: ByteBuffer
                do {
                    let response = try await httpClient.execute(HTTPClientRequest(url: base + path), timeout: fetchTimeout)
                    body = try await response.body.collect(upTo: Self.maxDocumentBytes)
                    guard response.status == .ok else {
                        reason = "\(path) answered \(response.status.code)"
                        continue
                    }
                } catch {
                    // Unreachable or too slow: the other path on this instance would fare no better.
                    reason = "unreachable"
                    continue instances
                }
                do {
                    let data = Data(buffer: body)
                    return .available(try path.hasSuffix(".json") ? OpenAPIDocumentParser.parseJSON(data) : OpenAPIDocumentParser.parseYAML(data))
                } catch {
                    reason = "\(path) is not a readable OpenAPI 3 document"
                }
            }
        }
        return .unavailable(reason: reason)
    }
}
