//! SQL for fees: fee notices, issued inside the transaction that accepts a filing, and read by
//! the people who may pay them (the filer, and the client a lawyer filed for).
use crate::identity::model::UnixTime;
use sqlx::{SqliteConnection, SqlitePool};

/// A fee notice to issue with a new case.
pub struct NewNotice {
    pub kind: &'static str,
    pub amount_fen: i64,
    /// The calculation as issued (JSON of `model::Working`).
    pub working: String,
    pub deadline: UnixTime,
}

/// Issues the case's fee notice on the accepting transaction's connection.
pub async fn issue_in(conn: &mut SqliteConnection, case_id: i64, n: &NewNotice, now: UnixTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO fee_notices (case_id, kind, amount_fen, working, issued_at, deadline) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(case_id)
    .bind(n.kind)
    .bind(n.amount_fen)
    .bind(&n.working)
    .bind(now.0)
    .bind(n.deadline.0)
    .fetch_one(conn)
    .await
}

/// A fee notice with the case it belongs to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub case_number: String,
    pub court_name: String,
    pub filing_id: i64,
    pub kind: String,
    pub amount_fen: i64,
    pub working: String,
    pub issued_at: i64,
    pub deadline: i64,
    pub status: String,
    /// The open (pending or paid) payment order, if any.
    pub order_no: Option<String>,
    pub receipt_no: Option<String>,
}

/// The notices a person may see and pay: of cases they filed, or that were filed for them.
pub async fn notices_of(db: &SqlitePool, person_id: i64) -> Result<Vec<NoticeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, c.case_number, COALESCE(ct.name, c.court_code) AS court_name, c.filing_id, n.kind, n.amount_fen,
                n.working, n.issued_at, n.deadline, n.status, o.out_trade_no AS order_no, o.receipt_no
         FROM fee_notices n
         JOIN cases c ON c.id = n.case_id
         JOIN filings f ON f.id = c.filing_id
         LEFT JOIN courts ct ON ct.code = c.court_code
         LEFT JOIN payment_orders o ON o.notice_id = n.id AND o.status IN ('pending', 'paid')
         WHERE f.filer_id = ? OR f.client_id = ?
         ORDER BY n.issued_at DESC, n.id DESC",
    )
    .bind(person_id)
    .bind(person_id)
    .fetch_all(db)
    .await
}

// ---------------------------------------------------------------------------------------------
// Payment orders

/// The visibility rule of every payment read: the filer of the case's filing, or the client a
/// lawyer filed it for.
const PAYER_CLAUSE: &str = "(f.filer_id = ?1 OR f.client_id = ?1)";

/// A notice as paying needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PayableNotice {
    pub id: i64,
    pub case_number: String,
    pub amount_fen: i64,
    pub status: String,
}

/// The notice, if this person may pay it.
pub async fn notice_for_payer(db: &SqlitePool, person_id: i64, notice_id: i64) -> Result<Option<PayableNotice>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT n.id, c.case_number, n.amount_fen, n.status FROM fee_notices n
         JOIN cases c ON c.id = n.case_id JOIN filings f ON f.id = c.filing_id
         WHERE n.id = ?2 AND {PAYER_CLAUSE}"
    ))
    .bind(person_id)
    .bind(notice_id)
    .fetch_optional(db)
    .await
}

/// One payment order with its notice's case.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub notice_id: i64,
    pub out_trade_no: String,
    pub amount_fen: i64,
    pub status: String,
    pub code_url: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub paid_at: Option<i64>,
    pub transaction_id: Option<String>,
    pub receipt_no: Option<String>,
    pub case_number: String,
    pub court_name: String,
}

const ORDER_SELECT: &str = "SELECT o.id, o.notice_id, o.out_trade_no, o.amount_fen, o.status, o.code_url, o.created_at,
        o.expires_at, o.paid_at, o.transaction_id, o.receipt_no, c.case_number, COALESCE(ct.name, c.court_code) AS court_name
     FROM payment_orders o
     JOIN fee_notices n ON n.id = o.notice_id
     JOIN cases c ON c.id = n.case_id
     JOIN filings f ON f.id = c.filing_id
     LEFT JOIN courts ct ON ct.code = c.court_code";

