-- Machine credentials (service accounts, API keys), the token signing keys and the audit log.

CREATE TABLE service_accounts (
    tenant_id uuid NOT NULL REFERENCES organizations (id),
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text NOT NULL DEFAULT '',
    permissions text[] NOT NULL,
    secret_hash bytea NOT NULL,
    -- After a rotation the old secret keeps working until this time, so deployments can roll.
    previous_secret_hash bytea,
    previous_secret_valid_until timestamptz,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    secret_rotated_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE api_keys (
    tenant_id uuid NOT NULL REFERENCES organizations (id),
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The first characters of the key, shown in lists so people can tell keys apart.
    display_prefix text NOT NULL,
    secret_hash bytea NOT NULL,
    permissions text[] NOT NULL,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);

-- Suite-wide, not tenant data: the Ed25519 keys that sign access tokens. Private keys are
-- sealed with AES-256-GCM under the key-encryption key from the environment.
CREATE TABLE signing_keys (
    kid text PRIMARY KEY,
    public_key bytea NOT NULL,
    sealed_private_key bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    retired_at timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE retired_at IS NULL;

CREATE TABLE audit_log (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    action text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
    actor_type text NOT NULL CHECK (actor_type IN ('user', 'service', 'api_key', 'anonymous', 'system')),
    actor_id text,
    target_type text,
    target_id text,
    ip text,
    user_agent text,
    details jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_listing ON audit_log (tenant_id, occurred_at DESC, id DESC);

-- Append-only for everyone, owner included: history that can be edited is not an audit log.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

SELECT enable_tenant_isolation(t) FROM unnest(ARRAY['service_accounts', 'api_keys', 'audit_log']::regclass[]) AS t;
