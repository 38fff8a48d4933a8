import AsyncHTTPClient
import Foundation
import NIOCore

/// Twilio's Messages API (and compatible ones): `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`
/// with form fields To, From, Body and HTTP Basic auth (account SID, auth token).
struct TwilioSMSProvider: SMSProvider {
    let baseURL: String
    let accountSID: String
    let authToken: String
    let from: String
    let httpClient: HTTPClient

    private struct Answer: Decodable {
        var sid: String?
        var message: String?
        var code: Int?
    }

    func send(to phoneNumber: String, body: String) async -> ChannelOutcome {
        guard phoneNumber.range(of: #"^\+[1-9][0-9]{6,14}$"#, options: .regularExpression) != nil else {
            return .failed("not an E.164 phone number", permanent: true)
        }
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var request = HTTPClientRequest(url: "\(base)/2010-04-01/Accounts/\(Self.formEncode(accountSID))/Messages.json")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Authorization", value: "Basic \(Base64.encode(Array("\(accountSID):\(authToken)".utf8)))")
        let form = [("To", phoneNumber), ("From", from), ("Body", body)].map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(15))
            let bytes = try await response.body.collect(upTo: 256 * 1024)
            let answer = try? JSONDecoder().decode(Answer.self, from: Data(buffer: bytes))
            let code = Int(response.status.code)
            if (200..<300).contains(code) { return .sent(statusCode: code, reference: answer?.sid) }
            let permanent = (400..<500).contains(code) && code != 429
            return .failed("SMS provider answered \(code): \(answer?.message ?? "no message")", statusCode: code, permanent: permanent)
        } catch {
            return .failed("SMS request failed: \(String(describing: type(of: error)))")
        }
    }

    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
