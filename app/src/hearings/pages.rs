//! Hearing pages other than the room. `/hearings`: the person's hearings, upcoming then past,
//! each with its record and, when held online, its room. `/hearings/:id/record`: the hearing's
//! record (笔录), which the court's judge or clerk publishes and may correct until the first
//! review, and which each party and lawyer of the case reads and accepts (after confirming:
//! it is final) or objects to with what is wrong. The forms are `ActionForm`s, so they post
//! without JavaScript too.
use super::api::{MyHearing, PublishRecord, RecordView, ReviewRecord, ReviewView, hearing_record, my_hearings};
use super::model::{MAX_OBJECTION_CHARS, MAX_RECORD_CHARS, RecordReview, Role};
use crate::cases::schedule::HearingMode;
use crate::error::AppError;
use crate::i18n::*;
use crate::identity::pages::RequireVerified;
use crate::ui::forms::{FormError, Loading, error_view, field_error, key_text, last_error};
use crate::ui::pages::Section;
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub fn role_label(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Judge => t_string!(i18n, my_hearings_role_judge),
        Role::Clerk => t_string!(i18n, my_hearings_role_clerk),
        Role::Party => t_string!(i18n, my_hearings_role_party),
        Role::Lawyer => t_string!(i18n, my_hearings_role_lawyer),
    }
}

/// The path of a hearing's record page.
pub fn record_path(hearing_id: i64) -> String {
    format!("/hearings/{hearing_id}/record")
}

/// `/hearings`: the signed-in person's hearings (a judge's or clerk's: their court's).
#[component]
pub fn HearingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let section = Section::Hearings;
    view! {
        <Title text=title(move || section.label(i18n))/>
        <h1>{move || section.label(i18n)}</h1>
        <RequireVerified here=section.href() staff_too=true>
            <HearingList/>
        </RequireVerified>
    }
}

