//! Identity against the real server on 127.0.0.1:0: sign-in by SMS code and its limits, session
//! rotation and expiry (with the server's clock moved forward), devices, real-name verification,
//! and the forbidden paths of every identity server function.

use reqwest::StatusCode;
use serde_json::Value;
use crate::support::*;

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_new_number_signs_up_with_the_code_from_the_sandbox_outbox() {
    let app = start(&[]).await;
    let b = browser();
    let (status, body, cookies) = call(&app, &b, "request_code", &[("mobile", "138 0013 8000")]).await;
    assert_eq!(status, 200);
    assert_eq!(body["masked_mobile"], "138****8000");
    let otp = cookies.iter().find(|c| c.starts_with("tp_otp=")).expect("pending-code cookie");
    assert!(otp.contains("HttpOnly") && otp.contains("SameSite=Lax"));
    assert_eq!(me(&app, &b).await, Value::Null);
    let code = latest_code(&app, "13800138000").await;
    let (status, _, cookies) = call(&app, &b, "sign_in_with_code", &[("code", &code)]).await;
    assert_eq!(status, 200);
    let session = cookies.iter().find(|c| c.starts_with("tp_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax") && !session.contains("Secure"));
    let me = me(&app, &b).await;
    assert_eq!(me["mobile_masked"], "138****8000");
    assert_eq!(me["verified_at"], Value::Null);
}

#[tokio::test]
async fn a_known_number_and_an_unknown_one_get_the_same_answer() {
    let app = start(&[]).await;
    sign_in(&app, &browser(), "13900139000").await;
    advance(&app, 61);
    let (s1, known, c1) = call(&app, &browser(), "request_code", &[("mobile", "13900139000")]).await;
    let (s2, unknown, c2) = call(&app, &browser(), "request_code", &[("mobile", "13700137000")]).await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(known["resend_after_s"], unknown["resend_after_s"]);
    assert_eq!(known.as_object().map(|o| o.len()), unknown.as_object().map(|o| o.len()));
    assert_eq!(c1.len(), c2.len());
}

#[tokio::test]
async fn a_second_code_within_a_minute_is_refused_then_allowed() {
    let app = start(&[]).await;
    let b = browser();
    call(&app, &b, "request_code", &[("mobile", "13800000001")]).await;
    let (status, body, _) = call(&app, &b, "resend_code", &[]).await;
    assert_eq!(status, 429, "{body}");
    let wait = body["RateLimited"]["retry_after_s"].as_i64().expect("retry_after_s");
    assert!((1..=60).contains(&wait), "{wait}");
    advance(&app, 61);
    assert_eq!(call(&app, &b, "resend_code", &[]).await.0, 200);
}

#[tokio::test]
async fn five_wrong_codes_burn_the_code_and_start_a_cool_down() {
    let app = start(&[]).await;
    let b = browser();
    call(&app, &b, "request_code", &[("mobile", "13800000002")]).await;
    let right = latest_code(&app, "13800000002").await;
    let wrong = if right == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        let (status, body, _) = call(&app, &b, "sign_in_with_code", &[("code", wrong)]).await;
        assert_eq!(status, 422);
        assert_eq!(body["Invalid"]["code"], "error_code_wrong");
    }
    let (status, body, _) = call(&app, &b, "sign_in_with_code", &[("code", wrong)]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_code_burnt" })));
    // The right code no longer works either.
    assert_eq!(call(&app, &b, "sign_in_with_code", &[("code", &right)]).await.0, 409);
    advance(&app, 61);
    let (status, body, _) = call(&app, &b, "request_code", &[("mobile", "13800000002")]).await;
    assert_eq!(status, 429, "cool-down: {body}");
    advance(&app, 15 * 60);
    assert_eq!(call(&app, &b, "request_code", &[("mobile", "13800000002")]).await.0, 200);
}

