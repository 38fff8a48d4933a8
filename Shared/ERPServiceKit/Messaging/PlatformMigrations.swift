import ERPPostgres

/// Tables every service database has for the messaging kit: the transactional outbox and the
/// inbox of handled events.
///
/// Versions 1–99 belong to the platform; a service numbers its own migration files from 100,
/// and the migrator refuses duplicate versions, so the two can never collide silently.
public enum PlatformMigrations {
    public static let all: [PostgresMigration] = [
        PostgresMigration(
            version: 1,
            name: "platform_outbox_inbox",
            sql: """
                -- Events waiting to be published. Written in the same transaction as the state change
                -- they describe; the relay publishes them and stamps published_at on the broker's ack.
                -- Not a tenant table: no API reads it and the relay must see every tenant's rows.
                CREATE TABLE outbox (
                    id              bigserial PRIMARY KEY,
                    event_id        uuid NOT NULL UNIQUE,
                    tenant_id       uuid NOT NULL,
                    event_type      text NOT NULL,
                    topic           text NOT NULL,
                    message_key     text NOT NULL,
                    payload         bytea NOT NULL,
                    traceparent     text,
                    created_at      timestamptz NOT NULL DEFAULT now(),
                    attempts        integer NOT NULL DEFAULT 0,
                    next_attempt_at timestamptz NOT NULL DEFAULT now(),
                    last_error      text,
                    published_at    timestamptz
                );
                CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL;
                -- The relay keeps per-key order: it never sends a row while an older row of the same key waits.
                CREATE INDEX outbox_pending_key ON outbox (message_key, id) WHERE published_at IS NULL;
                CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

                -- Events a consumer has handled, recorded in the same transaction as the effect, so a
                -- redelivered event changes nothing.
                CREATE TABLE inbox (
                    consumer    text NOT NULL,
                    event_id    uuid NOT NULL,
                    event_type  text NOT NULL,
                    tenant_id   uuid NOT NULL,
                    handled_at  timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer, event_id)
                );
                """
        )
    ]
}
