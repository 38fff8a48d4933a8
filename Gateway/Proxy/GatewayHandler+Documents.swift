import NIOCore
import NIOHTTP1

// The merged OpenAPI document and the docs page: public (no token), answered by the gateway
// from the aggregator's cached snapshot. The only local answers that may wait (the first one
// after start waits for the first merge), so reads are held meanwhile.
extension GatewayHandler {
    /// Answers `GET|HEAD /api/openapi.json` and `/docs`; false for anything else.
    func answerDocument(_ head: HTTPRequestHead, requestID: String) -> Bool {
        guard head.method == .GET || head.method == .HEAD else { return false }
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
}
