import NIOCore
import NIOHTTP1

// The merged OpenAPI document and the docs page: public (no token), answered by the gateway
// from the aggregator's cached snapshot, and `/metrics`. The only local answers that may wait
// (the first document after start waits for the first merge; metrics wait for every loop's
// tallies), so reads are held meanwhile.
extension GatewayHandler {
    /// Answers `GET|HEAD /api/openapi.json` and `/docs`; false for anything else.
    func answerDocument(_ head: HTTPRequestHead, requestID: String) -> Bool {
        guard head.method == .GET || head.method == .HEAD,
            head.uri.utf8.starts(with: "/docs".utf8) || head.uri.utf8.starts(with: "/api/openapi.json".utf8)
        else { return false }
        let html: Bool
        switch Self.path(of: head.uri) {
        case "/api/openapi.json": html = false
        case "/docs", "/docs/": html = true
        default: return false
        }
        discardingBody = true
        pauseReads()
        let documents = shared.documents
        context.eventLoop.makeFutureWithTask {
            await documents.current()
        }.assumeIsolated().whenSuccess { snapshot in
            guard self.context != nil else { return }
            let answer = LocalEndpoints.Answer(
                status: .ok, contentType: html ? "text/html; charset=utf-8" : "application/json", body: html ? snapshot.html : snapshot.json)
            self.writeLocal(answer, request: head, requestID: requestID)
            self.resumeReads()
        }
        return true
    }

    /// Answers `GET|HEAD /metrics` once every loop has handed its tallies to the registry.
    func answerMetrics(_ head: HTTPRequestHead, requestID: String) -> Bool {
        guard head.method == .GET || head.method == .HEAD, head.uri.utf8.starts(with: "/metrics".utf8), Self.path(of: head.uri) == "/metrics"
        else { return false }
        discardingBody = true
        pauseReads()
        allLoops.flushMetrics(on: context.eventLoop).assumeIsolated().whenComplete { _ in
            guard self.context != nil else { return }
            if let answer = self.shared.localEndpoints.answer(method: head.method, uri: head.uri) {
                self.writeLocal(answer, request: head, requestID: requestID)
            }
            self.resumeReads()
        }
        return true
    }
}
