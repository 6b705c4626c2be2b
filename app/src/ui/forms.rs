//! Form pieces every area shares: the error summary under a form and the message next to a field,
//! both translated from the keys the server sends.
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The text for a message key sent by the server. Unknown keys get the generic message, so a
/// new server key never shows a raw identifier to a person.
pub fn key_text(i18n: I18nContext<Locale>, key: &str) -> String {
    let s: &str = match key {
        "error_mobile" => t_string!(i18n, error_mobile),
        "error_relief_kind" => t_string!(i18n, error_relief_kind),
        "error_relief_ground" => t_string!(i18n, error_relief_ground),
        "error_relief_waiver_person" => t_string!(i18n, error_relief_waiver_person),
        "error_relief_other_reasons" => t_string!(i18n, error_relief_other_reasons),
        "error_relief_evidence" => t_string!(i18n, error_relief_evidence),
        "error_relief_decision" => t_string!(i18n, error_relief_decision),
        "error_relief_decision_kind" => t_string!(i18n, error_relief_decision_kind),
        "error_relief_percent" => t_string!(i18n, error_relief_percent),
        "error_relief_date_later" => t_string!(i18n, error_relief_date_later),
        "error_code_format" => t_string!(i18n, error_code_format),
        "error_code_wrong" => t_string!(i18n, error_code_wrong),
        "error_code_expired" => t_string!(i18n, error_code_expired),
        "error_code_used" => t_string!(i18n, error_code_used),
        "error_code_burnt" => t_string!(i18n, error_code_burnt),
        "error_no_pending_code" => t_string!(i18n, error_no_pending_code),
        "error_sms_unavailable" => t_string!(i18n, error_sms_unavailable),
        "error_name" => t_string!(i18n, error_name),
        "error_id_format" => t_string!(i18n, error_id_format),
        "error_id_region" => t_string!(i18n, error_id_region),
        "error_id_birth_date" => t_string!(i18n, error_id_birth_date),
        "error_id_check" => t_string!(i18n, error_id_check),
        "error_registry_mismatch" => t_string!(i18n, error_registry_mismatch),
        "error_registry_unavailable" => t_string!(i18n, error_registry_unavailable),
        "error_id_taken" => t_string!(i18n, error_id_taken),
        "error_already_verified" => t_string!(i18n, error_already_verified),
        "error_bad_request" => t_string!(i18n, error_bad_request),
        "error_passkey_name" => t_string!(i18n, error_passkey_name),
        "error_passkey_expired" => t_string!(i18n, error_passkey_expired),
        "error_passkey_failed" => t_string!(i18n, error_passkey_failed),
        "error_passkey_cancelled" => t_string!(i18n, error_passkey_cancelled),
        "error_passkey_exists" => t_string!(i18n, error_passkey_exists),
        "error_passkey_unknown" => t_string!(i18n, error_passkey_unknown),
        "error_passkeys_unavailable" => t_string!(i18n, error_passkeys_unavailable),
        "error_no_passkeys" => t_string!(i18n, error_no_passkeys),
        "error_last_way_in" => t_string!(i18n, error_last_way_in),
        "error_licence" => t_string!(i18n, error_licence),
        "error_firm" => t_string!(i18n, error_firm),
        "error_region" => t_string!(i18n, error_region),
        "error_lawyer_already_verified" => t_string!(i18n, error_lawyer_already_verified),
        "error_licence_taken" => t_string!(i18n, error_licence_taken),
        "error_reason_needed" => t_string!(i18n, error_reason_needed),
        "error_already_decided" => t_string!(i18n, error_already_decided),
        "error_refund_decided" => t_string!(i18n, error_refund_decided),
        "error_nothing_to_pay" => t_string!(i18n, error_nothing_to_pay),
        "error_case_ended" => t_string!(i18n, error_case_ended),
        "error_case_closed" => t_string!(i18n, error_case_closed),
        "error_hearing_date" => t_string!(i18n, error_hearing_date),
        "error_hearing_time" => t_string!(i18n, error_hearing_time),
        "error_hearing_past" => t_string!(i18n, error_hearing_past),
        "error_event_date" => t_string!(i18n, error_event_date),
        "error_push_subscription" => t_string!(i18n, error_push_subscription),
        "error_event_time" => t_string!(i18n, error_event_time),
        "error_event_future" => t_string!(i18n, error_event_future),
        "error_event_before_acceptance" => t_string!(i18n, error_event_before_acceptance),
        "error_stage_close_by_ending" => t_string!(i18n, error_stage_close_by_ending),
        "error_stage_same" => t_string!(i18n, error_stage_same),
        "error_stage_after_judgment" => t_string!(i18n, error_stage_after_judgment),
        "error_hearing_minutes" => t_string!(i18n, error_hearing_minutes),
        "error_query_code" => t_string!(i18n, error_query_code),
        "error_evidence_days" => t_string!(i18n, error_evidence_days),
        "error_message_too_long" => t_string!(i18n, error_message_too_long),
        "error_scope" => t_string!(i18n, error_scope),
        "error_lawyer_not_verified" => t_string!(i18n, error_lawyer_not_verified),
        "error_grant_self" => t_string!(i18n, error_grant_self),
        "error_grant_exists" => t_string!(i18n, error_grant_exists),
        "error_authority" => t_string!(i18n, error_authority),
        "error_already_signed_in" => t_string!(i18n, error_already_signed_in),
        "error_step_up_needed" => t_string!(i18n, error_step_up_needed),
        "error_handoff_used" => t_string!(i18n, error_handoff_used),
        "error_handoff_expired" => t_string!(i18n, error_handoff_expired),
        "error_passkeys_only" => t_string!(i18n, error_passkeys_only),
        "error_required" => t_string!(i18n, error_required),
        "error_too_long" => t_string!(i18n, error_too_long),
        "error_case_type" => t_string!(i18n, error_case_type),
        "error_court" => t_string!(i18n, error_court),
        "error_choice" => t_string!(i18n, error_choice),
        "error_date" => t_string!(i18n, error_date),
        "error_too_many" => t_string!(i18n, error_too_many),
        "error_uscc_format" => t_string!(i18n, error_uscc_format),
        "error_uscc_check" => t_string!(i18n, error_uscc_check),
        "error_amount" => t_string!(i18n, error_amount),
        "error_amount_precision" => t_string!(i18n, error_amount_precision),
        "error_amount_positive" => t_string!(i18n, error_amount_positive),
        "error_amount_too_large" => t_string!(i18n, error_amount_too_large),
        "error_need_claimant" => t_string!(i18n, error_need_claimant),
        "error_need_respondent" => t_string!(i18n, error_need_respondent),
        "error_need_claim" => t_string!(i18n, error_need_claim),
        "error_evidence_files" => t_string!(i18n, error_evidence_files),
        "error_power_of_attorney" => t_string!(i18n, error_power_of_attorney),
        "error_declaration" => t_string!(i18n, error_declaration),
        "error_file_empty" => t_string!(i18n, error_file_empty),
        "error_file_too_large" => t_string!(i18n, error_file_too_large),
        "error_filing_too_large" => t_string!(i18n, error_filing_too_large),
        "error_file_type" => t_string!(i18n, error_file_type),
        "error_not_editable" => t_string!(i18n, error_not_editable),
        "error_already_submitted" => t_string!(i18n, error_already_submitted),
        "error_notice_paid" => t_string!(i18n, error_notice_paid),
        "error_payment_unavailable" => t_string!(i18n, error_payment_unavailable),
        "error_record_long" => t_string!(i18n, error_record_long),
        "error_objection_long" => t_string!(i18n, error_objection_long),
        "error_record_reviewed" => t_string!(i18n, error_record_reviewed),
        "error_record_already_reviewed" => t_string!(i18n, error_record_already_reviewed),
        "error_record_none" => t_string!(i18n, error_record_none),
        "error_hearing_ended" => t_string!(i18n, error_hearing_ended),
        "error_hearing_not_host" => t_string!(i18n, error_hearing_not_host),
        "error_hearing_not_judge" => t_string!(i18n, error_hearing_not_judge),
        "error_hearing_not_in_room" => t_string!(i18n, error_hearing_not_in_room),
        "error_hearing_no_such_seat" => t_string!(i18n, error_hearing_no_such_seat),
        "error_hearing_full" => t_string!(i18n, error_hearing_full),
        "error_hearing_removed" => t_string!(i18n, error_hearing_removed),
        "error_hearing_bad_message" => t_string!(i18n, error_hearing_bad_message),
        "error_claims_not_adjustable" => t_string!(i18n, error_claims_not_adjustable),
        "error_signing_drawing" => t_string!(i18n, error_signing_drawing),
        "error_signing_mark_needed" => t_string!(i18n, error_signing_mark_needed),
        "error_signing_typed_name" => t_string!(i18n, error_signing_typed_name),
        "error_signing_fingerprint" => t_string!(i18n, error_signing_fingerprint),
        "error_signing_code_burnt" => t_string!(i18n, error_signing_code_burnt),
        "error_hearing_no_such_document" => t_string!(i18n, error_hearing_no_such_document),
        "error_hearing_not_presenting" => t_string!(i18n, error_hearing_not_presenting),
        "error_percent" => t_string!(i18n, error_percent),
        "error_signing_parties" => t_string!(i18n, error_signing_parties),
        "error_signing_terms" => t_string!(i18n, error_signing_terms),
        "error_signing_not_signer" => t_string!(i18n, error_signing_not_signer),
        "error_signing_wrong_version" => t_string!(i18n, error_signing_wrong_version),
        "error_signing_read_first" => t_string!(i18n, error_signing_read_first),
        "error_signing_answered" => t_string!(i18n, error_signing_answered),
        "error_signing_not_out" => t_string!(i18n, error_signing_not_out),
        "error_signing_not_all_signed" => t_string!(i18n, error_signing_not_all_signed),
        "error_signing_final" => t_string!(i18n, error_signing_final),
        "error_signing_reason" => t_string!(i18n, error_signing_reason),
        "error_signing_no_signers" => t_string!(i18n, error_signing_no_signers),
        "error_signing_not_agreement" => t_string!(i18n, error_signing_not_agreement),
        "error_signing_changed_meanwhile" => t_string!(i18n, error_signing_changed_meanwhile),
        "error_signing_pdf_unavailable" => t_string!(i18n, error_signing_pdf_unavailable),
        "hearing_muted_by_judge" => t_string!(i18n, hearing_muted_by_judge),
        "hearing_connection_lost" => t_string!(i18n, hearing_connection_lost),
        "hearing_advice_no_webrtc" => t_string!(i18n, hearing_advice_no_webrtc),
        "hearing_advice_no_media" => t_string!(i18n, hearing_advice_no_media),
        "hearing_advice_audio_only" => t_string!(i18n, hearing_advice_audio_only),
        "hearing_advice_no_devices" => t_string!(i18n, hearing_advice_no_devices),
        "hearing_advice_offline" => t_string!(i18n, hearing_advice_offline),
        "hearing_advice_slow_network" => t_string!(i18n, hearing_advice_slow_network),
        "hearing_advice_tap" => t_string!(i18n, hearing_advice_tap),
        "hearing_advice_no_screen_share" => t_string!(i18n, hearing_advice_no_screen_share),
        _ => t_string!(i18n, error_generic),
    };
    s.to_string()
}

