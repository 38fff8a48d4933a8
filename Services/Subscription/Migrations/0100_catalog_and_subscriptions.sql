-- The plan catalog, each organization's subscription, and metered usage.
--
-- The catalog is global (no tenant): every organization reads the same plans. A plan version is
-- immutable once published (a trigger refuses UPDATE and DELETE), so a subscriber keeps paying
-- what its version says until it moves to another version.

CREATE TABLE plans (
    code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    version int4 NOT NULL CHECK (version >= 1),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text NOT NULL DEFAULT '',
    -- Ordering of the tiers: moving up is an upgrade (immediate, prorated), down a downgrade.
    tier int4 NOT NULL CHECK (tier >= 0),
    price_minor int8 NOT NULL CHECK (price_minor >= 0),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    billing_interval text NOT NULL CHECK (billing_interval IN ('month', 'year')),
    trial_days int4 NOT NULL DEFAULT 0 CHECK (trial_days BETWEEN 0 AND 365),
    features text[] NOT NULL DEFAULT '{}',
    -- {"users": 5, "storage_bytes": 5368709120, "ai_queries": 100}; a missing metric is unlimited.
    limits jsonb NOT NULL DEFAULT '{}',
    -- {"ai_queries": {"unitPriceMinor": 2, "unitSize": 1}}: usage beyond the limit is billed, not refused.
    overage jsonb NOT NULL DEFAULT '{}',
    rate_limit_per_minute int4 NOT NULL CHECK (rate_limit_per_minute > 0),
    -- Whether new subscribers may choose it (old versions stay for their subscribers).
    available bool NOT NULL DEFAULT true,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (code, version)
);

CREATE FUNCTION plans_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only retiring a version from sale is allowed; its prices and limits never change.
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'available') = (to_jsonb(OLD) - 'available') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'plan versions are immutable; publish a new version' USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER plans_immutable BEFORE UPDATE OR DELETE ON plans FOR EACH ROW EXECUTE FUNCTION plans_are_immutable();

-- One subscription per organization; its history is in subscription_transitions.
CREATE TABLE subscriptions (
    tenant_id uuid PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    plan_code text NOT NULL,
    plan_version int4 NOT NULL,
    status text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'unpaid', 'canceled')),
    -- Periods are [anchor + n·interval, anchor + (n+1)·interval): no drift across short months.
    billing_anchor timestamptz NOT NULL,
    period_number int4 NOT NULL DEFAULT 0,
    current_period_start timestamptz NOT NULL,
    current_period_end timestamptz NOT NULL CHECK (current_period_end > current_period_start),
    trial_end timestamptz,
    trial_ending_notified bool NOT NULL DEFAULT false,
    trial_used bool NOT NULL DEFAULT false,
    cancel_at_period_end bool NOT NULL DEFAULT false,
    canceled_at timestamptz,
    -- A downgrade waits for the period end here.
    pending_plan_code text,
    pending_plan_version int4,
    past_due_since timestamptz,
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (plan_code, plan_version) REFERENCES plans (code, version),
    FOREIGN KEY (pending_plan_code, pending_plan_version) REFERENCES plans (code, version)
);

CREATE TABLE subscription_transitions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    -- Orders transitions that share an instant (one request can make several).
    sequence int8 GENERATED ALWAYS AS IDENTITY,
    from_status text,
    to_status text NOT NULL,
    from_plan text,
    to_plan text NOT NULL,
    reason text NOT NULL,
    actor text NOT NULL,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX subscription_transitions_time ON subscription_transitions (tenant_id, occurred_at, sequence);

-- Proration lines waiting for the next period-end invoice.
CREATE TABLE pending_charges (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('proration')),
    description text NOT NULL,
    amount_minor int8 NOT NULL,
    currency text NOT NULL,
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    invoice_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX pending_charges_open ON pending_charges (tenant_id) WHERE invoice_id IS NULL;

