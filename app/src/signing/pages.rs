//! Signing's pages for the people who sign, and for anyone checking a sealed document.
//! `/sign`: the documents sent to the person. `/sign/:id`: one document. The signer reads it to
//! the end, compares its fingerprint (worked out again on their own device by the same Rust code
//! as the server's) and signs. They draw their signature with a finger or stylus, or type their
//! name, and bind it with a passkey or, where passkeys are absent (WeChat), an SMS code. Or they
//! decline with a reason. The court's judge or mediator manages the document from the same page.
//! `/sign/verify/:id?c=`: the public check a sealed document's QR code links to.
use super::api::{DeclineSigning, DocumentView, SignerView, Verification, signing_document, signing_list, verify_document};
use super::model::{Content, Document, Method, SignerState, Side, Status};
use crate::error::AppError;
use crate::i18n::*;
use crate::identity::pages::RequireVerified;
use crate::ui::forms::{FormError, Loading, error_view, field_error, key_text, last_error};
use crate::ui::pages::Section;
use crate::ui::title::title;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The path of a document's page.
pub fn sign_path(id: i64) -> String {
    format!("/sign/{id}")
}

pub(crate) fn status_label(i18n: I18nContext<Locale>, status: Status) -> &'static str {
    match status {
        Status::Draft => t_string!(i18n, sign_status_draft),
        Status::Out => t_string!(i18n, sign_status_out),
        Status::AllSigned => t_string!(i18n, sign_status_all_signed),
        Status::Sealed => t_string!(i18n, sign_status_sealed),
        Status::Declined => t_string!(i18n, sign_status_declined),
        Status::Voided => t_string!(i18n, sign_status_voided),
    }
}

pub(crate) fn method_label(i18n: I18nContext<Locale>, method: Method) -> &'static str {
    match method {
        Method::Passkey => t_string!(i18n, sign_method_passkey),
        Method::SmsCode => t_string!(i18n, sign_method_sms),
    }
}

pub(crate) fn signer_state_label(i18n: I18nContext<Locale>, state: &SignerState) -> String {
    match state {
        SignerState::Sent => t_string!(i18n, sign_state_sent).to_string(),
        SignerState::Opened => t_string!(i18n, sign_state_opened).to_string(),
        SignerState::ReadToEnd => t_string!(i18n, sign_state_read).to_string(),
        SignerState::Signed { method } => t_string!(i18n, sign_state_signed, method = method_label(i18n, *method)).to_string(),
        SignerState::Declined { reason } => t_string!(i18n, sign_state_declined, reason = reason.clone()).to_string(),
    }
}

pub(crate) fn side_text(i18n: I18nContext<Locale>, side: Side) -> &'static str {
    match side {
        Side::Claimant => t_string!(i18n, sign_side_claimant),
        Side::Respondent => t_string!(i18n, sign_side_respondent),
        Side::ThirdParty => t_string!(i18n, sign_side_third_party),
    }
}

/// An amount as the agreement writes it: in figures and in capital numerals.
fn amount_text(fen: crate::filing::model::Fen) -> String {
    format!("¥{}（{}）", fen.yuan(), crate::fees::model::capital_yuan(fen))
}

// ---------------------------------------------------------------------------------------------
// The list

/// `/sign`: the documents sent to the person for signature, newest first.
#[component]
pub fn SignListPage() -> impl IntoView {
    let i18n = use_i18n();
    let section = Section::Sign;
    view! {
        <Title text=title(move || section.label(i18n))/>
        <h1>{move || section.label(i18n)}</h1>
        <RequireVerified here=section.href() staff_too=true>
            <SignList/>
        </RequireVerified>
    }
}

