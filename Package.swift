// swift-tools-version: 6.1
import PackageDescription

// The whole ERP suite: shared libraries under Shared/, one executable per service under
// Services/, the gateway under Gateway/. Swift 6 language mode everywhere.

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")

let package = Package(
    name: "erp-suite",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "erp-dev-broker", targets: ["ERPDevBroker"]),
        .executable(name: "erp-auth", targets: ["AuthService"]),
        .executable(name: "erp-subscription", targets: ["SubscriptionService"]),
        .executable(name: "erp-notification", targets: ["NotificationService"]),
        .executable(name: "erp-crm", targets: ["CRMService"]),
        .executable(name: "erp-gateway", targets: ["GatewayService"]),
        .executable(name: "erp-test-upstream", targets: ["GatewayTestUpstream"]),
        .executable(name: "erp-bench", targets: ["ERPBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // TLS: the gateway's https:// upstreams, notification's STARTTLS/SMTPS (already built for async-http-client).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // YAML for the OpenAPI documents the gateway merges (erp-auth serves YAML).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // erp-notification: the in-app WebSocket stream, templates.
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C shims: only the wrapper modules below import these.
        .systemLibrary(name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CRdKafka", path: "Shared/CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        // hiredis's pkg-config cflags carry -D_FILE_OFFSET_BITS=64, which SwiftPM rejects; the header needs no -I.
        .systemLibrary(name: "CHiredis", path: "Shared/CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Shared/COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Shared libraries.
        .target(name: "ERPConcurrency", path: "Shared/ERPConcurrency"),
        .target(name: "ERPProtocol", path: "Shared/ERPProtocol"),
        .target(name: "ERPCrypto", dependencies: ["COpenSSL"], path: "Shared/ERPCrypto"),
        .target(name: "ERPPostgres", dependencies: ["CLibPQ", "ERPConcurrency", logging], path: "Shared/ERPPostgres"),
        .target(name: "ERPRedis", dependencies: ["CHiredis", "ERPConcurrency", logging], path: "Shared/ERPRedis"),
        .target(name: "ERPKafka", dependencies: ["CRdKafka", "ERPConcurrency", logging], path: "Shared/ERPKafka"),
        .target(
            name: "ERPServiceKit",
            dependencies: [
                "ERPProtocol", "ERPCrypto", "ERPPostgres", "ERPRedis", "ERPKafka", "ERPConcurrency",
                hummingbird, logging,
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Shared/ERPServiceKit"
        ),

        // Services: one executable each, the same inner shape everywhere (ARCHITECTURE.md §8).
        .executableTarget(
            name: "AuthService",
            dependencies: [
                "ERPServiceKit", "ERPProtocol", "ERPCrypto", "ERPPostgres", "ERPRedis", "ERPConcurrency", hummingbird, logging,
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            path: "Services/Auth",
            resources: [.copy("Migrations"), .copy("openapi.yaml")]
        ),

        .executableTarget(
            name: "SubscriptionService",
            dependencies: [
                "ERPServiceKit", "ERPProtocol", "ERPCrypto", "ERPPostgres", "ERPRedis", hummingbird, logging,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            path: "Services/Subscription",
            resources: [.copy("Migrations"), .copy("openapi.yaml")]
        ),

        .executableTarget(
            name: "CRMService",
            dependencies: [
                "ERPServiceKit", "ERPProtocol", "ERPPostgres", "ERPRedis", hummingbird, logging,
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            path: "Services/CRM",
            resources: [.copy("Migrations"), .copy("openapi.yaml")]
        ),

        // Email (its own SMTP client on SwiftNIO), webhooks, in-app (WebSocket) and SMS deliveries.
        .executableTarget(
            name: "NotificationService",
            dependencies: [
                "ERPServiceKit", "ERPProtocol", "ERPCrypto", "ERPPostgres", "ERPRedis", hummingbird, logging,
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            path: "Services/Notification",
            resources: [.copy("Migrations"), .copy("openapi.yaml")]
        ),

        // The gateway: the proxy data path is SwiftNIO channel handlers (no async/await per request);
        // its own endpoints (health, metrics) are answered by the same handlers.
        .executableTarget(
            name: "GatewayService",
            dependencies: [
                "ERPServiceKit", "ERPProtocol", "ERPCrypto", "ERPRedis", "ERPKafka", logging,
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Gateway",
            // The proxy's data path is single-threaded per event loop and its state lives in
            // classes, so every property access paid a runtime exclusivity check (≈3 % of the
            // gateway's CPU in `perf`). Debug builds, which run the tests, keep the checks.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),

        // Development Kafka-protocol broker (librdkafka's mock cluster on a fixed port).
        .executableTarget(name: "ERPDevBroker", dependencies: ["ERPKafka", logging], path: "Shared/ERPDevBroker"),

        // Benchmarks (`make bench`).
        .executableTarget(
            name: "ERPBench",
            dependencies: [
                "ERPPostgres", "ERPKafka", "ERPServiceKit", "ERPProtocol", "ERPCrypto", "ERPTestSupport", logging,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Benchmarks/ERPBench"
        ),

        // Tests run against the real servers of the local stack (`make test`).
        .target(
            name: "ERPTestSupport",
            dependencies: ["ERPPostgres", "ERPRedis", "ERPKafka", logging],
            path: "Tests/ERPTestSupport"
        ),
        // A small upstream for the gateway's tests (echo, slow, bytes, sink, JWKS, switchable health,
        // OpenAPI documents, a WebSocket echo on a second port).
        .executableTarget(
            name: "GatewayTestUpstream",
            dependencies: [
                hummingbird, .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HummingbirdTLS", package: "hummingbird"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/GatewayTestUpstream"
        ),
        .testTarget(name: "ERPProtocolTests", dependencies: ["ERPProtocol"], path: "Tests/ERPProtocolTests", resources: [.copy("Golden")]),
        .testTarget(name: "ERPCryptoTests", dependencies: ["ERPCrypto"], path: "Tests/ERPCryptoTests"),
        .testTarget(name: "ERPConcurrencyTests", dependencies: ["ERPConcurrency"], path: "Tests/ERPConcurrencyTests"),
        .testTarget(name: "ERPPostgresTests", dependencies: ["ERPPostgres", "ERPTestSupport"], path: "Tests/ERPPostgresTests"),
        .testTarget(name: "ERPRedisTests", dependencies: ["ERPRedis", "ERPTestSupport"], path: "Tests/ERPRedisTests"),
        .testTarget(name: "ERPKafkaTests", dependencies: ["ERPKafka", "ERPTestSupport"], path: "Tests/ERPKafkaTests"),
        .testTarget(
            name: "ERPServiceKitTests",
            dependencies: [
                "ERPServiceKit", "ERPTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            path: "Tests/ERPServiceKitTests"
        ),
        .testTarget(
            name: "AuthServiceTests",
            dependencies: [
                "AuthService", "ERPServiceKit", "ERPTestSupport", "ERPCrypto", "ERPKafka",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/AuthServiceTests"
        ),
        .testTarget(
            name: "SubscriptionServiceTests",
            dependencies: [
                "SubscriptionService", "ERPServiceKit", "ERPTestSupport", "ERPCrypto", "ERPKafka", hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Tests/SubscriptionServiceTests"
        ),
        .testTarget(
            name: "CRMServiceTests",
            dependencies: [
                "CRMService", "ERPServiceKit", "ERPTestSupport", "ERPCrypto", "ERPKafka", hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/CRMServiceTests"
        ),
        .testTarget(
            name: "NotificationServiceTests",
            dependencies: [
                "NotificationService", "ERPServiceKit", "ERPTestSupport", "ERPCrypto", "ERPKafka", hummingbird,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            path: "Tests/NotificationServiceTests",
            // The aiosmtpd server the SMTP security tests start; found through #filePath.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "GatewayService", "ERPServiceKit", "ERPProtocol", "ERPCrypto", "ERPTestSupport", "ERPKafka",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/GatewayTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
