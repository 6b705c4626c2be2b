//! SQL for fees: fee notices, issued inside the transaction that accepts a filing, and read by
//! the people who may pay them (the filer, and the client a lawyer filed for).
use crate::identity::model::UnixTime;
use crate::filing::model::Fen;
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
    /// Granted fee relief (JSON of `relief::NoticeRelief`), if any.
    pub relief: Option<String>,
    /// For a further notice after changed claims: the fee on the claims as changed.
    pub fee_after_change: Option<i64>,
}

/// The notices a person may see and pay: of cases they filed, or that were filed for them.
pub async fn notices_of(db: &SqlitePool, person_id: i64) -> Result<Vec<NoticeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, c.case_number, COALESCE(ct.name, c.court_code) AS court_name, c.filing_id, n.kind, n.amount_fen,
                n.working, n.issued_at, n.deadline, n.status, o.out_trade_no AS order_no, o.receipt_no, n.relief, ch.fee_after AS fee_after_change
         FROM fee_notices n
         JOIN cases c ON c.id = n.case_id
         LEFT JOIN fee_claim_changes ch ON ch.id = n.change_id
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

/// When the gateway was last asked about an order (its last logged query answer).
pub async fn last_query_at(db: &SqlitePool, out_trade_no: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(at) FROM payment_events WHERE out_trade_no = ? AND source = 'query'").bind(out_trade_no).fetch_one(db).await
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
                Ok(Settlement::PaidAfterClose { transaction_id }) => {
                    // The money is the payer's: record which transaction took it, and queue it
                    // for staff to send back (once, however often the gateway reports it).
                    sqlx::query("UPDATE payment_orders SET transaction_id = ? WHERE id = ? AND transaction_id IS NULL")
                        .bind(&transaction_id)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    let created = create_refund_in(&mut tx, notice_id, id, super::model::RefundReason::PaidAfterClose, None, t.amount_fen, now).await?;
                    if let Some(number) = created {
                        crate::ssr::audit::append_in(
                            &mut tx,
                            now.0,
                            "gateway",
                            "fees.refund_created",
                            &format!("refund:{number}"),
                            &serde_json::json!({ "order": t.out_trade_no, "transaction": transaction_id, "amount_fen": t.amount_fen, "reason": "paid_after_close" }),
                        )
                        .await?;
                    }
                    Applied::PaidAfterClose
                }
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
    log_in(conn, "INSERT INTO payment_events (at, source, out_trade_no, notification_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)", now, source, out_trade_no, notification_id, outcome, detail).await
}

/// One gateway report in a log (`payment_events` or `refund_events`, which share their columns).
#[allow(clippy::too_many_arguments)]
async fn log_in(
    conn: &mut SqliteConnection,
    insert: &'static str,
    now: UnixTime,
    source: &str,
    number: Option<&str>,
    notification_id: Option<&str>,
    outcome: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(insert)
        .bind(now.0)
        .bind(source)
        .bind(number)
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

// ---------------------------------------------------------------------------------------------
// Refunds

/// Creates a refund awaiting approval on the caller's transaction, unless this order already has
/// one for this reason (then None: an ending recorded twice, a duplicate notification). A refund
/// for a claim change names it, and there is one per change.
pub async fn create_refund_in(
    conn: &mut SqliteConnection,
    notice_id: i64,
    order_id: i64,
    reason: super::model::RefundReason,
    change_id: Option<i64>,
    amount_fen: i64,
    now: UnixTime,
) -> Result<Option<String>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO fee_refunds (notice_id, order_id, reason, amount_fen, created_at, deadline, change_id) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (order_id, reason) WHERE change_id IS NULL DO NOTHING RETURNING id",
    )
    .bind(notice_id)
    .bind(order_id)
    .bind(reason.as_str())
    .bind(amount_fen)
    .bind(now.0)
    .bind(super::model::refund_deadline(now).0)
    .bind(change_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else { return Ok(None) };
    let number = super::model::out_refund_no(order_id, id);
    sqlx::query("UPDATE fee_refunds SET out_refund_no = ? WHERE id = ?").bind(&number).bind(id).execute(&mut *conn).await?;
    Ok(Some(number))
}

/// A refund with its order and case.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RefundRow {
    pub id: i64,
    pub notice_id: i64,
    pub out_refund_no: String,
    pub out_trade_no: String,
    /// The order's whole amount (the gateway checks the refund against it).
    pub order_amount_fen: i64,
    pub reason: String,
    pub amount_fen: i64,
    pub status: String,
    pub created_at: i64,
    pub deadline: i64,
    pub approved_at: Option<i64>,
    pub refunded_at: Option<i64>,
    pub failure: Option<String>,
    pub case_number: String,
    pub court_code: String,
}

