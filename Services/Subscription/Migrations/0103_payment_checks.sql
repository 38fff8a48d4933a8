-- A pending payment is looked at again when its `next_check_at` comes (not at every sweep once
-- it is 15 minutes old), with a backoff per check, so a charge that stays "processing" at the
-- provider for days costs a few requests rather than one per sweep.
ALTER TABLE payments ADD COLUMN next_check_at timestamptz;
ALTER TABLE payments ADD COLUMN checks integer NOT NULL DEFAULT 0;
UPDATE payments SET next_check_at = created_at + interval '15 minutes' WHERE status = 'pending';
CREATE INDEX payments_pending_check ON payments (next_check_at) WHERE status = 'pending';
