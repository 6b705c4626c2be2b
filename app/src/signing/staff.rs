//! Signing's pages for the court. `/staff/signing`: the court's documents for signature, with
//! each signer's state, and the case picker that starts a new mediation agreement.
//! `/staff/signing/new?case=` (or `?edit=` a document): the agreement's template. Filled in, it
//! becomes a draft, or the next version of one; `?case=&kind=text` drafts any other document
//! (a title and its text). On a document's own page the judge or mediator
//! sends it, reminds those who have not answered, seals it once everyone signed, or voids it.
use super::api::{DocumentView, DraftText, RemindSigners, SealDocument, SendForSignature, VoidDocument, agreement_template, drafting_cases, signing_document, signing_list};
use super::model::{Agreement, AgreementParty, Content, FeeBurden, Instalment, Side, Status, Term};
use super::pages::{DocumentItem, sign_path};
use crate::error::{AppError, FieldErrors};
use crate::filing::model::Fen;
use crate::i18n::*;
use crate::identity::pages::RequireVerified;
use crate::ui::forms::{FormError, Loading, error_view, field_error, key_text, last_error};
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub const STAFF_SIGNING_PATH: &str = "/staff/signing";

/// `/staff/signing`.
#[component]
pub fn StaffSigningPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=title(move || t_string!(i18n, staff_signing_title))/>
        <p class="back-link"><a href="/staff">{move || t_string!(i18n, staff_title)}</a></p>
        <h1>{move || t_string!(i18n, staff_signing_title)}</h1>
        <RequireVerified here=STAFF_SIGNING_PATH staff_too=true>
            <DraftPicker/>
            <CourtDocuments/>
        </RequireVerified>
    }
}

/// Picks the case a new agreement is for. A plain GET form: it works before the page hydrates.
#[component]
fn DraftPicker() -> impl IntoView {
    let i18n = use_i18n();
    let cases = Resource::new(|| (), |_| drafting_cases());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                // Clerks and admins see the documents but do not draft them.
                cases.await.ok().filter(|c| !c.is_empty()).map(|cases| view! {
                    <section class="card" aria-labelledby="draft-new-title">
                        <h2 id="draft-new-title">{move || t_string!(i18n, staff_signing_new)}</h2>
                        <form method="get" action=format!("{STAFF_SIGNING_PATH}/new") class="stack-form">
                            <div class="field">
                                <label for="draft-case">{move || t_string!(i18n, staff_signing_case)}</label>
                                <select id="draft-case" name="case" data-testid="draft-case">
                                    {cases.into_iter().map(|(id, number)| view! { <option value=id.to_string()>{number}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="draft-kind">{move || t_string!(i18n, staff_signing_kind)}</label>
                                <select id="draft-kind" name="kind" data-testid="draft-kind">
                                    <option value="agreement">{move || t_string!(i18n, staff_signing_kind_agreement)}</option>
                                    <option value="text">{move || t_string!(i18n, staff_signing_kind_text)}</option>
                                </select>
                            </div>
                            <button type="submit" data-testid="draft-start">{move || t_string!(i18n, staff_signing_start)}</button>
                        </form>
                    </section>
                })
            })}
        </Suspense>
    }
}

