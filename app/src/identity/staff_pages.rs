//! Views for court staff (enrolment by link, the staff page with the lawyer-verification queue)
//! and for lawyers and their clients (the lawyer profile and representation cards on Me).
use crate::ui::title::title;
use crate::error::AppError;
use crate::i18n::*;
use crate::identity::model::{Authority, GrantView, LawyerStatus, LawyerView, Scope, StaffRole, StaffView};
use crate::identity::pages::PasskeySignIn;
use crate::identity::staff::*;
use crate::ui::forms::{Field, FormError, Loading, error_view, last_error};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn role_label(i18n: I18nContext<Locale>, role: StaffRole) -> &'static str {
    match role {
        StaffRole::Clerk => t_string!(i18n, role_clerk),
        StaffRole::Judge => t_string!(i18n, role_judge),
        StaffRole::Mediator => t_string!(i18n, role_mediator),
        StaffRole::Admin => t_string!(i18n, role_admin),
    }
}

async fn enrol(token: String) -> Result<String, AppError> {
    #[cfg(feature = "hydrate")]
    {
        let challenge = enrol_start(token.clone()).await?;
        let credential = crate::identity::browser::create_passkey(&challenge.options).await.map_err(crate::identity::pages::failure)?;
        enrol_finish(token, challenge.id, credential).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = token;
        Err(AppError::Conflict("error_passkeys_unavailable".into()))
    }
}