/// The order, if this person may see it (they may pay its notice).
pub async fn order_for_payer(db: &SqlitePool, person_id: i64, out_trade_no: &str) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ORDER_SELECT} WHERE o.out_trade_no = ?2 AND {PAYER_CLAUSE}"))
        .bind(person_id)
        .bind(out_trade_no)
        .fetch_optional(db)
        .await
}

pub async fn order_by_number(db: &SqlitePool, out_trade_no: &str) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ORDER_SELECT} WHERE o.out_trade_no = ?1")).bind(out_trade_no).fetch_optional(db).await
}

/// The notice's open (pending or paid) order, if any.
pub async fn open_order_of(db: &SqlitePool, notice_id: i64) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ORDER_SELECT} WHERE o.notice_id = ?1 AND o.status IN ('pending', 'paid')"))
        .bind(notice_id)
        .fetch_optional(db)
        .await
}

/// Makes a new pending order for an unpaid notice, unless it already has an open one (then
/// None: a concurrent tap made it first, or it is paid). One transaction; the partial unique
/// index is the last word when two race.
pub async fn create_order(db: &SqlitePool, notice_id: i64, amount_fen: i64, person_id: i64, now: UnixTime, expires_at: UnixTime) -> Result<Option<String>, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let unpaid: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM fee_notices n WHERE n.id = ? AND n.status = 'unpaid'
           AND NOT EXISTS (SELECT 1 FROM payment_orders o WHERE o.notice_id = n.id AND o.status IN ('pending', 'paid'))",
    )
    .bind(notice_id)
    .fetch_one(&mut *tx)
    .await?;
    if unpaid != 1 {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO payment_orders (notice_id, amount_fen, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(notice_id)
    .bind(amount_fen)
    .bind(person_id)
    .bind(now.0)
    .bind(expires_at.0)
    .fetch_one(&mut *tx)
    .await?;
    let number = super::model::out_trade_no(notice_id, id);
    sqlx::query("UPDATE payment_orders SET out_trade_no = ? WHERE id = ?").bind(&number).bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Some(number))
}

pub async fn set_code_url(db: &SqlitePool, out_trade_no: &str, code_url: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payment_orders SET code_url = ? WHERE out_trade_no = ? AND status = 'pending'")
        .bind(code_url)
        .bind(out_trade_no)
        .execute(db)
        .await
        .map(|_| ())
}

/// Closes a pending order (expired, replaced, or never created at the gateway).
pub async fn close_order(db: &SqlitePool, out_trade_no: &str, now: UnixTime) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE payment_orders SET status = 'closed', closed_at = ? WHERE out_trade_no = ? AND status = 'pending'")
        .bind(now.0)
        .bind(out_trade_no)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Pending orders created before `before`, oldest first: the ones to ask the gateway about.
pub async fn pending_before(db: &SqlitePool, before: UnixTime, limit: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT out_trade_no, expires_at FROM payment_orders
         WHERE status = 'pending' AND created_at < ? AND out_trade_no IS NOT NULL ORDER BY created_at LIMIT ?",
    )
    .bind(before.0)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// What one report did, for the log and the answer to the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The order became paid now (with its receipt number).
    Paid { receipt_no: String },
    AlreadyPaid,
    StillPending,
    Closed,
    /// Money arrived for an order we had closed: logged for a refund.
    PaidAfterClose,
    UnknownOrder,
    Refused(super::model::PaymentError),
}

impl Applied {
    fn outcome(&self) -> String {
        match self {
            Applied::Paid { .. } => "paid".into(),
            Applied::AlreadyPaid => "already_paid".into(),
            Applied::StillPending => "still_pending".into(),
            Applied::Closed => "closed".into(),
            Applied::PaidAfterClose => "paid_after_close".into(),
            Applied::UnknownOrder => "unknown_order".into(),
            Applied::Refused(e) => format!("refused: {e}"),
        }
    }
}