#[component]
fn CourtDocuments() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| signing_list());
    view! {
        <section aria-labelledby="court-docs-title">
            <h2 id="court-docs-title">{move || t_string!(i18n, staff_signing_documents)}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(docs) if docs.is_empty() => view! { <p data-testid="sign-none">{move || t_string!(i18n, staff_signing_none)}</p> }.into_any(),
                        Ok(docs) => view! { <ul class="documents" data-testid="sign-list">{docs.into_iter().map(|d| view! { <DocumentItem doc=d/> }).collect_view()}</ul> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The court's controls on a document's page, by where it stands.
#[component]
pub fn Manage(doc: DocumentView, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let send = ServerAction::<SendForSignature>::new();
    let remind = ServerAction::<RemindSigners>::new();
    let seal = ServerAction::<SealDocument>::new();
    let void = ServerAction::<VoidDocument>::new();
    let error = Signal::derive(move || {
        [send.value().get().and_then(|r| r.err()), remind.value().get().and_then(|r| r.err()), seal.value().get().and_then(|r| r.err()), void.value().get().and_then(|r| r.err())]
            .into_iter()
            .flatten()
            .next()
    });
    let reason_error = field_error(error, "reason");
    Effect::new(move |_| {
        let changed = matches!(send.value().get(), Some(Ok(()))) || matches!(seal.value().get(), Some(Ok(_))) || matches!(void.value().get(), Some(Ok(())));
        if changed {
            reload.update(|n| *n += 1);
        }
    });
    let reminded = move || remind.value().get().and_then(|r| r.ok()).map(|n| view! { <p class="notice" role="status" data-testid="signing-reminded">{move || t_string!(i18n, staff_signing_reminded, count = n).to_string()}</p> });
    let id = doc.id.to_string();
    let status = doc.status;
    let revisable = matches!(doc.document.content, Content::Agreement(_)) && matches!(status, Status::Draft | Status::Out | Status::Declined | Status::AllSigned);
    let signed_any = doc.signers.iter().any(|s| matches!(s.state, super::model::SignerState::Signed { .. }));
    let final_ = matches!(status, Status::Sealed | Status::Voided);
    let (id_send, id_remind, id_seal, id_void) = (id.clone(), id.clone(), id.clone(), id.clone());
    view! {
        <section class="card" aria-labelledby="manage-title" data-testid="signing-manage">
            <h2 id="manage-title">{move || t_string!(i18n, staff_signing_manage)}</h2>
            {reminded}
            <FormError error/>
            <div class="actions">
                {(status == Status::Draft).then(|| view! {
                    <ActionForm action=send>
                        <input type="hidden" name="id" value=id_send/>
                        <button type="submit" data-testid="signing-send" disabled=move || send.pending().get()>{move || t_string!(i18n, staff_signing_send)}</button>
                    </ActionForm>
                })}
                {(status == Status::Out).then(|| view! {
                    <ActionForm action=remind>
                        <input type="hidden" name="id" value=id_remind/>
                        <button type="submit" class="secondary" data-testid="signing-remind" disabled=move || remind.pending().get()>{move || t_string!(i18n, staff_signing_remind)}</button>
                    </ActionForm>
                })}
                {revisable.then(|| view! {
                    <a class="button secondary" href=format!("{STAFF_SIGNING_PATH}/new?edit={}", doc.id) data-testid="signing-revise">{move || t_string!(i18n, staff_signing_revise)}</a>
                })}
            </div>
            {(revisable && signed_any).then(|| view! { <p class="hint">{move || t_string!(i18n, staff_signing_revise_warning)}</p> })}
            // Sealing and voiding cannot be undone: each is confirmed on the page first.
            {(status == Status::AllSigned).then(|| view! {
                <details class="decision">
                    <summary data-testid="signing-seal">{move || t_string!(i18n, staff_signing_seal)}</summary>
                    <ActionForm action=seal attr:class="stack-form">
                        <input type="hidden" name="id" value=id_seal/>
                        <p class="hint">{move || t_string!(i18n, staff_signing_seal_warning)}</p>
                        <button type="submit" data-testid="signing-seal-confirm" disabled=move || seal.pending().get()>{move || t_string!(i18n, staff_signing_seal_confirm)}</button>
                    </ActionForm>
                </details>
            })}
            {(!final_).then(|| view! {
                <details class="decision">
                    <summary data-testid="signing-void">{move || t_string!(i18n, staff_signing_void)}</summary>
                    <ActionForm action=void attr:class="stack-form">
                        <input type="hidden" name="id" value=id_void/>
                        <div class="field" class:field-invalid=move || reason_error.get().is_some()>
                            <label for="void-reason">{move || t_string!(i18n, staff_signing_void_reason)}</label>
                            <textarea id="void-reason" name="reason" rows="3" required maxlength=super::model::MAX_REASON_CHARS.to_string()
                                aria-describedby="void-reason-error" data-testid="signing-void-reason"></textarea>
                            <p class="field-error" id="void-reason-error">{move || reason_error.get().map(|k| key_text(i18n, &k))}</p>
                        </div>
                        <button type="submit" class="danger" data-testid="signing-void-confirm" disabled=move || void.pending().get()>{move || t_string!(i18n, staff_signing_void_confirm)}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// The template

#[derive(Clone, Copy)]
struct PartyRow {
    key: u32,
    side: RwSignal<Side>,
    name: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct TermRow {
    key: u32,
    text: RwSignal<String>,
    amount: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct PayRow {
    key: u32,
    due: RwSignal<String>,
    amount: RwSignal<String>,
    payer: RwSignal<String>,
    payee: RwSignal<String>,
}

/// Where the template starts: a case's parties (a new draft) or a document's current version.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Start {
    case_id: i64,
    case_number: String,
    /// The document and version being revised.
    editing: Option<(i64, u32)>,
    title: String,
    agreement: Agreement,
    /// Any other document: a title and its text, not the agreement's template.
    text: bool,
}

/// `/staff/signing/new?case=` or `?edit=`.
#[component]
pub fn DraftPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let start = Resource::new(
        move || {
            let q = query.read();
            (q.get("case").and_then(|v| v.parse::<i64>().ok()), q.get("edit").and_then(|v| v.parse::<i64>().ok()), q.get("kind").as_deref() == Some("text"))
        },
        |(case, edit, text)| async move {
            if let Some(id) = edit {
                let doc = signing_document(id).await?;
                let Content::Agreement(agreement) = doc.document.content else { return Err(AppError::Conflict("error_signing_not_agreement".into())) };
                return Ok(Start { case_id: doc.case_id, case_number: doc.document.case_number, editing: Some((id, doc.document.version)), title: doc.document.title, agreement, text: false });
            }
            let t = agreement_template(case.unwrap_or(0)).await?;
            let agreement = Agreement { parties: t.parties, terms: Vec::new(), schedule: Vec::new(), fees: FeeBurden { claimant_percent: 50, fee: Fen(0) } };
            Ok(Start { case_id: t.case_id, case_number: t.case_number, editing: None, title: String::new(), agreement, text })
        },
    );
    let heading = move || {
        if query.read().get("kind").as_deref() == Some("text") { t_string!(i18n, staff_signing_kind_text).to_string() } else { t_string!(i18n, draft_title).to_string() }
    };
    view! {
        <Title text=title(heading)/>
        <p class="back-link"><a href=STAFF_SIGNING_PATH>{move || t_string!(i18n, staff_signing_title)}</a></p>
        <h1>{heading}</h1>
        <RequireVerified here=STAFF_SIGNING_PATH staff_too=true>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match start.await {
                        Ok(s) if s.text => view! { <TextDraftForm case_id=s.case_id case_number=s.case_number/> }.into_any(),
                        Ok(s) => view! { <DraftForm start=s/> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Suspense>
        </RequireVerified>
    }
}

/// Any other document for signature: its title and text. Saved, it is a draft on its own page,
/// where it is sent.
#[component]
fn TextDraftForm(case_id: i64, case_number: String) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<DraftText>::new();
    let error = last_error(save.value());
    let (title_error, body_error) = (field_error(error, "title"), field_error(error, "body"));
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            let navigate = leptos_router::hooks::use_navigate();
            navigate(&sign_path(id), Default::default());
        }
    });
    view! {
        <section class="card" aria-labelledby="draft-text-title">
            <h2 id="draft-text-title">{move || t_string!(i18n, staff_signing_kind_text)}</h2>
            <p class="device-meta" data-testid="draft-case-number">{case_number}</p>
            <ActionForm action=save attr:class="stack-form" attr:novalidate=true>
                <input type="hidden" name="case_id" value=case_id.to_string()/>
                <div class="field" class:field-invalid=move || title_error.get().is_some()>
                    <label for="draft-text-doc-title">{move || t_string!(i18n, draft_title_label)}</label>
                    <input id="draft-text-doc-title" name="title" type="text" maxlength="100" required aria-describedby="draft-text-doc-title-error" data-testid="draft-text-title"/>
                    <p class="field-error" id="draft-text-doc-title-error">{move || title_error.get().map(|k| key_text(i18n, &k))}</p>
                </div>
                <div class="field" class:field-invalid=move || body_error.get().is_some()>
                    <label for="draft-text-body">{move || t_string!(i18n, staff_signing_text_body)}</label>
                    <textarea id="draft-text-body" name="body" rows="14" maxlength=super::model::MAX_BODY_CHARS.to_string() required
                        aria-describedby="draft-text-body-error" data-testid="draft-text-body"></textarea>
                    <p class="field-error" id="draft-text-body-error">{move || body_error.get().map(|k| key_text(i18n, &k))}</p>
                </div>
                <button type="submit" data-testid="draft-text-save" disabled=move || save.pending().get()>{move || t_string!(i18n, staff_signing_text_save)}</button>
                <FormError error/>
            </ActionForm>
        </section>
    }
}

/// The error of one field of the agreement, by its server name (`terms[2][text]`), which
/// `field` makes afresh as rows are added and removed.
fn problem(error: Signal<Option<AppError>>, field: impl Fn() -> String + Send + Sync + 'static) -> Signal<Option<String>> {
    Signal::derive(move || match error.get() {
        Some(AppError::Invalid(fields)) => fields.get(&field()).cloned(),
        _ => None,
    })
}

fn yuan_text(fen: Option<Fen>) -> String {
    fen.map(|f| f.yuan()).unwrap_or_default()
}

#[component]
fn DraftForm(start: Start) -> impl IntoView {
    let i18n = use_i18n();
    let next_key = StoredValue::new(0u32);
    let key = move || {
        next_key.update_value(|k| *k += 1);
        next_key.get_value()
    };
    let title_value = RwSignal::new(if start.title.is_empty() { t_string!(i18n, draft_default_title).to_string() } else { start.title.clone() });
    let a = start.agreement.clone();
    let parties = RwSignal::new(a.parties.iter().map(|p| PartyRow { key: key(), side: RwSignal::new(p.side), name: RwSignal::new(p.name.clone()) }).collect::<Vec<_>>());
    let terms = RwSignal::new(a.terms.iter().map(|t| TermRow { key: key(), text: RwSignal::new(t.text.clone()), amount: RwSignal::new(yuan_text(t.amount)) }).collect::<Vec<_>>());
    let schedule = RwSignal::new(
        a.schedule
            .iter()
            .map(|s| PayRow { key: key(), due: RwSignal::new(s.due.clone()), amount: RwSignal::new(s.amount.yuan()), payer: RwSignal::new(s.payer.clone()), payee: RwSignal::new(s.payee.clone()) })
            .collect::<Vec<_>>(),
    );
    if terms.get_untracked().is_empty() {
        terms.update(|t| t.push(TermRow { key: key(), text: RwSignal::new(String::new()), amount: RwSignal::new(String::new()) }));
    }
    let percent = RwSignal::new(a.fees.claimant_percent.to_string());
    let fee = RwSignal::new(if a.fees.fee.0 == 0 { String::new() } else { a.fees.fee.yuan() });
    let local_error = RwSignal::new(None::<AppError>);
    let (case_id, editing) = (start.case_id, start.editing);
    let save = Action::new(move |(title, json): &(String, String)| {
        let (title, json) = (title.clone(), json.clone());
        async move {
            match editing {
                Some((id, version)) => super::api::revise_agreement(id, version, title, json).await.map(|_| id),
                None => super::api::draft_agreement(case_id, title, json).await,
            }
        }
    });
    let error = Signal::derive(move || local_error.get().or_else(|| save.value().get().and_then(|r| r.err())));
    let title_error = field_error(error, "title");
    let parties_error = field_error(error, "parties");
    let terms_error = field_error(error, "terms");
    let percent_error = problem(error, || "fees[claimant_percent]".into());
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            let navigate = leptos_router::hooks::use_navigate();
            navigate(&sign_path(id), Default::default());
        }
    });
    // Amounts are read here (the same rule as everywhere money is typed); the rest of the
    // agreement's rules are the server's, answered beside each field.
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut bad = FieldErrors::new();
        let mut money = |field: String, raw: &str, optional: bool| -> Option<Fen> {
            if optional && raw.trim().is_empty() {
                return None;
            }
            match Fen::parse_yuan(raw) {
                Ok(f) => Some(f),
                Err(_) => {
                    bad.insert(field, "error_amount".into());
                    None
                }
            }
        };
        let agreement = Agreement {
            parties: parties.get_untracked().iter().map(|p| AgreementParty { side: p.side.get_untracked(), name: p.name.get_untracked() }).collect(),
            terms: terms
                .get_untracked()
                .iter()
                .enumerate()
                .map(|(i, t)| Term { text: t.text.get_untracked(), amount: money(format!("terms[{i}][amount]"), &t.amount.get_untracked(), true) })
                .collect(),
            schedule: schedule
                .get_untracked()
                .iter()
                .enumerate()
                .map(|(i, s)| Instalment {
                    due: s.due.get_untracked(),
                    amount: money(format!("schedule[{i}][amount]"), &s.amount.get_untracked(), false).unwrap_or(Fen(0)),
                    payer: s.payer.get_untracked(),
                    payee: s.payee.get_untracked(),
                })
                .collect(),
            fees: FeeBurden {
                claimant_percent: percent.get_untracked().trim().parse::<u8>().unwrap_or(u8::MAX),
                fee: if fee.get_untracked().trim().is_empty() { Fen(0) } else { money("fees[fee]".into(), &fee.get_untracked(), false).unwrap_or(Fen(0)) },
            },
        };
        if !bad.is_empty() {
            local_error.set(Some(AppError::Invalid(bad)));
            return;
        }
        local_error.set(None);
        match serde_json::to_string(&agreement) {
            Ok(json) => {
                save.dispatch((title_value.get_untracked(), json));
            }
            Err(_) => local_error.set(Some(AppError::Conflict("error_generic".into()))),
        }
    };
    let case_number = start.case_number.clone();
    view! {
        <p class="lead" data-testid="draft-case-number">{move || t_string!(i18n, draft_lead, case_number = case_number.clone()).to_string()}</p>
        {editing.map(|(_, v)| view! { <p class="notice" data-testid="draft-editing">{move || t_string!(i18n, draft_editing, version = v).to_string()}</p> })}
        <form class="stack-form card" on:submit=submit data-testid="draft-form" novalidate>
            <div class="field" class:field-invalid=move || title_error.get().is_some()>
                <label for="draft-title">{move || t_string!(i18n, draft_title_label)}</label>
                <input id="draft-title" type="text" maxlength="100" prop:value=move || title_value.get() on:input=move |ev| title_value.set(event_target_value(&ev)) data-testid="draft-title"/>
                <p class="field-error">{move || title_error.get().map(|k| key_text(i18n, &k))}</p>
            </div>
            <fieldset>
                <legend>{move || t_string!(i18n, sign_parties)}</legend>
                <p class="field-error" role="alert">{move || parties_error.get().map(|k| key_text(i18n, &k))}</p>
                <For each=move || parties.get() key=|p| p.key let:row>
                    <PartyEditor row parties error/>
                </For>
                <button type="button" class="secondary" data-testid="draft-add-party"
                    on:click=move |_| parties.update(|p| p.push(PartyRow { key: key(), side: RwSignal::new(Side::Respondent), name: RwSignal::new(String::new()) }))>
                    {move || t_string!(i18n, draft_add_party)}
                </button>
            </fieldset>
            <fieldset>
                <legend>{move || t_string!(i18n, sign_terms)}</legend>
                <p class="field-error" role="alert">{move || terms_error.get().map(|k| key_text(i18n, &k))}</p>
                <For each=move || terms.get() key=|t| t.key let:row>
                    <TermEditor row terms error/>
                </For>
                <button type="button" class="secondary" data-testid="draft-add-term"
                    on:click=move |_| terms.update(|t| t.push(TermRow { key: key(), text: RwSignal::new(String::new()), amount: RwSignal::new(String::new()) }))>
                    {move || t_string!(i18n, draft_add_term)}
                </button>
            </fieldset>
            <fieldset>
                <legend>{move || t_string!(i18n, sign_schedule)}</legend>
                <For each=move || schedule.get() key=|s| s.key let:row>
                    <PayEditor row schedule error/>
                </For>
                <button type="button" class="secondary" data-testid="draft-add-payment"
                    on:click=move |_| schedule.update(|s| s.push(PayRow { key: key(), due: RwSignal::new(String::new()), amount: RwSignal::new(String::new()), payer: RwSignal::new(String::new()), payee: RwSignal::new(String::new()) }))>
                    {move || t_string!(i18n, draft_add_payment)}
                </button>
            </fieldset>
            <fieldset>
                <legend>{move || t_string!(i18n, sign_fees)}</legend>
                <MoneyInput id="draft-fee".into() label=Signal::derive(move || t_string!(i18n, draft_fee).to_string()) value=fee error=problem(error, || "fees[fee]".into()) testid="draft-fee"/>
                <div class="field">
                    <label for="draft-percent">{move || t_string!(i18n, draft_claimant_percent)}</label>
                    <input id="draft-percent" type="number" min="0" max="100" inputmode="numeric" prop:value=move || percent.get()
                        on:input=move |ev| percent.set(event_target_value(&ev)) data-testid="draft-percent"/>
                    <p class="field-error">{move || percent_error.get().map(|k| key_text(i18n, &k))}</p>
                </div>
            </fieldset>
            <FormError error/>
            <button type="submit" data-testid="draft-save" disabled=move || save.pending().get()>
                {move || if editing.is_some() { t_string!(i18n, draft_save_revision) } else { t_string!(i18n, draft_save) }}
            </button>
        </form>
    }
}

/// The row's place in its list, for the server's field names.
fn place<T: Clone + Send + Sync + 'static>(rows: RwSignal<Vec<T>>, key_of: fn(&T) -> u32, key: u32) -> usize {
    rows.get().iter().position(|r| key_of(r) == key).unwrap_or(0)
}

