//! `server bench-notifications`: the payment-notification storm of the benchmark. A server on
//! 127.0.0.1 with a throwaway database and the sandbox gateway gets, for each of N paid orders,
//! C copies of its signed notification, all at once and interleaved; it reports notifications
//! handled per second and the count of state changes, which must equal N.
use crate::config::{Config, FileLayer};
use app::fees::model::TradeState;
use app::identity::model::UnixTime;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// How many notifications are in flight at once.
const CONCURRENCY: usize = 64;

pub async fn notifications(orders: usize, copies: usize) -> Result<(), String> {
    let data = std::env::temp_dir().join(format!("tianping-bench-{}", std::process::id()));
    let result = run(&data, orders, copies).await;
    let _ = std::fs::remove_dir_all(&data);
    result
}

/// A server on 127.0.0.1 with a throwaway database in `data` and the sandboxes on, serving in
/// the background: its address and state.
pub(crate) async fn throwaway_server(data: &std::path::Path) -> Result<(std::net::SocketAddr, crate::serve::ServerState), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let env: HashMap<String, String> = HashMap::from([
        ("TIANPING_DATA_DIR".into(), data.display().to_string()),
        ("TIANPING_ADDR".into(), addr.to_string()),
        ("TIANPING_PUBLIC_URL".into(), format!("http://{addr}")),
        ("TIANPING_SANDBOX".into(), "true".into()),
        ("TIANPING_KIOSK_SECRET".into(), "benchmark-secret-0123456789".into()),
        ("TIANPING_LOG".into(), "warn".into()),
    ]);
    let config = Config::from_layers(FileLayer::default(), move |k| env.get(k).cloned()).map_err(|e| e.to_string())?;
    crate::serve::prepare_data_dir(&config.data_dir)?;
    let (router, state) = crate::serve::build(&config).await?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await;
    });
    Ok((addr, state))
}

async fn run(data: &std::path::Path, orders: usize, copies: usize) -> Result<(), String> {
    let (addr, state) = throwaway_server(data).await?;
    let app = state.app.clone();
    let platform = app.sandbox_pay.clone().ok_or("the benchmark needs the sandbox gateway")?;

    println!("== notification storm: {orders} orders × {copies} copies");
    let payer = seed_notices(&app.db, orders, app.clock.now()).await.map_err(|e| format!("seeding notices: {e}"))?;
    let notices: Vec<i64> = sqlx::query_scalar("SELECT id FROM fee_notices ORDER BY id").fetch_all(&app.db).await.map_err(|e| e.to_string())?;
    let mut storm = Vec::with_capacity(orders * copies);
    for notice in notices {
        let number = app::fees::pay::order_for(&app, payer, notice).await.map_err(|e| format!("opening an order: {e}"))?;
        let transaction = platform.pay_without_notifying(&number).await?;
        let signed = Arc::new(platform.signed_notification(&number, &transaction, NOTICE_FEN, "CNY", TradeState::Success));
        storm.extend(std::iter::repeat_n(signed, copies));
    }
    // Interleave: copy k of every order before copy k+1 of any, each round in another order.
    let mut sent = Vec::with_capacity(storm.len());
    for k in 0..copies {
        for o in 0..orders {
            let o = (o * 7 + k * 13) % orders;
            sent.push(storm[o * copies + k].clone());
        }
    }

    let url = format!("http://{addr}{}", app::fees::pay::NOTIFY_PATH);
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().map_err(|e| e.to_string())?;
    let queue = Arc::new(std::sync::Mutex::new(sent));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (queue, client, url) = (queue.clone(), client.clone(), url.clone());
            tokio::spawn(async move {
                let mut failed = 0usize;
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop());
                    let Some(n) = next else { break };
                    let (headers, body) = (&n.0, &n.1);
                    match client.post(&url).headers(headers.clone()).body(body.clone()).send().await {
                        Ok(r) if r.status().is_success() => {}
                        _ => failed += 1,
                    }
                }
                failed
            })
        })
        .collect();
    let mut failed = 0;
    for w in workers {
        failed += w.await.map_err(|e| e.to_string())?;
    }
    let secs = started.elapsed().as_secs_f64();
    let total = orders * copies;
    let changes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'fees.paid'").fetch_one(&app.db).await.map_err(|e| e.to_string())?;
    let paid: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fee_notices WHERE status = 'paid'").fetch_one(&app.db).await.map_err(|e| e.to_string())?;
    println!("notifications {total} in {secs:.2} s   {:.0}/s   not acknowledged {failed}", total as f64 / secs);
    println!("state changes {changes} (must be {orders})   notices paid {paid}");
    if changes != orders as i64 || paid != orders as i64 || failed != 0 {
        return Err(format!("the storm changed {changes} orders and paid {paid} notices, expected {orders}; {failed} copies not acknowledged"));
    }
    Ok(())
}

/// What each benchmark notice asks: 50 yuan.
const NOTICE_FEN: i64 = 5_000;

/// One verified payer with `n` accepted cases at 京0105, each with its unpaid notice, written
/// straight into the database (the filing journey is not what is measured).
async fn seed_notices(db: &sqlx::SqlitePool, n: usize, now: UnixTime) -> Result<i64, sqlx::Error> {
    let mut tx = app::ssr::db::write_tx(db).await?;
    let payer: i64 = sqlx::query_scalar("INSERT INTO people (mobile, created_at, legal_name, verified_at) VALUES ('13800000000', ?, '张三', ?) RETURNING id")
        .bind(now.0)
        .bind(now.0)
        .fetch_one(&mut *tx)
        .await?;
    let clerk: i64 = sqlx::query_scalar("INSERT INTO people (kind, court_code, role, created_at, legal_name) VALUES ('staff', '京0105', 'clerk', ?, '王书记') RETURNING id")
        .bind(now.0)
        .fetch_one(&mut *tx)
        .await?;
    for seq in 1..=n as i64 {
        let case = accepted_case(&mut tx, payer, clerk, seq, now).await?;
        let notice = app::fees::store::NewNotice { kind: "property", amount_fen: NOTICE_FEN, working: "{}".into(), deadline: now.plus_secs(7 * 86_400) };
        app::fees::store::issue_in(&mut tx, case, &notice, now).await?;
    }
    tx.commit().await?;
    Ok(payer)
}

/// An accepted civil case at 京0105, number `seq` of this year, filed by `filer` and accepted by
/// `clerk`, written straight into the database: its id.
pub(crate) async fn accepted_case(tx: &mut sqlx::SqliteConnection, filer: i64, clerk: i64, seq: i64, now: UnixTime) -> Result<i64, sqlx::Error> {
    let (year, _, _) = now.beijing_ymd();
    let number = format!("({year})京0105民初{seq}号");
    let filing: i64 = sqlx::query_scalar(
        "INSERT INTO filings (filer_id, status, content, case_type, court_code, created_at, updated_at, case_number)
         VALUES (?, 'accepted', X'00', 'civil', '京0105', ?, ?, ?) RETURNING id",
    )
    .bind(filer)
    .bind(now.0)
    .bind(now.0)
    .bind(&number)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query_scalar(
        "INSERT INTO cases (case_number, filing_id, court_code, case_type, year, seq, cause, total_claimed_fen, accepted_at, accepted_by)
         VALUES (?, ?, '京0105', 'civil', ?, ?, '民间借贷纠纷', 1000000, ?, ?) RETURNING id",
    )
    .bind(&number)
    .bind(filing)
    .bind(year)
    .bind(seq)
    .bind(now.0)
    .bind(clerk)
    .fetch_one(&mut *tx)
    .await
}
