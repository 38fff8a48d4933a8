-- Activities on any record: calls, emails, meetings, notes and tasks (tasks have a due date and
-- are done or not). With timeline_entries they make up a record's timeline.

CREATE TABLE activities (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note', 'task')),
    subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    record_type text NOT NULL CHECK (record_type IN ('company', 'contact', 'lead', 'opportunity')),
    record_id uuid NOT NULL,
    -- When it happened (or, for a task, when it was created); orders the timeline.
    occurred_at timestamptz NOT NULL,
    due_at timestamptz,
    done bool NOT NULL DEFAULT false,
    done_at timestamptz,
    done_by text,
    duration_minutes int4 CHECK (duration_minutes BETWEEN 0 AND 100000),
    owner_id uuid,
    version int8 NOT NULL DEFAULT 1,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (kind = 'task' OR (due_at IS NULL AND NOT done)),
    CHECK (done = (done_at IS NOT NULL))
);
CREATE INDEX activities_record ON activities (tenant_id, record_type, record_id, occurred_at, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_live_occurred ON activities (tenant_id, occurred_at, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_open_tasks ON activities (tenant_id, owner_id, due_at) WHERE kind = 'task' AND NOT done AND deleted_at IS NULL;

SELECT crm_enable_tenant_isolation('activities');
