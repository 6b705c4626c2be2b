//! Filing views: the filer's page (start, drafts, filings, notices), the wizard (one step per
//! page, every step a plain form that works before hydration), the filing with its receipt and
//! history, and the clerk's queue and review. Hydration adds local copies as the person types,
//! autosave, live totals and resumable uploads (browser.rs).
use crate::ui::title::title;
use crate::error::{AppError, FieldErrors};
use crate::filing::api::*;
use crate::fees::relief::{ReliefGround, ReliefKind};
use crate::filing::model::*;
use crate::i18n::*;
use crate::identity::pages::RequireVerified;
use crate::ui::forms::{FormError, Loading, error_view, key_text, last_error};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

// ---------------------------------------------------------------------------------------------
// Words that depend on the case type and status

pub fn case_type_label(i18n: I18nContext<Locale>, t: CaseType) -> &'static str {
    match t {
        CaseType::CivilFirstInstance => t_string!(i18n, case_type_civil),
        CaseType::Enforcement => t_string!(i18n, case_type_enforcement),
        CaseType::Preservation => t_string!(i18n, case_type_preservation),
        CaseType::Administrative => t_string!(i18n, case_type_administrative),
    }
}

fn case_type_hint(i18n: I18nContext<Locale>, t: CaseType) -> &'static str {
    match t {
        CaseType::CivilFirstInstance => t_string!(i18n, case_type_civil_hint),
        CaseType::Enforcement => t_string!(i18n, case_type_enforcement_hint),
        CaseType::Preservation => t_string!(i18n, case_type_preservation_hint),
        CaseType::Administrative => t_string!(i18n, case_type_administrative_hint),
    }
}

/// 原告 / 申请执行人 / 申请人 …: a side's name depends on the kind of matter.
pub fn role_label(i18n: I18nContext<Locale>, t: Option<CaseType>, role: PartyRole) -> &'static str {
    match (role, t) {
        (PartyRole::ThirdParty, _) => t_string!(i18n, role_third_party),
        (PartyRole::Claimant, Some(CaseType::Enforcement)) => t_string!(i18n, role_enforcement_applicant),
        (PartyRole::Respondent, Some(CaseType::Enforcement)) => t_string!(i18n, role_enforcement_respondent),
        (PartyRole::Claimant, Some(CaseType::Preservation)) => t_string!(i18n, role_applicant),
        (PartyRole::Respondent, Some(CaseType::Preservation)) => t_string!(i18n, role_respondent),
        (PartyRole::Claimant, _) => t_string!(i18n, role_plaintiff),
        (PartyRole::Respondent, _) => t_string!(i18n, role_defendant),
    }
}

pub fn status_label(i18n: I18nContext<Locale>, s: FilingStatus) -> &'static str {
    match s {
        FilingStatus::Draft => t_string!(i18n, status_draft),
        FilingStatus::Submitted => t_string!(i18n, status_submitted),
        FilingStatus::Returned => t_string!(i18n, status_returned),
        FilingStatus::Resubmitted => t_string!(i18n, status_resubmitted),
        FilingStatus::Accepted => t_string!(i18n, status_accepted),
        FilingStatus::Refused => t_string!(i18n, status_refused),
    }
}

fn status_class(s: FilingStatus) -> &'static str {
    match s {
        FilingStatus::Accepted => "badge ok",
        FilingStatus::Returned | FilingStatus::Refused => "badge warn",
        _ => "badge",
    }
}

pub fn step_label(i18n: I18nContext<Locale>, s: Step) -> &'static str {
    match s {
        Step::CaseType => t_string!(i18n, step_case_type),
        Step::Court => t_string!(i18n, step_court),
        Step::Parties => t_string!(i18n, step_parties),
        Step::Agent => t_string!(i18n, step_agent),
        Step::Claims => t_string!(i18n, step_claims),
        Step::Facts => t_string!(i18n, step_facts),
        Step::Evidence => t_string!(i18n, step_evidence),
        Step::Review => t_string!(i18n, step_review),
    }
}

fn versus(i18n: I18nContext<Locale>) -> &'static str {
    t_string!(i18n, versus)
}


fn title_or_untitled(i18n: I18nContext<Locale>, title: &str) -> String {
    if title.trim().is_empty() { t_string!(i18n, untitled_filing).to_string() } else { title.replace(" v. ", &format!(" {} ", versus(i18n))) }
}

fn kind_label(i18n: I18nContext<Locale>, kind: &str) -> &'static str {
    match kind {
        "pdf" => "PDF",
        "png" => "PNG",
        "jpeg" => "JPEG",
        _ => t_string!(i18n, file_word),
    }
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 { format!("{:.1} MB", bytes as f64 / 1_048_576.0) } else { format!("{} KB", (bytes + 1023) / 1024) }
}

// ---------------------------------------------------------------------------------------------
// The filer's page

/// `/file`: start a filing, continue a draft, follow what was filed.
#[component]
pub fn FileHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartFiling>::new();
    let error = last_error(start.value());
    view! {
        <Title text=title(move || t_string!(i18n, nav_file))/>
        <h1>{move || t_string!(i18n, nav_file)}</h1>
        <RequireVerified here="/file">
            <p class="lead">{move || t_string!(i18n, filing_lead)}</p>
            <Notices/>
            <section class="card">
                <ActionForm action=start attr:class="inline-form">
                    <button type="submit" data-testid="start-filing" disabled=move || start.pending().get()>{move || t_string!(i18n, start_filing)}</button>
                    <FormError error/>
                </ActionForm>
            </section>
            <FilingList selected=None/>
        </RequireVerified>
    }
}

/// The person's filings, drafts first; the selected one marked (list + detail on tablets).
#[component]
fn FilingList(selected: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteDraft>::new();
    let list = Resource::new(move || delete.version().get(), |_| my_filings());
    let delete_error = last_error(delete.value());
    let row = move |f: FilingSummary| {
        let editable = f.status.editable();
        let href = if editable { format!("/file/{}/case_type", f.id) } else { format!("/filings/{}", f.id) };
        let title = title_or_untitled(i18n, &f.title);
        let current = selected == Some(f.id);
        view! {
            <li class="filing-item" data-testid="filing-item" aria-current=current.then_some("true")>
                <a href=href class="filing-link">
                    <strong>{title.clone()}</strong>
                    <span class=status_class(f.status)>{move || status_label(i18n, f.status)}</span>
                </a>
                <p class="device-meta">
                    {move || t_string!(i18n, filing_no, number = filing_number(f.id)).to_string()}
                    {f.case_type.map(|t| view! { " · " {move || case_type_label(i18n, t)} })}
                    {(!f.court_name.is_empty()).then(|| view! { " · " {f.court_name.clone()} })}
                    {f.case_number.clone().map(|n| view! { " · " <span data-testid="case-number">{n}</span> })}
                </p>
                {f.for_client.clone().map(|c| view! { <p class="device-meta">{move || t_string!(i18n, filed_for_client, name = c.clone()).to_string()}</p> })}
                {f.filed_by_lawyer.clone().map(|l| view! { <p class="device-meta">{move || t_string!(i18n, filed_by_lawyer, name = l.clone()).to_string()}</p> })}
                <p class="device-meta">{move || t_string!(i18n, updated_at, time = f.updated_at.shanghai()).to_string()}</p>
                {(f.status == FilingStatus::Draft).then(|| view! {
                    <details class="passkey-edit">
                        <summary>{move || t_string!(i18n, delete_draft)}<span class="visually-hidden">" "{title.clone()}</span></summary>
                        <ActionForm action=delete attr:class="inline-form">
                            <input type="hidden" name="id" value=f.id.to_string()/>
                            <p>{move || t_string!(i18n, delete_draft_warning)}</p>
                            <button type="submit" class="danger">{move || t_string!(i18n, delete_draft_confirm)}</button>
                        </ActionForm>
                    </details>
                })}
            </li>
        }
    };
    view! {
        <section class="card filing-list" aria-labelledby="my-filings">
            <h2 id="my-filings">{move || t_string!(i18n, my_filings)}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p data-testid="no-filings">{move || t_string!(i18n, no_filings)}</p> }.into_any(),
                        Ok(items) => view! { <ul class="filings">{items.into_iter().map(row).collect_view()}</ul> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <FormError error=delete_error/>
        </section>
    }
}

