import ERPServiceKit
import Testing

@Suite("W3C trace context")
struct TraceContextTests {
    @Test("parses the spec's example and renders it back")
    func roundTrip() throws {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let trace = try #require(TraceContext(traceparent: header))
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.spanID == "00f067aa0ba902b7")
        #expect(trace.flags == 1)
        #expect(trace.traceparent == header)
    }

    @Test(
        "rejects malformed headers",
        arguments: [
            "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        ]
    )
    func rejects(header: String) {
        #expect(TraceContext(traceparent: header) == nil)
    }

    @Test("a child keeps the trace and gets a new span")
    func child() {
        let root = TraceContext.newRoot()
        let child = root.child()
        #expect(child.traceID == root.traceID)
        #expect(child.spanID != root.spanID)
        #expect(TraceContext(traceparent: child.traceparent) == child)
    }
}
