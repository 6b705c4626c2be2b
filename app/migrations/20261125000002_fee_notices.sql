-- Fee notices (缴费通知): issued in the same transaction that accepts a filing, so no case is
-- ever without its notice. `working` keeps the calculation as issued (kind, amount, lines), so
-- the payer sees what the court asked for even if the province's figures change later.
CREATE TABLE fee_notices (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    kind        TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    working     TEXT NOT NULL,
    issued_at   INTEGER NOT NULL,
    deadline    INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'unpaid' CHECK (status IN ('unpaid', 'paid'))
);