/// `/staff/enrol?token=…`: the page the printed link opens; makes the staff member's passkey.
#[component]
pub fn StaffEnrolPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = Signal::derive(move || query.with(|q| q.get("token")).unwrap_or_default());
    let who = Resource::new(move || token.get(), enrolment);
    let run = Action::new_local(move |token: &String| enrol(token.clone()));
    let error = last_error(run.value());
    Effect::new(move |_| {
        if let Some(Ok(path)) = run.value().get() {
            #[cfg(feature = "hydrate")]
            crate::identity::browser::load_page(&path);
            #[cfg(not(feature = "hydrate"))]
            let _ = path;
        }
    });
    view! {
        <Title text=title(move || t_string!(i18n, enrol_title))/>
        <h1>{move || t_string!(i18n, enrol_title)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match who.await {
                    Ok(staff) => view! {
                        <section class="card">
                            <dl class="facts">
                                <dt>{move || t_string!(i18n, me_name)}</dt><dd data-testid="enrol-name">{staff.name.clone()}</dd>
                                <dt>{move || t_string!(i18n, staff_court)}</dt><dd data-testid="enrol-court">{staff.court_name.clone()}</dd>
                                <dt>{move || t_string!(i18n, staff_role)}</dt><dd>{role_label(i18n, staff.role)}</dd>
                            </dl>
                            <p>{move || t_string!(i18n, enrol_explained)}</p>
                            <button type="button" data-testid="enrol" disabled=move || run.pending().get()
                                on:click=move |_| { run.dispatch(token.get_untracked()); }>{move || t_string!(i18n, enrol_button)}</button>
                            <FormError error/>
                        </section>
                    }
                    .into_any(),
                    Err(_) => view! { <section class="card" role="alert"><p data-testid="enrol-invalid">{move || t_string!(i18n, enrol_invalid)}</p></section> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/staff`: who the staff member is, and the work their role gives them.
#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| staff_me());
    view! {
        <Title text=title(move || t_string!(i18n, staff_title))/>
        <h1>{move || t_string!(i18n, staff_title)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(staff)) => view! {
                        <StaffSummary staff=staff.clone()/>
                        {staff.role.may_verify_lawyers().then(|| view! {
                            <section class="card"><p class="button-row"><a class="button" href="/staff/filings" data-testid="filing-queue-link">{move || t_string!(i18n, queue_title)}</a>" "
                                <a class="button secondary" href=crate::cases::pages::STAFF_CASES_PATH data-testid="staff-cases-link">{move || t_string!(i18n, staff_cases_title)}</a>" "
                                <a class="button secondary" href=crate::fees::refund_pages::STAFF_REFUNDS_PATH data-testid="staff-refunds-link">{move || t_string!(i18n, staff_refunds_title)}</a>" "
                                <a class="button secondary" href=crate::cases::pages::STAFF_MESSAGES_PATH data-testid="staff-messages-link">{move || t_string!(i18n, unanswered_title)}</a></p></section>
                            <LawyerQueue/>
                        })}
                    }
                    .into_any(),
                    Ok(None) => view! {
                        <section class="card"><p>{move || t_string!(i18n, staff_sign_in_explained)}</p></section>
                        <PasskeySignIn next=Signal::derive(|| "/staff".to_string())/>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffSummary(staff: StaffView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <dl class="facts">
                <dt>{move || t_string!(i18n, me_name)}</dt><dd data-testid="staff-name">{staff.name.clone()}</dd>
                <dt>{move || t_string!(i18n, staff_court)}</dt><dd data-testid="staff-court">{format!("{} ({})", staff.court_name, staff.court_code)}</dd>
                <dt>{move || t_string!(i18n, staff_role)}</dt><dd data-testid="staff-role">{role_label(i18n, staff.role)}</dd>
            </dl>
            <p><a href="/me">{move || t_string!(i18n, staff_account_link)}</a></p>
        </section>
    }
}

#[component]
fn LawyerQueue() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideLawyer>::new();
    let queue = Resource::new(move || decide.version().get(), |_| lawyer_queue());
    let error = last_error(decide.value());
    let row = move |l: LawyerView| {
        view! {
            <li class="card lawyer" data-testid="pending-lawyer">
                <p><strong>{l.name.clone()}</strong>" · "{l.firm.clone()}</p>
                <p class="device-meta">{move || t_string!(i18n, lawyer_licence)}": "{l.licence.clone()}" · "{move || t_string!(i18n, lawyer_region)}": "{l.region.clone()}
                    " · "{move || t_string!(i18n, submitted_on, date = l.submitted_at.shanghai()).to_string()}</p>
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="person_id" value=l.person_id.to_string()/>
                    <input type="hidden" name="verify" value="true"/>
                    <button type="submit">{move || t_string!(i18n, lawyer_approve)}</button>
                </ActionForm>
                <ActionForm action=decide attr:class="inline-form">
                    <input type="hidden" name="person_id" value=l.person_id.to_string()/>
                    <input type="hidden" name="verify" value="false"/>
                    <label>{move || t_string!(i18n, refuse_reason)}" "<input name="reason" maxlength="200"/></label>
                    <button type="submit" class="secondary">{move || t_string!(i18n, lawyer_refuse)}</button>
                </ActionForm>
            </li>
        }
    };
    view! {
        <section aria-labelledby="lawyer-queue">
            <h2 id="lawyer-queue">{move || t_string!(i18n, lawyer_queue_title)}</h2>
            <FormError error/>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(list) if list.is_empty() => view! { <p>{move || t_string!(i18n, lawyer_queue_empty)}</p> }.into_any(),
                        Ok(list) => view! { <ul class="plain-list">{list.into_iter().map(row).collect_view()}</ul> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

/// On Me: the person's lawyer profile, or the form to ask for one.
#[component]
pub fn LawyerCard() -> impl IntoView {
    let i18n = use_i18n();
    let apply = ServerAction::<ApplyAsLawyer>::new();
    let profile = Resource::new(move || apply.version().get(), |_| my_lawyer_profile());
    let clients = Resource::new(|| (), |_| my_clients());
    let error = last_error(apply.value());
    let form = move || {
        view! {
            <ActionForm action=apply attr:class="stack-form" attr:novalidate=true>
                <Field name="licence" label=Signal::derive(move || t_string!(i18n, lawyer_licence).to_string())
                    hint=Signal::derive(move || t_string!(i18n, lawyer_licence_hint).to_string()) inputmode="numeric" maxlength=20 error/>
                <Field name="firm" label=Signal::derive(move || t_string!(i18n, lawyer_firm).to_string()) maxlength=60 error/>
                <div class="field">
                    <label for="field-region">{move || t_string!(i18n, lawyer_region)}</label>
                    <select id="field-region" name="region">
                        {crate::courts::model::PROVINCES.iter().map(|p| view! { <option value=*p>{*p}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" data-testid="apply-lawyer">{move || t_string!(i18n, lawyer_apply)}</button>
                <FormError error/>
            </ActionForm>
        }
    };
    view! {
        <section class="card" aria-labelledby="me-lawyer">
            <h2 id="me-lawyer">{move || t_string!(i18n, lawyer_title)}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(None) => view! { <p>{move || t_string!(i18n, lawyer_explained)}</p>{form()} }.into_any(),
                        Ok(Some(l)) => {
                            let status = match l.status {
                                LawyerStatus::Pending => t_string!(i18n, lawyer_pending),
                                LawyerStatus::Verified => t_string!(i18n, lawyer_verified),
                                LawyerStatus::Rejected => t_string!(i18n, lawyer_rejected),
                            };
                            let rejected = l.status == LawyerStatus::Rejected;
                            view! {
                                <p data-testid="lawyer-status">{status}</p>
                                <p class="device-meta">{l.firm.clone()}" · "{l.licence.clone()}</p>
                                {l.reason.clone().map(|r| view! { <p>{move || t_string!(i18n, refuse_reason)}": "{r}</p> })}
                                {rejected.then(form)}
                            }
                            .into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = clients.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <h3>{move || t_string!(i18n, my_clients_title)}</h3>
                        <ul class="plain-list">{list.into_iter().map(|g| view! { <li data-testid="client">{g.client_name.clone()}" · "{scope_text(i18n, &g.scope)}" · "{authority_text(i18n, g.authority)}</li> }).collect_view()}</ul>
                    })
                })}
            </Transition>
        </section>
    }
}

fn authority_text(i18n: I18nContext<Locale>, authority: Authority) -> String {
    match authority {
        Authority::General => t_string!(i18n, authority_general).to_string(),
        Authority::Special => t_string!(i18n, authority_special).to_string(),
    }
}

fn scope_text(i18n: I18nContext<Locale>, scope: &Scope) -> String {
    match scope {
        Scope::Filing(n) => t_string!(i18n, scope_filing_n, n = *n).to_string(),
        Scope::Case(number) => t_string!(i18n, scope_case_n, number = number.clone()).to_string(),
    }
}

/// On Me: the lawyers the person has asked to act for them, and a form to add one.
#[component]
pub fn RepresentationCard() -> impl IntoView {
    let i18n = use_i18n();
    let grant = ServerAction::<GrantRepresentation>::new();
    let revoke = ServerAction::<RevokeRepresentation>::new();
    let grants = Resource::new(move || (grant.version().get(), revoke.version().get()), |_| my_grants());
    let error = last_error(grant.value());
    let revoke_error = last_error(revoke.value());
    let row = move |g: GrantView| {
        let who = format!("{} · {}", g.lawyer_name, g.lawyer_firm);
        view! {
            <li data-testid="grant">
                <p><strong>{who.clone()}</strong></p>
                <p class="device-meta">{scope_text(i18n, &g.scope)}" · "{authority_text(i18n, g.authority)}" · "{move || t_string!(i18n, granted_on, date = g.granted_at.shanghai()).to_string()}</p>
                <details>
                    <summary>{move || t_string!(i18n, revoke)}<span class="visually-hidden">" "{who.clone()}</span></summary>
                    <ActionForm action=revoke attr:class="inline-form">
                        <input type="hidden" name="id" value=g.id.to_string()/>
                        <p>{move || t_string!(i18n, revoke_warning)}</p>
                        <button type="submit" class="danger">{move || t_string!(i18n, revoke_confirm)}</button>
                    </ActionForm>
                </details>
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="me-grants">
            <h2 id="me-grants">{move || t_string!(i18n, grants_title)}</h2>
            <p>{move || t_string!(i18n, grants_explained)}</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match grants.await {
                        Ok(list) => view! { <ul class="plain-list">{list.into_iter().map(row).collect_view()}</ul> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <FormError error=revoke_error/>
            <ActionForm action=grant attr:class="stack-form" attr:novalidate=true>
                <Field name="licence" id="grant-licence" label=Signal::derive(move || t_string!(i18n, grant_lawyer_licence).to_string()) inputmode="numeric" maxlength=20 error/>
                <div class="field">
                    <label for="field-scope-kind">{move || t_string!(i18n, grant_scope)}</label>
                    <select id="field-scope-kind" name="scope_kind">
                        <option value="case">{move || t_string!(i18n, scope_case)}</option>
                        <option value="filing">{move || t_string!(i18n, scope_filing)}</option>
                    </select>
                </div>
                <Field name="scope_ref" label=Signal::derive(move || t_string!(i18n, grant_scope_ref).to_string())
                    hint=Signal::derive(move || t_string!(i18n, grant_scope_ref_hint).to_string()) maxlength=40 error/>
                <div class="field checkbox">
                    <input id="field-authority" type="checkbox" name="authority" value="special" aria-describedby="field-authority-hint" data-testid="grant-special"/>
                    <label for="field-authority">{move || t_string!(i18n, grant_special)}</label>
                    <p class="hint" id="field-authority-hint">{move || t_string!(i18n, grant_special_hint)}</p>
                </div>
                <button type="submit" data-testid="grant">{move || t_string!(i18n, grant_button)}</button>
                <FormError error/>
            </ActionForm>
        </section>
    }
}
