import ERPProtocol

/// Why a call to another service failed, mapped to what our own caller should see: a problem
/// the other service reported for the caller's input passes through; our dependency being
/// down is a 502/503/504 of ours.
public struct ServiceClientError: ProblemConvertible, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The circuit breaker is open: the call was not attempted.
        case circuitOpen
        /// No answer within the timeout.
        case timeout
        /// Could not connect, or the connection broke.
        case unavailable
        /// The service answered with an error status (its problem body, when it sent one).
        case status(Int)
        /// The answer could not be decoded as the expected type.
        case decoding
    }

    public let kind: Kind
    public let service: String
    /// The other service's problem body, when it answered with one.
    public let remoteProblem: ProblemDetails?

    public init(kind: Kind, service: String, remoteProblem: ProblemDetails? = nil) {
        self.kind = kind
        self.service = service
        self.remoteProblem = remoteProblem
    }

    public var description: String { "call to \(service) failed: \(kind)" }

    public var problem: ProblemDetails {
        switch kind {
        case .circuitOpen, .unavailable:
            return .serviceUnavailable(detail: "A dependency (\(service)) is unavailable; retry shortly.")
        case .timeout:
            return .gatewayTimeout(detail: "A dependency (\(service)) did not answer in time.")
        case .status(let status) where (400..<500).contains(status):
            return remoteProblem ?? .badRequest(detail: "Rejected by \(service).")
        case .status, .decoding:
            return .badGateway(detail: "A dependency (\(service)) answered unexpectedly.")
        }
    }
}
