import ERPPostgres
import ERPProtocol
import Foundation

/// Users' channel preferences in the transaction's tenant.
struct PreferenceRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// The stored preference or the standard one (opted in, immediate, no quiet hours).
    func get(user: UUID, channel: Channel) async throws -> Preference {
        try await connection.query(
            """
            SELECT user_id, channel, opted_in, mode, quiet_start, quiet_end, time_zone, address, version FROM preferences
            WHERE user_id = \(user) AND channel = \(channel.rawValue)
            """
        ).map(Self.preference).first ?? .standard(user: user, channel: channel)
    }

    func all(user: UUID) async throws -> [Preference] {
        var stored: [Channel: Preference] = [:]
        for preference in try await connection.query(
            "SELECT user_id, channel, opted_in, mode, quiet_start, quiet_end, time_zone, address, version FROM preferences WHERE user_id = \(user)"
        ).map(Self.preference) {
            stored[preference.channel] = preference
        }
        return Channel.personal.map { stored[$0] ?? .standard(user: user, channel: $0) }
    }

    /// Saves when the stored version is still `preference.version` (0 = never saved); nil otherwise.
    func save(_ preference: Preference, tenant: TenantID) async throws -> Preference? {
        try await connection.query(
            """
            INSERT INTO preferences (tenant_id, user_id, channel, opted_in, mode, quiet_start, quiet_end, time_zone, address)
            VALUES (\(tenant.uuid), \(preference.userID), \(preference.channel.rawValue), \(preference.optedIn), \(preference.mode.rawValue),
                    \(preference.quietStart), \(preference.quietEnd), \(preference.timeZone), \(preference.address))
            ON CONFLICT (tenant_id, user_id, channel) DO UPDATE SET opted_in = EXCLUDED.opted_in, mode = EXCLUDED.mode,
                quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end, time_zone = EXCLUDED.time_zone,
                address = EXCLUDED.address, version = preferences.version + 1, updated_at = now()
            WHERE preferences.version = \(preference.version)
            RETURNING user_id, channel, opted_in, mode, quiet_start, quiet_end, time_zone, address, version
            """
        ).map(Self.preference).first
    }

    private static func preference(_ row: PostgresRow) throws -> Preference {
        Preference(
            userID: try row.decode(UUID.self, at: 0), channel: Channel(rawValue: try row.decode(String.self, at: 1)) ?? .email,
            optedIn: try row.decode(Bool.self, at: 2), mode: Preference.Mode(rawValue: try row.decode(String.self, at: 3)) ?? .immediate,
            quietStart: try row.decode(Int?.self, at: 4), quietEnd: try row.decode(Int?.self, at: 5), timeZone: try row.decode(String.self, at: 6),
            address: try row.decode(String?.self, at: 7), version: try row.decode(Int.self, at: 8)
        )
    }
}
