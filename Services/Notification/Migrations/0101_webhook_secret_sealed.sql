-- Webhook signing secrets are sealed at rest (AES-256-GCM under NOTIFICATION_SECRET_KEY, bound
-- to the endpoint id; see WebhookEndpoint+Secret.swift) instead of kept in clear.
--
-- The key is not in the database, so rows written before this migration cannot be sealed
-- here: their clear secret is dropped and the empty sealed value fails their next delivery for
-- good with "create the endpoint again". (The service had not shipped: there should be none.)
ALTER TABLE webhook_endpoints DROP COLUMN secret;
ALTER TABLE webhook_endpoints ADD COLUMN sealed_secret bytea NOT NULL DEFAULT ''::bytea;
ALTER TABLE webhook_endpoints ALTER COLUMN sealed_secret DROP DEFAULT;
-- Nonce (12) + tag (16) at least, for every row written from now on.
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_sealed_secret_length CHECK (octet_length(sealed_secret) > 28) NOT VALID;