#[component]
fn SignList() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| signing_list());
    view! {
        <p class="lead">{move || t_string!(i18n, sign_list_lead)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(docs) if docs.is_empty() => view! { <section class="card"><p data-testid="sign-none">{move || t_string!(i18n, sign_list_none)}</p></section> }.into_any(),
                    Ok(docs) => view! {
                        <ul class="documents" data-testid="sign-list">
                            {docs.into_iter().map(|d| view! { <DocumentItem doc=d/> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

/// One document in a list: its title, case, version, where it stands and the caller's own state.
#[component]
pub(crate) fn DocumentItem(doc: DocumentView) -> impl IntoView {
    let i18n = use_i18n();
    let status = doc.status;
    let mine = doc.mine.clone();
    let waiting = matches!(mine, Some(SignerState::Sent | SignerState::Opened | SignerState::ReadToEnd)) && status == Status::Out;
    let version = doc.document.version;
    view! {
        <li class="card" data-testid="sign-item" data-case=doc.document.case_number.clone() data-status=format!("{status:?}")>
            <h2><a href=sign_path(doc.id)>{doc.document.title.clone()}</a></h2>
            <p class="device-meta">{doc.document.case_number.clone()}" · "{move || t_string!(i18n, sign_version, version = version).to_string()}</p>
            <p>
                <span class="badge" class:ok=status == Status::Sealed class:warn=matches!(status, Status::Declined | Status::Voided) data-testid="sign-item-status">{move || status_label(i18n, status)}</span>
                {waiting.then(|| view! { " "<span class="badge warn" data-testid="sign-item-waiting">{move || t_string!(i18n, sign_waiting_for_you)}</span> })}
            </p>
            <ul class="signers">
                {doc.signers.into_iter().map(|s| view! { <SignerLine signer=s/> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn SignerLine(signer: SignerView) -> impl IntoView {
    let i18n = use_i18n();
    let state = signer.state.clone();
    let kind = match state {
        SignerState::Sent => "sent",
        SignerState::Opened => "opened",
        SignerState::ReadToEnd => "read",
        SignerState::Signed { .. } => "signed",
        SignerState::Declined { .. } => "declined",
    };
    view! {
        <li data-testid="signer" data-state=kind>
            <strong>{signer.name}</strong>" · "<span data-testid="signer-state">{move || signer_state_label(i18n, &state)}</span>
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// One document

/// `/sign/:id`: a document for signature.
#[component]
pub fn SignPage() -> impl IntoView {
    let i18n = use_i18n();
    let section = Section::Sign;
    view! {
        <Title text=title(move || t_string!(i18n, sign_title))/>
        <p class="back-link"><a href=section.href()>{move || section.label(i18n)}</a></p>
        <h1>{move || t_string!(i18n, sign_title)}</h1>
        <RequireVerified here=section.href() staff_too=true>
            <SignDocument/>
        </RequireVerified>
    }
}

#[component]
fn SignDocument() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    // Bumped after each answer: the page then shows the document as it now stands.
    let reload = RwSignal::new(0u32);
    let doc = Resource::new(move || (id(), reload.get()), |(id, _)| signing_document(id));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match doc.await {
                    Ok(d) => view! { <Signable doc=d reload/> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Signable(doc: DocumentView, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let status = doc.status;
    let version = doc.document.version;
    let (id, fingerprint) = (doc.id, doc.fingerprint.clone());
    let may_sign = status == Status::Out && matches!(doc.mine, Some(SignerState::Sent | SignerState::Opened | SignerState::ReadToEnd));
    let read = RwSignal::new(matches!(doc.mine, Some(SignerState::ReadToEnd)));
    // A lawyer signs in their client's place only under special authority; the page says which.
    let for_client = doc.agency.as_ref().filter(|a| a.may_sign).map(|a| a.client_id);
    let agency = doc.agency.clone().map(|a| {
        let client = a.client_name.clone();
        if a.may_sign {
            view! { <p class="notice" data-testid="sign-agency">{move || t_string!(i18n, sign_for_client, client = client.clone()).to_string()}</p> }.into_any()
        } else {
            view! { <p class="notice warn" data-testid="sign-agency">{move || t_string!(i18n, sign_for_client_general, client = client.clone()).to_string()}</p> }.into_any()
        }
    });
    let mine = doc.mine.clone().map(|state| {
        let line = signer_state_label(i18n, &state);
        view! { <p class="notice" role="status" data-testid="sign-mine">{move || t_string!(i18n, sign_you_are, state = line.clone()).to_string()}</p> }
    });
    let void = doc.void_reason.clone().map(|reason| view! { <p class="notice warn" data-testid="sign-void-reason">{move || t_string!(i18n, sign_voided_because, reason = reason.clone()).to_string()}</p> });
    let pdf = doc.pdf_path.clone();
    let verify = doc.verify_path.clone().map(|path| {
        view! {
            <p class="actions">
                {pdf.map(|pdf| view! { <a class="button" href=pdf rel="external" data-testid="sign-pdf-link">{move || t_string!(i18n, sign_pdf_link)}</a>" " })}
                <a class="button secondary" href=path data-testid="sign-verify-link">{move || t_string!(i18n, sign_verify_link)}</a>
            </p>
        }
    });
    let manage = doc.may_manage.then(|| view! { <super::staff::Manage doc=doc.clone() reload/> });
    view! {
        <section class="card" aria-labelledby="sign-doc-title">
            <h2 id="sign-doc-title" data-testid="sign-doc-title">{doc.document.title.clone()}</h2>
            <p class="device-meta">
                {doc.document.court.clone()}" · "{doc.document.case_number.clone()}" · "
                {move || t_string!(i18n, sign_version, version = version).to_string()}" · "
                <span class="badge" data-testid="sign-status">{move || status_label(i18n, status)}</span>
            </p>
            {void}
            {agency}
            {mine}
            <Reader document=doc.document.clone() id version read tracks=may_sign for_client/>
            <Fingerprint document=doc.document.clone() server=fingerprint.clone()/>
            <h3>{move || t_string!(i18n, sign_signers)}</h3>
            <ul class="signers" data-testid="signers">{doc.signers.into_iter().map(|s| view! { <SignerLine signer=s/> }).collect_view()}</ul>
            {verify}
        </section>
        {may_sign.then(|| view! {
            <Show when=move || read.get() fallback=move || view! { <p class="hint" data-testid="sign-read-first">{move || t_string!(i18n, sign_read_first_hint)}</p> }>
                <SignForm id version fingerprint=fingerprint.clone() reload for_client/>
                <DeclineForm id version reload for_client/>
            </Show>
        })}
        {manage}
    }
}

/// The document in a region of its own that the signer scrolls (or pages with the keyboard) to
/// its end; reaching the end is recorded once, and only then is signing offered. Opening is
/// recorded when the page has hydrated.
#[component]
fn Reader(document: Document, id: i64, version: u32, read: RwSignal<bool>, tracks: bool, for_client: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let region = NodeRef::<leptos::html::Div>::new();
    let progress = Action::new(move |step: &&'static str| super::api::signing_progress(id, version, step.to_string(), for_client));
    let error = last_error(progress.value());
    let at_end = move || {
        region.get_untracked().is_some_and(|el| {
            let el: &leptos::web_sys::Element = &el;
            el.scroll_top() + el.client_height() + 8 >= el.scroll_height()
        })
    };
    let check = move || {
        if tracks && !read.get_untracked() && at_end() {
            read.set(true);
            progress.dispatch("read_to_end");
        }
    };
    Effect::new(move |done: Option<()>| {
        if tracks && done.is_none() {
            progress.dispatch("opened");
            // A document short enough to show whole has been seen to its end already.
            check();
        }
    });
    view! {
        <div class="sign-document" node_ref=region tabindex="0" role="region" aria-label=move || t_string!(i18n, sign_document_region)
            data-testid="sign-document" on:scroll=move |_| check()>
            <DocumentBody document/>
            <p class="sign-end" data-testid="sign-end">{move || t_string!(i18n, sign_end_of_document)}</p>
        </div>
        <FormError error/>
    }
}

/// What a document says, as its signers read it.
#[component]
pub(crate) fn DocumentBody(document: Document) -> impl IntoView {
    let i18n = use_i18n();
    match document.content {
        Content::Text { body } => view! { <div class="record-text" data-testid="sign-body">{body}</div> }.into_any(),
        Content::Agreement(a) => {
            let (claimant_fee, fee) = (a.claimant_fee(), a.fees.fee);
            let respondent_fee = crate::filing::model::Fen(fee.0 - claimant_fee.0);
            let percent = a.fees.claimant_percent;
            view! {
                <div data-testid="sign-body">
                    <h3>{move || t_string!(i18n, sign_parties)}</h3>
                    <ul>{a.parties.into_iter().map(|p| view! { <li>{move || side_text(i18n, p.side)}"："{p.name.clone()}</li> }).collect_view()}</ul>
                    <h3>{move || t_string!(i18n, sign_terms)}</h3>
                    <ol class="terms" data-testid="sign-terms">
                        {a.terms.into_iter().map(|t| view! {
                            <li><p class="message-body">{t.text}</p>{t.amount.map(|fen| view! { <p class="amount" data-testid="term-amount">{amount_text(fen)}</p> })}</li>
                        }).collect_view()}
                    </ol>
                    {(!a.schedule.is_empty()).then(|| view! {
                        <h3>{move || t_string!(i18n, sign_schedule)}</h3>
                        <table class="schedule">
                            <thead><tr>
                                <th scope="col">{move || t_string!(i18n, sign_due)}</th>
                                <th scope="col">{move || t_string!(i18n, sign_amount)}</th>
                                <th scope="col">{move || t_string!(i18n, sign_payer)}</th>
                                <th scope="col">{move || t_string!(i18n, sign_payee)}</th>
                            </tr></thead>
                            <tbody>{a.schedule.into_iter().map(|s| view! {
                                <tr><td>{s.due}</td><td>{amount_text(s.amount)}</td><td>{s.payer}</td><td>{s.payee}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    })}
                    <h3>{move || t_string!(i18n, sign_fees)}</h3>
                    <p data-testid="sign-fee-burden">{move || t_string!(i18n, sign_fee_burden,
                        fee = amount_text(fee), percent = percent, claimant = amount_text(claimant_fee), respondent = amount_text(respondent_fee)).to_string()}</p>
                </div>
            }
            .into_any()
        }
    }
}

/// The fingerprint the server has for this version, and the one this device works out from the
/// text shown (in the browser, by the same Rust code compiled to WebAssembly), side by side.
#[component]
fn Fingerprint(document: Document, server: String) -> impl IntoView {
    let i18n = use_i18n();
    let here = RwSignal::new(None::<String>);
    Effect::new(move |_| here.set(Some(document.fingerprint())));
    let server_shown = server.clone();
    let matches = Signal::derive(move || here.get().map(|h| h == server));
    view! {
        <div class="fingerprint" data-testid="fingerprint">
            <p>{move || t_string!(i18n, sign_fingerprint_explained)}</p>
            <p><span>{move || t_string!(i18n, sign_fingerprint_court)}</span>" "<code class="hash" data-testid="fingerprint-server">{server_shown}</code></p>
            <p><span>{move || t_string!(i18n, sign_fingerprint_here)}</span>" "
                <code class="hash" data-testid="fingerprint-here">{move || here.get().unwrap_or_else(|| "…".into())}</code></p>
            <p role="status" data-testid="fingerprint-match" data-match=move || matches.get().map(|m| m.to_string())>
                {move || match matches.get() {
                    Some(true) => view! { <span class="badge ok">{move || t_string!(i18n, sign_fingerprint_same)}</span> }.into_any(),
                    Some(false) => view! { <span class="badge warn">{move || t_string!(i18n, sign_fingerprint_differs)}</span> }.into_any(),
                    None => ().into_any(),
                }}
            </p>
        </div>
    }
}

/// The strokes of a drawn signature as kept: SVG path data, one `M` and its `L`s per stroke, in
/// the pad's own 600 × 200 units (a single touch is a dot: a line to itself).
pub fn strokes_path(strokes: &[Vec<(i32, i32)>]) -> String {
    let mut out = String::new();
    for stroke in strokes {
        let Some((first, rest)) = stroke.split_first() else { continue };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("M{} {}", first.0, first.1));
        if rest.is_empty() {
            out.push_str(&format!(" L{} {}", first.0, first.1));
        }
        for (x, y) in rest {
            out.push_str(&format!(" L{x} {y}"));
        }
    }
    out
}

/// What signing sends, gathered when the signer presses sign.
#[derive(Clone)]
struct Signing {
    drawing: String,
    typed_name: String,
    code: String,
}

/// The signature: drawn (or typed), agreed to, and bound by a passkey or an SMS code.
#[component]
fn SignForm(id: i64, version: u32, fingerprint: String, reload: RwSignal<u32>, for_client: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let strokes = RwSignal::new(Vec::<Vec<(i32, i32)>>::new());
    let typed = RwSignal::new(false);
    let typed_name = RwSignal::new(String::new());
    let agreed = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    // Passkeys where this browser has them and the person has one; the SMS code otherwise, or
    // when they choose it.
    let passkeys_here = RwSignal::new(false);
    let use_sms = RwSignal::new(false);
    // Asked by the browser only: the server's render and hydration both start without it.
    let has_passkey = LocalResource::new(crate::identity::passkeys::my_passkeys);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        passkeys_here.set(crate::identity::browser::passkeys_supported());
    });
    let passkey_way = move || passkeys_here.get() && !use_sms.get() && has_passkey.get().and_then(|r| r.ok()).is_some_and(|l| !l.is_empty());
    let gather = move || Signing {
        drawing: if typed.get_untracked() { String::new() } else { strokes_path(&strokes.get_untracked()) },
        typed_name: if typed.get_untracked() { typed_name.get_untracked() } else { String::new() },
        code: code.get_untracked(),
    };
    let fp = fingerprint.clone();
    let send_code = Action::new(move |_: &()| super::api::signing_sms_code(id, version, for_client));
    let sign_sms = Action::new(move |s: &Signing| {
        let (s, fp) = (s.clone(), fp.clone());
        async move { super::api::sign_document(id, version, fp, s.drawing, s.typed_name, s.code, String::new(), String::new(), for_client).await }
    });
    let fp = fingerprint;
    let sign_passkey = Action::new_local(move |s: &Signing| {
        let (s, fp) = (s.clone(), fp.clone());
        async move { sign_with_passkey(id, version, fp, s, for_client).await }
    });
    let error = Signal::derive(move || {
        [sign_passkey.value().get(), sign_sms.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
            .or_else(|| send_code.value().get().and_then(|r| r.err()))
    });
    let (drawing_error, typed_error, code_error) = (field_error(error, "drawing"), field_error(error, "typed_name"), field_error(error, "code"));
    Effect::new(move |_| {
        if matches!(sign_sms.value().get(), Some(Ok(_))) || matches!(sign_passkey.value().get(), Some(Ok(_))) {
            reload.update(|n| *n += 1);
        }
    });
    let pending = move || sign_sms.pending().get() || sign_passkey.pending().get();
    let sent = move || send_code.value().get().and_then(|r| r.ok());
    let ready = move || agreed.get() && (if typed.get() { !typed_name.get().trim().is_empty() } else { !strokes.get().is_empty() });
    view! {
        <section class="card" aria-labelledby="sign-form-title" data-testid="sign-form">
            <h2 id="sign-form-title">{move || t_string!(i18n, sign_form_title)}</h2>
            <fieldset class="choice">
                <legend>{move || t_string!(i18n, sign_mark_legend)}</legend>
                <label><input type="radio" name="mark" checked=move || !typed.get() on:change=move |_| typed.set(false) data-testid="mark-draw"/>{move || t_string!(i18n, sign_mark_draw)}</label>
                <label><input type="radio" name="mark" checked=move || typed.get() on:change=move |_| typed.set(true) data-testid="mark-type"/>{move || t_string!(i18n, sign_mark_type)}</label>
            </fieldset>
            <Show when=move || !typed.get() fallback=move || view! {
                <div class="field" class:field-invalid=move || typed_error.get().is_some()>
                    <label for="sign-typed-name">{move || t_string!(i18n, sign_typed_label)}</label>
                    <p class="field-hint" id="sign-typed-hint">{move || t_string!(i18n, sign_typed_hint)}</p>
                    <input id="sign-typed-name" type="text" autocomplete="name" aria-describedby="sign-typed-hint sign-typed-error"
                        prop:value=move || typed_name.get() on:input=move |ev| typed_name.set(event_target_value(&ev)) data-testid="sign-typed-name"/>
                    <p class="field-error" id="sign-typed-error">{move || typed_error.get().map(|k| key_text(i18n, &k))}</p>
                </div>
            }>
                <SignaturePad strokes error=drawing_error/>
            </Show>
            <label class="check">
                <input type="checkbox" prop:checked=move || agreed.get() on:change=move |ev| agreed.set(event_target_checked(&ev)) data-testid="sign-agree"/>
                {move || t_string!(i18n, sign_agree)}
            </label>
            <Show when=passkey_way fallback=move || view! {
                <div class="sms-binding" data-testid="sign-sms">
                    <p class="hint">{move || t_string!(i18n, sign_sms_explained)}</p>
                    <button type="button" class="secondary" data-testid="sign-send-code" disabled=move || send_code.pending().get() || !ready()
                        on:click=move |_| { send_code.dispatch(()); }>{move || t_string!(i18n, sign_send_code)}</button>
                    {move || sent().map(|s| view! { <p role="status" data-testid="sign-code-sent">{move || t_string!(i18n, sign_code_sent, mobile = s.masked_mobile.clone()).to_string()}</p> })}
                    <div class="field" class:field-invalid=move || code_error.get().is_some()>
                        <label for="sign-code">{move || t_string!(i18n, sign_code_label)}</label>
                        <input id="sign-code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" aria-describedby="sign-code-error"
                            prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) data-testid="sign-code"/>
                        <p class="field-error" id="sign-code-error">{move || code_error.get().map(|k| key_text(i18n, &k))}</p>
                    </div>
                    <button type="button" data-testid="sign-submit-sms" disabled=move || pending() || !ready() || code.get().trim().len() != 6
                        on:click=move |_| { sign_sms.dispatch(gather()); }>{move || t_string!(i18n, sign_submit)}</button>
                </div>
            }>
                <div class="passkey-binding">
                    <p class="hint">{move || t_string!(i18n, sign_passkey_explained)}</p>
                    <button type="button" data-testid="sign-submit-passkey" disabled=move || pending() || !ready()
                        on:click=move |_| { sign_passkey.dispatch(gather()); }>{move || t_string!(i18n, sign_with_passkey)}</button>
                    " "
                    <button type="button" class="link" data-testid="sign-use-sms" on:click=move |_| use_sms.set(true)>{move || t_string!(i18n, sign_use_sms)}</button>
                </div>
            </Show>
            <FormError error/>
        </section>
    }
}

/// Binds the signature with a passkey: an assertion over the challenge the server derives from
/// this version's fingerprint and the signer.
async fn sign_with_passkey(id: i64, version: u32, fingerprint: String, s: Signing, for_client: Option<i64>) -> Result<Status, AppError> {
    #[cfg(feature = "hydrate")]
    {
        let challenge = super::api::signing_passkey_start(id, version, for_client).await?;
        let credential = crate::identity::browser::get_passkey(&challenge.options).await.map_err(crate::identity::pages::failure)?;
        super::api::sign_document(id, version, fingerprint, s.drawing, s.typed_name, String::new(), challenge.id, credential, for_client).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, version, fingerprint, s, for_client);
        Err(AppError::Conflict("error_passkeys_unavailable".into()))
    }
}

/// The drawing pad: pointer events, so a finger, a stylus or a mouse all draw; each stroke is
/// kept as points in the pad's own units, so the drawing is the same on any screen size.
#[component]
fn SignaturePad(strokes: RwSignal<Vec<Vec<(i32, i32)>>>, error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let drawing = RwSignal::new(false);
    Effect::new(move |_| {
        let all = strokes.get();
        #[cfg(feature = "hydrate")]
        if let Some(c) = canvas.get() {
            super::pad::redraw(&c, &all);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (all, canvas);
    });
    let down = move |ev: leptos::ev::PointerEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(c) = canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
            let p = super::pad::point(&ev, &c);
            drawing.set(true);
            strokes.update(|s| s.push(vec![p]));
        }
    };
    let moved = move |ev: leptos::ev::PointerEvent| {
        if !drawing.get_untracked() {
            return;
        }
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(c) = canvas.get_untracked() {
            let p = super::pad::point(&ev, &c);
            strokes.update(|s| {
                if let Some(last) = s.last_mut()
                    && last.last() != Some(&p)
                {
                    last.push(p);
                }
            });
        }
    };
    let up = move |_: leptos::ev::PointerEvent| drawing.set(false);
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <p class="field-hint" id="sign-pad-hint">{move || t_string!(i18n, sign_pad_hint)}</p>
            <canvas class="signature-pad" node_ref=canvas width="600" height="200" role="img"
                aria-label=move || t_string!(i18n, sign_pad_label) aria-describedby="sign-pad-hint"
                data-testid="signature-pad" data-strokes=move || strokes.get().len().to_string()
                on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointercancel=up></canvas>
            <p class="actions">
                <button type="button" class="secondary" data-testid="pad-undo" disabled=move || strokes.get().is_empty()
                    on:click=move |_| strokes.update(|s| { s.pop(); })>{move || t_string!(i18n, sign_pad_undo)}</button>
                " "
                <button type="button" class="secondary" data-testid="pad-clear" disabled=move || strokes.get().is_empty()
                    on:click=move |_| strokes.set(Vec::new())>{move || t_string!(i18n, sign_pad_clear)}</button>
            </p>
            <p class="field-error">{move || error.get().map(|k| key_text(i18n, &k))}</p>
        </div>
    }
}

/// Declining, with the reason the court is told.
#[component]
fn DeclineForm(id: i64, version: u32, reload: RwSignal<u32>, for_client: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let decline = ServerAction::<DeclineSigning>::new();
    let error = last_error(decline.value());
    let reason_error = field_error(error, "reason");
    Effect::new(move |_| {
        if matches!(decline.value().get(), Some(Ok(()))) {
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <details class="decision card">
            <summary data-testid="sign-decline">{move || t_string!(i18n, sign_decline)}</summary>
            <ActionForm action=decline attr:class="stack-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="version" value=version.to_string()/>
                {for_client.map(|c| view! { <input type="hidden" name="for_client" value=c.to_string()/> })}
                <div class="field" class:field-invalid=move || reason_error.get().is_some()>
                    <label for="sign-decline-reason">{move || t_string!(i18n, sign_decline_reason)}</label>
                    <textarea id="sign-decline-reason" name="reason" rows="4" maxlength=super::model::MAX_REASON_CHARS.to_string() required
                        aria-describedby="sign-decline-error" data-testid="sign-decline-reason"></textarea>
                    <p class="field-error" id="sign-decline-error">{move || reason_error.get().map(|k| key_text(i18n, &k))}</p>
                </div>
                <button type="submit" class="secondary" data-testid="sign-decline-confirm" disabled=move || decline.pending().get()>{move || t_string!(i18n, sign_decline_confirm)}</button>
            </ActionForm>
        </details>
    }
}

// ---------------------------------------------------------------------------------------------
// The public check

/// `/sign/verify/:id?c=`: whether a sealed document is genuine and unchanged, who signed it when
/// and how, and its evidence log. No sign-in.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let found = Resource::new(
        move || (params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0), query.read().get("c").unwrap_or_default()),
        |(id, c)| verify_document(id, c),
    );
    let file = move || query.read().get("file");
    // Where the upload form's answer comes back to: this page without its last answer.
    let back = move || {
        let id = params.read().get("id").unwrap_or_default();
        let c = query.read().get("c").unwrap_or_default();
        format!("/sign/verify/{id}?c={c}")
    };
    view! {
        <Title text=title(move || t_string!(i18n, sealcheck_title))/>
        <h1>{move || t_string!(i18n, sealcheck_title)}</h1>
        {move || file().map(|f| view! { <FileAnswer answer=f/> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match found.await {
                    Ok(v) => view! { <Verified v/> }.into_any(),
                    Err(AppError::NotFound) => view! { <section class="card"><p class="form-error" data-testid="verify-unknown">{move || t_string!(i18n, sealcheck_unknown)}</p></section> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
        <PdfCheckForm back=Signal::derive(back)/>
    }
}

/// What the uploaded PDF turned out to be.
#[component]
fn FileAnswer(answer: String) -> impl IntoView {
    let i18n = use_i18n();
    let (ok, text) = match answer.as_str() {
        "original" => (true, t_string!(i18n, sealcheck_file_original)),
        "changed" => (false, t_string!(i18n, sealcheck_file_changed)),
        _ => (false, t_string!(i18n, sealcheck_file_none)),
    };
    view! {
        <p class="notice" class:warn=!ok role="status" data-testid="pdf-check-answer" data-answer=answer>{text}</p>
    }
}

/// Upload a PDF to check it is exactly the court's sealed file. A plain form: it works before
/// the page hydrates.
#[component]
fn PdfCheckForm(back: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="pdf-check-title">
            <h2 id="pdf-check-title">{move || t_string!(i18n, sealcheck_upload_title)}</h2>
            <p id="pdf-check-hint">{move || t_string!(i18n, sealcheck_upload_hint)}</p>
            <form method="post" action="/sign/check" enctype="multipart/form-data" class="stack-form" data-testid="pdf-check-form">
                <input type="hidden" name="back" prop:value=back/>
                <div class="field">
                    <label for="pdf-check-file">{move || t_string!(i18n, sealcheck_upload_label)}</label>
                    <input id="pdf-check-file" type="file" name="pdf" accept="application/pdf,.pdf" required aria-describedby="pdf-check-hint" data-testid="pdf-check-file"/>
                </div>
                <button type="submit" data-testid="pdf-check-submit">{move || t_string!(i18n, sealcheck_upload_submit)}</button>
            </form>
        </section>
    }
}

/// `/sign/check`: the upload on its own, for a PDF in hand without its link.
#[component]
pub fn CheckPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    view! {
        <Title text=title(move || t_string!(i18n, sealcheck_title))/>
        <h1>{move || t_string!(i18n, sealcheck_title)}</h1>
        {move || query.read().get("file").map(|f| view! { <FileAnswer answer=f/> })}
        <PdfCheckForm back=Signal::derive(|| "/sign/check".to_string())/>
    }
}

#[component]
fn Verified(v: Verification) -> impl IntoView {
    let i18n = use_i18n();
    let genuine = v.genuine;
    let version = v.version;
    view! {
        <section class="card" aria-labelledby="verify-result" data-testid="verify-result" data-genuine=genuine.to_string()>
            <h2 id="verify-result">
                {move || if genuine {
                    view! { <span class="badge ok">{move || t_string!(i18n, sealcheck_genuine)}</span> }.into_any()
                } else {
                    view! { <span class="badge warn">{move || t_string!(i18n, sealcheck_not_genuine)}</span> }.into_any()
                }}
            </h2>
            <dl class="facts">
                <dt>{move || t_string!(i18n, sealcheck_document)}</dt><dd data-testid="verify-title">{v.title.clone()}</dd>
                <dt>{move || t_string!(i18n, sealcheck_court_case)}</dt><dd>{v.court.clone()}" · "{v.case_number.clone()}" · "{move || t_string!(i18n, sign_version, version = version).to_string()}</dd>
                <dt>{move || t_string!(i18n, sealcheck_fingerprint)}</dt><dd><code class="hash" data-testid="verify-fingerprint">{v.fingerprint.clone()}</code></dd>
                <dt>{move || t_string!(i18n, sealcheck_sealed_at)}</dt><dd>{v.sealed_at.shanghai()}</dd>
                <dt>{move || t_string!(i18n, sealcheck_seal_key)}</dt><dd><code class="hash">{v.seal_public_key.clone()}</code></dd>
            </dl>
            <h3>{move || t_string!(i18n, sealcheck_signatures)}</h3>
            <table class="schedule" data-testid="verify-signatures">
                <thead><tr>
                    <th scope="col">{move || t_string!(i18n, sealcheck_signer)}</th>
                    <th scope="col">{move || t_string!(i18n, sealcheck_signed_at)}</th>
                    <th scope="col">{move || t_string!(i18n, sealcheck_method)}</th>
                    <th scope="col">{move || t_string!(i18n, sealcheck_credential)}</th>
                </tr></thead>
                <tbody>{v.signatures.into_iter().map(|s| {
                    let method = s.method;
                    let agent = s.agent.map(|agent| view! { <br/><small data-testid="verify-agent">{move || t_string!(i18n, sealcheck_by_agent, agent = agent.clone()).to_string()}</small> });
                    view! {
                        <tr data-testid="verify-signature"><td>{s.signer}{agent}</td><td>{s.signed_at.shanghai()}</td>
                        <td>{move || method_label(i18n, method)}</td><td><code class="hash">{s.credential_id.unwrap_or_else(|| "—".into())}</code></td></tr>
                    }
                }).collect_view()}</tbody>
            </table>
            <h3>{move || t_string!(i18n, sealcheck_log)}</h3>
            <p class="hint">{move || t_string!(i18n, sealcheck_log_explained)}</p>
            <ol class="evidence-log" data-testid="verify-log">
                {v.log.into_iter().map(|e| {
                    let action = e.action.clone();
                    view! {
                    <li data-testid="verify-log-entry" data-action=action>
                        <span class="device-meta">{format!("#{} · {}", e.seq, e.at.shanghai())}</span>" "<strong>{e.action}</strong>" "<code class="hash">{e.hash}</code>
                    </li>
                }}).collect_view()}
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strokes_are_kept_as_path_data_the_signature_rule_accepts() {
        let path = strokes_path(&[vec![(10, 20), (30, 40), (50, 45)], vec![(100, 100)]]);
        assert_eq!(path, "M10 20 L30 40 L50 45 M100 100 L100 100");
        assert!(matches!(crate::signing::model::Mark::parse(&path, "", "张三"), Ok(crate::signing::model::Mark::Drawn(_))));
        assert_eq!(strokes_path(&[]), "");
    }
}