const REFUND_SELECT: &str = "SELECT r.id, r.notice_id, r.out_refund_no, o.out_trade_no, o.amount_fen AS order_amount_fen, r.reason,
        r.amount_fen, r.status, r.created_at, r.deadline, r.approved_at, r.refunded_at, r.failure, c.case_number, c.court_code
     FROM fee_refunds r
     JOIN payment_orders o ON o.id = r.order_id
     JOIN fee_notices n ON n.id = r.notice_id
     JOIN cases c ON c.id = n.case_id
     JOIN filings f ON f.id = c.filing_id";

/// The refunds of the notices this person may pay, newest first.
pub async fn refunds_for_payer(db: &SqlitePool, person_id: i64) -> Result<Vec<RefundRow>, sqlx::Error> {
    sqlx::query_as(&format!("{REFUND_SELECT} WHERE {PAYER_CLAUSE} ORDER BY r.created_at DESC, r.id DESC"))
        .bind(person_id)
        .fetch_all(db)
        .await
}

/// A court's refunds: those waiting for approval first, then the oldest open ones, then the rest.
pub async fn refunds_of_court(db: &SqlitePool, court: &str) -> Result<Vec<RefundRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{REFUND_SELECT} WHERE c.court_code = ?1
         ORDER BY CASE r.status WHEN 'awaiting_approval' THEN 0 WHEN 'failed' THEN 1 WHEN 'processing' THEN 2 ELSE 3 END,
                  r.created_at, r.id LIMIT 500"
    ))
    .bind(court)
    .fetch_all(db)
    .await
}

pub async fn refund_by_number(db: &SqlitePool, out_refund_no: &str) -> Result<Option<RefundRow>, sqlx::Error> {
    sqlx::query_as(&format!("{REFUND_SELECT} WHERE r.out_refund_no = ?1")).bind(out_refund_no).fetch_optional(db).await
}

/// Marks a refund approved (awaiting → processing) by a staff member, with its audit entry.
/// False when it was no longer awaiting approval (a second click, another clerk).
pub async fn approve_refund(db: &SqlitePool, out_refund_no: &str, staff_id: i64, now: UnixTime) -> Result<bool, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let done = sqlx::query(
        "UPDATE fee_refunds SET status = 'processing', approved_by = ?, approved_at = ? WHERE out_refund_no = ? AND status = 'awaiting_approval'",
    )
    .bind(staff_id)
    .bind(now.0)
    .bind(out_refund_no)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    crate::ssr::audit::append_in(&mut tx, now.0, &format!("person:{staff_id}"), "fees.refund_approved", &format!("refund:{out_refund_no}"), &serde_json::json!({})).await?;
    tx.commit().await?;
    Ok(true)
}

/// What one refund report did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefundApplied {
    Refunded,
    AlreadyRefunded,
    StillProcessing,
    Failed,
    UnknownRefund,
    Refused(super::model::RefundError),
}

impl RefundApplied {
    fn outcome(&self) -> String {
        match self {
            RefundApplied::Refunded => "refunded".into(),
            RefundApplied::AlreadyRefunded => "already_refunded".into(),
            RefundApplied::StillProcessing => "still_processing".into(),
            RefundApplied::Failed => "failed".into(),
            RefundApplied::UnknownRefund => "unknown_refund".into(),
            RefundApplied::Refused(e) => format!("refused: {e}"),
        }
    }
}

