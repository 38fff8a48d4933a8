-- The organization's users as erp-auth announces them (erp.auth.organization.created for the
-- owner, erp.auth.user.created / updated / deactivated / reactivated for everyone), so record
-- owners are checked and offered without calling auth on every write.
--
-- updated_at is the time of the event the row reflects. Kafka delivers at least once and a
-- redelivery may come after a newer event of the same user, so a write only replaces an older
-- state, never a newer one.
-- sort_name is lowercased with "C" collation so the owner picker's keyset order uses leakproof
-- operators and its index serves it under row-level security (see search_terms).

CREATE TABLE members (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    name text NOT NULL DEFAULT '',
    email text NOT NULL DEFAULT '',
    status text NOT NULL CHECK (status IN ('active', 'deactivated')),
    updated_at timestamptz NOT NULL,
    sort_name text COLLATE "C" GENERATED ALWAYS AS (lower(name)) STORED,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX members_name ON members (tenant_id, sort_name, user_id);

SELECT crm_enable_tenant_isolation('members');