/// Unread decisions about the person's filings.
#[component]
fn Notices() -> impl IntoView {
    let i18n = use_i18n();
    let read = ServerAction::<MarkNotificationsRead>::new();
    let notices = Resource::new(move || read.version().get(), |_| my_notifications());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let unread: Vec<NotificationView> = notices.await.unwrap_or_default().into_iter().filter(|n| !n.read).collect();
                (!unread.is_empty()).then(|| view! {
                    <section class="card notices" aria-labelledby="notices" data-testid="notices">
                        <h2 id="notices">{let count = unread.len(); move || t_string!(i18n, notices_title, count = count).to_string()}</h2>
                        <ul>
                            {unread.clone().into_iter().map(|n| {
                                let text = move || crate::cases::inbox::notice_text(i18n.get_locale(), &n.message, n.case_number.as_deref().unwrap_or_default());
                                view! { <li><a href=n.link.clone()>{text}</a>" · "<span class="device-meta">{n.at.shanghai()}</span></li> }
                            }).collect_view()}
                        </ul>
                        <ActionForm action=read attr:class="inline-form">
                            <button type="submit" class="secondary">{move || t_string!(i18n, mark_read)}</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Transition>
    }
}


// ---------------------------------------------------------------------------------------------
// The wizard

/// `/file/:id/:step`.
#[component]
pub fn WizardPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(0));
    let step = Memo::new(move |_| params.with(|p| p.get("step").and_then(|s| Step::parse(&s))).unwrap_or(Step::CaseType));
    let check = Memo::new(move |_| query.with(|q| q.get("check").is_some()));
    // The server sends the person back to the same step with a fresh `r` after a row changed.
    let again = Memo::new(move |_| query.with(|q| q.get("r")));
    let refresh = RefreshDraft(RwSignal::new(0));
    provide_context(refresh);
    let data = Resource::new(move || (id.get(), step.get(), check.get(), again.get(), refresh.0.get()), |(id, ..)| filing_draft(id));
    view! {
        <Title text=title(move || format!("{} · {}", step_label(i18n, step.get()), t_string!(i18n, nav_file)))/>
        <h1>{move || t_string!(i18n, nav_file)}</h1>
        <RequireVerified here="/file">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) if view.status.editable() => view! { <Wizard view step=step.get_untracked() check=check.get_untracked()/> }.into_any(),
                        Ok(view) => view! {
                            <section class="card">
                                <p>{move || t_string!(i18n, filing_not_editable)}</p>
                                <p><a class="button" href=format!("/filings/{}", view.id)>{move || t_string!(i18n, see_filing)}</a></p>
                            </section>
                        }
                        .into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Suspense>
        </RequireVerified>
    }
}

/// Bumped to read the draft again (a finished upload was attached to it on the server).
#[derive(Clone, Copy)]
pub struct RefreshDraft(pub RwSignal<u32>);

/// The current draft's problems on this step, shown next to the fields. The server fills it
/// when the person tries to move on; in the browser each field is checked again as it is left
/// (browser.rs), with the same model rules.
#[derive(Clone, Copy)]
pub struct Problems(pub RwSignal<FieldErrors>);

impl Problems {
    /// Tracked: a field's message follows the browser's checks.
    fn of(&self, path: &str) -> Option<String> {
        self.0.with(|p| p.get(path).cloned())
    }

    /// For parts that are only checked on the server (lists, choices).
    fn of_now(&self, path: &str) -> Option<String> {
        self.0.with_untracked(|p| p.get(path).cloned())
    }
}

#[component]
fn Wizard(view: DraftView, step: Step, check: bool) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveStep>::new();
    let submit = ServerAction::<SubmitFiling>::new();
    let save_error = last_error(save.value());
    let id = view.id;
    // Problems are shown once the person tried to move on (`check`), and always on review.
    let problems = if check || step == Step::Review { view.draft.problems(step) } else { FieldErrors::new() };
    let problems = Problems(RwSignal::new(problems));
    provide_context(problems);
    let reasons: Vec<ReturnReason> = view.returned.iter().filter(|r| Step::of_field(&r.field) == step).cloned().collect();
    let form_id = format!("wizard-{id}-{}", step.as_str());
    let local_key = format!("tp-draft-{id}-{}", step.as_str());
    #[cfg(feature = "hydrate")]
    {
        crate::filing::browser::keep_form_locally(form_id.clone(), local_key.clone(), view.updated_at, save);
        crate::filing::browser::check_fields_when_left(form_id.clone(), step, problems);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = &local_key;
    let saved_at = move || save.value().get().and_then(|r| r.ok()).map(|o| o.saved_at);
    let body = match step {
        Step::CaseType => case_type_step(&view).into_any(),
        Step::Court => court_step(&view).into_any(),
        Step::Parties => parties_step(&view).into_any(),
        Step::Agent => agent_step(&view).into_any(),
        Step::Claims => claims_step(&view).into_any(),
        Step::Facts => facts_step(&view).into_any(),
        Step::Evidence => evidence_step(&view).into_any(),
        Step::Review => review_summary(&view, problems.0.get_untracked()).into_any(),
    };
    view! {
        <p class="filing-number" data-testid="filing-number">{move || t_string!(i18n, filing_no, number = filing_number(id)).to_string()}</p>
        {(!view.returned.is_empty()).then(|| view! {
            <section class="card notice-warn" role="note" data-testid="returned-notice">
                <h2>{move || t_string!(i18n, returned_title)}</h2>
                <p>{move || t_string!(i18n, returned_body)}</p>
                <ul>{view.returned.iter().map(|r| {
                    let s = Step::of_field(&r.field);
                    view! { <li><a href=format!("/file/{id}/{}", s.as_str())>{move || step_label(i18n, s)}</a>": "{r.text.clone()}</li> }
                }).collect_view()}</ul>
            </section>
        })}
        <Stepper id step draft=view.draft.clone() form_id=form_id.clone()/>
        {(!reasons.is_empty()).then(|| view! {
            <div class="field-reasons" role="alert" data-testid="step-reasons">
                <p><strong>{move || t_string!(i18n, clerk_asks)}</strong></p>
                <ul>{reasons.iter().map(|r| view! { <li data-field=r.field.clone()>{r.text.clone()}</li> }).collect_view()}</ul>
            </div>
        })}
        {if step == Step::Review {
            let key = format!("filing-{id}-{}", view.updated_at.0);
            let submit_error = last_error(submit.value());
            let declared = view.draft.declaration;
            view! {
                <section class="card">{body}</section>
                <ActionForm action=submit attr:class="stack-form card" attr:id=form_id.clone() attr:novalidate=true>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="request_key" value=key/>
                    <div class="field checkbox-field">
                        <label>
                            <input type="checkbox" name="declaration" value="true" checked=declared data-testid="declaration"/>
                            " "{move || t_string!(i18n, declaration_text)}
                        </label>
                    </div>
                    <div class="wizard-actions">
                        <a class="button secondary" href=format!("/file/{id}/{}", Step::Evidence.as_str())>{move || t_string!(i18n, back)}</a>
                        <button type="submit" data-testid="submit-filing" disabled=move || submit.pending().get()>{move || t_string!(i18n, submit_filing)}</button>
                    </div>
                    <p class="form-status" role="status">{move || submit.pending().get().then(|| t_string!(i18n, submitting))}</p>
                    <FormError error=submit_error/>
                </ActionForm>
            }
            .into_any()
        } else {
            view! {
                <ActionForm action=save attr:class="stack-form card wizard-form" attr:id=form_id.clone() attr:novalidate=true>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="step" value=step.as_str()/>
                    {body}
                    <div class="wizard-actions">
                        {step.previous().map(|_| view! { <button type="submit" name="go" value="back" class="secondary">{move || t_string!(i18n, back)}</button> })}
                        <button type="submit" name="go" value="next" data-testid="next">{move || t_string!(i18n, save_continue)}</button>
                    </div>
                    <p class="form-status" role="status" data-testid="saved-status">
                        {move || saved_at().map(|t| t_string!(i18n, saved_at, time = t.shanghai()).to_string())}
                    </p>
                    <FormError error=save_error/>
                </ActionForm>
            }
            .into_any()
        }}
    }
}

/// "Step 3 of 8" and the steps as buttons that save before moving (inside the step's form).
#[component]
fn Stepper(id: i64, step: Step, draft: Draft, form_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let items = Step::ALL
        .into_iter()
        .map(|s| {
            let done = s < step && draft.problems(s).is_empty();
            let current = s == step;
            let label = move || step_label(i18n, s);
            let control = if step == Step::Review {
                view! { <a href=format!("/file/{id}/{}", s.as_str()) aria-current=current.then_some("step")>{label}</a> }.into_any()
            } else {
                view! {
                    <button type="submit" form=form_id.clone() name="go" value=format!("goto:{}", s.as_str()) class="step-button"
                        aria-current=current.then_some("step")>{label}</button>
                }
                .into_any()
            };
            view! {
                <li class="step" class:step-current=current class:step-done=done>
                    <span class="step-number" aria-hidden="true">{if done { "✓".to_string() } else { s.number().to_string() }}</span>
                    {control}
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="stepper" aria-label=move || t_string!(i18n, steps_label)>
            <p class="step-count" data-testid="step-count">{move || t_string!(i18n, step_of, n = step.number(), total = Step::ALL.len()).to_string()}</p>
            <ol>{items}</ol>
        </nav>
    }
}

/// The form name and element id of a draft field path: `parties.0.name` →
/// `draft[parties][0][name]`, `f-parties-0-name`.
fn names(path: &str) -> (String, String) {
    (format!("draft[{}]", path.replace('.', "][")), format!("f-{}", path.replace('.', "-")))
}

/// The other way: a field's form name (`draft[parties][0][name]`) as the model's path
/// (`parties.0.name`), for the browser's checks.
pub fn path_of(name: &str) -> Option<String> {
    let inner = name.strip_prefix("draft[")?.strip_suffix(']')?;
    Some(inner.replace("][", "."))
}

/// A labelled text input (or text area) of the draft, with its problem wired for assistive
/// technology.
#[component]
fn DraftField(
    path: String,
    #[prop(into)] label: Signal<String>,
    value: String,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] on_input: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problems = use_context::<Problems>();
    let (name, id) = names(&path);
    let problem = Memo::new(move |_| problems.and_then(|p| p.of(&path)));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    // The message element is always there (empty when all is well), so the description can
    // name it from the start and a message found while typing is read out.
    let described = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    let invalid = move || problem.get().is_some().then_some("true");
    let maxlength = maxlength.unwrap_or(if multiline { LONG_TEXT } else { SHORT_TEXT }).to_string();
    let input = move |ev: leptos::ev::Event| {
        if let Some(cb) = on_input {
            cb.run(event_target_value(&ev));
        }
    };
    view! {
        <div class="field" class:field-invalid=move || invalid().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone() hidden=move || h.get().is_empty()>{h}</p> })}
            {if multiline {
                view! { <textarea id=id.clone() name=name.clone() rows="8" maxlength=maxlength.clone() aria-invalid=invalid aria-describedby=described.clone() on:input=input>{value.clone()}</textarea> }.into_any()
            } else {
                view! { <input id=id.clone() name=name.clone() type=input_type value=value.clone() autocomplete=autocomplete inputmode=inputmode maxlength=maxlength.clone() aria-invalid=invalid aria-describedby=described.clone() on:input=input/> }.into_any()
            }}
            <p class="field-error" id=error_id aria-live="polite">{move || problem.get().map(|k| key_text(i18n, &k))}</p>
        </div>
    }
}

