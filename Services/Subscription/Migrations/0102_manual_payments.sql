-- Payments a person starts (POST /v1/invoices/{id}/pay) do not count toward dunning: only the
-- scheduler's attempts advance the 1, 3, 7-day schedule and can make a subscription unpaid
-- (as Stripe counts only its automatic retries). Existing rows were all counted before.
ALTER TABLE payments ADD COLUMN manual boolean NOT NULL DEFAULT false;
