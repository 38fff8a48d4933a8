-- erp-crm foundation: tenant isolation, per-tenant settings, custom field definitions, the
-- search term index and the record timeline.
--
-- Every tenant table gets row-level security with FORCE (the owner role is subject to it too);
-- the service connects as erp_crm_app, which is neither owner nor superuser.

-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. The local
-- stack and the compose init script create it as superuser already, so this is a no-op there.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE FUNCTION crm_enable_tenant_isolation(t regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s '
        'USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) '
        'WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
END
$$;

-- One row per tenant that has used the service; holds what is seeded once.
CREATE TABLE tenant_settings (
    tenant_id uuid PRIMARY KEY,
    default_pipeline_seeded_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Typed custom fields per tenant and record type; values live in each record's custom_fields
-- (jsonb) and are validated against these definitions on every write.
CREATE TABLE custom_field_definitions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    entity text NOT NULL CHECK (entity IN ('company', 'contact', 'lead', 'opportunity')),
    key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    field_type text NOT NULL CHECK (field_type IN ('text', 'number', 'integer', 'boolean', 'date', 'select', 'multi_select', 'url', 'email')),
    options text[] NOT NULL DEFAULT '{}',
    required bool NOT NULL DEFAULT false,
    position int4 NOT NULL DEFAULT 0,
    version int8 NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, entity, key)
);

-- The search index: every word (and every alphanumeric part of a word, so `acme` finds
-- `jdoe@acme.com`) of a record's search_vector, kept by a trigger on each searchable table.
--
-- Why a table and not GIN indexes on the tsvector / trigram columns: under row-level security
-- PostgreSQL only uses a condition as an index condition when its operator is LEAKPROOF, and
-- `@@`, `%` and `ILIKE` are not (only a superuser could change that). Prefix ranges on a "C"
-- collated text column use `>=`/`<`, which are leakproof, so this btree is used inside the
-- tenant's policy. Ranking still uses the tsvector (ts_rank) and pg_trgm (similarity).
CREATE TABLE search_terms (
    tenant_id uuid NOT NULL,
    term text COLLATE "C" NOT NULL,
    record_type text NOT NULL,
    record_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, term, record_type, record_id)
);
CREATE INDEX search_terms_record ON search_terms (tenant_id, record_type, record_id);

CREATE FUNCTION crm_index_search_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.search_vector = OLD.search_vector THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM search_terms WHERE tenant_id = OLD.tenant_id AND record_type = TG_ARGV[0] AND record_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    INSERT INTO search_terms (tenant_id, term, record_type, record_id)
    SELECT DISTINCT NEW.tenant_id, left(term, 100), TG_ARGV[0], NEW.id
    FROM (
        SELECT lexeme AS term FROM unnest(tsvector_to_array(NEW.search_vector)) AS lexeme
        UNION
        SELECT part FROM unnest(tsvector_to_array(NEW.search_vector)) AS lexeme,
            regexp_split_to_table(lexeme, '[^[:alnum:]]+') AS part
    ) AS terms
    WHERE term <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- What happened to a record besides its activities: its own CRM events (created, stage
-- changed, won, converted, …) and events of other services about it (an invoice paid).
-- event_id is unique per tenant so a redelivered event lands once.
CREATE TABLE timeline_entries (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    record_type text NOT NULL CHECK (record_type IN ('company', 'contact', 'lead', 'opportunity')),
    record_id uuid NOT NULL,
    occurred_at timestamptz NOT NULL,
    source text NOT NULL,
    event_type text NOT NULL,
    event_id uuid NOT NULL,
    actor text,
    summary text NOT NULL,
    data jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, event_id, record_type, record_id)
);
CREATE INDEX timeline_entries_record ON timeline_entries (tenant_id, record_type, record_id, occurred_at, id);

SELECT crm_enable_tenant_isolation(t)
FROM unnest(ARRAY['tenant_settings', 'custom_field_definitions', 'search_terms', 'timeline_entries']::regclass[]) AS t;