-- One row per metered quantity of one event; the primary key makes a redelivered event count once
-- even without the inbox (e.g. the same event arriving on two consumers).
CREATE TABLE usage_records (
    tenant_id uuid NOT NULL,
    event_id uuid NOT NULL,
    metric text NOT NULL,
    value int8 NOT NULL,
    unique_key text,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, event_id, metric)
);
CREATE INDEX usage_records_window ON usage_records (tenant_id, metric, occurred_at);

-- Which tenants have time-driven work and when (trial ends, period ends, payment retries). No
-- business data, and no RLS: the scheduler must find due tenants across the whole database,
-- then does each tenant's work inside that tenant's transaction.
CREATE TABLE billing_schedule (
    tenant_id uuid PRIMARY KEY,
    next_due_at timestamptz NOT NULL
);
CREATE INDEX billing_schedule_due ON billing_schedule (next_due_at);

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
FROM unnest(ARRAY['subscriptions', 'subscription_transitions', 'pending_charges', 'usage_records']::regclass[]) AS t;

-- The seeded catalog (USD, monthly and yearly). Storage in bytes (GiB = 2^30).
INSERT INTO plans (code, version, name, description, tier, price_minor, currency, billing_interval, trial_days, features, limits, overage, rate_limit_per_minute) VALUES
('free', 1, 'Free', 'For trying the suite with a small team.', 0, 0, 'USD', 'month', 0,
    '{core}', '{"users": 5, "storage_bytes": 5368709120, "ai_queries": 100}', '{}', 600),
('basic', 1, 'Basic', 'For small teams running their business on the suite.', 1, 2900, 'USD', 'month', 14,
    '{core,api_access,custom_fields,csv_import}', '{"users": 25, "storage_bytes": 107374182400, "ai_queries": 1000}',
    '{"ai_queries": {"unitPriceMinor": 2, "unitSize": 1}}', 3000),
('basic_yearly', 1, 'Basic (yearly)', 'Basic, billed yearly: two months free.', 1, 29000, 'USD', 'year', 14,
    '{core,api_access,custom_fields,csv_import}', '{"users": 25, "storage_bytes": 107374182400, "ai_queries": 1000}',
    '{"ai_queries": {"unitPriceMinor": 2, "unitSize": 1}}', 3000),
('pro', 1, 'Pro', 'Every feature, no user limit.', 2, 9900, 'USD', 'month', 14,
    '{core,api_access,custom_fields,csv_import,advanced_analytics,automation,ai_assistant,audit_export,webhooks}',
    '{"storage_bytes": 1099511627776, "ai_queries": 10000}', '{"ai_queries": {"unitPriceMinor": 1, "unitSize": 1}}', 12000),
('pro_yearly', 1, 'Pro (yearly)', 'Pro, billed yearly: two months free.', 2, 99000, 'USD', 'year', 14,
    '{core,api_access,custom_fields,csv_import,advanced_analytics,automation,ai_assistant,audit_export,webhooks}',
    '{"storage_bytes": 1099511627776, "ai_queries": 10000}', '{"ai_queries": {"unitPriceMinor": 1, "unitSize": 1}}', 12000),
('enterprise', 1, 'Enterprise', 'Pro with single sign-on and dedicated support.', 3, 29900, 'USD', 'month', 30,
    '{core,api_access,custom_fields,csv_import,advanced_analytics,automation,ai_assistant,audit_export,webhooks,sso,dedicated_support}',
    '{"storage_bytes": 1099511627776, "ai_queries": 10000}', '{"ai_queries": {"unitPriceMinor": 1, "unitSize": 1}}', 60000),
('enterprise_yearly', 1, 'Enterprise (yearly)', 'Enterprise, billed yearly: two months free.', 3, 299000, 'USD', 'year', 30,
    '{core,api_access,custom_fields,csv_import,advanced_analytics,automation,ai_assistant,audit_export,webhooks,sso,dedicated_support}',
    '{"storage_bytes": 1099511627776, "ai_queries": 10000}', '{"ai_queries": {"unitPriceMinor": 1, "unitSize": 1}}', 60000);