/// One sentence for a whole error, for the summary under a form.
pub fn error_text(i18n: I18nContext<Locale>, e: &AppError) -> String {
    match e {
        AppError::Unauthenticated => t_string!(i18n, error_unauthenticated).to_string(),
        AppError::Forbidden => t_string!(i18n, error_forbidden).to_string(),
        AppError::NotFound => t_string!(i18n, error_not_found).to_string(),
        AppError::Invalid(fields) => fields.values().next().map(|k| key_text(i18n, k)).unwrap_or_else(|| t_string!(i18n, error_generic).to_string()),
        AppError::Conflict(key) => key_text(i18n, key),
        AppError::RateLimited { retry_after_s } => {
            let wait = wait_text(i18n, i64::from(*retry_after_s));
            t_string!(i18n, error_rate_limited, wait = wait).to_string()
        }
        AppError::Internal(ref_id) => t_string!(i18n, error_internal, reference = ref_id.clone()).to_string(),
    }
}

/// "45 seconds", "3 minutes", "2 hours" in the reader's language.
pub fn wait_text(i18n: I18nContext<Locale>, secs: i64) -> String {
    if secs < 90 {
        t_string!(i18n, wait_seconds, n = secs).to_string()
    } else if secs < 90 * 60 {
        t_string!(i18n, wait_minutes, n = (secs + 59) / 60).to_string()
    } else {
        t_string!(i18n, wait_hours, n = (secs + 3599) / 3600).to_string()
    }
}