/// Applies a gateway's refund report in one write transaction (refund, audit entry, event log),
/// so a storm of duplicates refunds once. The payer is told in-app when the money is back.
pub async fn apply_refund_report(
    db: &SqlitePool,
    r: &super::model::RefundReport,
    source: &str,
    notification_id: Option<&str>,
    now: UnixTime,
) -> Result<RefundApplied, sqlx::Error> {
    use super::model::{Refund, RefundSettlement, RefundStatus};
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let row: Option<(i64, String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT r.id, r.status, o.out_trade_no, r.amount_fen, n.case_id, c.case_number FROM fee_refunds r
         JOIN payment_orders o ON o.id = r.order_id JOIN fee_notices n ON n.id = r.notice_id JOIN cases c ON c.id = n.case_id
         WHERE r.out_refund_no = ?",
    )
    .bind(&r.out_refund_no)
    .fetch_optional(&mut *tx)
    .await?;
    let applied = match row {
        None => RefundApplied::UnknownRefund,
        Some((id, status, out_trade_no, amount, case_id, case_number)) => {
            let refund = Refund {
                out_refund_no: r.out_refund_no.clone(),
                out_trade_no,
                status: RefundStatus::parse(&status).unwrap_or(RefundStatus::Failed),
                amount: crate::filing::model::Fen(amount),
            };
            match refund.settle(r) {
                Err(e) => RefundApplied::Refused(e),
                Ok(RefundSettlement::AlreadyRefunded) => RefundApplied::AlreadyRefunded,
                Ok(RefundSettlement::StillProcessing) => RefundApplied::StillProcessing,
                Ok(RefundSettlement::Failed) => {
                    let changed = sqlx::query("UPDATE fee_refunds SET status = 'failed', failure = ? WHERE id = ? AND status = 'processing'")
                        .bind(r.state.as_str())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    if changed.rows_affected() == 1 {
                        crate::ssr::audit::append_in(&mut tx, now.0, "gateway", "fees.refund_failed", &format!("refund:{}", r.out_refund_no), &serde_json::json!({ "state": r.state.as_str() })).await?;
                    }
                    RefundApplied::Failed
                }
                Ok(RefundSettlement::Refunded { refund_id }) => {
                    sqlx::query("UPDATE fee_refunds SET status = 'refunded', refund_id = ?, refunded_at = ? WHERE id = ? AND status = 'processing'")
                        .bind(&refund_id)
                        .bind(now.0)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    crate::ssr::audit::append_in(
                        &mut tx,
                        now.0,
                        "gateway",
                        "fees.refunded",
                        &format!("refund:{}", r.out_refund_no),
                        &serde_json::json!({ "refund_id": refund_id, "amount_fen": amount, "via": source }),
                    )
                    .await?;
                    notify_payers_in(&mut tx, case_id, now, "notice_refund_done", &serde_json::json!({ "case_number": case_number, "amount": crate::filing::model::Fen(amount).yuan() })).await?;
                    RefundApplied::Refunded
                }
            }
        }
    };
    log_refund_event_in(&mut tx, now, source, Some(&r.out_refund_no), notification_id, &applied.outcome(), r.state.as_str()).await?;
    tx.commit().await?;
    Ok(applied)
}

/// Marks a sent refund failed for a reason the gateway gave when asked (e.g. `NOT_ENOUGH`).
pub async fn fail_refund(db: &SqlitePool, out_refund_no: &str, why: &str, now: UnixTime) -> Result<(), sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let changed = sqlx::query("UPDATE fee_refunds SET status = 'failed', failure = ? WHERE out_refund_no = ? AND status = 'processing'")
        .bind(why)
        .bind(out_refund_no)
        .execute(&mut *tx)
        .await?;
    if changed.rows_affected() == 1 {
        crate::ssr::audit::append_in(&mut tx, now.0, "gateway", "fees.refund_failed", &format!("refund:{out_refund_no}"), &serde_json::json!({ "code": why })).await?;
    }
    log_refund_event_in(&mut tx, now, "answer", Some(out_refund_no), None, "failed", why).await?;
    tx.commit().await
}

/// Approved refunds still processing since before `before`: the ones to ask the gateway about.
pub async fn processing_refunds(db: &SqlitePool, before: UnixTime, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT out_refund_no FROM fee_refunds WHERE status = 'processing' AND approved_at < ? AND out_refund_no IS NOT NULL
         ORDER BY approved_at LIMIT ?",
    )
    .bind(before.0)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Tells the people who may pay a case's fees (its filer, and the client filed for) something
/// about them, in-app.
pub async fn notify_payers_in(conn: &mut SqliteConnection, case_id: i64, now: UnixTime, message: &str, params: &serde_json::Value) -> Result<(), sqlx::Error> {
    let people: Option<(i64, Option<i64>)> = sqlx::query_as("SELECT f.filer_id, f.client_id FROM cases c JOIN filings f ON f.id = c.filing_id WHERE c.id = ?")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((filer, client)) = people else { return Ok(()) };
    for person in std::iter::once(filer).chain(client) {
        sqlx::query("INSERT INTO notifications (person_id, at, message, params, link) VALUES (?, ?, ?, ?, '/pay')")
            .bind(person)
            .bind(now.0)
            .bind(message)
            .bind(params.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn log_refund_event_in(
    conn: &mut SqliteConnection,
    now: UnixTime,
    source: &str,
    out_refund_no: Option<&str>,
    notification_id: Option<&str>,
    outcome: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    log_in(conn, "INSERT INTO refund_events (at, source, out_refund_no, notification_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)", now, source, out_refund_no, notification_id, outcome, detail).await
}

/// Logs a refund notification refused before it could be trusted.
pub async fn log_refund_refused(db: &SqlitePool, now: UnixTime, why: &str) -> Result<(), sqlx::Error> {
    let mut conn = db.acquire().await?;
    log_refund_event_in(&mut conn, now, "notification", None, None, "refused", why).await
}

// ---------------------------------------------------------------------------------------------
// Changed claims (art. 21), and what the case has paid

/// What a case has paid so far, net of what already went back for reduced claims.
pub async fn paid_net_in(conn: &mut SqliteConnection, case_id: i64) -> Result<Fen, sqlx::Error> {
    let paid: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(o.amount_fen), 0) FROM payment_orders o JOIN fee_notices n ON n.id = o.notice_id WHERE n.case_id = ? AND o.status = 'paid'",
    )
    .bind(case_id)
    .fetch_one(&mut *conn)
    .await?;
    let back: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(r.amount_fen), 0) FROM fee_refunds r JOIN fee_notices n ON n.id = r.notice_id
         WHERE n.case_id = ? AND r.reason = 'claims_reduced' AND r.status != 'failed'",
    )
    .bind(case_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Fen(paid - back))
}

