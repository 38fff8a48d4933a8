import ERPProtocol
import HTTPTypes

/// An error that knows which problem+json answer it deserves. Domain errors of the services
/// adopt this, so the error middleware never needs to know about them.
public protocol ProblemConvertible: Error {
    var problem: ProblemDetails { get }
    /// Headers to send with the problem, e.g. `Retry-After` or `WWW-Authenticate`.
    var problemHeaders: HTTPFields { get }
}

extension ProblemConvertible {
    public var problemHeaders: HTTPFields { [:] }
}
