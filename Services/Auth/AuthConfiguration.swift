import Configuration
import ERPCrypto
import ERPServiceKit
import Foundation

/// Everything erp-auth reads from its environment, on top of the platform's
/// `ServiceConfiguration`. Secure defaults: password policy and brute-force protection are on,
/// and the service refuses to start without a key-encryption key.
struct AuthConfiguration: Sendable {
    var service: ServiceConfiguration
    /// 32 bytes (`AUTH_KEY_ENCRYPTION_KEY`, base64) sealing signing keys and TOTP seeds at rest.
    var keyEncryptionKey: [UInt8]
    /// Keys being rotated out (`AUTH_KEY_ENCRYPTION_KEY_PREVIOUS`, comma-separated): they open
    /// what was sealed before the rotation, which is re-sealed under the current key when used.
    var previousKeyEncryptionKeys: [[UInt8]] = []
    var passwordPolicy = PasswordPolicy()
    /// scrypt cost `N = 2^ln` (`AUTH_PASSWORD_HASH_LN`); 17 with r=8, p=1 is OWASP's minimum.
    var passwordHashLogN = 17
    /// Parallel password hashes; each takes `128 × r × 2^ln` bytes (128 MiB at ln=17).
    var passwordHashThreads = 2
    var throttle = LoginThrottlePolicy()
    /// Seconds an access token lives.
    var accessTokenLifetime = 900
    /// Seconds a session survives without a refresh.
    var refreshIdleLifetime = 14 * 24 * 3600
    /// Seconds after which a session ends however active it is.
    var refreshAbsoluteLifetime = 30 * 24 * 3600
    /// Seconds in which the token a refresh just replaced still returns the same successor, so
    /// two tabs refreshing at once do not look like token theft (Hydra's rotation grace period).
    var refreshReuseGrace = 10
    var invitationLifetime = 7 * 24 * 3600
    var passwordResetLifetime = 3600
    var emailVerificationLifetime = 48 * 3600
    /// How long a rotated service-account secret keeps working.
    var serviceAccountSecretOverlap = 24 * 3600
    /// Rotate the token signing key this often (seconds).
    var signingKeyRotationInterval = 30 * 24 * 3600
    /// The front end's base URL, for the links in invitation, reset and verification mails.
    var appURL = "http://localhost:8080"
    /// Prefix of every Redis key this service writes.
    var redisKeyPrefix = "erp:auth"
    /// Users per organization when no subscription service answers (`AUTH_USER_LIMIT`).
    var userLimit: Int?
    /// Take the client IP from the last `X-Forwarded-For` hop (behind the gateway).
    var trustForwardedFor = true
    /// The suite's own machine clients (`AUTH_PLATFORM_CLIENTS=crm=<secret>,...`).
    var platformClients: [PlatformClient] = []

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(service: ServiceConfiguration, keyEncryptionKey: [UInt8]) {
        self.service = service
        self.keyEncryptionKey = keyEncryptionKey
    }

    /// Reads the environment (`AUTH_*` on top of the platform keys).
    init(reader: ConfigReader = ConfigReader(provider: EnvironmentVariablesProvider())) throws {
        let service = ServiceConfiguration(service: .auth, defaultPort: 8081, reader: reader)
        guard let key = SecretBox.key(base64: reader.string(forKey: "auth.key.encryption.key", isSecret: true)) else {
            throw Invalid(description: "AUTH_KEY_ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32)")
        }
        self.init(service: service, keyEncryptionKey: key)
        guard let previous = SecretBox.keys(base64List: reader.string(forKey: "auth.key.encryption.key.previous", isSecret: true)) else {
            throw Invalid(description: "AUTH_KEY_ENCRYPTION_KEY_PREVIOUS must be comma-separated keys of 32 bytes in base64")
        }
        previousKeyEncryptionKeys = previous
        passwordPolicy.minimumLength = reader.int(forKey: "auth.password.min.length", default: passwordPolicy.minimumLength)
        passwordPolicy.maximumLength = reader.int(forKey: "auth.password.max.length", default: passwordPolicy.maximumLength)
        passwordPolicy.rejectCommon = reader.bool(forKey: "auth.password.reject.common", default: true)
        passwordHashLogN = reader.int(forKey: "auth.password.hash.ln", default: passwordHashLogN)
        passwordHashThreads = reader.int(forKey: "auth.password.hash.threads", default: passwordHashThreads)
        throttle.window = reader.int(forKey: "auth.login.failure.window", default: throttle.window)
        throttle.delayAfter = reader.int(forKey: "auth.login.delay.after", default: throttle.delayAfter)
        throttle.lockAfter = reader.int(forKey: "auth.login.lock.after", default: throttle.lockAfter)
        throttle.ipLockAfter = reader.int(forKey: "auth.login.ip.lock.after", default: throttle.ipLockAfter)
        throttle.lockDuration = reader.int(forKey: "auth.login.lock.seconds", default: throttle.lockDuration)
        accessTokenLifetime = reader.int(forKey: "auth.access.token.seconds", default: accessTokenLifetime)
        refreshIdleLifetime = reader.int(forKey: "auth.refresh.idle.seconds", default: refreshIdleLifetime)
        refreshAbsoluteLifetime = reader.int(forKey: "auth.refresh.absolute.seconds", default: refreshAbsoluteLifetime)
        refreshReuseGrace = reader.int(forKey: "auth.refresh.reuse.grace.seconds", default: refreshReuseGrace)
        signingKeyRotationInterval = reader.int(forKey: "auth.signing.key.rotation.seconds", default: signingKeyRotationInterval)
        appURL = reader.string(forKey: "auth.app.url", default: appURL)
        redisKeyPrefix = reader.string(forKey: "auth.redis.prefix", default: redisKeyPrefix)
        userLimit = reader.int(forKey: "auth.user.limit")
        trustForwardedFor = reader.bool(forKey: "auth.trust.forwarded.for", default: true)
        platformClients = try PlatformClient.parse(reader.string(forKey: "auth.platform.clients", isSecret: true) ?? "")
        try validate()
    }

    func validate() throws {
        guard passwordPolicy.minimumLength >= 8, passwordPolicy.maximumLength >= passwordPolicy.minimumLength else {
            throw Invalid(description: "AUTH_PASSWORD_MIN_LENGTH must be at least 8 and not above AUTH_PASSWORD_MAX_LENGTH")
        }
        guard (10...22).contains(passwordHashLogN) else { throw Invalid(description: "AUTH_PASSWORD_HASH_LN must be 10...22") }
        guard accessTokenLifetime >= 60, accessTokenLifetime <= 3600 else {
            throw Invalid(description: "AUTH_ACCESS_TOKEN_SECONDS must be 60...3600: access tokens cannot be revoked, keep them short")
        }
        guard refreshReuseGrace >= 0, refreshReuseGrace <= 60 else { throw Invalid(description: "AUTH_REFRESH_REUSE_GRACE_SECONDS must be 0...60") }
    }
}