#[tokio::test]
async fn a_code_expires_after_five_minutes() {
    let app = start(&[]).await;
    let b = browser();
    call(&app, &b, "request_code", &[("mobile", "13800000003")]).await;
    let code = latest_code(&app, "13800000003").await;
    advance(&app, 5 * 60);
    let (status, body, _) = call(&app, &b, "sign_in_with_code", &[("code", &code)]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_code_expired" })));
}

#[tokio::test]
async fn a_code_works_once_and_only_in_the_browser_that_asked_for_it() {
    let app = start(&[]).await;
    let b = browser();
    let (_, _, cookies) = call(&app, &b, "request_code", &[("mobile", "13800000004")]).await;
    let otp = cookie_value(&cookies, "tp_otp").expect("pending cookie");
    let code = latest_code(&app, "13800000004").await;
    // Another browser, without the pending-code cookie, cannot use it.
    let (status, _, _) = call(&app, &browser(), "sign_in_with_code", &[("code", &code)]).await;
    assert_eq!(status, 409);
    assert_eq!(call(&app, &b, "sign_in_with_code", &[("code", &code)]).await.0, 200);
    let replay = format!("tp_otp={otp}");
    let (status, body, _) = call_with(&app, &browser(), "sign_in_with_code", &[("code", &code)], &[("cookie", &replay)]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_code_used" })));
}

#[tokio::test]
async fn a_number_gets_at_most_ten_codes_a_day() {
    let app = start(&[]).await;
    let b = browser();
    for i in 0..10 {
        assert_eq!(call(&app, &b, "request_code", &[("mobile", "13800000005")]).await.0, 200, "code {i}");
        advance(&app, 61);
    }
    let (status, body, _) = call(&app, &b, "request_code", &[("mobile", "13800000005")]).await;
    assert_eq!(status, 429, "{body}");
    advance(&app, 24 * 3600);
    assert_eq!(call(&app, &b, "request_code", &[("mobile", "13800000005")]).await.0, 200);
}

#[tokio::test]
async fn one_address_gets_only_its_hourly_number_of_codes_and_tries() {
    let app = start(&[("TIANPING_IP_LIMIT_PER_HOUR", "3")]).await;
    for n in ["13800000011", "13800000012", "13800000013"] {
        assert_eq!(call(&app, &browser(), "request_code", &[("mobile", n)]).await.0, 200);
    }
    let (status, body, _) = call(&app, &browser(), "request_code", &[("mobile", "13800000014")]).await;
    assert_eq!(status, 429, "{body}");
    let b = browser();
    for _ in 0..3 {
        call(&app, &b, "sign_in_with_code", &[("code", "000000")]).await;
    }
    assert_eq!(call(&app, &b, "sign_in_with_code", &[("code", "000000")]).await.0, 429);
    advance(&app, 3600);
    assert_eq!(call(&app, &browser(), "request_code", &[("mobile", "13800000014")]).await.0, 200);
}

#[tokio::test]
async fn a_malformed_number_or_code_is_refused_with_the_field_named() {
    let app = start(&[]).await;
    let b = browser();
    let (status, body, _) = call(&app, &b, "request_code", &[("mobile", "12345")]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"]["mobile"], "error_mobile");
    call(&app, &b, "request_code", &[("mobile", "13800000006")]).await;
    let (status, body, _) = call(&app, &b, "sign_in_with_code", &[("code", "12ab")]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"]["code"], "error_code_format");
}

#[tokio::test]
async fn signing_in_again_rotates_the_session_and_the_old_id_stops_working() {
    let app = start(&[]).await;
    let b = browser();
    let first = sign_in(&app, &b, "13800000007").await;
    advance(&app, 61);
    let second = sign_in(&app, &b, "13800000007").await;
    assert_ne!(first, second);
    assert_eq!(first.len(), 32, "128 bits in hex");
    let old = format!("tp_session={first}");
    let (_, body, _) = call_with(&app, &reqwest::Client::new(), "me", &[], &[("cookie", &old)]).await;
    assert_eq!(body, Value::Null);
    assert_ne!(me(&app, &b).await, Value::Null);
}

#[tokio::test]
async fn a_step_up_by_sms_rotates_the_session_and_counts_for_five_minutes() {
    let app = start(&[]).await;
    let b = browser();
    let before = sign_in(&app, &b, "13800000008").await;
    advance(&app, 5 * 60);
    assert_eq!(me(&app, &b).await["stepped_up"], false);
    assert_eq!(call(&app, &b, "request_step_up_code", &[]).await.0, 200);
    let code = latest_code(&app, "13800000008").await;
    let (status, body, cookies) = call(&app, &b, "step_up_with_code", &[("code", &code)]).await;
    assert_eq!(status, 200, "{body}");
    let after = cookie_value(&cookies, "tp_session").expect("new session cookie");
    assert_ne!(before, after);
    let old = format!("tp_session={before}");
    assert_eq!(call_with(&app, &reqwest::Client::new(), "me", &[], &[("cookie", &old)]).await.1, Value::Null);
    assert_eq!(me(&app, &b).await["stepped_up"], true);
    advance(&app, 5 * 60);
    assert_eq!(me(&app, &b).await["stepped_up"], false);
}

#[tokio::test]
async fn a_step_up_code_of_one_session_does_not_step_up_another() {
    let app = start(&[]).await;
    let phone = browser();
    sign_in(&app, &phone, "13800000009").await;
    advance(&app, 61);
    let (_, _, cookies) = call(&app, &phone, "request_step_up_code", &[]).await;
    let otp = cookie_value(&cookies, "tp_otp").expect("pending cookie");
    let code = latest_code(&app, "13800000009").await;
    advance(&app, 61);
    let other_session = sign_in(&app, &browser(), "13800000010").await;
    let both = format!("tp_session={other_session}; tp_otp={otp}");
    let (status, body, _) = call_with(&app, &reqwest::Client::new(), "step_up_with_code", &[("code", &code)], &[("cookie", &both)]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_no_pending_code" })));
}

#[tokio::test]
async fn a_session_ends_after_thirty_idle_minutes_but_activity_keeps_it() {
    let app = start(&[]).await;
    let b = browser();
    sign_in(&app, &b, "13800000015").await;
    advance(&app, 29 * 60);
    assert_ne!(me(&app, &b).await, Value::Null);
    advance(&app, 29 * 60);
    assert_ne!(me(&app, &b).await, Value::Null, "the last request counts as activity");
    advance(&app, 30 * 60);
    assert_eq!(me(&app, &b).await, Value::Null);
}

#[tokio::test]
async fn a_session_ends_after_twelve_hours_however_busy() {
    let app = start(&[]).await;
    let b = browser();
    sign_in(&app, &b, "13800000016").await;
    for _ in 0..(12 * 60 / 25) {
        assert_ne!(me(&app, &b).await, Value::Null);
        advance(&app, 25 * 60);
    }
    advance(&app, 25 * 60);
    assert_eq!(me(&app, &b).await, Value::Null);
}

#[tokio::test]
async fn a_kiosk_session_ends_after_the_kiosk_idle_time_and_on_reset() {
    let app = start(&[]).await;
    let kiosk = browser();
    let link = server::serve::kiosk_link(&test_config(&app), "lobby-1", None).expect("kiosk link");
    let res = kiosk.get(link).send().await.expect("enrol");
    assert_eq!(res.status(), 303);
    sign_in(&app, &kiosk, "13800000017").await;
    let devices = call(&app, &kiosk, "devices", &[]).await.1;
    assert_eq!(devices[0]["profile"], "Kiosk");
    advance(&app, 119);
    assert_ne!(me(&app, &kiosk).await, Value::Null);
    advance(&app, 120);
    assert_eq!(me(&app, &kiosk).await, Value::Null);
    advance(&app, 61);
    sign_in(&app, &kiosk, "13800000017").await;
    let res = kiosk.post(format!("{}/kiosk/reset", app.base)).send().await.expect("reset");
    assert_eq!(res.status(), 204);
    assert_eq!(me(&app, &kiosk).await, Value::Null);
}

#[tokio::test]
async fn every_identity_function_refuses_a_caller_without_a_session() {
    let app = start(&[]).await;
    let b = browser();
    for (endpoint, form) in [
        ("devices", vec![]),
        ("sign_out", vec![]),
        ("sign_out_others", vec![]),
        ("sign_out_device", vec![("id", "1")]),
        ("verify", vec![("legal_name", "张三"), ("id_number", "11010519491231002X")]),
        ("request_step_up_code", vec![]),
        ("step_up_with_code", vec![("code", "123456")]),
        ("passkey_register_start", vec![]),
        ("passkey_register_finish", vec![("id", "0123456789abcdef0123456789abcdef"), ("credential", "{}"), ("name", "x")]),
        ("passkey_step_up_start", vec![]),
        ("passkey_step_up_finish", vec![("id", "0123456789abcdef0123456789abcdef"), ("credential", "{}")]),
        ("passkeys", vec![]),
        ("rename_passkey", vec![("id", "1"), ("name", "x")]),
        ("remove_passkey", vec![("id", "1")]),
    ] {
        let (status, body, _) = call(&app, &b, endpoint, &form).await;
        assert_eq!(status, 401, "{endpoint}: {body}");
        assert_eq!(body, Value::String("Unauthenticated".into()), "{endpoint}");
    }
    // A forged or stale cookie is no better than none.
    let forged = "tp_session=0123456789abcdef0123456789abcdef";
    assert_eq!(call_with(&app, &reqwest::Client::new(), "devices", &[], &[("cookie", forged)]).await.0, 401);
    assert_eq!(me(&app, &b).await, Value::Null);
}

#[tokio::test]
async fn a_person_cannot_sign_out_another_persons_device() {
    let app = start(&[]).await;
    let alice = browser();
    sign_in(&app, &alice, "13800000018").await;
    let bob = browser();
    sign_in(&app, &bob, "13800000019").await;
    let alice_session = call(&app, &alice, "devices", &[]).await.1[0]["id"].as_i64().expect("id").to_string();
    let (status, _, _) = call(&app, &bob, "sign_out_device", &[("id", &alice_session)]).await;
    assert_eq!(status, 404);
    assert_ne!(me(&app, &alice).await, Value::Null);
    // Bob's devices list shows only Bob's session.
    let bobs = call(&app, &bob, "devices", &[]).await.1;
    assert_eq!(bobs.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn signing_out_everywhere_else_ends_the_other_devices_only() {
    let app = start(&[]).await;
    let phone = browser();
    sign_in(&app, &phone, "13800000020").await;
    advance(&app, 61);
    let tablet = browser();
    sign_in(&app, &tablet, "13800000020").await;
    let devices = call(&app, &phone, "devices", &[]).await.1;
    assert_eq!(devices.as_array().map(Vec::len), Some(2));
    let (status, n, _) = call(&app, &phone, "sign_out_others", &[]).await;
    assert_eq!((status, n), (StatusCode::OK, serde_json::json!(1)));
    assert_eq!(me(&app, &tablet).await, Value::Null);
    assert_ne!(me(&app, &phone).await, Value::Null);
    let (status, _, cookies) = call(&app, &phone, "sign_out", &[]).await;
    assert_eq!(status, 200);
    assert!(cookies.iter().any(|c| c.starts_with("tp_session=;") && c.contains("Max-Age=0")));
    assert_eq!(me(&app, &phone).await, Value::Null);
}

#[tokio::test]
async fn a_registered_identity_verifies_and_the_number_is_stored_only_encrypted() {
    let app = start(&[]).await;
    let b = browser();
    sign_in(&app, &b, "13800000021").await;
    let (status, body, _) = call(&app, &b, "verify", &[("legal_name", " 张三 "), ("id_number", "11010519491231002x")]).await;
    assert_eq!(status, 200, "{body}");
    let me = me(&app, &b).await;
    assert_eq!(me["legal_name"], "张三");
    assert_eq!(me["id_masked"], "110105********002X");
    assert_ne!(me["verified_at"], Value::Null);
    let (cipher, lookup): (Vec<u8>, String) =
        sqlx::query_as("SELECT id_cipher, id_lookup FROM people WHERE mobile = '13800000021'").fetch_one(&app.state.app.db).await.expect("row");
    assert!(!String::from_utf8_lossy(&cipher).contains("1949"));
    assert!(!lookup.contains("1949"));
    assert_eq!(app.state.app.id_key.decrypt(&cipher).expect("decrypts"), "11010519491231002X");
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log").fetch_all(&app.state.app.db).await.expect("audit");
    assert!(actions.contains(&"identity.verification_passed".to_string()), "{actions:?}");
    let (status, body, _) = call(&app, &b, "verify", &[("legal_name", "张三"), ("id_number", "11010519491231002X")]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_already_verified" })));
}

#[tokio::test]
async fn a_name_that_does_not_match_or_a_deceased_registration_fails_and_is_audited() {
    let app = start(&[]).await;
    let b = browser();
    sign_in(&app, &b, "13800000022").await;
    let (status, body, _) = call(&app, &b, "verify", &[("legal_name", "李四"), ("id_number", "11010519491231002X")]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_registry_mismatch" })));
    let (status, _, _) = call(&app, &b, "verify", &[("legal_name", "孙丽"), ("id_number", "110108197001010117")]).await;
    assert_eq!(status, 409);
    assert_eq!(me(&app, &b).await["verified_at"], Value::Null);
    let details: Vec<String> = sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'identity.verification_failed'")
        .fetch_all(&app.state.app.db)
        .await
        .expect("audit");
    assert_eq!(details.len(), 2);
    assert!(details.iter().all(|d| !d.contains("11010519491231002X") && !d.contains("110108197001010117")), "only masked numbers: {details:?}");
}

#[tokio::test]
async fn a_mistyped_id_number_is_refused_before_the_registry_is_asked() {
    let app = start(&[]).await;
    let b = browser();
    sign_in(&app, &b, "13800000023").await;
    let (status, body, _) = call(&app, &b, "verify", &[("legal_name", "张"), ("id_number", "110105194912310021")]).await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"]["id_number"], "error_id_check");
    assert_eq!(body["Invalid"]["legal_name"], "error_name");
    let (_, body, _) = call(&app, &b, "verify", &[("legal_name", "张三"), ("id_number", "110105194902301234")]).await;
    assert_eq!(body["Invalid"]["id_number"], "error_id_birth_date");
}

#[tokio::test]
async fn one_id_number_verifies_only_one_account() {
    let app = start(&[]).await;
    let first = browser();
    sign_in(&app, &first, "13800000024").await;
    assert_eq!(call(&app, &first, "verify", &[("legal_name", "李四"), ("id_number", "110105199003071239")]).await.0, 200);
    let second = browser();
    sign_in(&app, &second, "13800000025").await;
    let (status, body, _) = call(&app, &second, "verify", &[("legal_name", "李四"), ("id_number", "110105199003071239")]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_id_taken" })));
}

#[tokio::test]
async fn a_person_may_ask_the_registry_five_times_a_day() {
    let app = start(&[]).await;
    let b = browser();
    sign_in(&app, &b, "13800000026").await;
    for _ in 0..5 {
        assert_eq!(call(&app, &b, "verify", &[("legal_name", "王五"), ("id_number", "310104198506154569")]).await.0, 409);
    }
    let (status, body, _) = call(&app, &b, "verify", &[("legal_name", "王小明"), ("id_number", "310104198506154569")]).await;
    assert_eq!(status, 429, "{body}");
}

#[tokio::test]
async fn the_sandbox_outbox_exists_only_while_sandboxes_are_on() {
    let app = start(&[("TIANPING_SANDBOX", "false")]).await;
    let res = reqwest::get(format!("{}/sandbox/sms", app.base)).await.expect("request");
    assert_eq!(res.status(), 404);
    // Without a gateway, asking for a code says so rather than pretending to send.
    let (status, body, _) = call(&app, &browser(), "request_code", &[("mobile", "13800000027")]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_sms_unavailable" })));
}

#[tokio::test]
async fn the_audit_log_records_sign_in_and_out_without_codes_or_session_ids() {
    let app = start(&[]).await;
    let b = browser();
    let token = sign_in(&app, &b, "13800000028").await;
    let code = latest_code(&app, "13800000028").await;
    call(&app, &b, "sign_out", &[]).await;
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT action, subject, details FROM audit_log ORDER BY seq").fetch_all(&app.state.app.db).await.expect("audit");
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(actions, ["identity.signed_up", "identity.signed_in", "identity.signed_out"]);
    for (_, subject, details) in &rows {
        assert!(!subject.contains(&token) && !details.contains(&token) && !details.contains(&code), "{subject} {details}");
    }
    assert_eq!(app::ssr::audit::verify(&app.state.app.db).await.expect("verify"), Ok(3));
}

#[tokio::test]
async fn a_cross_site_post_to_a_server_function_is_refused() {
    let app = start(&[]).await;
    let (status, _, _) =
        call_with(&app, &browser(), "request_code", &[("mobile", "13800000029")], &[("origin", "https://evil.example")]).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn only_a_verified_person_may_add_a_passkey() {
    let app = start(&[("TIANPING_PUBLIC_URL", "http://localhost:3000")]).await;
    let b = browser();
    sign_in(&app, &b, "13800000030").await;
    let (status, _, _) = call(&app, &b, "passkey_register_start", &[]).await;
    assert_eq!(status, 403);
    call(&app, &b, "verify", &[("legal_name", "林建国"), ("id_number", &registry_id("林建国"))]).await;
    let (status, body, _) = call(&app, &b, "passkey_register_start", &[]).await;
    assert_eq!(status, 200, "{body}");
    let options: Value = serde_json::from_str(body["options"].as_str().expect("options")).expect("options JSON");
    let selection = &options["publicKey"]["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required", "discoverable: sign-in needs nothing typed");
    assert_eq!(selection["userVerification"], "required");
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
}

/// The ID number of a sandbox registry entry, by name.
#[tokio::test]
async fn a_passkey_ceremony_is_single_use_and_belongs_to_its_session() {
    let app = start(&[("TIANPING_PUBLIC_URL", "http://localhost:3000")]).await;
    let b = browser();
    sign_in(&app, &b, "13800000031").await;
    call(&app, &b, "verify", &[("legal_name", "黄秀英"), ("id_number", &registry_id("黄秀英"))]).await;
    let (_, started, _) = call(&app, &b, "passkey_register_start", &[]).await;
    let id = started["id"].as_str().expect("ceremony id").to_string();
    // Another verified person cannot finish it, even with the id.
    let other = browser();
    sign_in(&app, &other, "13800000032").await;
    call(&app, &other, "verify", &[("legal_name", "何志强"), ("id_number", &registry_id("何志强"))]).await;
    let form = [("id", id.as_str()), ("credential", "{}"), ("name", "x")];
    let (status, body, _) = call(&app, &other, "passkey_register_finish", &form).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_passkey_expired" })));
    // Its owner gets one try: a bad credential uses it up, and a replay finds nothing.
    let (status, _, _) = call(&app, &b, "passkey_register_finish", &form).await;
    assert_eq!(status, 422);
    let (status, body, _) = call(&app, &b, "passkey_register_finish", &form).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_passkey_expired" })));
}

#[tokio::test]
async fn a_passkey_ceremony_expires_after_five_minutes() {
    let app = start(&[("TIANPING_PUBLIC_URL", "http://localhost:3000")]).await;
    let (status, body, _) = call(&app, &browser(), "passkey_sign_in_start", &[]).await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_str().expect("id").to_string();
    advance(&app, 5 * 60);
    let (status, body, _) = call(&app, &browser(), "passkey_sign_in_finish", &[("id", &id), ("credential", "{}")]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_passkey_expired" })));
}

#[tokio::test]
async fn passkeys_are_off_without_a_domain_name_and_say_so() {
    let app = start(&[]).await;
    let (status, body, _) = call(&app, &browser(), "passkey_sign_in_start", &[]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_passkeys_unavailable" })));
}

#[tokio::test]
async fn a_person_cannot_rename_or_remove_another_persons_passkey() {
    let app = start(&[]).await;
    let b = browser();
    sign_in(&app, &b, "13800000033").await;
    // A passkey row of someone else, as registration would leave it.
    let other = browser();
    sign_in(&app, &other, "13800000034").await;
    let (owner,): (i64,) = sqlx::query_as("SELECT id FROM people WHERE mobile = '13800000034'").fetch_one(&app.state.app.db).await.expect("owner");
    let row = app::identity::store::insert_passkey(&app.state.app.db, owner, "abcd", "{}", "Phone", app.state.app.clock.now()).await.expect("row");
    let row = row.to_string();
    assert_eq!(call(&app, &b, "rename_passkey", &[("id", &row), ("name", "mine now")]).await.0, 404);
    assert_eq!(call(&app, &b, "remove_passkey", &[("id", &row)]).await.0, 404);
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM passkeys").fetch_all(&app.state.app.db).await.expect("names");
    assert_eq!(names, ["Phone"]);
    // Its owner may rename and remove it (they still sign in by SMS).
    assert_eq!(call(&app, &other, "rename_passkey", &[("id", &row), ("name", "旧手机")]).await.0, 200);
    assert_eq!(call(&app, &other, "remove_passkey", &[("id", &row)]).await.0, 200);
}

// ---------------------------------------------------------------------------------------------
// Staff, lawyers, representation, hand-off

#[tokio::test]
async fn create_staff_prints_a_one_time_link_for_one_court_and_role() {
    let app = start(&[]).await;
    let config = test_config(&app);
    assert!(server::serve::create_staff(&config, "京0105", "janitor", "王书记").await.unwrap_err().contains("role"));
    assert!(server::serve::create_staff(&config, "京9999", "clerk", "王书记").await.unwrap_err().contains("directory"));
    let link = server::serve::create_staff(&config, "京0105", "clerk", "王书记").await.expect("created");
    let token = link.split("token=").nth(1).expect("token").to_string();
    let (status, body, _) = call(&app, &browser(), "enrolment", &[("token", &token)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "王书记");
    assert_eq!(body["court_code"], "京0105");
    assert_eq!(body["role"], "Clerk");
    let (status, _, _) = call(&app, &browser(), "enrolment", &[("token", "0123456789abcdef0123456789abcdef")]).await;
    assert_eq!(status, 404);
    // Without a passkey there is no way in: staff cannot ask for SMS codes.
    advance(&app, 73 * 3600);
    assert_eq!(call(&app, &browser(), "enrolment", &[("token", &token)]).await.0, 404, "links expire");
}

#[tokio::test]
async fn a_clerk_verifies_lawyers_of_their_province_only() {
    let app = start(&[]).await;
    let lawyer = verified_browser(&app, "13800000040", "梁静怡").await;
    let (status, body, _) = call(&app, &lawyer, "apply_as_lawyer", &[("licence", "11101200910123456"), ("firm", "北京市天平律师事务所"), ("region", "京")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "Pending");
    let lawyer_id = body["person_id"].as_i64().expect("id").to_string();

    let shanghai = staff_browser(&app, "沪0115", "clerk").await;
    assert_eq!(call(&app, &shanghai, "lawyer_queue", &[]).await.1, serde_json::json!([]));
    let (status, _, _) = call(&app, &shanghai, "decide_lawyer", &[("person_id", &lawyer_id), ("verify", "true")]).await;
    assert_eq!(status, 404, "a clerk of another province cannot decide");

    let judge = staff_browser(&app, "京0105", "judge").await;
    assert_eq!(call(&app, &judge, "lawyer_queue", &[]).await.0, 403);
    assert_eq!(call(&app, &judge, "decide_lawyer", &[("person_id", &lawyer_id), ("verify", "true")]).await.0, 404);

    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let queue = call(&app, &clerk, "lawyer_queue", &[]).await.1;
    assert_eq!(queue.as_array().map(Vec::len), Some(1));
    let (status, body, _) = call(&app, &clerk, "decide_lawyer", &[("person_id", &lawyer_id), ("verify", "false")]).await;
    assert_eq!((status, body["Invalid"]["reason"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, Value::from("error_reason_needed")));
    assert_eq!(call(&app, &clerk, "decide_lawyer", &[("person_id", &lawyer_id), ("verify", "true")]).await.0, 200);
    assert_eq!(call(&app, &clerk, "decide_lawyer", &[("person_id", &lawyer_id), ("verify", "true")]).await.0, 409);
    assert_eq!(call(&app, &lawyer, "my_lawyer_profile", &[]).await.1["status"], "Verified");

    // A litigant is not staff.
    assert_eq!(call(&app, &lawyer, "lawyer_queue", &[]).await.0, 403);
}

#[tokio::test]
async fn a_client_grants_a_verified_lawyer_representation_and_only_the_client_revokes_it() {
    let app = start(&[]).await;
    let lawyer = verified_browser(&app, "13800000041", "宋晓东").await;
    let (_, profile, _) = call(&app, &lawyer, "apply_as_lawyer", &[("licence", "11101200910123457"), ("firm", "北京市天平律师事务所"), ("region", "京")]).await;
    let client = verified_browser(&app, "13800000042", "唐雨桐").await;
    let grant = [("licence", "11101200910123457"), ("scope_kind", "case"), ("scope_ref", "(2026)京0105民初123号")];
    let (status, body, _) = call(&app, &client, "grant_representation", &grant).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_lawyer_not_verified" })));

    let clerk = staff_browser(&app, "京0105", "clerk").await;
    let lawyer_id = profile["person_id"].as_i64().expect("id");
    call(&app, &clerk, "decide_lawyer", &[("person_id", &lawyer_id.to_string()), ("verify", "true")]).await;
    let (status, body, _) = call(&app, &client, "grant_representation", &grant).await;
    assert_eq!(status, 200, "{body}");
    let grant_id = body["id"].as_i64().expect("id").to_string();
    assert_eq!(call(&app, &client, "grant_representation", &grant).await.0, 409, "one live grant per matter");
    let clients = call(&app, &lawyer, "my_clients", &[]).await.1;
    assert_eq!(clients[0]["client_name"], "唐雨桐");
    let client_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE mobile = '13800000042'").fetch_one(&app.state.app.db).await.expect("id");
    let scope = app::identity::model::Scope::Case("(2026)京0105民初123号".into());
    assert!(app::identity::store::represents(&app.state.app.db, lawyer_id, client_id, &scope).await.expect("q"));

    // The lawyer cannot revoke the client's grant, nor can anyone else.
    assert_eq!(call(&app, &lawyer, "revoke_representation", &[("id", &grant_id)]).await.0, 404);
    assert_eq!(call(&app, &client, "revoke_representation", &[("id", &grant_id)]).await.0, 200);
    assert!(!app::identity::store::represents(&app.state.app.db, lawyer_id, client_id, &scope).await.expect("q"));
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log").fetch_all(&app.state.app.db).await.expect("audit");
    assert!(actions.contains(&"identity.representation_granted".into()) && actions.contains(&"identity.representation_revoked".into()));
}

#[tokio::test]
async fn every_staff_lawyer_and_handoff_function_refuses_a_caller_without_a_session() {
    let app = start(&[]).await;
    let b = browser();
    for (endpoint, form) in [
        ("staff_me", vec![]),
        ("apply_as_lawyer", vec![("licence", "11101200910123456"), ("firm", "所"), ("region", "京")]),
        ("my_lawyer_profile", vec![]),
        ("lawyer_queue", vec![]),
        ("decide_lawyer", vec![("person_id", "1"), ("verify", "true")]),
        ("grant_representation", vec![("licence", "11101200910123456"), ("scope_kind", "filing"), ("scope_ref", "1")]),
        ("revoke_representation", vec![("id", "1")]),
        ("my_grants", vec![]),
        ("my_clients", vec![]),
        ("handoff_request", vec![("t", "0123456789abcdef0123456789abcdef")]),
        ("handoff_approve", vec![("t", "0123456789abcdef0123456789abcdef")]),
    ] {
        let (status, body, _) = call(&app, &b, endpoint, &form).await;
        if endpoint == "staff_me" {
            assert_eq!((status, body), (StatusCode::OK, Value::Null));
        } else {
            assert_eq!(status, 401, "{endpoint}: {body}");
        }
    }
    // An unverified person may not act as a client or a lawyer.
    sign_in(&app, &b, "13800000043").await;
    assert_eq!(call(&app, &b, "apply_as_lawyer", &[("licence", "11101200910123456"), ("firm", "天平律所"), ("region", "京")]).await.0, 403);
    assert_eq!(call(&app, &b, "grant_representation", &[("licence", "11101200910123456"), ("scope_kind", "filing"), ("scope_ref", "1")]).await.0, 403);
}

/// An enrolled kiosk's browser in a court's lobby.
async fn kiosk_browser(app: &App, court: Option<&str>) -> reqwest::Client {
    let courts = app::courts::store::shipped_directory().expect("directory");
    app::courts::store::upsert_all(&app.state.app.db, &courts).await.expect("courts");
    let kiosk = browser();
    let link = server::serve::kiosk_link(&test_config(app), "lobby-1", court).expect("kiosk link");
    assert_eq!(kiosk.get(link).send().await.expect("enrol").status(), 303);
    kiosk
}

#[tokio::test]
async fn a_phone_signs_a_kiosk_in_by_approving_its_code_once() {
    let app = start(&[]).await;
    let kiosk = kiosk_browser(&app, Some("京0105")).await;
    let (status, ticket, _) = call(&app, &kiosk, "handoff_start", &[]).await;
    assert_eq!(status, 200, "{ticket}");
    assert!(ticket["qr_svg"].as_str().expect("svg").starts_with("<svg"));
    let poll = ticket["poll"].as_str().expect("poll").to_string();
    let t = ticket["link"].as_str().expect("link").split("t=").nth(1).expect("t").to_string();
    assert_eq!(call(&app, &kiosk, "handoff_poll", &[("poll", &poll)]).await.1, "Waiting");

    let phone = browser();
    assert_eq!(call(&app, &phone, "handoff_request", &[("t", &t)]).await.0, 401);
    sign_in(&app, &phone, "13800000044").await;
    let (status, ask, _) = call(&app, &phone, "handoff_request", &[("t", &t)]).await;
    assert_eq!(status, 200, "{ask}");
    assert_eq!(ask["device"], "lobby-1");
    assert_eq!(ask["kiosk"], true);
    assert!(ask["court_name"].as_str().expect("court").contains("朝阳"), "{ask}");
    // The poll token does not approve, and the approval token does not poll.
    assert_eq!(call(&app, &phone, "handoff_approve", &[("t", &poll)]).await.0, 404);
    assert_eq!(call(&app, &kiosk, "handoff_poll", &[("poll", &t)]).await.0, 404);
    assert_eq!(call(&app, &phone, "handoff_approve", &[("t", &t)]).await.0, 200);
    assert_eq!(call(&app, &phone, "handoff_approve", &[("t", &t)]).await.0, 409, "single use");

    // Another browser holding the poll token is not the kiosk that asked.
    assert_eq!(call(&app, &browser(), "handoff_poll", &[("poll", &poll)]).await.0, 404);
    let (status, state, cookies) = call(&app, &kiosk, "handoff_poll", &[("poll", &poll)]).await;
    assert_eq!((status, state), (StatusCode::OK, Value::from("SignedIn")));
    assert!(cookie_value(&cookies, "tp_session").is_some());
    assert_eq!(me(&app, &kiosk).await["mobile_masked"], "138****0044");
    assert_eq!(call(&app, &kiosk, "devices", &[]).await.1[0]["profile"], "Kiosk");
    assert_eq!(call(&app, &kiosk, "handoff_poll", &[("poll", &poll)]).await.1, "Expired", "consumed once");
    // The kiosk session has the kiosk's idle time.
    advance(&app, 121);
    assert_eq!(me(&app, &kiosk).await, Value::Null);
}

#[tokio::test]
async fn a_handoff_expires_after_two_minutes_and_needs_a_fresh_step_up() {
    let app = start(&[]).await;
    let kiosk = kiosk_browser(&app, None).await;
    let phone = browser();
    sign_in(&app, &phone, "13800000045").await;

    let (_, ticket, _) = call(&app, &kiosk, "handoff_start", &[]).await;
    let t = ticket["link"].as_str().expect("link").split("t=").nth(1).expect("t").to_string();
    advance(&app, 120);
    let (status, body, _) = call(&app, &phone, "handoff_approve", &[("t", &t)]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_handoff_expired" })));
    let poll = ticket["poll"].as_str().expect("poll").to_string();
    assert_eq!(call(&app, &kiosk, "handoff_poll", &[("poll", &poll)]).await.1, "Expired");

    // Five minutes after signing in, the phone must confirm it is the person again.
    advance(&app, 5 * 60);
    let (_, ticket, _) = call(&app, &kiosk, "handoff_start", &[]).await;
    let t = ticket["link"].as_str().expect("link").split("t=").nth(1).expect("t").to_string();
    let (status, body, _) = call(&app, &phone, "handoff_approve", &[("t", &t)]).await;
    assert_eq!((status, body), (StatusCode::CONFLICT, serde_json::json!({ "Conflict": "error_step_up_needed" })));
}

#[tokio::test]
async fn a_refused_plain_form_post_goes_back_to_the_form_with_its_error() {
    let app = start(&[]).await;
    let b = browser();
    call(&app, &b, "request_code", &[("mobile", "13800000050")]).await;
    let form_page = format!("{}/signin/code", app.base);
    let res = b
        .post(format!("{}/api/identity/sign_in_with_code", app.base))
        .header("accept", "text/html")
        .header("referer", &form_page)
        .form(&[("code", "12ab")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().expect("location").to_string();
    assert!(location.starts_with(&format!("{form_page}?")) && location.contains("__err="), "{location}");
    let page = b.get(&location).send().await.expect("page").text().await.expect("body");
    assert!(page.contains("data-testid=\"noscript-error\"") && page.contains("验证码是 6 位数字"), "the page says what was wrong");
}
