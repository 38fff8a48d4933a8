-- Leads: people not yet qualified as customers, with their source, status, owner, scoring
-- inputs and current score. Scores keep their history in lead_scores; round-robin assignment
-- rotates through lead_assignment_members, serialized by the tenant's lead_assignment_state row.

CREATE TABLE leads (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    first_name text NOT NULL DEFAULT '' CHECK (length(first_name) <= 100),
    last_name text NOT NULL DEFAULT '' CHECK (length(last_name) <= 100),
    email text CHECK (email = lower(email) AND length(email) <= 254),
    phone text,
    title text,
    company_name text,
    website text,
    source text NOT NULL CHECK (source IN ('web', 'referral', 'event', 'cold_call', 'email_campaign', 'partner', 'advertising', 'social', 'other')),
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'qualified', 'unqualified', 'converted')),
    status_reason text,
    owner_id uuid,
    -- Scoring inputs.
    budget_minor int8 CHECK (budget_minor >= 0),
    budget_currency text CHECK (budget_currency ~ '^[A-Z]{3}$'),
    purchase_timeline text NOT NULL DEFAULT 'unknown'
        CHECK (purchase_timeline IN ('immediate', 'within_3_months', 'within_6_months', 'within_12_months', 'later', 'unknown')),
    technical_complexity text NOT NULL DEFAULT 'unknown' CHECK (technical_complexity IN ('low', 'medium', 'high', 'unknown')),
    decision_role text NOT NULL DEFAULT 'unknown' CHECK (decision_role IN ('decision_maker', 'influencer', 'end_user', 'unknown')),
    industry text,
    -- The current score (the newest row of lead_scores).
    score int4 CHECK (score BETWEEN 0 AND 100),
    score_priority text CHECK (score_priority IN ('IMMEDIATE', 'HIGH', 'MEDIUM', 'LOW')),
    scored_at timestamptz,
    converted_at timestamptz,
    converted_by text,
    converted_contact_id uuid,
    converted_company_id uuid,
    converted_opportunity_id uuid,
    description text NOT NULL DEFAULT '',
    tags text[] NOT NULL DEFAULT '{}',
    custom_fields jsonb NOT NULL DEFAULT '{}',
    version int8 NOT NULL DEFAULT 1,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    sort_name text COLLATE "C" GENERATED ALWAYS AS (lower(last_name || ' ' || first_name)) STORED,
    search_text text GENERATED ALWAYS AS (lower(first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(company_name, ''))) STORED,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple',
        first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(phone, ''))) STORED,
    PRIMARY KEY (tenant_id, id),
    CHECK ((budget_minor IS NULL) = (budget_currency IS NULL)),
    CHECK (first_name <> '' OR last_name <> '' OR email IS NOT NULL),
    CHECK ((status = 'converted') = (converted_at IS NOT NULL))
);
CREATE INDEX leads_live_created ON leads (tenant_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_live_updated ON leads (tenant_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_live_name ON leads (tenant_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_live_status ON leads (tenant_id, status) WHERE deleted_at IS NULL;
CREATE INDEX leads_owner ON leads (tenant_id, owner_id) WHERE deleted_at IS NULL;
CREATE TRIGGER leads_search_terms AFTER INSERT OR UPDATE OR DELETE ON leads
    FOR EACH ROW EXECUTE FUNCTION crm_index_search_terms('lead');

-- Every score a lead was given, newest last; the lead row holds a copy of the newest.
CREATE TABLE lead_scores (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    lead_id uuid NOT NULL,
    scorer text NOT NULL,
    score int4 NOT NULL CHECK (score BETWEEN 0 AND 100),
    priority text NOT NULL CHECK (priority IN ('IMMEDIATE', 'HIGH', 'MEDIUM', 'LOW')),
    criteria jsonb NOT NULL,
    recommended_action text NOT NULL,
    inputs jsonb NOT NULL,
    computed_by text NOT NULL,
    computed_at timestamptz NOT NULL,
    sequence int8 GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id)
);
CREATE INDEX lead_scores_lead ON lead_scores (tenant_id, lead_id, sequence);

-- The users leads are assigned to in turn, in position order.
CREATE TABLE lead_assignment_members (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    position int4 NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

-- Where the rotation stands; locked by each round-robin assignment.
CREATE TABLE lead_assignment_state (
    tenant_id uuid PRIMARY KEY,
    last_user_id uuid,
    assignments int8 NOT NULL DEFAULT 0
);

SELECT crm_enable_tenant_isolation(t)
FROM unnest(ARRAY['leads', 'lead_scores', 'lead_assignment_members', 'lead_assignment_state']::regclass[]) AS t;