/// The error of a form's last submission, as a signal.
pub fn last_error<T: 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> Signal<Option<AppError>> {
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// The message for one field, if the last submission was refused because of it.
pub fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || match error.get() {
        Some(AppError::Invalid(fields)) => fields.get(field).cloned(),
        _ => None,
    })
}

/// The summary under a form: announced by screen readers as it appears.
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="form-error" role="alert">
            {move || error.get().map(|e| error_text(i18n, &e))}
        </p>
    }
}

/// A labelled text input with its hint and error message wired for assistive technology.
#[component]
pub fn Field(
    /// The form field (and server function argument) name.
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] autofocus: bool,
    /// The element id, where two forms of one page share a field name (default `field-<name>`).
    #[prop(optional)]
    id: Option<&'static str>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.map_or_else(|| format!("field-{name}"), str::to_string);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let message = field_error(error, name);
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if message.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <input id=id.clone() name=name type=input_type autocomplete=autocomplete inputmode=inputmode
                maxlength=maxlength.map(|m| m.to_string()) autofocus=autofocus required=true
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described/>
            <p class="field-error" id=error_id.clone()>{move || message.get().map(|k| key_text(i18n, &k))}</p>
        </div>
    }
}

/// What a section shows while its data is on the way.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading">{move || t_string!(i18n, loading)}</p> }
}

/// A failed load in place of the section it was for, in the reader's language.
pub fn error_view(e: AppError) -> AnyView {
    view! { <FormError error=Signal::derive(move || Some(e.clone()))/> }.into_any()
}
