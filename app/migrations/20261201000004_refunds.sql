-- Refunds (退费). Created by the rules (a case ended by mediation, withdrawal or dismissal; money
-- that arrived for a closed order), approved by staff, then sent back through the gateway. One
-- refund per order and reason, so recording an ending twice or a duplicate notification never
-- makes a second one. `deadline` is the art. 53 clock: 15 days from the decision.
CREATE TABLE fee_refunds (
    id             INTEGER PRIMARY KEY,
    notice_id      INTEGER NOT NULL REFERENCES fee_notices(id),
    order_id       INTEGER NOT NULL REFERENCES payment_orders(id),
    -- Ours at the gateway: fees::model::out_refund_no(order, id), set in the inserting transaction.
    out_refund_no  TEXT UNIQUE,
    reason         TEXT NOT NULL CHECK (reason IN ('mediation', 'withdrawal', 'dismissed', 'paid_after_close')),
    amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
    status         TEXT NOT NULL DEFAULT 'awaiting_approval'
                   CHECK (status IN ('awaiting_approval', 'processing', 'refunded', 'failed')),
    created_at     INTEGER NOT NULL,
    deadline       INTEGER NOT NULL,
    approved_by    INTEGER REFERENCES people(id),
    approved_at    INTEGER,
    refund_id      TEXT UNIQUE,
    refunded_at    INTEGER,
    -- Why the gateway could not pay it out (CLOSED, ABNORMAL, or its error code).
    failure        TEXT,
    UNIQUE (order_id, reason)
);
CREATE INDEX fee_refunds_open ON fee_refunds(created_at) WHERE status IN ('awaiting_approval', 'processing');

-- Every refund report from the gateway, trusted or not, as payment_events keeps payments'.
CREATE TABLE refund_events (
    id               INTEGER PRIMARY KEY,
    at               INTEGER NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('answer', 'notification', 'query')),
    out_refund_no    TEXT,
    notification_id  TEXT,
    outcome          TEXT NOT NULL,
    detail           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX refund_events_refund ON refund_events(out_refund_no);

-- How a case ended, as far as its fees are concerned (fees::model::CaseEnding).
ALTER TABLE cases ADD COLUMN ended_as TEXT CHECK (ended_as IN ('judgment', 'mediation', 'withdrawal', 'dismissed'));
ALTER TABLE cases ADD COLUMN ended_at INTEGER;
ALTER TABLE cases ADD COLUMN ended_by INTEGER REFERENCES people(id);