/// The case's fee as it now stands: the working of its latest claim change, else of the notice
/// issued at acceptance (JSON of `model::Working`), with that notice's id.
pub async fn case_fee_in(conn: &mut SqliteConnection, case_id: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    let notice: Option<(i64, String)> =
        sqlx::query_as("SELECT id, working FROM fee_notices WHERE case_id = ? AND change_id IS NULL").bind(case_id).fetch_optional(&mut *conn).await?;
    let Some((notice_id, issued)) = notice else { return Ok(None) };
    let changed: Option<String> =
        sqlx::query_scalar("SELECT working FROM fee_claim_changes WHERE case_id = ? ORDER BY id DESC LIMIT 1").bind(case_id).fetch_optional(&mut *conn).await?;
    Ok(Some((notice_id, changed.unwrap_or(issued))))
}

/// The case's notice still unpaid, if any (there is at most one): its id and amount.
pub async fn unpaid_notice_in(conn: &mut SqliteConnection, case_id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT id, amount_fen FROM fee_notices WHERE case_id = ? AND status = 'unpaid' ORDER BY id DESC LIMIT 1")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await
}

/// Sets what an unpaid notice asks for (with a fresh 7 days when it asks for more), and closes
/// its open code, which was for the old amount.
pub async fn reissue_in(conn: &mut SqliteConnection, notice_id: i64, amount: Fen, working: Option<&str>, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE fee_notices SET deadline = CASE WHEN ? > amount_fen THEN ? ELSE deadline END, amount_fen = ?, working = COALESCE(?, working)
         WHERE id = ? AND status = 'unpaid'",
    )
    .bind(amount.0)
    .bind(super::model::payment_deadline(now).0)
    .bind(amount.0)
    .bind(working)
    .bind(notice_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE payment_orders SET status = 'closed', closed_at = ? WHERE notice_id = ? AND status = 'pending'")
        .bind(now.0)
        .bind(notice_id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// Refunds `amount` of what the case paid, from its paid orders newest first (a refund never
/// exceeds what is left of its order), each awaiting approval. Answers the refund numbers made.
pub async fn refund_case_in(
    conn: &mut SqliteConnection,
    case_id: i64,
    reason: super::model::RefundReason,
    change_id: Option<i64>,
    amount: Fen,
    now: UnixTime,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let orders: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT o.id, o.notice_id, o.amount_fen,
                (SELECT COALESCE(SUM(r.amount_fen), 0) FROM fee_refunds r WHERE r.order_id = o.id AND r.status != 'failed')
         FROM payment_orders o JOIN fee_notices n ON n.id = o.notice_id WHERE n.case_id = ? AND o.status = 'paid' ORDER BY o.id DESC",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut left = amount.0;
    let mut made = Vec::new();
    for (order_id, notice_id, paid, back) in orders {
        let take = left.min(paid - back);
        if take <= 0 {
            continue;
        }
        if let Some(number) = create_refund_in(conn, notice_id, order_id, reason, change_id, take, now).await? {
            made.push((number, take));
            left -= take;
        }
        if left == 0 {
            break;
        }
    }
    Ok(made)
}

/// What recording a claim change did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimsChanged {
    NotFound,
    Ended,
    /// The fee cannot follow the claims here: relief was decided on this fee (a new relief
    /// decision adjusts it), or the case has no notice.
    NotAdjustable,
    Done { case_number: String, fee_before: Fen, fee_after: Fen, change: super::model::ClaimChange },
}

/// Records that the claims of a case of `court` now total `claims`, and adjusts its fee in the
/// same write transaction: `work` gives the fee on the changed claims.
pub async fn change_claims(
    db: &SqlitePool,
    court: &str,
    case_id: i64,
    claims: Fen,
    staff_id: i64,
    now: UnixTime,
    work: impl FnOnce(&str, Fen) -> Option<super::model::Working>,
) -> Result<ClaimsChanged, sqlx::Error> {
    let mut tx = crate::ssr::db::write_tx(db).await?;
    let case: Option<(String, String, i64, Option<String>)> =
        sqlx::query_as("SELECT case_number, case_type, total_claimed_fen, ended_as FROM cases WHERE id = ? AND court_code = ?")
            .bind(case_id)
            .bind(court)
            .fetch_optional(&mut *tx)
            .await?;
    let (case_number, case_type, claims_before) = match case {
        None => return Ok(ClaimsChanged::NotFound),
        Some((_, _, _, Some(_))) => return Ok(ClaimsChanged::Ended),
        Some((number, case_type, before, None)) => (number, case_type, before),
    };
    let relief: Option<String> =
        sqlx::query_scalar("SELECT relief FROM fee_notices WHERE case_id = ? AND change_id IS NULL").bind(case_id).fetch_optional(&mut *tx).await?.flatten();
    let Some((_, current)) = case_fee_in(&mut tx, case_id).await? else { return Ok(ClaimsChanged::NotAdjustable) };
    if relief.is_some() {
        return Ok(ClaimsChanged::NotAdjustable);
    }
    let fee_before: super::model::Working = serde_json::from_str(&current).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let Some(working) = work(&case_type, claims) else { return Ok(ClaimsChanged::NotAdjustable) };
    let json = serde_json::to_string(&working).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let paid = paid_net_in(&mut tx, case_id).await?;
    let unpaid = unpaid_notice_in(&mut tx, case_id).await?;
    let change = super::model::claim_change(working.total, paid, unpaid.map(|(_, a)| Fen(a)));
    let change_id: i64 = sqlx::query_scalar(
        "INSERT INTO fee_claim_changes (case_id, claims_before, claims_after, fee_before, fee_after, working, changed_by, changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(case_id)
    .bind(claims_before)
    .bind(claims.0)
    .bind(fee_before.total.0)
    .bind(working.total.0)
    .bind(&json)
    .bind(staff_id)
    .bind(now.0)
    .fetch_one(&mut *tx)
    .await?;
    // A notice's working says what it asks for (its total), with the fee on the changed claims
    // as its full figure.
    let asking = |amount: Fen| serde_json::to_string(&super::model::Working { total: amount, ..working.clone() }).map_err(|e| sqlx::Error::Encode(Box::new(e)));
    if let (Some((notice_id, _)), Some(amount)) = (unpaid, change.reissue) {
        reissue_in(&mut tx, notice_id, amount, Some(&asking(amount)?), now).await?;
    }
    if let Some(more) = change.top_up {
        sqlx::query(
            "INSERT INTO fee_notices (case_id, kind, amount_fen, working, issued_at, deadline, change_id) VALUES (?, (SELECT kind FROM fee_notices WHERE case_id = ? AND change_id IS NULL), ?, ?, ?, ?, ?)",
        )
        .bind(case_id)
        .bind(case_id)
        .bind(more.0)
        .bind(asking(more)?)
        .bind(now.0)
        .bind(super::model::payment_deadline(now).0)
        .bind(change_id)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(back) = change.refund {
        refund_case_in(&mut tx, case_id, super::model::RefundReason::ClaimsReduced, Some(change_id), back, now).await?;
    }
    sqlx::query("UPDATE cases SET total_claimed_fen = ? WHERE id = ?").bind(claims.0).bind(case_id).execute(&mut *tx).await?;
    let details = serde_json::json!({
        "claims_before_fen": claims_before, "claims_after_fen": claims.0, "fee_before_fen": fee_before.total.0, "fee_after_fen": working.total.0,
        "reissued_fen": change.reissue.map(|f| f.0), "top_up_fen": change.top_up.map(|f| f.0), "refund_fen": change.refund.map(|f| f.0),
    });
    crate::ssr::audit::append_in(&mut tx, now.0, &format!("person:{staff_id}"), "fees.claims_changed", &format!("case:{case_number}"), &details).await?;
    let params = serde_json::json!({ "case_number": case_number });
    notify_payers_in(&mut tx, case_id, now, "notice_claims_changed", &params).await?;
    tx.commit().await?;
    Ok(ClaimsChanged::Done { case_number, fee_before: fee_before.total, fee_after: working.total, change })
}
