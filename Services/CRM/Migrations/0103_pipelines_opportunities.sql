-- Sales pipelines with ordered stages, and opportunities moving through them.
--
-- Each pipeline has open stages plus exactly one won stage (probability 100) and one lost stage
-- (probability 0); the service checks that, the table checks the probabilities. Every stage
-- change of an opportunity is kept in opportunity_stage_history (who, when) for velocity,
-- stage durations and the history-based forecast.

CREATE TABLE pipelines (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    is_default bool NOT NULL DEFAULT false,
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX pipelines_one_default ON pipelines (tenant_id) WHERE is_default;
CREATE UNIQUE INDEX pipelines_name ON pipelines (tenant_id, lower(name));

CREATE TABLE pipeline_stages (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    pipeline_id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    position int4 NOT NULL CHECK (position >= 0),
    probability int4 NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind text NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    -- Removed stages stay for the history that names them.
    archived bool NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines (tenant_id, id) ON DELETE CASCADE,
    CHECK (kind <> 'won' OR probability = 100),
    CHECK (kind <> 'lost' OR probability = 0)
);
CREATE INDEX pipeline_stages_pipeline ON pipeline_stages (tenant_id, pipeline_id, position);

CREATE TABLE opportunities (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    pipeline_id uuid NOT NULL,
    stage_id uuid NOT NULL,
    amount_minor int8 NOT NULL CHECK (amount_minor >= 0),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    expected_close_date date,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    close_reason text,
    closed_at timestamptz,
    stage_entered_at timestamptz NOT NULL,
    company_id uuid,
    contact_id uuid,
    lead_id uuid,
    owner_id uuid,
    description text NOT NULL DEFAULT '',
    tags text[] NOT NULL DEFAULT '{}',
    custom_fields jsonb NOT NULL DEFAULT '{}',
    version int8 NOT NULL DEFAULT 1,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    sort_name text COLLATE "C" GENERATED ALWAYS AS (lower(name)) STORED,
    search_text text GENERATED ALWAYS AS (lower(name)) STORED,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || description)) STORED,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines (tenant_id, id),
    FOREIGN KEY (tenant_id, stage_id) REFERENCES pipeline_stages (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id),
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX opportunities_live_created ON opportunities (tenant_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_live_updated ON opportunities (tenant_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_live_name ON opportunities (tenant_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_live_stage ON opportunities (tenant_id, stage_id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_company ON opportunities (tenant_id, company_id);
CREATE INDEX opportunities_contact ON opportunities (tenant_id, contact_id);
CREATE INDEX opportunities_owner ON opportunities (tenant_id, owner_id) WHERE deleted_at IS NULL;
CREATE TRIGGER opportunities_search_terms AFTER INSERT OR UPDATE OR DELETE ON opportunities
    FOR EACH ROW EXECUTE FUNCTION crm_index_search_terms('opportunity');

CREATE TABLE opportunity_stage_history (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    opportunity_id uuid NOT NULL,
    from_stage_id uuid,
    to_stage_id uuid NOT NULL,
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL,
    sequence int8 GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, to_stage_id) REFERENCES pipeline_stages (tenant_id, id)
);
CREATE INDEX opportunity_stage_history_opportunity ON opportunity_stage_history (tenant_id, opportunity_id, changed_at, sequence);

SELECT crm_enable_tenant_isolation(t)
FROM unnest(ARRAY['pipelines', 'pipeline_stages', 'opportunities', 'opportunity_stage_history']::regclass[]) AS t;
