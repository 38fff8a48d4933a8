-- erp-notification: who can be reached (learned from auth's events), what each event sends
-- (rules, templates), what each person wants (preferences), every delivery and its attempts,
-- webhook endpoints, in-app notifications and escalations.
--
-- Every table but `due_work` is a tenant table with forced row-level security. `due_work` is the
-- scheduler's index of what is due when (ids and times only, no content), read across tenants
-- by the scheduler like subscription's billing_schedule; the work itself is done in a tenant
-- transaction.

-- The people of an organization as auth's events describe them.
CREATE TABLE recipients (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    email text NOT NULL,
    name text NOT NULL DEFAULT '',
    locale text NOT NULL DEFAULT 'en',
    roles text[] NOT NULL DEFAULT '{}',
    is_owner bool NOT NULL DEFAULT false,
    active bool NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);

-- The organization itself (name, locale) for templates of events that do not carry them.
CREATE TABLE organizations (
    tenant_id uuid PRIMARY KEY,
    name text NOT NULL,
    locale text NOT NULL DEFAULT 'en',
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A tenant's override of a built-in rule (same event type + channel) or a rule of its own.
CREATE TABLE event_rules (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    event_type text NOT NULL CHECK (length(event_type) BETWEEN 5 AND 200),
    channel text NOT NULL CHECK (channel IN ('email', 'in_app', 'sms', 'webhook')),
    -- event (the address the event names), owners, admins, role:<Role>, user:<uuid>
    audience text NOT NULL CHECK (length(audience) BETWEEN 1 AND 200),
    enabled bool NOT NULL DEFAULT true,
    -- Transactional messages (password reset, invitation) ignore opt-out and quiet hours.
    transactional bool NOT NULL DEFAULT false,
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, event_type, channel)
);

-- A tenant's template for an event type, channel and locale (built-in ones live in the code).
CREATE TABLE templates (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    event_type text NOT NULL,
    channel text NOT NULL CHECK (channel IN ('email', 'in_app', 'sms')),
    locale text NOT NULL CHECK (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    subject text NOT NULL DEFAULT '',
    text_body text NOT NULL,
    html_body text,
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, event_type, channel, locale)
);

-- Per user and channel: opt-in/out, immediate or digest, quiet hours (minutes of the day in
-- time_zone; start > end spans midnight).
CREATE TABLE preferences (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    channel text NOT NULL CHECK (channel IN ('email', 'in_app', 'sms')),
    opted_in bool NOT NULL DEFAULT true,
    mode text NOT NULL DEFAULT 'immediate' CHECK (mode IN ('immediate', 'digest')),
    quiet_start int4 CHECK (quiet_start BETWEEN 0 AND 1439),
    quiet_end int4 CHECK (quiet_end BETWEEN 0 AND 1439),
    time_zone text NOT NULL DEFAULT 'UTC',
    -- The channel's address when auth does not know it (a phone number for SMS).
    address text,
    version int8 NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, channel),
    CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

CREATE TABLE webhook_endpoints (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    url text NOT NULL CHECK (length(url) BETWEEN 10 AND 2000),
    event_types text[] NOT NULL,
    -- The signing secret; returned once when the endpoint is created.
    secret text NOT NULL,
    enabled bool NOT NULL DEFAULT true,
    consecutive_failures int4 NOT NULL DEFAULT 0,
    disabled_at timestamptz,
    disabled_reason text,
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- One message to one recipient over one channel. (event_id, channel, target) is unique: the
-- same event can never produce the same delivery twice, whatever Kafka redelivers.
CREATE TABLE deliveries (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    event_time timestamptz NOT NULL,
    channel text NOT NULL CHECK (channel IN ('email', 'in_app', 'sms', 'webhook')),
    -- An email address, a user id (in-app), a phone number, or a webhook endpoint id.
    target text NOT NULL,
    user_id uuid,
    webhook_endpoint_id uuid,
    subject text NOT NULL DEFAULT '',
    text_body text NOT NULL DEFAULT '',
    html_body text,
    payload jsonb,
    status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'retrying', 'dead')),
    attempts int4 NOT NULL DEFAULT 0,
    max_attempts int4 NOT NULL,
    next_attempt_at timestamptz,
    last_error text,
    provider_reference text,
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, event_id, channel, target)
);
CREATE INDEX deliveries_listing ON deliveries (tenant_id, created_at DESC, id DESC);

CREATE TABLE delivery_attempts (
    tenant_id uuid NOT NULL,
    delivery_id uuid NOT NULL,
    attempt int4 NOT NULL,
    started_at timestamptz NOT NULL,
    duration_ms int4 NOT NULL,
    succeeded bool NOT NULL,
    status_code int4,
    error text,
    PRIMARY KEY (tenant_id, delivery_id, attempt)
);

CREATE TABLE in_app_notifications (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    -- Orders a user's stream; the WebSocket resumes after the last sequence it sent.
    sequence int8 GENERATED ALWAYS AS IDENTITY,
    user_id uuid NOT NULL,
    delivery_id uuid NOT NULL,
    event_type text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    read_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, delivery_id)
);
CREATE INDEX in_app_by_user ON in_app_notifications (tenant_id, user_id, sequence);

-- If `trigger_event_type` is not followed by one of `resolve_event_types` for the same subject
-- within `after_seconds`, chain[0] is told; after another period chain[1]; and so on.
CREATE TABLE escalation_rules (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    trigger_event_type text NOT NULL,
    resolve_event_types text[] NOT NULL,
    after_seconds int4 NOT NULL CHECK (after_seconds BETWEEN 1 AND 31536000),
    chain uuid[] NOT NULL CHECK (cardinality(chain) BETWEEN 1 AND 10),
    channels text[] NOT NULL DEFAULT '{email,in_app}',
    enabled bool NOT NULL DEFAULT true,
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE escalations (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    rule_id uuid NOT NULL,
    subject text NOT NULL,
    trigger_event_id uuid NOT NULL,
    trigger_event_type text NOT NULL,
    -- How many people of the chain were told so far.
    level int4 NOT NULL DEFAULT 0,
    status text NOT NULL CHECK (status IN ('open', 'resolved', 'exhausted')),
    due_at timestamptz NOT NULL,
    opened_at timestamptz NOT NULL,
    resolved_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, rule_id, trigger_event_id)
);
CREATE INDEX escalations_open ON escalations (tenant_id, subject) WHERE status = 'open';

-- What the scheduler must look at when: a delivery to (re)try or an escalation to check.
-- Not a tenant table (ids and times only); rows are claimed with FOR UPDATE SKIP LOCKED.
CREATE TABLE due_work (
    kind text NOT NULL CHECK (kind IN ('delivery', 'escalation')),
    tenant_id uuid NOT NULL,
    item_id uuid NOT NULL,
    due_at timestamptz NOT NULL,
    PRIMARY KEY (kind, item_id)
);
CREATE INDEX due_work_due ON due_work (due_at);

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
FROM unnest(ARRAY[
    'recipients', 'organizations', 'event_rules', 'templates', 'preferences', 'webhook_endpoints', 'deliveries',
    'delivery_attempts', 'in_app_notifications', 'escalation_rules', 'escalations'
]::regclass[]) AS t;
