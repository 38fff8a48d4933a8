-- Invoices, payments, payment methods and the provider's webhook log.
--
-- An issued invoice is immutable: its lines and amounts are fixed by triggers, so a bug cannot
-- rewrite a document a customer has received; only its payment state moves on.

CREATE TABLE billing_settings (
    tenant_id uuid PRIMARY KEY,
    -- Basis points: 1900 is 19 %.
    tax_rate_bp int4 NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    tax_label text NOT NULL DEFAULT 'Tax',
    billing_email text,
    provider_customer_id text,
    version int8 NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoice_counters (
    tenant_id uuid PRIMARY KEY,
    last_number int8 NOT NULL DEFAULT 0
);

CREATE TABLE invoices (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    number text,
    status text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
    currency text NOT NULL,
    subtotal_minor int8 NOT NULL DEFAULT 0,
    tax_rate_bp int4 NOT NULL DEFAULT 0,
    tax_minor int8 NOT NULL DEFAULT 0,
    total_minor int8 NOT NULL DEFAULT 0,
    amount_paid_minor int8 NOT NULL DEFAULT 0,
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    issued_at timestamptz,
    due_at timestamptz,
    paid_at timestamptz,
    -- Dunning: how many charges were tried and when the next one is due (NULL: none planned).
    attempt_count int4 NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    CHECK (status = 'draft' OR (number IS NOT NULL AND issued_at IS NOT NULL))
);
CREATE INDEX invoices_listing ON invoices (tenant_id, created_at DESC, id);
CREATE INDEX invoices_open ON invoices (tenant_id, next_attempt_at) WHERE status = 'open';

CREATE TABLE invoice_lines (
    tenant_id uuid NOT NULL,
    invoice_id uuid NOT NULL,
    line_number int4 NOT NULL,
    kind text NOT NULL CHECK (kind IN ('plan', 'proration', 'overage')),
    description text NOT NULL,
    quantity int8 NOT NULL,
    unit_amount_minor int8 NOT NULL,
    amount_minor int8 NOT NULL,
    metric text,
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id, line_number),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);

CREATE FUNCTION issued_invoices_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'an issued invoice cannot be deleted' USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
        NEW.number IS DISTINCT FROM OLD.number OR NEW.currency <> OLD.currency
        OR NEW.subtotal_minor <> OLD.subtotal_minor OR NEW.tax_rate_bp <> OLD.tax_rate_bp
        OR NEW.tax_minor <> OLD.tax_minor OR NEW.total_minor <> OLD.total_minor
        OR NEW.period_start <> OLD.period_start OR NEW.period_end <> OLD.period_end
        OR NEW.issued_at IS DISTINCT FROM OLD.issued_at OR NEW.status = 'draft'
    ) THEN
        RAISE EXCEPTION 'an issued invoice is immutable' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION issued_invoices_are_immutable();

CREATE FUNCTION issued_invoice_lines_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    invoice_status text;
BEGIN
    SELECT status INTO invoice_status FROM invoices
    WHERE tenant_id = COALESCE(NEW.tenant_id, OLD.tenant_id) AND id = COALESCE(NEW.invoice_id, OLD.invoice_id);
    IF invoice_status IS DISTINCT FROM 'draft' THEN
        RAISE EXCEPTION 'the lines of an issued invoice are immutable' USING ERRCODE = 'check_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END
$$;
CREATE TRIGGER invoice_lines_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION issued_invoice_lines_are_immutable();

-- References to the provider's stored cards: never a card number, never a CVC.
CREATE TABLE payment_methods (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    provider_reference text NOT NULL,
    brand text NOT NULL,
    last4 text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
    exp_month int4 NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year int4 NOT NULL,
    is_default bool NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, provider_reference)
);
CREATE UNIQUE INDEX payment_methods_default ON payment_methods (tenant_id) WHERE is_default;

CREATE TABLE payments (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    invoice_id uuid NOT NULL,
    attempt int4 NOT NULL,
    amount_minor int8 NOT NULL CHECK (amount_minor > 0),
    currency text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    payment_method_id uuid,
    -- The provider's payment intent; the payment id doubles as its Idempotency-Key.
    provider_payment_id text,
    failure_code text,
    failure_message text,
    -- Who started it: the scheduler, or a person through the API (with their Idempotency-Key).
    initiated_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX payments_invoice ON payments (tenant_id, invoice_id, created_at);
CREATE INDEX payments_pending ON payments (tenant_id, created_at) WHERE status = 'pending';
CREATE UNIQUE INDEX payments_provider ON payments (provider_payment_id) WHERE provider_payment_id IS NOT NULL;

SELECT enable_tenant_isolation(t)
FROM unnest(ARRAY['billing_settings', 'invoice_counters', 'invoices', 'invoice_lines', 'payment_methods', 'payments']::regclass[]) AS t;

-- Provider events already applied: a replayed webhook (same event id) changes nothing. Global,
-- like the inbox: the event names its tenant only in its metadata.
CREATE TABLE webhook_events (
    provider_event_id text PRIMARY KEY,
    event_type text NOT NULL,
    tenant_id uuid,
    received_at timestamptz NOT NULL DEFAULT now()
);
