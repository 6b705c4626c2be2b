//! The litigant's and lawyer's cases over HTTP: the list with its filters, a case's page with
//! its parties, timeline and running deadlines, and who may see which case.

use app::fees::model::TradeState;
use reqwest::StatusCode;
use serde_json::Value;
use crate::support::filing::*;
use crate::support::*;

async fn mine(app: &App, b: &reqwest::Client, filters: &[(&str, &str)]) -> (StatusCode, Value) {
    let (status, body, _) = call(app, b, "cases/mine", filters).await;
    (status, body)
}

async fn detail(app: &App, b: &reqwest::Client, id: i64) -> (StatusCode, Value) {
    let (status, body, _) = call(app, b, "cases/detail", &[("id", &id.to_string())]).await;
    (status, body)
}

fn kinds(detail: &Value) -> Vec<Value> {
    detail["timeline"].as_array().expect("timeline").iter().map(|e| e["kind"].clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_party_follows_their_case_from_filing_to_payment_with_the_days_left_to_pay() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (number, _) = accepted_case(&app, &litigant, "cases-follow-0123456789").await;
    let (status, list) = mine(&app, &litigant, &[]).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["case_number"], number.as_str());
    assert_eq!(list[0]["stage"], "Accepted");
    let id = list[0]["id"].as_i64().expect("id");

    let (status, d) = detail(&app, &litigant, id).await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(kinds(&d), ["Filed", "Accepted", "FeeNotice"].map(Value::from));
    assert_eq!(d["parties"].as_array().map(Vec::len), Some(2));
    assert!(d["parties"].to_string().contains("张三"));
    assert!(!d.to_string().contains(&registry_id("张三")), "no ID number in the case view");
    assert_eq!(d["clerk_name"], "王书记");
    let deadline = &d["deadlines"][0];
    assert_eq!(deadline["kind"], "PayFee");
    assert!((7..=12).contains(&deadline["days_left"].as_i64().expect("days")), "seven days and any rest days: {deadline}");

    // Paid: the deadline stops running and the timeline says so.
    let notice = call(&app, &litigant, "fees/mine", &[]).await.1[0].clone();
    let order = call(&app, &litigant, "fees/pay", &[("notice_id", &notice["id"].to_string())]).await.1.as_str().expect("order").to_string();
    let platform = app.state.app.sandbox_pay.clone().expect("sandbox");
    let transaction = platform.pay_without_notifying(&order).await.expect("paid");
    let (headers, body) = platform.signed_notification(&order, &transaction, notice["working"]["total"].as_i64().expect("fee"), "CNY", TradeState::Success);
    reqwest::Client::new().post(format!("{}{}", app.base, app::fees::pay::NOTIFY_PATH)).headers(headers).body(body).send().await.expect("notify");
    let (_, d) = detail(&app, &litigant, id).await;
    assert_eq!(kinds(&d), ["Filed", "Accepted", "FeeNotice", "FeePaid"].map(Value::from));
    assert_eq!(d["deadlines"], serde_json::json!([]));

    // Ended by withdrawal: closed, with the refund and its clock.
    let clerk = staff_browser(&app, "京0105", "clerk").await;
    call(&app, &clerk, "cases/end", &[("case_id", &id.to_string()), ("ending", "withdrawal")]).await;
    let (_, d) = detail(&app, &litigant, id).await;
    assert_eq!(d["summary"]["stage"], "Closed");
    assert_eq!(kinds(&d)[4..], [Value::from("RefundCreated"), serde_json::json!({ "Ended": "Withdrawal" })]);
    assert_eq!(d["deadlines"][0]["kind"], "RefundDue");
    assert_eq!(d["deadlines"][0]["days_left"], 16, "15 days from tomorrow, counting today");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_filters_by_stage_court_and_case_number_typed_with_chinese_brackets() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (first, clerk) = accepted_case(&app, &litigant, "cases-filter-0123456789").await;
    let (second, _) = accepted_case(&app, &litigant, "cases-filter-9876543210").await;
    let first_id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(&first).fetch_one(&app.state.app.db).await.expect("case");
    call(&app, &clerk, "cases/end", &[("case_id", &first_id.to_string()), ("ending", "judgment")]).await;

    let numbers = numbers_of;
    assert_eq!(numbers(&mine(&app, &litigant, &[]).await.1), [second.clone(), first.clone()], "newest first");
    assert_eq!(numbers(&mine(&app, &litigant, &[("stage", "open")]).await.1), [second.clone()]);
    assert_eq!(numbers(&mine(&app, &litigant, &[("stage", "closed")]).await.1), [first.clone()]);
    assert_eq!(numbers(&mine(&app, &litigant, &[("court", "京0101")]).await.1), Vec::<String>::new());
    let typed = first.replace('(', "（").replace(')', "）");
    assert_eq!(numbers(&mine(&app, &litigant, &[("number", &typed)]).await.1), [first.clone()]);
    assert_eq!(mine(&app, &litigant, &[("stage", "bogus")]).await.1.as_array().map(Vec::len), Some(2), "an unknown stage filters nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_cases_parties_and_their_lawyer_see_it_and_everyone_else_is_refused() {
    let app = start(&[]).await;
    let (lawyer, clerk, client, id) = lawyers_case(&app).await;
    // The lawyer and the client both follow it; the lawyer's list says whom they act for.
    let theirs = mine(&app, &lawyer, &[]).await.1;
    assert_eq!((theirs[0]["id"].as_i64(), theirs[0]["client_name"].clone()), (Some(id), Value::from("黄秀英")));
    assert_eq!(detail(&app, &lawyer, id).await.0, StatusCode::OK);
    assert_eq!(mine(&app, &client, &[]).await.1[0]["id"].as_i64(), Some(id));
    assert_eq!(detail(&app, &client, id).await.0, StatusCode::OK);

    // Another litigant (with a case of their own), a lawyer who does not act in it, staff of
    // its court and of another, and a visitor.
    let other_party = verified_browser(&app, "13800138000", "张三").await;
    let (other_number, _) = accepted_case(&app, &other_party, "cases-rights-0123456789").await;
    assert_eq!(detail(&app, &other_party, id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(numbers_of(&mine(&app, &other_party, &[]).await.1), [other_number]);
    let other_lawyer = verified_browser(&app, "13800138001", "李四").await;
    assert_eq!(detail(&app, &other_lawyer, id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(detail(&app, &clerk, id).await.0, StatusCode::FORBIDDEN);
    assert_eq!(mine(&app, &clerk, &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(detail(&app, &staff_browser(&app, "京0101", "clerk").await, id).await.0, StatusCode::FORBIDDEN);
    assert_eq!(detail(&app, &browser(), id).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(mine(&app, &browser(), &[]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(detail(&app, &lawyer, id + 1000).await.0, StatusCode::NOT_FOUND);
}

fn numbers_of(v: &Value) -> Vec<String> {
    v.as_array().expect("list").iter().map(|c| c["case_number"].as_str().unwrap_or_default().to_string()).collect()
}

/// A Beijing date `days` from the test clock's today, as the date field sends it.
fn date_in(app: &App, days: i64) -> String {
    let day = app.state.app.clock.now().beijing_day() + days;
    app::identity::model::UnixTime::beijing_midnight(day).shanghai()[..10].to_string()
}

async fn schedule(app: &App, b: &reqwest::Client, case: i64, date: &str, mode: &str, room: &str, public: bool) -> (StatusCode, Value) {
    let id = case.to_string();
    let mut form = vec![("case_id", id.as_str()), ("date", date), ("time", "09:30"), ("minutes", "90"), ("mode", mode), ("courtroom", room)];
    if public {
        form.push(("public", "on"));
    }
    let (status, body, _) = call(app, b, "cases/schedule_hearing", &form).await;
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_hearing_is_the_partys_next_and_the_public_lookup_shows_only_the_public_stage_and_hearing() {
    let app = start(&[]).await;
    let litigant = verified_browser(&app, "13800138000", "张三").await;
    let (number, clerk) = accepted_case(&app, &litigant, "cases-hearing-0123456789").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = ?").bind(&number).fetch_one(&app.state.app.db).await.expect("case");
    let (status, hearing) = schedule(&app, &clerk, id, &date_in(&app, 12), "courtroom", "第三法庭", true).await;
    assert_eq!(status, 200, "{hearing}");
    // A hearing closed to the public, sooner: the party sees it, the public lookup never does.
    let (status, closed) = schedule(&app, &clerk, id, &date_in(&app, 5), "online", "", false).await;
    assert_eq!(status, 200, "{closed}");

    let (_, d) = detail(&app, &litigant, id).await;
    assert_eq!(d["next_hearing"]["id"], closed["id"]);
    assert_eq!(d["next_hearing"]["mode"], "Online");
    assert_eq!(d["hearings"].as_array().map(Vec::len), Some(2));
    assert_eq!(kinds(&d).iter().filter(|k| *k == "HearingScheduled").count(), 2);
    let texts: Vec<String> = sqlx::query_scalar("SELECT text FROM sandbox_sms WHERE mobile = '13800138000'").fetch_all(&app.state.app.db).await.expect("sms");
    assert!(texts.iter().any(|t| t.contains(&number) && t.contains("09:30")), "{texts:?}");
    let code = d["query_code"].as_str().expect("query code").to_string();
    assert_eq!(code.len(), 9, "printed as XXXX-XXXX: {code}");

    // Anyone with the number (brackets as typed) and the code (any case) sees the public face.
    let visitor = browser();
    let typed = number.replace('(', "（").replace(')', "）");
    let lower = code.to_lowercase();
    let (status, public, _) = call(&app, &visitor, "cases/lookup", &[("number", &typed), ("code", &lower)]).await;
    assert_eq!(status, 200, "{public}");
    assert_eq!(public["case_number"], number.as_str());
    assert_eq!(public["stage"], "Accepted");
    assert_eq!(public["next_hearing"]["courtroom"], "第三法庭", "the closed hearing is not shown");
    assert_eq!(public["next_hearing"]["starts_at"], hearing["starts_at"]);
    let text = public.to_string();
    assert!(!text.contains("张三") && !text.contains("北京某某") && !text.contains(&registry_id("张三")), "no person's data: {text}");

    // A wrong code and an unknown number get the same answer; a malformed code says why.
    let wrong = if code.starts_with('2') { "33333333" } else { "22222222" };
    assert_eq!(call(&app, &visitor, "cases/lookup", &[("number", &number), ("code", wrong)]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(&app, &visitor, "cases/lookup", &[("number", "(2026)京0105民初99999号"), ("code", &code)]).await.0, StatusCode::NOT_FOUND);
    let (status, body, _) = call(&app, &visitor, "cases/lookup", &[("number", &number), ("code", "abc")]).await;
    assert!(status.is_client_error() && body.to_string().contains("error_query_code"), "{status} {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_courts_judges_and_clerks_schedule_hearings_and_only_in_the_future_in_an_open_case() {
    let app = start(&[]).await;
    let (lawyer, clerk, client, id) = lawyers_case(&app).await;
    let date = date_in(&app, 9);
    for (who, b, expected) in [
        ("the client", &client, StatusCode::FORBIDDEN),
        ("the lawyer", &lawyer, StatusCode::FORBIDDEN),
        ("a clerk of another court", &staff_browser(&app, "京0101", "clerk").await, StatusCode::NOT_FOUND),
        ("a visitor", &browser(), StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(schedule(&app, b, id, &date, "online", "", true).await.0, expected, "{who} schedules");
    }
    assert_eq!(detail(&app, &client, id).await.1["hearings"], serde_json::json!([]));
    let judge = staff_browser(&app, "京0105", "judge").await;
    assert_eq!(schedule(&app, &judge, id, &date, "online", "", true).await.0, 200);
    let (status, body) = schedule(&app, &clerk, id, &date_in(&app, -1), "online", "", true).await;
    assert!(status.is_client_error() && body.to_string().contains("error_hearing_past"), "{status} {body}");
    let (status, body) = schedule(&app, &clerk, id, &date, "courtroom", " ", true).await;
    assert!(status.is_client_error() && body.to_string().contains("courtroom"), "{status} {body}");
    // Both the client and the lawyer acting for them were told.
    let told: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE message = 'notice_hearing_scheduled'").fetch_one(&app.state.app.db).await.expect("notices");
    assert_eq!(told, 2);
    // Closed, nothing more is scheduled.
    call(&app, &clerk, "cases/end", &[("case_id", &id.to_string()), ("ending", "judgment")]).await;
    let (status, body) = schedule(&app, &clerk, id, &date, "online", "", true).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_lookup_is_limited_per_address_so_query_codes_cannot_be_guessed() {
    let app = start(&[("TIANPING_IP_LIMIT_PER_HOUR", "5")]).await;
    let visitor = browser();
    for _ in 0..5 {
        assert_eq!(call(&app, &visitor, "cases/lookup", &[("number", "(2026)京0105民初1号"), ("code", "22222222")]).await.0, StatusCode::NOT_FOUND);
    }
    assert_eq!(call(&app, &visitor, "cases/lookup", &[("number", "(2026)京0105民初1号"), ("code", "22222222")]).await.0, StatusCode::TOO_MANY_REQUESTS);
}

/// The people the Cases issue's authorisation matrix names, around one case a lawyer filed for
/// a client at 京0105.
struct Cast {
    party: reqwest::Client,
    other_party: reqwest::Client,
    lawyer: reqwest::Client,
    unrelated_lawyer: reqwest::Client,
    clerk: reqwest::Client,
    other_clerk: reqwest::Client,
    visitor: reqwest::Client,
    case_id: i64,
    party_id: i64,
    case_number: String,
}

async fn cast(app: &App) -> Cast {
    let (lawyer, clerk, party, case_id) = lawyers_case(app).await;
    let party_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE mobile = '13800138010'").fetch_one(&app.state.app.db).await.expect("client");
    let case_number: String = sqlx::query_scalar("SELECT case_number FROM cases WHERE id = ?").bind(case_id).fetch_one(&app.state.app.db).await.expect("case");
    let other_party = verified_browser(app, "13800138000", "张三").await;
    accepted_case(app, &other_party, "matrix-other-0123456789").await;
    // A verified lawyer who does not act in this case.
    let unrelated_lawyer = verified_browser(app, "13800138001", "李四").await;
    let (_, profile, _) = call(app, &unrelated_lawyer, "apply_as_lawyer", &[("licence", "11101201110234567"), ("firm", "北京市另一律师事务所"), ("region", "京")]).await;
    call(app, &clerk, "decide_lawyer", &[("person_id", &profile["person_id"].to_string()), ("verify", "true")]).await;
    let other_clerk = staff_browser(app, "京0101", "clerk").await;
    Cast { party, other_party, lawyer, unrelated_lawyer, clerk, other_clerk, visitor: browser(), case_id, party_id, case_number }
}

use StatusCode as S;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_server_function_allows_exactly_the_people_it_should_and_refuses_the_rest() {
    let app = start(&[]).await;
    let c = cast(&app).await;
    let (case, party) = (c.case_id.to_string(), c.party_id.to_string());
    let date = date_in(&app, 9);
    let (_, d, _) = call(&app, &c.party, "cases/detail", &[("id", &case)]).await;
    let code = d["query_code"].as_str().expect("query code").to_string();
    let judge = a_judge(&app, c.case_id, "赵法官").await.to_string();
    advance(&app, 600);
    let (today, time) = now_in_beijing(&app);
    let who = [
        ("the party", &c.party),
        ("another party", &c.other_party),
        ("the party's lawyer", &c.lawyer),
        ("an unrelated lawyer", &c.unrelated_lawyer),
        ("a clerk of the court", &c.clerk),
        ("a clerk of another court", &c.other_clerk),
        ("a signed-out visitor", &c.visitor),
    ];
    // Each function with the answer for each person above, in that order. A staff member names
    // the thread they read (a party reads their own).
    let matrix: Vec<(&str, Vec<(&str, &str)>, [StatusCode; 7])> = vec![
        ("cases/court", vec![], [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK, S::OK, S::UNAUTHORIZED]),
        ("cases/mine", vec![], [S::OK, S::OK, S::OK, S::OK, S::FORBIDDEN, S::FORBIDDEN, S::UNAUTHORIZED]),
        ("cases/detail", vec![("id", &case)], [S::OK, S::NOT_FOUND, S::OK, S::NOT_FOUND, S::FORBIDDEN, S::FORBIDDEN, S::UNAUTHORIZED]),
        ("cases/staff_case", vec![("id", &case)], [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK, S::NOT_FOUND, S::UNAUTHORIZED]),
        ("cases/thread", vec![("case_id", &case), ("party", &party)], [S::OK, S::NOT_FOUND, S::OK, S::NOT_FOUND, S::OK, S::NOT_FOUND, S::UNAUTHORIZED]),
        ("cases/unanswered", vec![], [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK, S::OK, S::UNAUTHORIZED]),
        ("cases/lookup", vec![("number", &c.case_number), ("code", &code)], [S::OK; 7]),
        (
            "cases/schedule_hearing",
            vec![("case_id", &case), ("date", &date), ("time", "10:00"), ("minutes", "60"), ("mode", "online")],
            [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK, S::NOT_FOUND, S::UNAUTHORIZED],
        ),
        (
            "cases/record_event",
            vec![("case_id", &case), ("kind", "hearing_held"), ("date", &today), ("time", &time), ("request_key", "matrix-event-0123456789")],
            [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK, S::NOT_FOUND, S::UNAUTHORIZED],
        ),
        (
            "cases/change_stage",
            vec![("case_id", &case), ("stage", "trial"), ("request_key", "matrix-stage-0123456789")],
            [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK, S::NOT_FOUND, S::UNAUTHORIZED],
        ),
        ("cases/assign_judge", vec![("case_id", &case), ("judge", &judge)], [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK, S::NOT_FOUND, S::UNAUTHORIZED]),
        // Last: ending the case closes it.
        ("cases/end", vec![("case_id", &case), ("ending", "judgment")], [S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::FORBIDDEN, S::OK, S::NOT_FOUND, S::UNAUTHORIZED]),
    ];
    for (endpoint, form, expected) in &matrix {
        // The clerk of the court goes last in each row, so a refused call never follows a
        // change it made.
        for i in [0, 1, 2, 3, 5, 6, 4] {
            let (name, b) = who[i];
            let (status, body, _) = call(&app, b, endpoint, form).await;
            assert_eq!(status, expected[i], "{endpoint} for {name}: {body}");
            if status == S::OK && (*endpoint == "cases/mine" || *endpoint == "cases/court") {
                let sees = body.to_string().contains(&c.case_number);
                assert_eq!(sees, matches!(i, 0 | 2 | 4), "{endpoint} for {name} lists the case: {body}");
            }
        }
    }
    let hearings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_hearings").fetch_one(&app.state.app.db).await.expect("hearings");
    assert_eq!(hearings, 1, "only the clerk's call scheduled one");
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_events").fetch_one(&app.state.app.db).await.expect("events");
    assert_eq!(events, 2, "only the clerk's calls recorded an event and a stage change");
}

/// A judge of the case's court, by name; returns their id.
async fn a_judge(app: &App, case_id: i64, name: &str) -> i64 {
    let db = &app.state.app.db;
    let court: String = sqlx::query_scalar("SELECT court_code FROM cases WHERE id = ?").bind(case_id).fetch_one(db).await.expect("court");
    let now = app.state.app.clock.now();
    let (_, hash) = app::ssr::session::new_token();
    app::identity::store::create_staff(db, &court, "judge", name, &hash, now, now.plus_secs(3600)).await.expect("judge")
}

/// The test clock's Beijing date and time, as the record form takes them.
fn now_in_beijing(app: &App) -> (String, String) {
    let stamp = app.state.app.clock.now().shanghai();
    let (d, t) = stamp.split_once(' ').expect("date and time");
    (d.to_string(), t.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_staff_record_reaches_the_parties_timeline_and_inbox_once_and_stages_follow_their_rules() {
    let app = start(&[]).await;
    let c = cast(&app).await;
    let case = c.case_id.to_string();
    advance(&app, 1200);
    let (today, time) = now_in_beijing(&app);
    let record = |kind: &'static str, date: String, time: String, note: &'static str, key: &'static str| {
        let case = case.clone();
        let clerk = c.clerk.clone();
        let app = &app;
        async move { call(app, &clerk, "cases/record_event", &[("case_id", &case), ("kind", kind), ("date", &date), ("time", &time), ("note", note), ("request_key", key)]).await }
    };
    let (status, body, _) = record("hearing_held", today.clone(), time.clone(), " 庭审结束，择期宣判 ", "record-once-0123456789").await;
    assert_eq!(status, S::OK, "{body}");
    let (status, body, _) = record("hearing_held", today.clone(), time.clone(), " 庭审结束，择期宣判 ", "record-once-0123456789").await;
    assert_eq!(status, S::OK, "a double tap is answered as done: {body}");
    let (status, body, _) = record("judgment", date_in(&app, 1), "09:00".into(), "", "record-future-0123456789").await;
    assert_eq!(status, S::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("error_event_future"), "{body}");
    let (status, body, _) = record("judgment", date_in(&app, -30), "09:00".into(), "", "record-early-0123456789").await;
    assert!(status == S::UNPROCESSABLE_ENTITY && body.to_string().contains("error_event_before_acceptance"), "{status} {body}");
    for b in [&c.party, &c.lawyer] {
        let (_, d) = detail(&app, b, c.case_id).await;
        let held: Vec<&Value> = d["timeline"].as_array().expect("timeline").iter().filter(|e| e["kind"].get("Recorded").is_some()).collect();
        assert_eq!(held.len(), 1, "recorded once: {d}");
        assert_eq!(held[0]["kind"]["Recorded"]["kind"], "HearingHeld");
        assert_eq!(held[0]["kind"]["Recorded"]["note"], "庭审结束，择期宣判");
    }
    let told: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE person_id = ? AND message = 'notice_case_event'").bind(c.party_id).fetch_one(&app.state.app.db).await.expect("notices");
    assert_eq!(told, 1, "the party is told once");

    let stage = |to: &'static str, key: &'static str| {
        let case = case.clone();
        let clerk = c.clerk.clone();
        let app = &app;
        async move { call(app, &clerk, "cases/change_stage", &[("case_id", &case), ("stage", to), ("request_key", key)]).await }
    };
    assert_eq!(stage("mediation", "stage-1-0123456789").await.0, S::OK);
    let (status, body, _) = stage("mediation", "stage-2-0123456789").await;
    assert!(status == S::CONFLICT && body.to_string().contains("error_stage_same"), "{status} {body}");
    let (status, body, _) = stage("closed", "stage-3-0123456789").await;
    assert!(status == S::CONFLICT && body.to_string().contains("error_stage_close_by_ending"), "{status} {body}");
    assert_eq!(stage("judged", "stage-4-0123456789").await.0, S::OK);
    let (status, body, _) = stage("trial", "stage-5-0123456789").await;
    assert!(status == S::CONFLICT && body.to_string().contains("error_stage_after_judgment"), "{status} {body}");
    let (_, d) = detail(&app, &c.party, c.case_id).await;
    assert_eq!(d["summary"]["stage"], "Judged");
    assert!(kinds(&d).contains(&serde_json::json!({ "StageChanged": "Mediation" })), "{d}");
    let numbers = |v: &Value| v.as_array().expect("list").iter().map(|c| c["case_number"].as_str().unwrap_or_default().to_string()).collect::<Vec<_>>();
    assert_eq!(numbers(&mine(&app, &c.party, &[("stage", "open")]).await.1), [c.case_number.clone()], "a judged case is still open");
    assert!(numbers(&mine(&app, &c.party, &[("stage", "trial")]).await.1).is_empty());

    let other_court_judge = {
        let db = &app.state.app.db;
        let now = app.state.app.clock.now();
        let (_, hash) = app::ssr::session::new_token();
        app::identity::store::create_staff(db, "京0101", "judge", "钱法官", &hash, now, now.plus_secs(3600)).await.expect("judge")
    };
    let (status, body, _) = call(&app, &c.clerk, "cases/assign_judge", &[("case_id", &case), ("judge", &other_court_judge.to_string())]).await;
    assert!(status == S::UNPROCESSABLE_ENTITY && body.to_string().contains("error_choice"), "a judge of another court: {status} {body}");
    let judge = a_judge(&app, c.case_id, "赵法官").await;
    assert_eq!(call(&app, &c.clerk, "cases/assign_judge", &[("case_id", &case), ("judge", &judge.to_string())]).await.0, S::OK);
    assert_eq!(detail(&app, &c.party, c.case_id).await.1["judge_name"], "赵法官");

    assert_eq!(call(&app, &c.clerk, "cases/end", &[("case_id", &case), ("ending", "judgment")]).await.0, S::OK);
    let (status, body, _) = record("mediation", today, time, "", "record-closed-0123456789").await;
    assert!(status == S::CONFLICT && body.to_string().contains("error_case_closed"), "{status} {body}");
    let (status, body, _) = stage("trial", "stage-6-0123456789").await;
    assert!(status == S::CONFLICT && body.to_string().contains("error_case_closed"), "{status} {body}");
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('cases.event_recorded', 'cases.judge_assigned')").fetch_one(&app.state.app.db).await.expect("audit");
    assert_eq!(audit, 4, "the event, two stage changes and the judge");
}
