-- Fee relief (司法救助, arts. 44–49 of the Measures on the Payment of Litigation Costs). The
-- application itself is part of the filing as submitted (sealed with it); the court's decision
-- is taken when the filing is accepted, in the same transaction that issues the fee notice, and
-- kept here: one decision per filing, granted or refused (a refusal keeps its written reason,
-- art. 49).
CREATE TABLE fee_relief_decisions (
    id              INTEGER PRIMARY KEY,
    filing_id       INTEGER NOT NULL UNIQUE REFERENCES filings(id),
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    applied_kind    TEXT NOT NULL CHECK (applied_kind IN ('defer', 'reduce', 'waive')),
    ground          TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('defer', 'reduce', 'waive', 'refuse')),
    -- Reductions: the percentage taken off (art. 46: at least 30; 100 would be a waiver).
    percent         INTEGER CHECK (percent IS NULL OR percent BETWEEN 30 AND 99),
    -- Deferrals: the new deadline (24:00 Beijing time of the decided day).
    deferred_until  INTEGER,
    reason          TEXT,
    original_fen    INTEGER NOT NULL CHECK (original_fen >= 0),
    due_fen         INTEGER NOT NULL CHECK (due_fen >= 0 AND due_fen <= original_fen),
    decided_at      INTEGER NOT NULL,
    decided_by      INTEGER NOT NULL REFERENCES people(id),
    CHECK ((decision = 'reduce') = (percent IS NOT NULL)),
    CHECK ((decision = 'defer') = (deferred_until IS NOT NULL)),
    CHECK (decision <> 'refuse' OR (reason IS NOT NULL AND reason <> ''))
);

-- What a granted relief did to the notice (JSON of `fees::relief::NoticeRelief`: decision,
-- percent, original, relief, due, normal_deadline, deadline); NULL when none was granted. The
-- notice's `amount_fen` is already the amount due (0 for a waiver) and its `deadline` the
-- deadline as moved.
ALTER TABLE fee_notices ADD COLUMN relief TEXT;
