-- Organizations (the tenants), users, roles and what links them. Every tenant-owned table has
-- row-level security forced, so the application role sees only the tenant of its transaction.
-- Two small directories have no RLS on purpose: logging in and resetting a password start from
-- an email or an organization slug before the tenant is known.

CREATE TABLE organizations (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug text NOT NULL UNIQUE,
    locale text NOT NULL DEFAULT 'en',
    timezone text NOT NULL DEFAULT 'UTC',
    password_min_length int4,
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organization_directory (
    slug text PRIMARY KEY,
    tenant_id uuid NOT NULL UNIQUE
);

CREATE TABLE users (
    tenant_id uuid NOT NULL REFERENCES organizations (id),
    id uuid NOT NULL,
    email text NOT NULL,
    email_lower text NOT NULL,
    name text NOT NULL,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
    password_hash text,
    email_verified_at timestamptz,
    locale text,
    timezone text,
    totp_secret bytea,
    totp_pending_secret bytea,
    totp_enabled_at timestamptz,
    totp_last_step int8,
    last_login_at timestamptz,
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email_lower)
);
CREATE INDEX users_listing ON users (tenant_id, created_at, id);

CREATE TABLE login_directory (
    email_lower text NOT NULL,
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX login_directory_email ON login_directory (email_lower);

CREATE TABLE roles (
    tenant_id uuid NOT NULL REFERENCES organizations (id),
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text NOT NULL DEFAULT '',
    -- For built-in roles the code's definition wins, so new permissions reach them.
    builtin text CHECK (builtin IN ('owner', 'admin', 'manager', 'user', 'viewer')),
    permissions text[] NOT NULL DEFAULT '{}',
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX roles_name ON roles (tenant_id, lower(name));
CREATE UNIQUE INDEX roles_builtin ON roles (tenant_id, builtin) WHERE builtin IS NOT NULL;

CREATE TABLE user_roles (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role_id uuid NOT NULL,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, role_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE invitations (
    tenant_id uuid NOT NULL REFERENCES organizations (id),
    id uuid NOT NULL,
    email text NOT NULL,
    email_lower text NOT NULL,
    role_ids uuid[] NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    invited_by uuid,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX invitations_open ON invitations (tenant_id, email_lower) WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Single-use tokens mailed to a user: email verification and password reset.
CREATE TABLE user_tokens (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    purpose text NOT NULL CHECK (purpose IN ('email_verification', 'password_reset')),
    token_hash bytea NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE recovery_codes (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    code_hash bytea NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (tenant_id, user_id, code_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- Row-level security for a tenant table: forced (the owner obeys it too), rows visible and
-- writable only inside a transaction that set app.tenant_id to their tenant. The nullif keeps
-- a pooled session whose setting was reset to '' seeing nothing instead of failing.
CREATE FUNCTION enable_tenant_isolation(t regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s '
        'USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) '
        'WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
END
$$;

SELECT enable_tenant_isolation(t)
FROM unnest(ARRAY['users', 'roles', 'user_roles', 'invitations', 'user_tokens', 'recovery_codes']::regclass[]) AS t;

-- The organization row is its own tenant.
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations
    USING (id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (id = nullif(current_setting('app.tenant_id', true), '')::uuid);
