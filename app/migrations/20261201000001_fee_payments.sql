-- Paying fee notices. An order is what the gateway knows (its QR code); a notice has at most one
-- order that is pending or paid at a time (the partial unique index), so a paid notice cannot be
-- paid again and two taps cannot open two codes. A gateway transaction is recorded once.
CREATE TABLE payment_orders (
    id              INTEGER PRIMARY KEY,
    notice_id       INTEGER NOT NULL REFERENCES fee_notices(id),
    -- Ours at the gateway: fees::model::out_trade_no(notice, id), set in the inserting transaction.
    out_trade_no    TEXT UNIQUE,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'closed')),
    code_url        TEXT,
    created_by      INTEGER NOT NULL REFERENCES people(id),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    paid_at         INTEGER,
    transaction_id  TEXT UNIQUE,
    receipt_no      TEXT UNIQUE,
    -- How we learnt of the payment: 'notification' or 'query' (reconciliation).
    paid_via        TEXT,
    closed_at       INTEGER
);
CREATE UNIQUE INDEX payment_orders_one_open_per_notice ON payment_orders(notice_id) WHERE status IN ('pending', 'paid');
CREATE INDEX payment_orders_pending ON payment_orders(created_at) WHERE status = 'pending';

-- Every report from the gateway, trusted or not: what it said and what it did. Refused
-- notifications (bad signature, wrong amount, unknown order) are kept here for staff.
CREATE TABLE payment_events (
    id               INTEGER PRIMARY KEY,
    at               INTEGER NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('notification', 'query')),
    out_trade_no     TEXT,
    notification_id  TEXT,
    outcome          TEXT NOT NULL,
    detail           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_events_order ON payment_events(out_trade_no);
