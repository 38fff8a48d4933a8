import ERPPostgres

/// The test service's own tables: tenant-owned, row-level security forced, like a real service's.
enum NotesSchema {
    static let migrations = [
        PostgresMigration(
            version: 100,
            name: "notes",
            sql: """
                CREATE TABLE notes (
                    tenant_id uuid NOT NULL,
                    id uuid PRIMARY KEY,
                    title text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
                ALTER TABLE notes FORCE ROW LEVEL SECURITY;
                CREATE POLICY tenant_isolation ON notes
                    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

                -- What the consumer side did per event; a duplicate effect would show up as a second row.
                CREATE TABLE note_effects (
                    tenant_id uuid NOT NULL,
                    event_id uuid NOT NULL,
                    note_id uuid NOT NULL,
                    handled_at timestamptz NOT NULL DEFAULT now()
                );
                ALTER TABLE note_effects ENABLE ROW LEVEL SECURITY;
                ALTER TABLE note_effects FORCE ROW LEVEL SECURITY;
                CREATE POLICY tenant_isolation ON note_effects
                    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
                    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
                """
        )
    ]
}
