-- Changed claims (诉讼费用交纳办法 art. 21): a claim increased before the end of the court's
-- investigation asks for the fee on the difference (a further notice, 补缴); a claim reduced gives
-- the difference back. Each change is kept with the fee on the claims as changed (`working`),
-- which is the case's fee from then on (an ending halves that, not the fee first issued).
CREATE TABLE fee_claim_changes (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    claims_before  INTEGER NOT NULL,
    claims_after   INTEGER NOT NULL CHECK (claims_after >= 0),
    fee_before     INTEGER NOT NULL,
    fee_after      INTEGER NOT NULL,
    working        TEXT NOT NULL,
    changed_by     INTEGER NOT NULL REFERENCES people(id),
    changed_at     INTEGER NOT NULL
);
CREATE INDEX fee_claim_changes_of_case ON fee_claim_changes(case_id);

-- A case may now have more than one notice: the one issued at acceptance (change_id NULL; still
-- exactly one per case) and one for each change that asked for more. SQLite cannot drop a
-- UNIQUE constraint, so the table is rebuilt with the same ids. Foreign keys stay on: with them
-- deferred, dropping the table leaves the orders' and refunds' references pending, and putting
-- every row back under its old id settles them before the migration commits (a row lost would
-- fail the commit).
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE fee_notices_was AS SELECT * FROM fee_notices;
DROP TABLE fee_notices;
CREATE TABLE fee_notices (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    working     TEXT NOT NULL,
    issued_at   INTEGER NOT NULL,
    deadline    INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'unpaid' CHECK (status IN ('unpaid', 'paid')),
    relief      TEXT,
    -- The claim change this notice asks the difference for (补缴); NULL: issued at acceptance.
    change_id   INTEGER REFERENCES fee_claim_changes(id)
);
INSERT INTO fee_notices (id, case_id, kind, amount_fen, working, issued_at, deadline, status, relief)
    SELECT id, case_id, kind, amount_fen, working, issued_at, deadline, status, relief FROM fee_notices_was;
DROP TABLE fee_notices_was;
CREATE UNIQUE INDEX fee_notices_at_acceptance ON fee_notices(case_id) WHERE change_id IS NULL;
CREATE INDEX fee_notices_of_case ON fee_notices(case_id);

-- Refunds gain a reason (claims reduced) that may come more than once for one order (one per
-- change), so the one-per-order-and-reason rule holds for the other reasons only.
CREATE TEMP TABLE fee_refunds_was AS SELECT * FROM fee_refunds;
DROP TABLE fee_refunds;
CREATE TABLE fee_refunds (
    id             INTEGER PRIMARY KEY,
    notice_id      INTEGER NOT NULL REFERENCES fee_notices(id),
    order_id       INTEGER NOT NULL REFERENCES payment_orders(id),
    out_refund_no  TEXT UNIQUE,
    reason         TEXT NOT NULL CHECK (reason IN ('mediation', 'withdrawal', 'dismissed', 'paid_after_close', 'claims_reduced')),
    amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
    status         TEXT NOT NULL DEFAULT 'awaiting_approval'
                   CHECK (status IN ('awaiting_approval', 'processing', 'refunded', 'failed')),
    created_at     INTEGER NOT NULL,
    deadline       INTEGER NOT NULL,
    approved_by    INTEGER REFERENCES people(id),
    approved_at    INTEGER,
    refund_id      TEXT UNIQUE,
    refunded_at    INTEGER,
    failure        TEXT,
    -- The claim change a 'claims_reduced' refund comes from.
    change_id      INTEGER REFERENCES fee_claim_changes(id),
    CHECK ((reason = 'claims_reduced') = (change_id IS NOT NULL))
);
INSERT INTO fee_refunds (id, notice_id, order_id, out_refund_no, reason, amount_fen, status, created_at, deadline, approved_by, approved_at, refund_id, refunded_at, failure)
    SELECT id, notice_id, order_id, out_refund_no, reason, amount_fen, status, created_at, deadline, approved_by, approved_at, refund_id, refunded_at, failure FROM fee_refunds_was;
DROP TABLE fee_refunds_was;
CREATE UNIQUE INDEX fee_refunds_once_per_reason ON fee_refunds(order_id, reason) WHERE change_id IS NULL;
CREATE UNIQUE INDEX fee_refunds_once_per_change ON fee_refunds(order_id, change_id) WHERE change_id IS NOT NULL;
CREATE INDEX fee_refunds_open ON fee_refunds(created_at) WHERE status IN ('awaiting_approval', 'processing');