/// The problem of a whole list or choice (not one input), e.g. "add a defendant".
fn list_problem(i18n: I18nContext<Locale>, path: &str) -> impl IntoView + use<> {
    let problem = use_context::<Problems>().and_then(|p| p.of_now(path));
    problem.map(|k| view! { <p class="field-error" role="alert" data-field=path.to_string()>{key_text(i18n, &k)}</p> })
}

fn case_type_step(view: &DraftView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let chosen = view.draft.case_type.clone();
    view! {
        <fieldset class="choices" aria-describedby="f-case_type-error">
            <legend>{move || t_string!(i18n, choose_case_type)}</legend>
            {CaseType::ALL.into_iter().map(|t| {
                let id = format!("case-type-{}", t.as_str());
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="draft[case_type]" value=t.as_str() checked=chosen == t.as_str()/>
                        <label for=id>
                            <strong>{move || case_type_label(i18n, t)}</strong>
                            <span class="field-hint">{move || case_type_hint(i18n, t)}</span>
                        </label>
                    </div>
                }
            }).collect_view()}
            <p id="f-case_type-error">{list_problem(i18n, "case_type")}</p>
        </fieldset>
    }
}

fn court_step(view: &DraftView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let chosen = if view.draft.court.trim().is_empty() { view.suggestions.first().map(|s| s.0.clone()).unwrap_or_default() } else { view.draft.court.clone() };
    let name_of = |code: &str, courts: &[CourtChoice]| courts.iter().find(|c| c.code == code).map(|c| c.name.clone()).unwrap_or_default();
    let suggestions: Vec<(String, String, JurisdictionReason)> =
        view.suggestions.iter().map(|(code, reason)| (code.clone(), name_of(code, &view.courts), *reason)).collect();
    let provinces: Vec<(String, Vec<CourtChoice>)> = {
        let mut groups: Vec<(String, Vec<CourtChoice>)> = Vec::new();
        for c in &view.courts {
            let region: String = c.region.chars().take(3).collect();
            match groups.iter_mut().find(|(r, _)| *r == region) {
                Some((_, list)) => list.push(c.clone()),
                None => groups.push((region, vec![c.clone()])),
            }
        }
        groups
    };
    let english = i18n.get_locale_untracked() == Locale::en;
    let problem = use_context::<Problems>().and_then(|p| p.of_now("court"));
    let court_invalid = problem.is_some();
    view! {
        {if suggestions.is_empty() {
            view! { <p class="field-hint">{move || t_string!(i18n, court_no_suggestion)}</p> }.into_any()
        } else {
            view! {
                <div class="suggestions" data-testid="court-suggestions">
                    <p><strong>{move || t_string!(i18n, court_suggested)}</strong></p>
                    <ul>{suggestions.into_iter().map(|(code, name, reason)| view! {
                        <li data-code=code.clone()>{name}" ("{code.clone()}") — "{move || match reason {
                            JurisdictionReason::RespondentDomicile => t_string!(i18n, reason_respondent_domicile),
                            JurisdictionReason::ContractPlace => t_string!(i18n, reason_contract_place),
                        }}</li>
                    }).collect_view()}</ul>
                </div>
            }
            .into_any()
        }}
        <div class="field" class:field-invalid=court_invalid>
            <label for="f-court">{move || t_string!(i18n, court_label)}</label>
            <p class="field-hint" id="f-court-hint">{move || t_string!(i18n, court_hint)}</p>
            <select id="f-court" name="draft[court]" aria-describedby="f-court-hint f-court-error" aria-invalid=court_invalid.then_some("true")>
                <option value="" selected=chosen.is_empty()>{move || t_string!(i18n, choose_court)}</option>
                {provinces.into_iter().map(|(region, courts)| view! {
                    <optgroup label=region>
                        {courts.into_iter().map(|c| {
                            let label = if english { format!("{} ({})", c.name_en, c.code) } else { format!("{} ({})", c.name, c.code) };
                            view! { <option value=c.code.clone() selected=chosen == c.code>{label}</option> }
                        }).collect_view()}
                    </optgroup>
                }).collect_view()}
            </select>
            <p class="field-error" id="f-court-error">{problem.map(|k| key_text(i18n, &k))}</p>
        </div>
        <DraftField path="contract_place".into() label=Signal::derive(move || t_string!(i18n, contract_place_label).to_string())
            hint=Signal::derive(move || t_string!(i18n, contract_place_hint).to_string()) value=view.draft.contract_place.clone()/>
        <button type="submit" name="go" value="goto:court" class="secondary">{move || t_string!(i18n, suggest_court)}</button>
    }
}

fn parties_step(view: &DraftView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let case_type = view.draft.case_type();
    let third = case_type.is_none_or(CaseType::has_third_parties);
    let rows = view.draft.parties.iter().cloned().enumerate().map(|(n, p)| party_row(n, p, case_type)).collect_view();
    let add = move |role: PartyRole| {
        view! {
            <button type="submit" name="go" value=format!("add:parties:{}", role.as_str()) class="secondary" data-testid=format!("add-{}", role.as_str())>
                {move || t_string!(i18n, add_party, role = role_label(i18n, case_type, role)).to_string()}
            </button>
        }
    };
    view! {
        <p class="field-hint">{move || t_string!(i18n, parties_hint)}</p>
        {list_problem(i18n, "parties")}
        {rows}
        <div class="row-actions">
            {add(PartyRole::Claimant)}
            {add(PartyRole::Respondent)}
            {third.then(|| add(PartyRole::ThirdParty))}
        </div>
    }
}

fn party_row(n: usize, p: PartyInput, case_type: Option<CaseType>) -> impl IntoView {
    let i18n = use_i18n();
    let role = PartyRole::parse(&p.role).unwrap_or(PartyRole::Respondent);
    let kind = RwSignal::new(p.kind.clone());
    let path = move |f: &str| format!("parties.{n}.{f}");
    let label = move |k: &'static str| -> Signal<String> {
        Signal::derive(move || match k {
            "name" => t_string!(i18n, party_name).to_string(),
            "id_number" => t_string!(i18n, party_id_number).to_string(),
            "phone" => t_string!(i18n, party_phone).to_string(),
            "uscc" => t_string!(i18n, party_uscc).to_string(),
            "representative" => t_string!(i18n, party_representative).to_string(),
            _ => t_string!(i18n, party_address).to_string(),
        })
    };
    let optional = role != PartyRole::Claimant;
    let optional_hint = move || Signal::derive(move || if optional { t_string!(i18n, optional_if_unknown).to_string() } else { String::new() });
    let kind_id = format!("f-parties-{n}-kind");
    view! {
        <fieldset class="party" data-testid="party">
            <legend>{move || format!("{} {}", role_label(i18n, case_type, role), n + 1)}</legend>
            <input type="hidden" name=format!("draft[parties][{n}][role]") value=role.as_str()/>
            <div class="field">
                <label for=kind_id.clone()>{move || t_string!(i18n, party_kind)}</label>
                <select id=kind_id name=format!("draft[parties][{n}][kind]") on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="person" selected=p.kind == "person">{move || t_string!(i18n, kind_person)}</option>
                    <option value="organisation" selected=p.kind == "organisation">{move || t_string!(i18n, kind_organisation)}</option>
                </select>
                {list_problem(i18n, &path("kind"))}
            </div>
            <DraftField path=path("name") label=label("name") value=p.name.clone() autocomplete="off"/>
            <div class="kind-fields" hidden=move || kind.get() != "person">
                <DraftField path=path("id_number") label=label("id_number") value=p.id_number.clone() maxlength=22 autocomplete="off" hint=optional_hint()/>
                <DraftField path=path("phone") label=label("phone") value=p.phone.clone() input_type="tel" inputmode="tel" maxlength=20 hint=optional_hint()/>
            </div>
            <div class="kind-fields" hidden=move || kind.get() != "organisation">
                <DraftField path=path("uscc") label=label("uscc") value=p.uscc.clone() maxlength=24 autocomplete="off"
                    hint=Signal::derive(move || t_string!(i18n, uscc_hint).to_string())/>
                <DraftField path=path("representative") label=label("representative") value=p.representative.clone()/>
            </div>
            <DraftField path=path("address") label=label("address") value=p.address.clone() autocomplete="street-address"
                hint=Signal::derive(move || t_string!(i18n, address_hint).to_string())/>
            <button type="submit" name="go" value=format!("remove:parties:{n}") class="danger">
                {move || t_string!(i18n, remove_row)}<span class="visually-hidden">" "{move || format!("{} {}", role_label(i18n, case_type, role), n + 1)}</span>
            </button>
        </fieldset>
    }
}

