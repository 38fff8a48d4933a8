-- Email deliveries of users who chose the daily digest: held until 08:00 in their time zone,
-- then sent together as one mail per address (the worker gathers the due ones).
ALTER TABLE deliveries ADD COLUMN digest boolean NOT NULL DEFAULT false;
CREATE INDEX deliveries_digest_due ON deliveries (tenant_id, target, next_attempt_at)
    WHERE digest AND status IN ('queued', 'retrying');
