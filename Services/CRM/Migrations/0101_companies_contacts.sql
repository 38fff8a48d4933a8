-- Companies and contacts, linked many-to-many with a role per link.
--
-- Both are soft-deleted (deleted_at) and restorable; a merged duplicate is soft-deleted with
-- merged_into pointing at the survivor. Duplicates are prevented among live rows by unique
-- indexes on the normalized company domain and contact email.
-- sort_name is lowercased with "C" collation: sorting and keyset comparisons on it use
-- leakproof operators, so the index serves them under row-level security (see search_terms).

CREATE TABLE companies (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    domain text CHECK (domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
    website text,
    industry text,
    employee_count int4 CHECK (employee_count >= 0),
    annual_revenue_minor int8 CHECK (annual_revenue_minor >= 0),
    annual_revenue_currency text CHECK (annual_revenue_currency ~ '^[A-Z]{3}$'),
    phone text,
    street text,
    city text,
    region text,
    postal_code text,
    country text CHECK (country ~ '^[A-Z]{2}$'),
    description text NOT NULL DEFAULT '',
    owner_id uuid,
    tags text[] NOT NULL DEFAULT '{}',
    custom_fields jsonb NOT NULL DEFAULT '{}',
    version int8 NOT NULL DEFAULT 1,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    merged_into uuid,
    sort_name text COLLATE "C" GENERATED ALWAYS AS (lower(name)) STORED,
    search_text text GENERATED ALWAYS AS (lower(name || ' ' || coalesce(domain, ''))) STORED,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple',
        name || ' ' || coalesce(domain, '') || ' ' || coalesce(industry, '') || ' ' || coalesce(city, ''))) STORED,
    PRIMARY KEY (tenant_id, id),
    CHECK ((annual_revenue_minor IS NULL) = (annual_revenue_currency IS NULL))
);
CREATE UNIQUE INDEX companies_live_domain ON companies (tenant_id, domain) WHERE deleted_at IS NULL AND domain IS NOT NULL;
CREATE INDEX companies_live_created ON companies (tenant_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_live_updated ON companies (tenant_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_live_name ON companies (tenant_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_owner ON companies (tenant_id, owner_id) WHERE deleted_at IS NULL;
CREATE TRIGGER companies_search_terms AFTER INSERT OR UPDATE OR DELETE ON companies
    FOR EACH ROW EXECUTE FUNCTION crm_index_search_terms('company');

CREATE TABLE contacts (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    first_name text NOT NULL DEFAULT '' CHECK (length(first_name) <= 100),
    last_name text NOT NULL DEFAULT '' CHECK (length(last_name) <= 100),
    email text CHECK (email = lower(email) AND length(email) <= 254),
    phone text,
    title text,
    description text NOT NULL DEFAULT '',
    owner_id uuid,
    tags text[] NOT NULL DEFAULT '{}',
    custom_fields jsonb NOT NULL DEFAULT '{}',
    version int8 NOT NULL DEFAULT 1,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    merged_into uuid,
    sort_name text COLLATE "C" GENERATED ALWAYS AS (lower(last_name || ' ' || first_name)) STORED,
    search_text text GENERATED ALWAYS AS (lower(first_name || ' ' || last_name || ' ' || coalesce(email, ''))) STORED,
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple',
        first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(title, ''))) STORED,
    PRIMARY KEY (tenant_id, id),
    CHECK (first_name <> '' OR last_name <> '' OR email IS NOT NULL)
);
CREATE UNIQUE INDEX contacts_live_email ON contacts (tenant_id, email) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX contacts_live_created ON contacts (tenant_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live_updated ON contacts (tenant_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_live_name ON contacts (tenant_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_owner ON contacts (tenant_id, owner_id) WHERE deleted_at IS NULL;
CREATE TRIGGER contacts_search_terms AFTER INSERT OR UPDATE OR DELETE ON contacts
    FOR EACH ROW EXECUTE FUNCTION crm_index_search_terms('contact');

-- A contact works at (or for) companies, each link with a role; at most one link is primary.
CREATE TABLE contact_companies (
    tenant_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    company_id uuid NOT NULL,
    role text NOT NULL DEFAULT '' CHECK (length(role) <= 100),
    is_primary bool NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, contact_id, company_id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
    FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id)
);
CREATE UNIQUE INDEX contact_companies_one_primary ON contact_companies (tenant_id, contact_id) WHERE is_primary;
CREATE INDEX contact_companies_company ON contact_companies (tenant_id, company_id);

SELECT crm_enable_tenant_isolation(t)
FROM unnest(ARRAY['companies', 'contacts', 'contact_companies']::regclass[]) AS t;