#[component]
fn PartyEditor(row: PartyRow, parties: RwSignal<Vec<PartyRow>>, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let key = row.key;
    let i = move || place(parties, |p| p.key, key);
    let name_error = problem(error, move || format!("parties[{}][name]", i()));
    let (side_id, name_id) = (format!("party-{key}-side"), format!("party-{key}-name"));
    view! {
        <div class="row-editor" data-testid="draft-party">
            <div class="field">
                <label for=side_id.clone()>{move || t_string!(i18n, draft_side)}</label>
                <select id=side_id on:change=move |ev| if let Some(s) = Side::parse(&event_target_value(&ev)) { row.side.set(s) } data-testid="draft-party-side">
                    {[Side::Claimant, Side::Respondent, Side::ThirdParty].into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || row.side.get() == s>{move || super::pages::side_text(i18n, s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field" class:field-invalid=move || name_error.get().is_some()>
                <label for=name_id.clone()>{move || t_string!(i18n, draft_party_name)}</label>
                <input id=name_id type="text" maxlength="200" prop:value=move || row.name.get() on:input=move |ev| row.name.set(event_target_value(&ev)) data-testid="draft-party-name"/>
                <p class="field-error">{move || name_error.get().map(|k| key_text(i18n, &k))}</p>
            </div>
            <button type="button" class="link" on:click=move |_| parties.update(|p| p.retain(|r| r.key != key))>{move || t_string!(i18n, draft_remove)}</button>
        </div>
    }
}

#[component]
fn TermEditor(row: TermRow, terms: RwSignal<Vec<TermRow>>, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let key = row.key;
    let i = move || place(terms, |t| t.key, key);
    let text_error = problem(error, move || format!("terms[{}][text]", i()));
    let amount_error = problem(error, move || format!("terms[{}][amount]", i()));
    let text_id = format!("term-{key}-text");
    view! {
        <div class="row-editor" data-testid="draft-term">
            <div class="field" class:field-invalid=move || text_error.get().is_some()>
                <label for=text_id.clone()>{move || t_string!(i18n, draft_term, n = i() + 1).to_string()}</label>
                <textarea id=text_id rows="3" maxlength=super::model::MAX_TEXT_CHARS.to_string() prop:value=move || row.text.get()
                    on:input=move |ev| row.text.set(event_target_value(&ev)) data-testid="draft-term-text"></textarea>
                <p class="field-error">{move || text_error.get().map(|k| key_text(i18n, &k))}</p>
            </div>
            <MoneyInput id=format!("term-{key}-amount") label=Signal::derive(move || t_string!(i18n, draft_term_amount).to_string()) value=row.amount error=amount_error testid="draft-term-amount"/>
            <button type="button" class="link" on:click=move |_| terms.update(|t| t.retain(|r| r.key != key))>{move || t_string!(i18n, draft_remove)}</button>
        </div>
    }
}

#[component]
fn PayEditor(row: PayRow, schedule: RwSignal<Vec<PayRow>>, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let key = row.key;
    let i = move || place(schedule, |s| s.key, key);
    let err = move |what: &'static str| problem(error, move || format!("schedule[{}][{what}]", i()));
    let (due_error, amount_error, payer_error, payee_error) = (err("due"), err("amount"), err("payer"), err("payee"));
    let text = move |id: String, label: Signal<String>, value: RwSignal<String>, e: Signal<Option<String>>, kind: &'static str, testid: &'static str| {
        view! {
            <div class="field" class:field-invalid=move || e.get().is_some()>
                <label for=id.clone()>{label}</label>
                <input id=id type=kind prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) data-testid=testid/>
                <p class="field-error">{move || e.get().map(|k| key_text(i18n, &k))}</p>
            </div>
        }
    };
    view! {
        <div class="row-editor" data-testid="draft-payment">
            {text(format!("pay-{key}-due"), Signal::derive(move || t_string!(i18n, sign_due).to_string()), row.due, due_error, "date", "draft-pay-due")}
            <MoneyInput id=format!("pay-{key}-amount") label=Signal::derive(move || t_string!(i18n, sign_amount).to_string()) value=row.amount error=amount_error testid="draft-pay-amount"/>
            {text(format!("pay-{key}-payer"), Signal::derive(move || t_string!(i18n, sign_payer).to_string()), row.payer, payer_error, "text", "draft-pay-payer")}
            {text(format!("pay-{key}-payee"), Signal::derive(move || t_string!(i18n, sign_payee).to_string()), row.payee, payee_error, "text", "draft-pay-payee")}
            <button type="button" class="link" on:click=move |_| schedule.update(|s| s.retain(|r| r.key != key))>{move || t_string!(i18n, draft_remove)}</button>
        </div>
    }
}

/// An amount in yuan, with the capital numerals it will be written in shown as it is typed.
#[component]
fn MoneyInput(id: String, label: Signal<String>, value: RwSignal<String>, error: Signal<Option<String>>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let capital = move || Fen::parse_yuan(&value.get()).ok().map(crate::fees::model::capital_yuan);
    let hint_id = format!("{id}-capital");
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input id=id type="text" inputmode="decimal" aria-describedby=hint_id.clone() prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) data-testid=testid/>
            <p class="field-hint" id=hint_id data-testid=format!("{testid}-capital")>{capital}</p>
            <p class="field-error">{move || error.get().map(|k| key_text(i18n, &k))}</p>
        </div>
    }
}
