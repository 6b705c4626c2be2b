-- The built-in sandbox payment platform's refunds (TIANPING_SANDBOX=true), as WeChat Pay would
-- hold them: each against one paid sandbox order. Nothing here moves money. Times are Unix
-- seconds (UTC); amounts are fen.
CREATE TABLE sandbox_pay_refunds (
    -- The merchant's number: a second request with it is answered with this refund.
    out_refund_no   TEXT PRIMARY KEY,
    -- WeChat's own 29-digit id of the refund.
    refund_id       TEXT NOT NULL UNIQUE,
    out_trade_no    TEXT NOT NULL REFERENCES sandbox_pay_orders (out_trade_no),
    transaction_id  TEXT NOT NULL,
    reason          TEXT NOT NULL,
    -- Optional at WeChat too: without it the merchant learns the outcome only by query.
    notify_url      TEXT,
    refund_fen      INTEGER NOT NULL CHECK (refund_fen > 0),
    total_fen       INTEGER NOT NULL CHECK (total_fen >= refund_fen),
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'PROCESSING' CHECK (status IN ('PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL')),
    -- When the money reached the payer: exactly when SUCCESS.
    success_time    INTEGER,
    created_at      INTEGER NOT NULL,
    CHECK ((status = 'SUCCESS') = (success_time IS NOT NULL))
);

-- What is left to refund of an order is read at every refund request.
CREATE INDEX sandbox_pay_refunds_by_order ON sandbox_pay_refunds (out_trade_no);
