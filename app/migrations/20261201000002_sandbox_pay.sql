-- The built-in sandbox payment platform (TIANPING_SANDBOX=true): the orders it holds as WeChat
-- Pay would hold them. Nothing here is a real payment; a deployment without sandboxes leaves the
-- table empty. Times are Unix seconds (UTC); amounts are fen.
CREATE TABLE sandbox_pay_orders (
    out_trade_no    TEXT PRIMARY KEY,
    mchid           TEXT NOT NULL,
    appid           TEXT NOT NULL,
    description     TEXT NOT NULL,
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    currency        TEXT NOT NULL,
    notify_url      TEXT NOT NULL,
    -- After this the cashier takes no payment; the order still reads NOTPAY until closed.
    time_expire     INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'NOTPAY' CHECK (state IN ('NOTPAY', 'SUCCESS', 'CLOSED')),
    -- WeChat's own 28-digit id of the payment, with the moment it was taken: both exactly when paid.
    transaction_id  TEXT UNIQUE,
    success_time    INTEGER,
    created_at      INTEGER NOT NULL,
    CHECK ((state = 'SUCCESS') = (transaction_id IS NOT NULL AND success_time IS NOT NULL))
);