/// Applies a verified gateway report to its order in one write transaction: the order, its
/// notice, the audit entry and the event log change together or not at all. The write lock
/// makes concurrent duplicates queue, so only the first finds the order pending.
pub async fn apply_report(
    db: &SqlitePool,
    t: &super::model::Transaction,
    source: &str,
    notification_id: Option<&str>,
    now: UnixTime,
) -> Result<Applied, sqlx::Error> {
    use super::model::{Order, OrderStatus, Settlement};
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let row: Option<(i64, i64, String, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, notice_id, status, amount_fen, expires_at, transaction_id FROM payment_orders WHERE out_trade_no = ?",
    )
    .bind(&t.out_trade_no)
    .fetch_optional(&mut *tx)
    .await?;
    let applied = match row {
        None => Applied::UnknownOrder,
        Some((id, notice_id, status, amount, expires_at, paid_tx)) => {
            let order = Order {
                out_trade_no: t.out_trade_no.clone(),
                status: OrderStatus::parse(&status).unwrap_or(OrderStatus::Closed),
                amount: crate::filing::model::Fen(amount),
                expires_at: UnixTime(expires_at),
            };
            match order.settle(t, paid_tx.as_deref()) {
                Err(e) => Applied::Refused(e),
                Ok(Settlement::AlreadyPaid) => Applied::AlreadyPaid,
                Ok(Settlement::StillPending) => Applied::StillPending,
                Ok(Settlement::PaidAfterClose { .. }) => Applied::PaidAfterClose,
                Ok(Settlement::Closed) => {
                    sqlx::query("UPDATE payment_orders SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'pending'")
                        .bind(now.0)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    Applied::Closed
                }
                Ok(Settlement::Paid { transaction_id }) => {
                    let receipt_no = super::model::receipt_number(now, id);
                    sqlx::query(
                        "UPDATE payment_orders SET status = 'paid', paid_at = ?, transaction_id = ?, receipt_no = ?, paid_via = ?
                         WHERE id = ? AND status = 'pending'",
                    )
                    .bind(now.0)
                    .bind(&transaction_id)
                    .bind(&receipt_no)
                    .bind(source)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE fee_notices SET status = 'paid' WHERE id = ? AND status = 'unpaid'")
                        .bind(notice_id)
                        .execute(&mut *tx)
                        .await?;
                    crate::ssr::audit::append_in(
                        &mut tx,
                        now.0,
                        "gateway",
                        "fees.paid",
                        &format!("fee_notice:{notice_id}"),
                        &serde_json::json!({ "order": t.out_trade_no, "transaction": transaction_id, "amount_fen": amount, "receipt": receipt_no, "via": source }),
                    )
                    .await?;
                    Applied::Paid { receipt_no }
                }
            }
        }
    };
    log_event_in(&mut tx, now, source, Some(&t.out_trade_no), notification_id, &applied.outcome(), &format!("{:?}", t.state)).await?;
    tx.commit().await?;
    Ok(applied)
}

async fn log_event_in(
    conn: &mut SqliteConnection,
    now: UnixTime,
    source: &str,
    out_trade_no: Option<&str>,
    notification_id: Option<&str>,
    outcome: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO payment_events (at, source, out_trade_no, notification_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(now.0)
        .bind(source)
        .bind(out_trade_no)
        .bind(notification_id)
        .bind(outcome)
        .bind(detail)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Logs a report refused before it could be trusted (bad signature, stale, undecryptable).
pub async fn log_refused(db: &SqlitePool, now: UnixTime, why: &str) -> Result<(), sqlx::Error> {
    let mut conn = db.acquire().await?;
    log_event_in(&mut conn, now, "notification", None, None, "refused", why).await
}
