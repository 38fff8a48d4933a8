import ERPProtocol
import Foundation
import Hummingbird

/// Decodes JSON request bodies with the wire conventions of ERPProtocol (ISO-8601 dates), and
/// reports decoding failures as problems naming the offending field, and refuses bodies that say they are something other than JSON (415) before trying to parse them.
public struct ERPRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        if let contentType = request.headers[.contentType], let mediaType = MediaType(from: contentType),
            !(mediaType.type == .application && (mediaType.subType == "json" || mediaType.subType.hasSuffix("+json")))
        {
            throw ProblemDetails.unsupportedMediaType(detail: "Request bodies must be application/json.")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        // No body at all reads as `{}`: a request whose fields are all optional needs none, and
        // one with required fields gets a 422 naming them rather than "malformed JSON".
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer: buffer)
        do {
            return try ERPJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            // Converted here: Hummingbird's own mapping would turn it into a 400 without the field.
            throw DecodingProblem.problem(for: error)
        }
    }
}