/// The list; asked for only once the gate has let the person through.
#[component]
fn HearingList() -> impl IntoView {
    let i18n = use_i18n();
    let hearings = Resource::new(|| (), |_| my_hearings());
    view! {
        <p class="lead">{move || t_string!(i18n, my_hearings_lead)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match hearings.await {
                    Ok(list) if list.is_empty() => view! { <section class="card"><p data-testid="hearings-none">{move || t_string!(i18n, my_hearings_none)}</p></section> }.into_any(),
                    Ok(list) => {
                        // Upcoming ones soonest first; past ones latest first.
                        let (mut past, upcoming): (Vec<_>, Vec<_>) = list.into_iter().partition(|h| h.past);
                        past.reverse();
                        view! {
                            <HearingGroup upcoming=true hearings=upcoming/>
                            <HearingGroup upcoming=false hearings=past/>
                        }
                        .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HearingGroup(upcoming: bool, hearings: Vec<MyHearing>) -> impl IntoView {
    let i18n = use_i18n();
    let id = if upcoming { "hearings-upcoming" } else { "hearings-past" };
    let heading = move || if upcoming { t_string!(i18n, my_hearings_upcoming) } else { t_string!(i18n, my_hearings_past) };
    let none = move || if upcoming { t_string!(i18n, my_hearings_upcoming_none) } else { t_string!(i18n, my_hearings_past_none) };
    view! {
        <section class="card" aria-labelledby=id data-testid=id>
            <h2 id=id>{heading}</h2>
            {if hearings.is_empty() {
                view! { <p>{none}</p> }.into_any()
            } else {
                view! { <ul class="documents hearing-list">{hearings.into_iter().map(|h| view! { <HearingItem hearing=h/> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn HearingItem(hearing: MyHearing) -> impl IntoView {
    let i18n = use_i18n();
    let h = hearing;
    let at = h.starts_at.shanghai();
    let minutes = h.minutes;
    let (mode, courtroom, role, published) = (h.mode, h.courtroom.clone(), h.role, h.record_published);
    let place = move || match mode {
        HearingMode::Online => t_string!(i18n, hearing_online).to_string(),
        HearingMode::Courtroom => courtroom.clone().unwrap_or_default(),
    };
    let case_href = if role.hosts() { format!("{}/{}", crate::cases::pages::STAFF_CASES_PATH, h.case_id) } else { format!("/cases/{}", h.case_id) };
    // Links of every hearing read alike; the case number tells them apart for a screen reader.
    let case_id = format!("hearing-{}-case", h.hearing_id);
    let join = (mode == HearingMode::Online && !h.past).then(|| {
        view! { <a class="button" href=format!("/hearings/{}", h.hearing_id) aria-describedby=case_id.clone() data-testid="hearing-join">{move || t_string!(i18n, my_hearings_join)}</a> }
    });
    view! {
        <li data-testid="hearing" data-case=h.case_number.clone() data-hearing=h.hearing_id.to_string()>
            <h3 id=case_id.clone()><a href=case_href>{h.case_number.clone()}</a></h3>
            <p data-testid="hearing-when">{at}" · "{move || t_string!(i18n, hearing_minutes, minutes = minutes).to_string()}" · "{place}</p>
            <p>
                <span class="badge">{move || role_label(i18n, role)}</span>" "
                <span class="badge" class:ok=published data-testid="hearing-record-state">
                    {move || if published { t_string!(i18n, my_hearings_record_published) } else { t_string!(i18n, my_hearings_record_unpublished) }}
                </span>
            </p>
            <p class="actions">
                {join}
                <a class="button secondary" href=record_path(h.hearing_id) aria-describedby=case_id data-testid="hearing-record-link">{move || t_string!(i18n, my_hearings_record_link)}</a>
            </p>
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// The record

/// `/hearings/:id/record`: the hearing's record, published by the court, reviewed by the parties.
#[component]
pub fn RecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let section = Section::Hearings;
    view! {
        <Title text=title(move || t_string!(i18n, record_title))/>
        <p class="back-link"><a href=section.href()>{move || section.label(i18n)}</a></p>
        <h1>{move || t_string!(i18n, record_title)}</h1>
        // Signing in from here comes back to the list; the record is one tap away.
        <RequireVerified here=section.href() staff_too=true>
            <Record/>
        </RequireVerified>
    }
}

/// The record page's two forms, kept above the page's data so their answers outlive its reload.
#[derive(Clone, Copy)]
struct RecordActions {
    publish: ServerAction<PublishRecord>,
    review: ServerAction<ReviewRecord>,
}

/// The record as the caller may see it: the court's side or the case's people's.
#[component]
fn Record() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(0));
    let actions = RecordActions { publish: ServerAction::new(), review: ServerAction::new() };
    // Read the record again after a change that worked; a refused one keeps what was typed.
    let changed = RwSignal::new(0u32);
    Effect::new(move |_| {
        let ok = [actions.publish.value().get().map(|r| r.is_ok()), actions.review.value().get().map(|r| r.is_ok())];
        if ok.contains(&Some(true)) {
            changed.update(|n| *n += 1);
        }
    });
    let me = Resource::new(|| (), |_| crate::identity::api::me());
    let record = Resource::new(move || (id.get(), changed.get()), |(id, _)| hearing_record(id));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                // Staff hold the pen; everyone else the record reaches reads and reviews it.
                let court = matches!(me.await, Ok(Some(p)) if p.is_staff);
                let hearing_id = id.get_untracked();
                match (record.await, court) {
                    (Ok(r), true) => view! { <CourtRecord hearing_id record=Some(r) actions/> }.into_any(),
                    (Err(AppError::Conflict(k)), true) if k == "error_record_none" => view! { <CourtRecord hearing_id record=None actions/> }.into_any(),
                    (Ok(r), false) => view! { <PartyRecord record=r actions/> }.into_any(),
                    (Err(AppError::Conflict(k)), false) if k == "error_record_none" => {
                        view! { <section class="card"><p data-testid="record-none">{move || t_string!(i18n, error_record_none)}</p></section> }.into_any()
                    }
                    (Err(e), _) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// A form's error other than a field's (the field's is shown next to it).
fn beside_fields(error: Signal<Option<AppError>>) -> Signal<Option<AppError>> {
    Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Invalid(_))))
}

/// "Published by … at …".
fn published_line(i18n: I18nContext<Locale>, record: &RecordView) -> impl IntoView + use<> {
    let (name, at) = (record.published_by.clone(), record.published_at.shanghai());
    view! { <p class="device-meta" data-testid="record-meta">{move || t_string!(i18n, record_published_by, name = name.clone(), at = at.clone()).to_string()}</p> }
}

/// The judge's or clerk's side: the form that publishes the record, or corrects it until the
/// first review, then the record as it stands; and every review.
#[component]
fn CourtRecord(hearing_id: i64, record: Option<RecordView>, actions: RecordActions) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.publish.value());
    let body_error = field_error(error, "body");
    let published_now = move || matches!(actions.publish.value().get(), Some(Ok(())));
    let exists = record.is_some();
    let reviews = record.as_ref().map(|r| r.reviews.clone()).unwrap_or_default();
    let locked = !reviews.is_empty();
    let body = record.as_ref().map(|r| r.body.clone()).unwrap_or_default();
    let meta = record.as_ref().map(|r| published_line(i18n, r));
    let described = move || if body_error.get().is_some() { "record-body-hint record-body-error" } else { "record-body-hint" };
    view! {
        {move || published_now().then(|| view! { <p class="notice" role="status" data-testid="record-published">{move || t_string!(i18n, record_published_now)}</p> })}
        <section class="card" aria-labelledby="record-heading">
            <h2 id="record-heading">{move || t_string!(i18n, record_text_title)}</h2>
            {meta}
            {(!exists).then(|| view! { <p data-testid="record-none">{move || t_string!(i18n, record_none_court)}</p> })}
            {if locked {
                view! {
                    <div class="record-text" data-testid="record-text">{body}</div>
                    <p class="hint" data-testid="record-locked">{move || t_string!(i18n, record_locked)}</p>
                }
                .into_any()
            } else {
                view! {
                    <ActionForm action=actions.publish attr:class="stack-form" attr:data-testid="record-form">
                        <input type="hidden" name="hearing_id" value=hearing_id.to_string()/>
                        <div class="field" class:field-invalid=move || body_error.get().is_some()>
                            <label for="record-body">{move || t_string!(i18n, record_body_label)}</label>
                            <p class="field-hint" id="record-body-hint">{move || t_string!(i18n, record_body_hint)}</p>
                            <textarea id="record-body" class="record-body" name="body" rows="16" maxlength=MAX_RECORD_CHARS.to_string() required
                                aria-describedby=described aria-invalid=move || body_error.get().is_some().then_some("true") data-testid="record-body">{body}</textarea>
                            <p class="field-error" id="record-body-error" role="alert">{move || body_error.get().map(|k| key_text(i18n, &k))}</p>
                        </div>
                        <FormError error=beside_fields(error)/>
                        <button type="submit" data-testid="record-publish" disabled=move || actions.publish.pending().get()>
                            {move || if exists { t_string!(i18n, record_correct) } else { t_string!(i18n, record_publish) }}
                        </button>
                    </ActionForm>
                }
                .into_any()
            }}
        </section>
        {exists.then(|| view! { <SendForSignature hearing_id/> })}
        {exists.then(|| view! { <Reviews reviews/> })}
    }
}

/// The court sends the published record to the parties for their signatures (the signing
/// flow: read to the end, signed, sealed, served as a PDF); it opens the document's page.
#[component]
fn SendForSignature(hearing_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let send = ServerAction::<crate::signing::api::SendRecord>::new();
    let error = last_error(send.value());
    Effect::new(move |_| {
        if let Some(Ok(id)) = send.value().get() {
            let navigate = leptos_router::hooks::use_navigate();
            navigate(&crate::signing::pages::sign_path(id), Default::default());
        }
    });
    view! {
        <section class="card" aria-labelledby="record-sign-title">
            <h2 id="record-sign-title">{move || t_string!(i18n, record_sign_title)}</h2>
            <p>{move || t_string!(i18n, record_sign_lead)}</p>
            <ActionForm action=send>
                <input type="hidden" name="hearing_id" value=hearing_id.to_string()/>
                <button type="submit" data-testid="record-send-for-signature" disabled=move || send.pending().get()>{move || t_string!(i18n, record_sign_send)}</button>
            </ActionForm>
            <FormError error/>
        </section>
    }
}

/// Every review of the record, as the court sees them.
#[component]
fn Reviews(reviews: Vec<ReviewView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="record-reviews-title">
            <h2 id="record-reviews-title">{move || t_string!(i18n, record_reviews_title)}</h2>
            {if reviews.is_empty() {
                view! { <p data-testid="record-reviews-none">{move || t_string!(i18n, record_reviews_none)}</p> }.into_any()
            } else {
                view! { <ul class="record-reviews">{reviews.into_iter().map(|r| {
                    let what = review_view(i18n, r.review);
                    view! { <li data-testid="record-review"><p><strong>{r.name}</strong>" · "<span class="device-meta">{r.at.shanghai()}</span></p>{what}</li> }
                }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

/// A review in words: accepted, or the objection with its text.
fn review_view(i18n: I18nContext<Locale>, review: RecordReview) -> AnyView {
    match review {
        RecordReview::Accepted => view! { <p><span class="badge ok">{move || t_string!(i18n, record_review_accepted)}</span></p> }.into_any(),
        RecordReview::Objected(text) => view! {
            <p><span class="badge warn">{move || t_string!(i18n, record_review_objected)}</span></p>
            <p class="message-body">{text}</p>
        }
        .into_any(),
    }
}

/// A party's or lawyer's side: the record, their own review once given, and until then the two
/// answers: accept (confirmed first, since it cannot be taken back) or object with what is wrong.
#[component]
fn PartyRecord(record: RecordView, actions: RecordActions) -> impl IntoView {
    let i18n = use_i18n();
    let error = last_error(actions.review.value());
    let objection_error = field_error(error, "objection");
    let reviewed_now = move || matches!(actions.review.value().get(), Some(Ok(())));
    let hearing_id = record.hearing_id.to_string();
    let meta = published_line(i18n, &record);
    let described = move || if objection_error.get().is_some() { "record-objection-hint record-objection-error" } else { "record-objection-hint" };
    let mine = record.mine.map(|m| {
        view! {
            <section class="card" aria-labelledby="record-mine-title" data-testid="record-mine">
                <h2 id="record-mine-title">{move || t_string!(i18n, record_mine_title)}</h2>
                {match m {
                    RecordReview::Accepted => view! { <p>{move || t_string!(i18n, record_mine_accepted)}</p> }.into_any(),
                    RecordReview::Objected(text) => view! { <p>{move || t_string!(i18n, record_mine_objected)}</p><p class="message-body">{text}</p> }.into_any(),
                }}
            </section>
        }
    });
    let review = record.may_review.then(move || {
        let (accept_id, object_id) = (hearing_id.clone(), hearing_id);
        view! {
            <section class="card" aria-labelledby="record-review-title">
                <h2 id="record-review-title">{move || t_string!(i18n, record_review_title)}</h2>
                <p>{move || t_string!(i18n, record_review_lead)}</p>
                <FormError error=beside_fields(error)/>
                // The confirm step is on the page (and works without JavaScript): accepting is final.
                <details class="decision">
                    <summary data-testid="record-accept">{move || t_string!(i18n, record_accept)}</summary>
                    <ActionForm action=actions.review attr:class="stack-form">
                        <input type="hidden" name="hearing_id" value=accept_id/>
                        <input type="hidden" name="decision" value="accept"/>
                        <p class="hint">{move || t_string!(i18n, record_accept_warning)}</p>
                        <button type="submit" data-testid="record-accept-confirm" disabled=move || actions.review.pending().get()>{move || t_string!(i18n, record_accept_confirm)}</button>
                    </ActionForm>
                </details>
                <ActionForm action=actions.review attr:class="stack-form" attr:data-testid="record-object-form">
                    <input type="hidden" name="hearing_id" value=object_id/>
                    <input type="hidden" name="decision" value="object"/>
                    <div class="field" class:field-invalid=move || objection_error.get().is_some()>
                        <label for="record-objection">{move || t_string!(i18n, record_objection_label)}</label>
                        <p class="field-hint" id="record-objection-hint">{move || t_string!(i18n, record_objection_hint)}</p>
                        <textarea id="record-objection" name="objection" rows="5" maxlength=MAX_OBJECTION_CHARS.to_string() required
                            aria-describedby=described aria-invalid=move || objection_error.get().is_some().then_some("true") data-testid="record-objection"></textarea>
                        <p class="field-error" id="record-objection-error" role="alert">{move || objection_error.get().map(|k| key_text(i18n, &k))}</p>
                    </div>
                    <button type="submit" class="secondary" data-testid="record-object" disabled=move || actions.review.pending().get()>{move || t_string!(i18n, record_object)}</button>
                </ActionForm>
            </section>
        }
    });
    view! {
        {move || reviewed_now().then(|| view! { <p class="notice" role="status" data-testid="record-reviewed">{move || t_string!(i18n, record_reviewed_now)}</p> })}
        <section class="card" aria-labelledby="record-heading">
            <h2 id="record-heading">{move || t_string!(i18n, record_text_title)}</h2>
            {meta}
            <div class="record-text" data-testid="record-text">{record.body}</div>
        </section>
        {mine}
        {review}
    }
}