fn agent_step(view: &DraftView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let id = view.id;
    if !view.is_lawyer {
        return view! { <p data-testid="agent-self">{move || t_string!(i18n, agent_self)}</p> }.into_any();
    }
    let chosen = view.draft.agent.client_id.unwrap_or(0);
    let poa = view.draft.agent.power_of_attorney.clone();
    view! {
        <fieldset class="choices">
            <legend>{move || t_string!(i18n, agent_for_whom)}</legend>
            <div class="choice">
                <input type="radio" id="agent-0" name="draft[agent][client_id]" value="0" checked=chosen == 0/>
                <label for="agent-0">{move || t_string!(i18n, agent_for_myself)}</label>
            </div>
            {view.clients.iter().map(|(client, name)| {
                let rid = format!("agent-{client}");
                view! {
                    <div class="choice">
                        <input type="radio" id=rid.clone() name="draft[agent][client_id]" value=client.to_string() checked=chosen == *client/>
                        <label for=rid>{move || t_string!(i18n, agent_for_client)}" "<strong>{name.clone()}</strong></label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <p class="field-hint" data-testid="grant-hint">{move || t_string!(i18n, agent_grant_hint, number = filing_number(id)).to_string()}</p>
        {(chosen != 0).then(|| view! {
            <div class="field">
                <p><strong>{move || t_string!(i18n, power_of_attorney)}</strong></p>
                {list_problem(i18n, "agent.power_of_attorney")}
                {poa.clone().map(|f| file_line(f, Some("unlink:agent".to_string())))}
                <Uploader filing_id=id target="agent".to_string() label=Signal::derive(move || t_string!(i18n, upload_power_of_attorney).to_string())/>
            </div>
        })}
    }
    .into_any()
}

fn claims_step(view: &DraftView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let d = &view.draft;
    let details = match d.case_type() {
        Some(CaseType::CivilFirstInstance) => view! {
            <DraftField path="details.cause".into() label=Signal::derive(move || t_string!(i18n, cause_label).to_string())
                hint=Signal::derive(move || t_string!(i18n, cause_hint).to_string()) value=d.details.cause.clone()/>
        }
        .into_any(),
        Some(CaseType::Enforcement) => view! {
            <DraftField path="details.basis".into() label=Signal::derive(move || t_string!(i18n, basis_label).to_string())
                hint=Signal::derive(move || t_string!(i18n, basis_hint).to_string()) value=d.details.basis.clone()/>
            <DraftField path="details.basis_effective".into() label=Signal::derive(move || t_string!(i18n, basis_effective_label).to_string())
                input_type="date" value=d.details.basis_effective.clone()/>
        }
        .into_any(),
        Some(CaseType::Preservation) => {
            let kind = d.details.preservation_kind.clone();
            let pre_suit = d.details.pre_suit;
            view! {
                <fieldset class="choices">
                    <legend>{move || t_string!(i18n, preservation_kind_label)}</legend>
                    {[("property", 0), ("conduct", 1), ("evidence", 2)].into_iter().map(|(k, i)| {
                        let rid = format!("pk-{k}");
                        view! {
                            <div class="choice">
                                <input type="radio" id=rid.clone() name="draft[details][preservation_kind]" value=k checked=kind == k/>
                                <label for=rid>{move || match i { 0 => t_string!(i18n, preserve_property), 1 => t_string!(i18n, preserve_conduct), _ => t_string!(i18n, preserve_evidence) }}</label>
                            </div>
                        }
                    }).collect_view()}
                    {list_problem(i18n, "details.preservation_kind")}
                </fieldset>
                <div class="field checkbox-field">
                    <label><input type="checkbox" name="draft[details][pre_suit]" value="true" checked=pre_suit/>" "{move || t_string!(i18n, pre_suit_label)}</label>
                </div>
                <DraftField path="details.preserve_what".into() label=Signal::derive(move || t_string!(i18n, preserve_what_label).to_string())
                    multiline=true value=d.details.preserve_what.clone()/>
                <DraftField path="details.security".into() label=Signal::derive(move || t_string!(i18n, security_label).to_string())
                    hint=Signal::derive(move || t_string!(i18n, security_hint).to_string()) value=d.details.security.clone()/>
            }
            .into_any()
        }
        Some(CaseType::Administrative) => view! {
            <DraftField path="details.act".into() label=Signal::derive(move || t_string!(i18n, act_label).to_string())
                hint=Signal::derive(move || t_string!(i18n, act_hint).to_string()) value=d.details.act.clone()/>
            <DraftField path="details.act_known".into() label=Signal::derive(move || t_string!(i18n, act_known_label).to_string())
                input_type="date" value=d.details.act_known.clone()/>
        }
        .into_any(),
        None => view! { <p>{move || t_string!(i18n, choose_type_first)}</p> }.into_any(),
    };
    // The total follows the amounts as they are typed, with the same rules the server applies.
    let amounts = RwSignal::new(d.claims.iter().map(|c| c.amount.clone()).collect::<Vec<_>>());
    let total = move || amounts.with(|a| a.iter().filter_map(|s| Fen::parse_yuan(s).ok()).fold(0i64, |t, f| t.saturating_add(f.0)));
    // The court fee the claims call for, worked out by the same calculator the court uses.
    let (case_type, rates) = (d.case_type(), view.fee_rates);
    let fee_estimate = move || {
        let (kind, amount) = crate::fees::model::FeeKind::for_filing(case_type?, Fen(total()));
        let fee = crate::fees::model::calculate(kind, amount, &[], &rates).ok()?.total;
        let kind = crate::fees::pages::kind_label(i18n, kind);
        Some(t_string!(i18n, fee_estimate, amount = fee.yuan(), kind = kind).to_string())
    };
    let rows = d
        .claims
        .iter()
        .cloned()
        .enumerate()
        .map(|(n, c)| {
            view! {
                <fieldset class="claim" data-testid="claim">
                    <legend>{move || t_string!(i18n, claim_n, n = n + 1).to_string()}</legend>
                    <DraftField path=format!("claims.{n}.text") label=Signal::derive(move || t_string!(i18n, claim_text).to_string()) multiline=true value=c.text.clone()/>
                    <DraftField path=format!("claims.{n}.amount") label=Signal::derive(move || t_string!(i18n, claim_amount).to_string())
                        hint=Signal::derive(move || t_string!(i18n, claim_amount_hint).to_string()) value=c.amount.clone() inputmode="decimal" maxlength=24
                        on_input=Callback::new(move |v: String| amounts.update(|a| if let Some(slot) = a.get_mut(n) { *slot = v }))/>
                    <button type="submit" name="go" value=format!("remove:claims:{n}") class="danger">
                        {move || t_string!(i18n, remove_row)}<span class="visually-hidden">" "{move || t_string!(i18n, claim_n, n = n + 1).to_string()}</span>
                    </button>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        {details}
        <h2 class="section-title">{move || t_string!(i18n, claims_title)}</h2>
        {list_problem(i18n, "claims")}
        {rows}
        <button type="submit" name="go" value="add:claims" class="secondary" data-testid="add-claim">{move || t_string!(i18n, add_claim)}</button>
        <p class="claims-total" role="status" data-testid="claims-total">
            {move || t_string!(i18n, claims_total, amount = Fen(total()).yuan()).to_string()}
        </p>
        <p class="fee-estimate" role="status" data-testid="fee-estimate">{fee_estimate}</p>
        {relief_section(view)}
    }
}

/// The name of a relief kind, as the filer chooses it.
pub fn relief_kind_label(i18n: I18nContext<Locale>, kind: ReliefKind) -> &'static str {
    match kind {
        ReliefKind::Defer => t_string!(i18n, relief_kind_defer),
        ReliefKind::Reduce => t_string!(i18n, relief_kind_reduce),
        ReliefKind::Waive => t_string!(i18n, relief_kind_waive),
    }
}

/// The words of the Measures for a ground of relief.
pub fn relief_ground_label(i18n: I18nContext<Locale>, ground: ReliefGround) -> &'static str {
    match ground {
        ReliefGround::DisabledWithoutIncome => t_string!(i18n, relief_ground_disabled_without_income),
        ReliefGround::Maintenance => t_string!(i18n, relief_ground_maintenance),
        ReliefGround::SubsistenceAllowance => t_string!(i18n, relief_ground_subsistence_allowance),
        ReliefGround::GoodSamaritan => t_string!(i18n, relief_ground_good_samaritan),
        ReliefGround::OtherWaive => t_string!(i18n, relief_ground_other_waive),
        ReliefGround::DisasterHardship => t_string!(i18n, relief_ground_disaster_hardship),
        ReliefGround::EntitledCare => t_string!(i18n, relief_ground_entitled_care),
        ReliefGround::WelfareInstitution => t_string!(i18n, relief_ground_welfare_institution),
        ReliefGround::OtherReduce => t_string!(i18n, relief_ground_other_reduce),
        ReliefGround::SocialInsuranceOrCompensation => t_string!(i18n, relief_ground_social_insurance_or_compensation),
        ReliefGround::AccidentVictim => t_string!(i18n, relief_ground_accident_victim),
        ReliefGround::LegalAid => t_string!(i18n, relief_ground_legal_aid),
        ReliefGround::OtherDefer => t_string!(i18n, relief_ground_other_defer),
    }
}

/// The fee relief application (arts. 44–48), beside the fee it concerns: folded away unless
/// the filer applied or has a problem to fix. Plain fields (they post without JavaScript); the
/// proof of hardship is uploaded like evidence, into the draft's `relief` files.
fn relief_section(view: &DraftView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let r = view.draft.relief.clone();
    let problems = use_context::<Problems>();
    let has_problem = problems.is_some_and(|p| p.0.with_untracked(|m| m.keys().any(|k| k.starts_with("relief."))));
    // Open once anything was put in it, so a finished upload re-reading the draft keeps it open.
    let open = r.applied() || !r.files.is_empty() || has_problem;
    let chosen = ReliefKind::parse(&r.kind);
    let ground = ReliefGround::parse(&r.ground);
    let kinds = std::iter::once(None).chain(ReliefKind::ALL.into_iter().map(Some)).map(|k| {
        let value = k.map_or("", ReliefKind::as_str);
        let rid = format!("relief-kind-{}", if value.is_empty() { "none" } else { value });
        view! {
            <div class="choice">
                <input type="radio" id=rid.clone() name="draft[relief][kind]" value=value checked=k == chosen data-testid=rid.clone()/>
                <label for=rid>{move || k.map_or_else(|| t_string!(i18n, relief_kind_none), |k| relief_kind_label(i18n, k))}</label>
            </div>
        }
    });
    let groups = ReliefKind::ALL.into_iter().map(|k| {
        view! {
            <optgroup label=move || relief_kind_label(i18n, k)>
                {k.grounds().iter().copied().map(|g| view! { <option value=g.as_str() selected=ground == Some(g)>{move || relief_ground_label(i18n, g)}</option> }).collect_view()}
            </optgroup>
        }
    });
    let ground_problem = Memo::new(move |_| problems.and_then(|p| p.of("relief.ground")));
    let id = view.id;
    view! {
        <details class="card relief" open=open data-testid="relief">
            <summary><h2 class="section-title">{move || t_string!(i18n, relief_title)}</h2></summary>
            <p class="field-hint">{move || t_string!(i18n, relief_lead)}</p>
            <fieldset class="choices">
                <legend>{move || t_string!(i18n, relief_kind_label)}</legend>
                {kinds.collect_view()}
                {list_problem(i18n, "relief.kind")}
            </fieldset>
            <div class="field" class:field-invalid=move || ground_problem.get().is_some()>
                <label for="f-relief-ground">{move || t_string!(i18n, relief_ground_label)}</label>
                <select id="f-relief-ground" name="draft[relief][ground]" aria-invalid=move || ground_problem.get().is_some().then_some("true")
                    aria-describedby="f-relief-ground-error" data-testid="relief-ground">
                    <option value="" selected=ground.is_none()>{move || t_string!(i18n, relief_ground_choose)}</option>
                    {groups.collect_view()}
                </select>
                <p class="field-error" id="f-relief-ground-error" aria-live="polite">{move || ground_problem.get().map(|k| key_text(i18n, &k))}</p>
            </div>
            <DraftField path="relief.reasons".into() label=Signal::derive(move || t_string!(i18n, relief_reasons_label).to_string())
                hint=Signal::derive(move || t_string!(i18n, relief_reasons_hint).to_string()) multiline=true
                maxlength=crate::fees::relief::REASONS_MAX value=r.reasons.clone()/>
            <div class="field">
                <p><strong>{move || t_string!(i18n, relief_files_label)}</strong></p>
                {list_problem(i18n, "relief.files")}
                <ul class="files" data-testid="relief-files">{r.files.iter().cloned().map(|f| view! { <li>{file_line(f, Some("unlink:relief".to_string()))}</li> }).collect_view()}</ul>
                <Uploader filing_id=id target="relief".to_string() label=Signal::derive(move || t_string!(i18n, upload_relief).to_string())/>
            </div>
        </details>
    }
}

/// The relief applied for, as filed (review step, the filing page, the clerk).
fn relief_application_view(draft: &Draft) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let r = draft.relief.clone();
    r.applied().then(|| {
        let kind = ReliefKind::parse(&r.kind);
        let ground = ReliefGround::parse(&r.ground);
        view! {
            <h3>{move || t_string!(i18n, relief_applied_title)}</h3>
            <dl class="facts" data-testid="relief-application">
                <dt>{move || t_string!(i18n, relief_kind_label)}</dt>
                <dd data-testid="relief-kind">{move || kind.map(|k| relief_kind_label(i18n, k))}</dd>
                <dt>{move || t_string!(i18n, relief_ground_label)}</dt>
                <dd>{move || ground.map(|g| relief_ground_label(i18n, g))}</dd>
                <dt>{move || t_string!(i18n, relief_reasons_label)}</dt>
                <dd class="facts-text" data-testid="relief-reasons">{r.reasons.clone()}</dd>
            </dl>
            <ul class="files">{r.files.iter().cloned().map(|f| view! { <li>{file_line(f, None)}</li> }).collect_view()}</ul>
        }
    })
}

/// The court's decision on the relief applied for, in the filer's words: original fee, relief,
/// amount due, or the refusal with its reason (art. 49).
fn relief_decision_view(r: ReliefView) -> impl IntoView {
    let i18n = use_i18n();
    let (original, due) = (r.original, r.due);
    let relief = Fen(original.0 - due.0);
    let decision = r.decision.clone();
    let granted = r.decision != "refuse";
    let text = move || match r.decision.as_str() {
        "defer" => t_string!(i18n, relief_granted_defer, amount = due.yuan(), date = r.deferred_until.map(|t| t.plus_secs(-1).shanghai()).unwrap_or_default()).to_string(),
        "reduce" => t_string!(i18n, relief_granted_reduce, percent = r.percent.unwrap_or_default(), original = original.yuan(), relief = relief.yuan(), due = due.yuan()).to_string(),
        "waive" => t_string!(i18n, relief_granted_waive, original = original.yuan()).to_string(),
        _ => t_string!(i18n, relief_refused, reason = r.reason.clone().unwrap_or_default(), amount = original.yuan()).to_string(),
    };
    view! {
        <section class="card" class:notice-warn=!granted aria-labelledby="relief-decision-title" data-testid="relief-decision" data-decision=decision>
            <h2 id="relief-decision-title">{move || t_string!(i18n, relief_decision_title)}</h2>
            <p>{text}</p>
        </section>
    }
}

fn facts_step(view: &DraftView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    view! {
        <DraftField path="facts".into() label=Signal::derive(move || t_string!(i18n, facts_label).to_string())
            hint=Signal::derive(move || t_string!(i18n, facts_hint).to_string()) multiline=true value=view.draft.facts.clone()/>
    }
}

fn evidence_step(view: &DraftView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let id = view.id;
    let rows = view
        .draft
        .evidence
        .iter()
        .cloned()
        .enumerate()
        .map(|(n, e)| {
            let path = move |f: &str| format!("evidence.{n}.{f}");
            view! {
                <fieldset class="evidence" data-testid="evidence">
                    <legend>{move || t_string!(i18n, evidence_n, n = n + 1).to_string()}</legend>
                    <DraftField path=path("name") label=Signal::derive(move || t_string!(i18n, evidence_name).to_string()) value=e.name.clone()/>
                    <DraftField path=path("source") label=Signal::derive(move || t_string!(i18n, evidence_source).to_string())
                        hint=Signal::derive(move || t_string!(i18n, evidence_source_hint).to_string()) value=e.source.clone()/>
                    <DraftField path=path("proves") label=Signal::derive(move || t_string!(i18n, evidence_proves).to_string()) multiline=true value=e.proves.clone()/>
                    <div class="field">
                        <p><strong>{move || t_string!(i18n, evidence_files)}</strong></p>
                        {list_problem(i18n, &path("files"))}
                        <ul class="files">{e.files.iter().cloned().map(|f| view! { <li>{file_line(f, Some(format!("unlink:evidence:{n}")))}</li> }).collect_view()}</ul>
                        <Uploader filing_id=id target=format!("evidence:{n}") label=Signal::derive(move || t_string!(i18n, upload_evidence).to_string())/>
                    </div>
                    <button type="submit" name="go" value=format!("remove:evidence:{n}") class="danger">
                        {move || t_string!(i18n, remove_row)}<span class="visually-hidden">" "{move || t_string!(i18n, evidence_n, n = n + 1).to_string()}</span>
                    </button>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <p class="field-hint">{move || t_string!(i18n, evidence_hint)}</p>
        {rows}
        <button type="submit" name="go" value="add:evidence" class="secondary" data-testid="add-evidence">{move || t_string!(i18n, add_evidence)}</button>
    }
}

/// One uploaded file: name, type, size, fingerprint, preview; optionally a remove button
/// (`unlink` is the action prefix; the file id is appended).
fn file_line(f: FileRef, unlink: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let preview = format!("/files/{}", f.id);
    let image = f.kind == "png" || f.kind == "jpeg";
    let name = f.name.clone();
    view! {
        <div class="file-line" data-testid="file" data-sha256=f.sha256.clone()>
            {if image {
                view! { <img class="file-thumb" src=preview.clone() alt=name.clone() loading="lazy"/> }.into_any()
            } else {
                view! { <span class="file-icon" aria-hidden="true">"PDF"</span> }.into_any()
            }}
            <div class="file-facts">
                <a href=preview.clone() target="_blank" rel="noopener">{name.clone()}</a>
                <span class="device-meta">{move || kind_label(i18n, &f.kind)}" · "{size_text(f.size)}</span>
                <span class="fingerprint">{move || t_string!(i18n, fingerprint)}": "<code data-testid="fingerprint">{f.sha256.clone()}</code></span>
            </div>
            {unlink.map(|u| view! {
                <button type="submit" name="go" value=format!("{u}:{}", f.id) class="secondary">
                    {move || t_string!(i18n, remove_file)}<span class="visually-hidden">" "{name.clone()}</span>
                </button>
            })}
        </div>
    }
}

/// Choosing a file uploads it in chunks with a progress bar, resuming after a dropped
/// connection; the page then shows it in place (hydrated only: plain forms cannot send files
/// in pieces, so without JavaScript the control says so).
#[component]
fn Uploader(filing_id: i64, target: String, label: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("upload-{}", target.replace(':', "-"));
    let state = RwSignal::new(UploadState::Idle);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let refresh = use_context::<RefreshDraft>();
    let on_change = {
        let target = target.clone();
        move |ev: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            crate::filing::browser::upload_chosen(&ev, filing_id, target.clone(), state, refresh);
            #[cfg(not(feature = "hydrate"))]
            let _ = (&ev, filing_id, &target, refresh);
        }
    };
    view! {
        <div class="uploader">
            <label for=input_id.clone() class="button secondary upload-label">{label}</label>
            <input id=input_id type="file" class="visually-hidden-input" accept="application/pdf,image/jpeg,image/png"
                disabled=move || !hydrated.get() on:change=on_change data-testid="upload-input"/>
            <p class="field-hint">{move || t_string!(i18n, upload_rules)}</p>
            <noscript><p class="field-hint">{move || t_string!(i18n, upload_needs_js)}</p></noscript>
            {move || match state.get() {
                UploadState::Idle => ().into_any(),
                UploadState::Sending { name, sent, size, retrying } => {
                    let percent = if size > 0 { sent * 100 / size } else { 0 };
                    view! {
                        <div class="upload-progress" data-testid="upload-progress">
                            <label>{name.clone()}" "<progress max="100" value=percent.to_string()>{format!("{percent}%")}</progress>" "{format!("{percent}%")}</label>
                            {retrying.then(|| view! { <p class="field-hint" role="status">{move || t_string!(i18n, upload_retrying)}</p> })}
                        </div>
                    }
                    .into_any()
                }
                UploadState::Done => view! { <p role="status" class="form-status" data-testid="upload-done">{move || t_string!(i18n, upload_done)}</p> }.into_any(),
                UploadState::Failed(e) => view! { <FormError error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
            }}
        </div>
    }
}

/// Where an upload stands, for its progress bar.
#[derive(Clone, Debug, PartialEq)]
pub enum UploadState {
    Idle,
    Sending { name: String, sent: i64, size: i64, retrying: bool },
    Done,
    Failed(AppError),
}

/// The review step: everything as it will be filed, with each step's problems and a way back.
fn review_summary(view: &DraftView, problems: FieldErrors) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let id = view.id;
    let by_step: Vec<(Step, Vec<String>)> = Step::ALL
        .into_iter()
        .filter(|s| *s != Step::Review)
        .map(|s| (s, problems.iter().filter(|(p, _)| Step::of_field(p) == s).map(|(_, k)| k.clone()).collect()))
        .filter(|(_, ks): &(Step, Vec<String>)| !ks.is_empty())
        .collect();
    let court_name = view.courts.iter().find(|c| c.code == view.draft.court.trim()).map(|c| c.name.clone()).unwrap_or_default();
    let suggested_elsewhere = !view.suggestions.is_empty() && !view.suggestions.iter().any(|(c, _)| *c == view.draft.court.trim());
    view! {
        {(!by_step.is_empty()).then(|| view! {
            <div class="problems" role="alert" data-testid="review-problems">
                <p><strong>{move || t_string!(i18n, review_problems)}</strong></p>
                <ul>{by_step.into_iter().map(|(s, keys)| view! {
                    <li><a href=format!("/file/{id}/{}?check=1", s.as_str())>{move || step_label(i18n, s)}</a>": "
                        {keys.iter().map(|k| key_text(i18n, k)).collect::<Vec<_>>().join("；")}</li>
                }).collect_view()}</ul>
            </div>
        })}
        {suggested_elsewhere.then(|| view! { <p class="hint" data-testid="jurisdiction-hint">{move || t_string!(i18n, jurisdiction_hint)}</p> })}
        <FilingContent draft=view.draft.clone() court_name/>
    }
}

/// A filing's content for reading (review step, the filing page, the clerk).
#[component]
pub fn FilingContent(draft: Draft, court_name: String) -> impl IntoView {
    let i18n = use_i18n();
    let case_type = draft.case_type();
    let d = draft.details.clone();
    let detail_rows: Vec<(&'static str, String)> = match case_type {
        Some(CaseType::CivilFirstInstance) => vec![("cause", d.cause)],
        Some(CaseType::Enforcement) => vec![("basis", d.basis), ("basis_effective", d.basis_effective)],
        Some(CaseType::Preservation) => vec![("preservation_kind", d.preservation_kind), ("preserve_what", d.preserve_what), ("security", d.security)],
        Some(CaseType::Administrative) => vec![("act", d.act), ("act_known", d.act_known)],
        None => Vec::new(),
    };
    let detail_label = move |k: &'static str| match k {
        "cause" => t_string!(i18n, cause_label),
        "basis" => t_string!(i18n, basis_label),
        "basis_effective" => t_string!(i18n, basis_effective_label),
        "preservation_kind" => t_string!(i18n, preservation_kind_label),
        "preserve_what" => t_string!(i18n, preserve_what_label),
        "security" => t_string!(i18n, security_label),
        "act" => t_string!(i18n, act_label),
        _ => t_string!(i18n, act_known_label),
    };
    let total = draft.total_claimed();
    view! {
        <div class="filing-content" data-testid="filing-content">
            <dl class="facts">
                <dt>{move || t_string!(i18n, step_case_type)}</dt>
                <dd>{case_type.map(|t| view! { {move || case_type_label(i18n, t)} })}</dd>
                <dt>{move || t_string!(i18n, step_court)}</dt>
                <dd data-testid="content-court">{court_name}" "{draft.court.clone()}</dd>
                {detail_rows.into_iter().map(|(k, v)| view! { <dt>{move || detail_label(k)}</dt><dd>{v}</dd> }).collect_view()}
                {draft.agent.client_id.map(|_| view! {
                    <dt>{move || t_string!(i18n, step_agent)}</dt>
                    <dd>{move || t_string!(i18n, agent_for_client)}" "{draft.agent.client_name.clone()}</dd>
                })}
            </dl>
            <h3>{move || t_string!(i18n, step_parties)}</h3>
            <ul class="parties">
                {draft.parties.iter().map(|p| {
                    let role = PartyRole::parse(&p.role).unwrap_or(PartyRole::Respondent);
                    let org = p.kind == "organisation";
                    let ident = if org { p.uscc.clone() } else { crate::identity::model::ResidentId::parse(&p.id_number).map(|i| i.masked()).unwrap_or_else(|_| p.id_number.clone()) };
                    view! {
                        <li data-testid="content-party">
                            <strong>{move || role_label(i18n, case_type, role)}": "</strong>{p.name.clone()}
                            {(!ident.trim().is_empty()).then(|| view! { " · "{ident.clone()} })}
                            {(org && !p.representative.trim().is_empty()).then(|| view! { " · "{move || t_string!(i18n, party_representative)}" "{p.representative.clone()} })}
                            " · "{p.address.clone()}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3>{move || t_string!(i18n, claims_title)}</h3>
            <ol class="claims">
                {draft.claims.iter().map(|c| view! {
                    <li>{c.text.clone()}{Fen::parse_yuan(&c.amount).ok().map(|f| view! { " — ¥"{f.yuan()} })}</li>
                }).collect_view()}
            </ol>
            <p data-testid="content-total">{move || t_string!(i18n, claims_total, amount = total.yuan()).to_string()}</p>
            <h3>{move || t_string!(i18n, step_facts)}</h3>
            <p class="facts-text">{draft.facts.clone()}</p>
            <h3>{move || t_string!(i18n, step_evidence)}</h3>
            <ol class="evidence-list">
                {draft.evidence.iter().map(|e| view! {
                    <li data-testid="content-evidence">
                        <strong>{e.name.clone()}</strong>" · "{e.source.clone()}<br/>{e.proves.clone()}
                        <ul class="files">{e.files.iter().cloned().map(|f| view! { <li>{file_line(f, None)}</li> }).collect_view()}</ul>
                    </li>
                }).collect_view()}
            </ol>
            {draft.agent.power_of_attorney.clone().map(|f| view! {
                <h3>{move || t_string!(i18n, power_of_attorney)}</h3>
                {file_line(f, None)}
            })}
            {relief_application_view(&draft)}
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// A filing, its receipt and history

/// `/filings/:id`: the filing, its receipt, its history, and what to do next. On tablets the
/// person's list stays beside it.
#[component]
pub fn FilingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(0));
    let detail = Resource::new(move || id.get(), get_filing);
    view! {
        <Title text=title(move || t_string!(i18n, filing_title))/>
        <h1>{move || t_string!(i18n, filing_title)}</h1>
        <RequireVerified here="/file">
            <div class="list-detail">
                <aside class="list-pane"><FilingList selected=Some(id.get_untracked())/></aside>
                <article class="detail-pane">
                    <p class="back-link"><a href="/file">{move || t_string!(i18n, back_to_filings)}</a></p>
                    <Suspense fallback=Loading>
                        {move || Suspend::new(async move {
                            match detail.await {
                                Ok(d) => filing_view(d).into_any(),
                                Err(e) => error_view(e),
                            }
                        })}
                    </Suspense>
                </article>
            </div>
        </RequireVerified>
    }
}

fn filing_view(d: FilingDetail) -> impl IntoView {
    let i18n = use_i18n();
    let s = d.summary.clone();
    let id = s.id;
    let first_reason_step = d.returned.first().map(|r| Step::of_field(&r.field)).unwrap_or(Step::CaseType);
    view! {
        <section class="card" aria-labelledby="filing-status">
            <h2 id="filing-status">{title_or_untitled(i18n, &s.title)}</h2>
            <p><span class=status_class(s.status) data-testid="filing-status">{move || status_label(i18n, s.status)}</span></p>
            {s.case_number.clone().map(|n| view! {
                <p class="case-number-line">{move || t_string!(i18n, case_number_label)}": "<strong data-testid="case-number">{n.clone()}</strong></p>
            })}
            {d.refusal.clone().map(|r| view! { <p data-testid="refusal">{move || t_string!(i18n, refused_because)}" "{r.clone()}</p> })}
            {(!d.returned.is_empty()).then(|| view! {
                <div class="notice-warn" data-testid="returned-reasons">
                    <p><strong>{move || t_string!(i18n, returned_title)}</strong></p>
                    <ul>{d.returned.iter().map(|r| {
                        let step = Step::of_field(&r.field);
                        view! { <li><a href=format!("/file/{id}/{}", step.as_str())>{move || step_label(i18n, step)}</a>": "{r.text.clone()}</li> }
                    }).collect_view()}</ul>
                </div>
            })}
            {d.may_edit.then(|| view! {
                <p><a class="button" data-testid="correct" href=format!("/file/{id}/{}", first_reason_step.as_str())>
                    {move || if s.status == FilingStatus::Returned { t_string!(i18n, correct_and_resubmit) } else { t_string!(i18n, continue_draft) }}
                </a></p>
            })}
        </section>
        {d.relief.clone().map(relief_decision_view)}
        {(d.relief.is_none() && d.draft.relief.applied() && s.status.awaiting_review()).then(|| view! {
            <p class="hint" data-testid="relief-pending">{move || t_string!(i18n, relief_pending)}</p>
        })}
        {d.receipt.clone().map(receipt_view)}
        <section class="card" aria-labelledby="filing-history">
            <h2 id="filing-history">{move || t_string!(i18n, history_title)}</h2>
            <ol class="history" data-testid="history">
                {d.events.iter().map(|e| {
                    let kind = e.kind.clone();
                    let data_kind = kind.clone();
                    view! {
                        <li data-kind=data_kind>
                            <span class="device-meta">{e.at.shanghai()}</span>" "
                            {move || event_label(i18n, &kind)}
                            {e.case_number.clone().map(|n| view! { " "<strong>{n}</strong> })}
                            {e.reason.clone().map(|r| view! { ": "{r} })}
                            {(!e.reasons.is_empty()).then(|| view! { <ul>{e.reasons.iter().map(|r| view! { <li>{r.text.clone()}</li> }).collect_view()}</ul> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        <section class="card" aria-labelledby="filing-content">
            <h2 id="filing-content">{move || t_string!(i18n, filing_content_title)}</h2>
            <FilingContent draft=d.draft.clone() court_name=s.court_name.clone()/>
        </section>
    }
}

fn event_label(i18n: I18nContext<Locale>, kind: &str) -> &'static str {
    match kind {
        "submitted" => t_string!(i18n, event_submitted),
        "resubmitted" => t_string!(i18n, event_resubmitted),
        "returned" => t_string!(i18n, event_returned),
        "accepted" => t_string!(i18n, event_accepted),
        _ => t_string!(i18n, event_refused),
    }
}

fn receipt_view(r: FilingReceipt) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card receipt" aria-labelledby="receipt-title" data-testid="receipt">
            <h2 id="receipt-title">{move || t_string!(i18n, receipt_title)}</h2>
            <dl class="facts">
                <dt>{move || t_string!(i18n, receipt_number)}</dt>
                <dd data-testid="receipt-number">{filing_number(r.id)}"-"{r.submission}</dd>
                <dt>{move || t_string!(i18n, step_court)}</dt>
                <dd data-testid="receipt-court">{r.court_name.clone()}" ("{r.court_code.clone()}")"</dd>
                <dt>{move || t_string!(i18n, receipt_time)}</dt>
                <dd data-testid="receipt-time">{r.submitted_at.shanghai()}</dd>
                {r.case_type.map(|t| view! { <dt>{move || t_string!(i18n, step_case_type)}</dt><dd>{move || case_type_label(i18n, t)}</dd> })}
            </dl>
            <h3>{move || t_string!(i18n, receipt_files)}</h3>
            {if r.files.is_empty() {
                view! { <p>{move || t_string!(i18n, receipt_no_files)}</p> }.into_any()
            } else {
                view! {
                    <table class="fingerprints">
                        <thead><tr><th scope="col">{move || t_string!(i18n, file_word)}</th><th scope="col">{move || t_string!(i18n, fingerprint)}</th></tr></thead>
                        <tbody>{r.files.iter().map(|f| view! {
                            <tr data-testid="receipt-file"><td>{f.name.clone()}</td><td><code>{f.sha256.clone()}</code></td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }
                .into_any()
            }}
            <p class="fine-print">{move || t_string!(i18n, receipt_fine_print)}</p>
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// The clerk

/// `/staff/filings`: the court's queue, oldest first, with the statutory clock.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let queue = Resource::new(|| (), |_| review_queue());
    view! {
        <Title text=title(move || t_string!(i18n, queue_title))/>
        <h1>{move || t_string!(i18n, queue_title)}</h1>
        <p class="lead">{move || t_string!(i18n, queue_lead)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(items) if items.is_empty() => view! { <section class="card"><p data-testid="queue-empty">{move || t_string!(i18n, queue_empty)}</p></section> }.into_any(),
                    Ok(items) => view! {
                        <section class="card">
                            <table class="queue" data-testid="queue">
                                <thead><tr>
                                    <th scope="col">{move || t_string!(i18n, queue_filing)}</th>
                                    <th scope="col">{move || t_string!(i18n, step_case_type)}</th>
                                    <th scope="col">{move || t_string!(i18n, queue_arrived)}</th>
                                    <th scope="col">{move || t_string!(i18n, queue_deadline)}</th>
                                </tr></thead>
                                <tbody>{items.into_iter().map(|q| view! {
                                    <tr data-testid="queue-item" class:overdue=q.overdue>
                                        <td><a href=format!("/staff/filings/{}", q.id)>{filing_number(q.id)}" "{title_or_untitled(i18n, &q.title)}</a>
                                            {q.resubmitted.then(|| view! { " "<span class="badge">{move || t_string!(i18n, status_resubmitted)}</span> })}</td>
                                        <td>{q.case_type.map(|t| view! { {move || case_type_label(i18n, t)} })}</td>
                                        <td>{q.arrived_at.shanghai()}<br/><span class="device-meta">{move || t_string!(i18n, days_waiting, n = q.days_waiting).to_string()}</span></td>
                                        <td>{q.deadline.shanghai()}{q.overdue.then(|| view! { " "<span class="badge warn" data-testid="overdue">{move || t_string!(i18n, overdue)}</span> })}</td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table>
                        </section>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// `/staff/filings/:id`: one filing with every document, and the three decisions.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(0));
    let accept = ServerAction::<AcceptFiling>::new();
    let ret = ServerAction::<ReturnFiling>::new();
    let refuse = ServerAction::<RefuseFiling>::new();
    let review = Resource::new(move || (id.get(), accept.version().get(), ret.version().get(), refuse.version().get()), |(id, ..)| review_filing(id));
    let accept_error = last_error(accept.value());
    let return_error = last_error(ret.value());
    let refuse_error = last_error(refuse.value());
    view! {
        <Title text=title(move || t_string!(i18n, review_title))/>
        <h1>{move || t_string!(i18n, review_title)}</h1>
        <p class="back-link"><a href="/staff/filings">{move || t_string!(i18n, back_to_queue)}</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match review.await {
                    Ok(r) => {
                        let waiting = r.status.awaiting_review();
                        let fields = reason_fields(i18n, &r.draft);
                        let relief_applied = r.draft.relief.applied();
                        let relief_fields = relief_applied.then(|| relief_decision_fields(&r));
                        let relief_decided = r.relief.clone().map(relief_decision_view);
                        view! {
                            <section class="card">
                                <h2>{filing_number(r.item.id)}" "{title_or_untitled(i18n, &r.item.title)}</h2>
                                <p><span class=status_class(r.status) data-testid="review-status">{move || status_label(i18n, r.status)}</span>
                                    {r.case_number.clone().map(|n| view! { " "<strong data-testid="case-number">{n}</strong> })}</p>
                                <p>{move || t_string!(i18n, filed_by, name = r.item.filer_name.clone()).to_string()}
                                    {r.client_name.clone().map(|c| view! { " · "{move || t_string!(i18n, filed_for_client, name = c.clone()).to_string()} })}</p>
                                <p>{move || t_string!(i18n, queue_arrived)}": "{r.item.arrived_at.shanghai()}" · "
                                    {move || t_string!(i18n, queue_deadline)}": "{r.item.deadline.shanghai()}
                                    {r.item.overdue.then(|| view! { " "<span class="badge warn">{move || t_string!(i18n, overdue)}</span> })}</p>
                            </section>
                            <section class="card">
                                <FilingContent draft=r.draft.clone() court_name=r.court_name.clone()/>
                                <FilePreviews draft=r.draft.clone()/>
                            </section>
                            {waiting.then(|| view! {
                                <section class="card decisions" aria-labelledby="decide-title">
                                    <h2 id="decide-title">{move || t_string!(i18n, decide_title)}</h2>
                                    <ActionForm action=accept attr:class=if relief_applied { "stack-form" } else { "inline-form" } attr:novalidate=true>
                                        <input type="hidden" name="id" value=r.item.id.to_string()/>
                                        {relief_fields}
                                        <button type="submit" data-testid="accept" disabled=move || accept.pending().get()>{move || t_string!(i18n, accept_filing)}</button>
                                        <FormError error=accept_error/>
                                    </ActionForm>
                                    <details class="decision">
                                        <summary data-testid="return-open">{move || t_string!(i18n, return_filing)}</summary>
                                        <ActionForm action=ret attr:class="stack-form" attr:novalidate=true>
                                            <input type="hidden" name="id" value=r.item.id.to_string()/>
                                            {(0..3).map(|n| {
                                                let fields = fields.clone();
                                                view! {
                                                    <div class="reason-row">
                                                        <div class="field">
                                                            <label for=format!("reason-field-{n}")>{move || t_string!(i18n, reason_field_label, n = n + 1).to_string()}</label>
                                                            <select id=format!("reason-field-{n}") name=format!("reasons[{n}][field]") data-testid=format!("reason-field-{n}")>
                                                                {fields.into_iter().map(|(path, label)| view! { <option value=path>{label}</option> }).collect_view()}
                                                            </select>
                                                        </div>
                                                        <div class="field">
                                                            <label for=format!("reason-text-{n}")>{move || t_string!(i18n, reason_text_label, n = n + 1).to_string()}</label>
                                                            <textarea id=format!("reason-text-{n}") name=format!("reasons[{n}][text]") rows="2" maxlength="1000" data-testid=format!("reason-text-{n}")></textarea>
                                                        </div>
                                                    </div>
                                                }
                                            }).collect_view()}
                                            <button type="submit" class="secondary" data-testid="return-confirm">{move || t_string!(i18n, return_confirm)}</button>
                                            <FormError error=return_error/>
                                        </ActionForm>
                                    </details>
                                    <details class="decision">
                                        <summary>{move || t_string!(i18n, refuse_filing)}</summary>
                                        <ActionForm action=refuse attr:class="stack-form" attr:novalidate=true>
                                            <input type="hidden" name="id" value=r.item.id.to_string()/>
                                            <div class="field">
                                                <label for="refuse-reason">{move || t_string!(i18n, refuse_reason_label)}</label>
                                                <textarea id="refuse-reason" name="reason" rows="3" maxlength="2000"></textarea>
                                            </div>
                                            <button type="submit" class="danger">{move || t_string!(i18n, refuse_confirm)}</button>
                                            <FormError error=refuse_error/>
                                        </ActionForm>
                                    </details>
                                </section>
                            })}
                            {relief_decided}
                            <section class="card" aria-labelledby="review-history">
                                <h2 id="review-history">{move || t_string!(i18n, history_title)}</h2>
                                <ol class="history">{r.events.iter().map(|e| {
                                    let kind = e.kind.clone();
                                    view! { <li><span class="device-meta">{e.at.shanghai()}</span>" "{move || event_label(i18n, &kind)}{e.case_number.clone().map(|n| view! { " "{n} })}</li> }
                                }).collect_view()}</ol>
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// The clerk's decision on the relief applied for, posted with the acceptance: grant what was
/// asked (a waiver asked for may be granted as a reduction) with its date or percentage, or
/// refuse with a reason.
fn relief_decision_fields(r: &ReviewView) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let applied = ReliefKind::parse(&r.draft.relief.kind);
    let options: Vec<&'static str> = match applied {
        Some(ReliefKind::Defer) => vec!["defer", "refuse"],
        Some(ReliefKind::Reduce) => vec!["reduce", "refuse"],
        Some(ReliefKind::Waive) => vec!["waive", "reduce", "refuse"],
        None => vec!["refuse"],
    };
    let label = move |o: &str| match o {
        "defer" => t_string!(i18n, relief_decide_defer),
        "reduce" => t_string!(i18n, relief_decide_reduce),
        "waive" => t_string!(i18n, relief_decide_waive),
        _ => t_string!(i18n, relief_decide_refuse),
    };
    let fee = r.fee.unwrap_or_default();
    let deadline = r.normal_deadline.plus_secs(-1).shanghai();
    let defer = options.contains(&"defer");
    let reduce = options.contains(&"reduce");
    view! {
        <fieldset class="relief-decision" data-testid="relief-decide">
            <legend>{move || t_string!(i18n, relief_decide_title)}</legend>
            <p class="field-hint">{move || t_string!(i18n, relief_decide_lead, amount = fee.yuan(), deadline = deadline.clone()).to_string()}</p>
            <div class="choices" role="radiogroup" aria-label=move || t_string!(i18n, relief_decide_label)>
                {options.into_iter().map(|o| {
                    let rid = format!("relief-decision-{o}");
                    view! {
                        <div class="choice">
                            <input type="radio" id=rid.clone() name="relief[decision]" value=o data-testid=rid.clone()/>
                            <label for=rid>{move || label(o)}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
            {defer.then(|| view! {
                <div class="field">
                    <label for="relief-until">{move || t_string!(i18n, relief_until_label)}</label>
                    <input id="relief-until" type="date" name="relief[until]" data-testid="relief-until"/>
                </div>
            })}
            {reduce.then(|| view! {
                <div class="field">
                    <label for="relief-percent">{move || t_string!(i18n, relief_percent_label)}</label>
                    <input id="relief-percent" type="number" min="30" max="99" step="1" inputmode="numeric" name="relief[percent]" data-testid="relief-percent"/>
                </div>
            })}
            <div class="field">
                <label for="relief-reason">{move || t_string!(i18n, relief_refuse_reason_label)}</label>
                <textarea id="relief-reason" name="relief[reason]" rows="2" maxlength="2000" data-testid="relief-reason"></textarea>
            </div>
        </fieldset>
    }
}

/// The fields a clerk can attach a reason to: each step, each party and each evidence item.
fn reason_fields(i18n: I18nContext<Locale>, d: &Draft) -> Vec<(String, String)> {
    let t = d.case_type();
    let mut out = vec![
        ("case_type".to_string(), step_label(i18n, Step::CaseType).to_string()),
        ("court".to_string(), step_label(i18n, Step::Court).to_string()),
        ("parties".to_string(), step_label(i18n, Step::Parties).to_string()),
    ];
    for (n, p) in d.parties.iter().enumerate() {
        let role = PartyRole::parse(&p.role).unwrap_or(PartyRole::Respondent);
        out.push((format!("parties.{n}"), format!("{} · {} {}", step_label(i18n, Step::Parties), role_label(i18n, t, role), p.name)));
    }
    out.push(("agent".into(), step_label(i18n, Step::Agent).to_string()));
    out.push(("claims".into(), step_label(i18n, Step::Claims).to_string()));
    out.push(("facts".into(), step_label(i18n, Step::Facts).to_string()));
    out.push(("evidence".into(), step_label(i18n, Step::Evidence).to_string()));
    for (n, e) in d.evidence.iter().enumerate() {
        out.push((format!("evidence.{n}"), format!("{} · {}", step_label(i18n, Step::Evidence), e.name)));
    }
    if d.relief.applied() {
        out.push(("relief".into(), format!("{} · {}", step_label(i18n, Step::Claims), t_string!(i18n, relief_applied_title))));
    }
    out
}

/// Every document of a filing shown in place: images as pictures, PDFs in a frame.
#[component]
fn FilePreviews(draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let files: Vec<FileRef> = draft.files().into_iter().cloned().collect();
    view! {
        <h3>{move || t_string!(i18n, previews_title)}</h3>
        <div class="previews">
            {files.into_iter().map(|f| {
                let src = format!("/files/{}", f.id);
                let title = f.name.clone();
                view! {
                    <figure class="preview" data-testid="preview">
                        {if f.kind == "pdf" {
                            view! { <iframe src=src.clone() title=title.clone()></iframe> }.into_any()
                        } else {
                            view! { <img src=src.clone() alt=title.clone() loading="lazy"/> }.into_any()
                        }}
                        <figcaption><a href=src target="_blank" rel="noopener">{title.clone()}</a><br/><code>{f.sha256.clone()}</code></figcaption>
                    </figure>
                }
            }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_name_leads_back_to_the_model_path_it_was_made_from() {
        for path in ["parties.0.name", "claims.12.amount", "facts", "agent.client_mobile"] {
            let (name, _) = names(path);
            assert_eq!(path_of(&name).as_deref(), Some(path));
        }
        assert_eq!(path_of("go"), None);
        assert_eq!(path_of("draft[unclosed"), None);
    }
}
