import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The caller's own preferences per channel: opt-in/out, immediate or daily digest, quiet hours
/// (`"22:00"`–`"07:00"` in `timeZone`) and, for SMS, the phone number. Transactional messages
/// (password reset, invitations, the welcome mail) ignore opt-out and quiet hours.
struct PreferenceController {
    let dependencies: NotificationDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/preferences", use: list)
        router.put("/v1/preferences/:channel", use: save)
    }

    struct PreferenceResponse: ResponseCodable {
        var channel: Channel
        var optedIn: Bool
        var mode: Preference.Mode
        var quietHoursStart: String?
        var quietHoursEnd: String?
        var timeZone: String
        var address: String?
        var version: Int

        init(_ preference: Preference) {
            channel = preference.channel
            optedIn = preference.optedIn
            mode = preference.mode
            quietHoursStart = preference.quietStart.map(Self.clock)
            quietHoursEnd = preference.quietEnd.map(Self.clock)
            timeZone = preference.timeZone
            address = preference.address
            version = preference.version
        }

        static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
    }

    struct PreferenceList: ResponseCodable {
        var items: [PreferenceResponse]
    }

    struct PreferenceInput: Decodable {
        var optedIn: Bool?
        var mode: String?
        var quietHoursStart: String?
        var quietHoursEnd: String?
        var timeZone: String?
        var address: String?
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> PreferenceList {
        let identity = try context.require("notification.preference.read")
        let user = try Self.user(identity)
        let all = try await dependencies.inTenant(identity.tenantID) { try await PreferenceRepository($0).all(user: user) }
        return PreferenceList(items: all.map(PreferenceResponse.init))
    }

    /// Replaces the caller's preference for one channel; `If-Match` with its version (`"0"` before the first save).
    @Sendable func save(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<PreferenceResponse> {
        let identity = try context.require("notification.preference.update")
        let user = try Self.user(identity)
        guard let channel = context.parameters.get("channel").flatMap(Channel.init(rawValue:)), channel != .webhook else { throw ProblemDetails.notFound() }
        let version = try request.requiredVersion()
        let input = try await request.decode(as: PreferenceInput.self, context: context)
        var issues: [FieldIssue] = []
        let mode = Preference.Mode(rawValue: input.mode ?? "immediate")
        if mode == nil { issues.append(.invalid("mode", message: "immediate or digest.")) }
        let start = input.quietHoursStart.flatMap(Self.minutes)
        let end = input.quietHoursEnd.flatMap(Self.minutes)
        if input.quietHoursStart != nil, start == nil { issues.append(.invalid("quietHoursStart", message: "HH:MM, 00:00 to 23:59.")) }
        if input.quietHoursEnd != nil, end == nil { issues.append(.invalid("quietHoursEnd", message: "HH:MM, 00:00 to 23:59.")) }
        if (input.quietHoursStart == nil) != (input.quietHoursEnd == nil) {
            issues.append(.invalid("quietHoursEnd", message: "Give both ends of the quiet hours, or neither."))
        }
        let timeZone = input.timeZone ?? "UTC"
        if TimeZone(identifier: timeZone) == nil { issues.append(.invalid("timeZone", message: "An IANA time zone such as Europe/Berlin.")) }
        let address = input.address?.trimmingCharacters(in: .whitespaces)
        if channel == .sms, let address, address.range(of: #"^\+[1-9][0-9]{6,14}$"#, options: .regularExpression) == nil {
            issues.append(.invalid("address", message: "A phone number in E.164 form, e.g. +4915112345678."))
        }
        if channel != .sms, address != nil { issues.append(.invalid("address", message: "Only SMS preferences take an address.")) }
        guard issues.isEmpty, let mode else { throw ProblemDetails.validation(issues) }
        let preference = Preference(userID: user, channel: channel, optedIn: input.optedIn ?? true, mode: mode, quietStart: start, quietEnd: end,
                                    timeZone: timeZone, address: address, version: version)
        let saved = try await dependencies.inTenant(identity.tenantID) { try await PreferenceRepository($0).save(preference, tenant: identity.tenantID) }
        guard let saved else { throw ProblemDetails.preconditionFailed(detail: "Your preferences changed since you read them.") }
        return EditedResponse(headers: .etag(saved.version), response: PreferenceResponse(saved))
    }

    static func user(_ identity: Identity) throws -> UUID {
        guard let user = identity.userID?.uuid else {
            throw ProblemDetails.forbidden(detail: "Preferences and notifications belong to users; this token names none.")
        }
        return user
    }

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }
}
