//! Case server functions: for staff, the court's cases, recording how one ended and a case's served
//! documents with their receipts; for parties and lawyers, their cases, timelines, deadlines and
//! the documents served on them.
use crate::error::AppError;
use crate::fees::model::CaseEnding;
use crate::filing::model::Fen;
use crate::identity::model::UnixTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A case as the court's staff list it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourtCaseView {
    pub id: i64,
    pub case_number: String,
    pub cause: String,
    pub accepted_at: UnixTime,
    pub stage: super::model::Stage,
    pub ended_as: Option<CaseEnding>,
    pub ended_at: Option<UnixTime>,
    /// The fee notice's amount and whether it is paid.
    pub fee: Option<Fen>,
    pub fee_paid: bool,
}

/// What recording an ending did: the refund it created, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndedView {
    pub case_number: String,
    pub refund: Option<Fen>,
    /// What the unpaid notice asks for now, when the ending changed it.
    pub fee_now: Option<Fen>,
}

/// Who records endings: the court's judges, clerks and administrators.
#[cfg(feature = "ssr")]
pub(crate) async fn require_case_staff(cx: &crate::ssr::cx::Cx) -> Result<(crate::ssr::cx::Caller, String), AppError> {
    use crate::identity::model::StaffRole;
    let (caller, court, role) = cx.require_staff().await?;
    if matches!(role, StaffRole::Judge | StaffRole::Clerk | StaffRole::Admin) { Ok((caller, court.as_str().to_string())) } else { Err(AppError::Forbidden) }
}

/// The caller's court's cases, open ones first.
#[server(prefix = "/api", endpoint = "cases/court")]
pub async fn court_cases() -> Result<Vec<CourtCaseView>, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (_, court) = require_case_staff(&cx).await?;
    let rows = super::store::cases_of_court(cx.db(), &court).await.map_err(|e| internal("case store", e))?;
    rows.into_iter()
        .map(|r| {
            let ended_as = match r.ended_as.as_deref() {
                Some(raw) => Some(CaseEnding::parse(raw).ok_or_else(|| internal("case ending", raw))?),
                None => None,
            };
            Ok(CourtCaseView {
                id: r.id,
                case_number: r.case_number,
                cause: r.cause,
                accepted_at: UnixTime(r.accepted_at),
                stage: super::model::Stage::from_stored(&r.stage).ok_or_else(|| internal("case stage", &r.stage))?,
                ended_as,
                ended_at: r.ended_at.map(UnixTime),
                fee: r.fee_fen.map(Fen),
                fee_paid: r.fee_status.as_deref() == Some("paid"),
            })
        })
        .collect()
}

/// Records how a case of the caller's court ended. Mediation and withdrawal give back half the
/// case fee paid (art. 15), dismissal all of it (art. 8); the refund then waits for approval.
#[server(prefix = "/api", endpoint = "cases/end")]
pub async fn end_case(case_id: i64, ending: String) -> Result<EndedView, AppError> {
    use super::store::Ended;
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (me, court) = require_case_staff(&cx).await?;
    let ending = CaseEnding::parse(&ending).ok_or_else(|| AppError::field("ending", "error_choice"))?;
    let rates = cx.state.site.fee_rates;
    let decide = |working: &str, paid: Option<Fen>| match serde_json::from_str::<crate::fees::model::Working>(working) {
        Ok(issued) => super::store::FeeDecision {
            refund: paid.and_then(|p| crate::fees::model::ending_refund(ending, &issued, p, &rates)),
            owed: crate::fees::model::fee_after_ending(ending, &issued, &rates),
        },
        Err(e) => {
            tracing::error!(case = case_id, error = %e, "a fee notice's working cannot be read: the ending leaves the fee as it is");
            super::store::FeeDecision { refund: None, owed: None }
        }
    };
    match super::store::end_case(cx.db(), &court, case_id, ending, me.person_id, cx.now(), decide).await.map_err(|e| internal("case store", e))? {
        Ended::NotFound => Err(AppError::NotFound),
        Ended::AlreadyEnded => Err(AppError::Conflict("error_case_ended".into())),
        Ended::Now { case_number, refund, fee_now } => Ok(EndedView { case_number, refund: refund.map(|(_, fen)| Fen(fen)), fee_now: fee_now.map(Fen) }),
    }
}

// ---------------------------------------------------------------------------------------------
// The litigant's and lawyer's cases

/// A case in the person's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    pub case_number: String,
    pub court_code: String,
    pub court_name: String,
    pub cause: String,
    pub case_type: Option<crate::filing::model::CaseType>,
    pub stage: super::model::Stage,
    pub ended_as: Option<CaseEnding>,
    pub accepted_at: UnixTime,
    /// Whom a lawyer represents in it.
    pub client_name: Option<String>,
}

/// A party as the case's other people see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartyView {
    pub role: crate::filing::model::PartyRole,
    pub organisation: bool,
    pub name: String,
}

/// One case with what its people may see of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub parties: Vec<PartyView>,
    /// The clerk who accepted it; the judge once one is assigned.
    pub clerk_name: Option<String>,
    pub judge_name: Option<String>,
    pub timeline: Vec<super::model::Event>,
    pub deadlines: Vec<super::model::Deadline>,
    /// The documents served on the viewer, newest first.
    pub documents: Vec<DocumentView>,
    /// Every hearing, in time order, and the next one still to come.
    pub hearings: Vec<HearingView>,
    pub next_hearing: Option<HearingView>,
    /// The code printed on the case's papers for the public lookup, as printed.
    pub query_code: Option<String>,
}

/// A document served on the viewer, with their read receipt and the period it started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: i64,
    pub kind: super::service::DocumentKind,
    pub title: String,
    pub sha256: String,
    pub size: i64,
    pub served_at: UnixTime,
    pub read_at: Option<UnixTime>,
    pub period: Option<(super::service::PeriodKind, UnixTime)>,
}

#[cfg(feature = "ssr")]
fn period_of(kind: super::service::DocumentKind, evidence_days: Option<i64>, served_at: UnixTime) -> Option<(super::service::PeriodKind, UnixTime)> {
    let days = evidence_days.and_then(|d| super::service::EvidenceDays::parse(&d.to_string()).ok());
    kind.period(days).map(|(k, n)| (k, super::service::period_ends(served_at, n)))
}

#[cfg(feature = "ssr")]
fn summary(r: super::store::MyCaseRow) -> Result<CaseSummary, AppError> {
    use crate::ssr::cx::internal;
    let ended_as = match r.ended_as.as_deref() {
        Some(raw) => Some(CaseEnding::parse(raw).ok_or_else(|| internal("case ending", raw))?),
        None => None,
    };
    Ok(CaseSummary {
        stage: super::model::Stage::from_stored(&r.stage).ok_or_else(|| internal("case stage", &r.stage))?,
        id: r.id,
        case_number: r.case_number,
        court_code: r.court_code,
        court_name: r.court_name,
        cause: r.cause,
        case_type: crate::filing::model::CaseType::parse(&r.case_type),
        ended_as,
        accepted_at: UnixTime(r.accepted_at),
        client_name: r.client_name,
    })
}

/// The caller's cases (as a party, or as the lawyer who filed them), filtered by stage, court
/// and part of a case number.
#[server(prefix = "/api", endpoint = "cases/mine")]
pub async fn my_cases(#[server(default)] stage: String, #[server(default)] court: String, #[server(default)] number: String) -> Result<Vec<CaseSummary>, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let me = cx.require_verified().await?;
    let filter = super::model::CaseFilter::parse(&stage, &court, &number);
    let rows = super::store::cases_of(cx.db(), me.person_id).await.map_err(|e| internal("case store", e))?;
    let all = rows.into_iter().map(summary).collect::<Result<Vec<_>, _>>()?;
    Ok(all.into_iter().filter(|c| filter.matches(c.stage, &c.court_code, &c.case_number)).collect())
}

/// One of the caller's cases with its timeline and running deadlines; anyone else's is "not
/// found".
#[server(prefix = "/api", endpoint = "cases/detail")]
pub async fn my_case(id: i64) -> Result<CaseDetail, AppError> {
    let cx = crate::ssr::cx::Cx::get()?;
    let me = cx.require_verified().await?;
    case_detail(&cx, me.person_id, id).await
}

/// One case as `person` may see it (their calendar feed reads it too); anyone else's is "not
/// found".
#[cfg(feature = "ssr")]
pub(crate) async fn case_detail(cx: &crate::ssr::cx::Cx, person: i64, id: i64) -> Result<CaseDetail, AppError> {
    use super::model::{Deadline, DeadlineKind, Event, EventKind, timeline};
    use crate::ssr::cx::internal;
    let db = |e| internal("case store", e);
    let row = super::store::case_of(cx.db(), person, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let summary = summary(row)?;
    let parties = super::store::parties(cx.db(), id)
        .await
        .map_err(db)?
        .into_iter()
        .filter_map(|p| Some(PartyView { role: crate::filing::model::PartyRole::parse(&p.role)?, organisation: p.kind == "organisation", name: p.name }))
        .collect();
    let facts = super::store::facts(cx.db(), id).await.map_err(db)?;
    let now = cx.now();
    let mut events = Vec::new();
    let mut deadlines = Vec::new();
    let mut add = |at: Option<i64>, kind: EventKind| {
        if let Some(at) = at {
            events.push(Event { at: UnixTime(at), kind });
        }
    };
    add(facts.filed_at, EventKind::Filed);
    add(Some(summary.accepted_at.0), EventKind::Accepted);
    if let Some((issued_at, deadline, status, amount)) = &facts.notice {
        add(Some(*issued_at), EventKind::FeeNotice);
        if status == "unpaid" && *amount > 0 && summary.stage.is_open() {
            deadlines.push(Deadline::new(DeadlineKind::PayFee, UnixTime(*deadline), now));
        }
    }
    add(facts.paid_at, EventKind::FeePaid);
    for (created, due, refunded) in &facts.refunds {
        add(Some(*created), EventKind::RefundCreated);
        add(*refunded, EventKind::Refunded);
        if refunded.is_none() {
            deadlines.push(Deadline::new(DeadlineKind::RefundDue, UnixTime(*due), now));
        }
    }
    let fee_paid = facts.paid_at.is_some();
    let mut documents = Vec::new();
    for d in super::store::documents_served_on(cx.db(), person, id).await.map_err(db)? {
        let kind = super::service::DocumentKind::parse(&d.kind).ok_or_else(|| internal("document kind", &d.kind))?;
        let served_at = UnixTime(d.served_at);
        let period = period_of(kind, d.evidence_days, served_at);
        add(Some(d.served_at), EventKind::Served(kind));
        if let Some((p, ends)) = period
            && now < ends
            && !(p == super::service::PeriodKind::PayFee && fee_paid)
        {
            deadlines.push(Deadline::new(DeadlineKind::FromService(p), ends, now));
        }
        documents.push(DocumentView { id: d.id, kind, title: d.title, sha256: d.sha256, size: d.size, served_at, read_at: d.read_at.map(UnixTime), period });
    }
    if let Some(how) = summary.ended_as {
        add(facts.ended_at, EventKind::Ended(how));
    }
    let recorded = recorded_events(facts.recorded)?;
    let hearings = hearings_of(&cx, id).await?;
    for h in &hearings {
        add(Some(h.scheduled_at.0), EventKind::HearingScheduled);
    }
    let next_hearing = hearings.iter().find(|h| h.starts_at > now).cloned();
    let query_code = printed_query_code(&cx, id).await?;
    events.extend(recorded);
    deadlines.sort_by_key(|d| d.ends_at);
    Ok(CaseDetail { summary, parties, clerk_name: facts.clerk_name, judge_name: facts.judge_name, timeline: timeline(events), deadlines, documents, hearings, next_hearing, query_code })
}

// ---------------------------------------------------------------------------------------------
// Staff: one case, its documents and the proof of their service

/// A delivery of a document, as staff see it: the proof of service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub name: String,
    /// Served as the lawyer acting for a party.
    pub agent: bool,
    pub served_at: UnixTime,
    pub read_at: Option<UnixTime>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServedDocumentView {
    pub id: i64,
    pub kind: super::service::DocumentKind,
    pub title: String,
    pub sha256: String,
    pub size: i64,
    pub served_at: UnixTime,
    pub served_by: Option<String>,
    pub period: Option<(super::service::PeriodKind, UnixTime)>,
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffCaseView {
    pub id: i64,
    pub case_number: String,
    pub cause: String,
    pub stage: super::model::Stage,
    /// Who a document served now reaches: (name, as a lawyer).
    pub recipients: Vec<(String, bool)>,
    pub documents: Vec<ServedDocumentView>,
    pub hearings: Vec<HearingView>,
    pub query_code: Option<String>,
    /// The parties' threads with the court: (party, name).
    pub threads: Vec<(i64, String)>,
    pub accepted_at: UnixTime,
    /// The judge assigned, and the court's judges to choose from: (id, name).
    pub judge: Option<(i64, String)>,
    pub judges: Vec<(i64, String)>,
    /// What staff recorded, in time order.
    pub events: Vec<super::model::Event>,
    /// The key of the forms on this page: a double tap records once.
    pub form_key: String,
    /// The server's time when read (the record form's default date and time).
    pub now: UnixTime,
}

/// One case of the caller's court with every document served in it and who opened it when.
#[server(prefix = "/api", endpoint = "cases/staff_case")]
pub async fn staff_case(id: i64) -> Result<StaffCaseView, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (_, court) = require_case_staff(&cx).await?;
    let db = |e| internal("case store", e);
    let (case_number, cause, stage) = super::store::court_case(cx.db(), &court, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let stage = super::model::Stage::from_stored(&stage).ok_or_else(|| internal("case stage", &stage))?;
    let recipients = super::store::recipients(cx.db(), id).await.map_err(db)?.into_iter().map(|(n, c)| (n.unwrap_or_default(), c == "agent")).collect();
    let deliveries = super::store::deliveries(cx.db(), id).await.map_err(db)?;
    let mut documents = Vec::new();
    for d in super::store::case_documents(cx.db(), id).await.map_err(db)? {
        let kind = super::service::DocumentKind::parse(&d.kind).ok_or_else(|| internal("document kind", &d.kind))?;
        let served_at = UnixTime(d.served_at);
        let deliveries = deliveries
            .iter()
            .filter(|(doc, ..)| *doc == d.id)
            .map(|(_, name, capacity, served, read)| DeliveryView { name: name.clone().unwrap_or_default(), agent: capacity == "agent", served_at: UnixTime(*served), read_at: read.map(UnixTime) })
            .collect();
        documents.push(ServedDocumentView { id: d.id, kind, title: d.title, sha256: d.sha256, size: d.size, served_at, served_by: d.served_by, period: period_of(kind, d.evidence_days, served_at), deliveries });
    }
    let hearings = hearings_of(&cx, id).await?;
    let query_code = printed_query_code(&cx, id).await?;
    let threads = super::store::online_parties(cx.db(), id).await.map_err(db)?.into_iter().map(|(p, n)| (p, n.unwrap_or_default())).collect();
    // Only what staff recorded: the rest of the case's facts are the parties' timeline.
    let recorded = super::store::recorded_events(cx.db(), id).await.map_err(db)?;
    let accepted_at = super::store::court_case_accepted_at(cx.db(), &court, id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let judge = super::store::case_judge(cx.db(), id).await.map_err(db)?.map(|(j, n)| (j, n.unwrap_or_default()));
    let judges = super::store::court_judges(cx.db(), &court).await.map_err(db)?.into_iter().map(|(j, n)| (j, n.unwrap_or_default())).collect();
    let events = recorded_events(recorded)?;
    let form_key = format!("event-{}", crate::ssr::session::new_token().0);
    Ok(StaffCaseView { id, case_number, cause, stage, recipients, documents, hearings, query_code, threads, accepted_at, judge, judges, events, form_key, now: cx.now() })
}

/// The timeline's events from what staff recorded.
#[cfg(feature = "ssr")]
fn recorded_events(rows: Vec<(String, Option<String>, String, i64)>) -> Result<Vec<super::model::Event>, AppError> {
    use super::model::{Event, EventKind, RecordedKind, Stage};
    use crate::ssr::cx::internal;
    rows.into_iter()
        .map(|(kind, stage, note, at)| {
            let kind = match stage.as_deref() {
                Some(s) => EventKind::StageChanged(Stage::from_stored(s).ok_or_else(|| internal("case stage", s))?),
                None => EventKind::Recorded { kind: RecordedKind::parse(&kind).ok_or_else(|| internal("case event", &kind))?, note },
            };
            Ok(Event { at: UnixTime(at), kind })
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn recorded(r: super::store::Recorded) -> Result<(), AppError> {
    use super::store::Recorded;
    match r {
        Recorded::NotFound => Err(AppError::NotFound),
        Recorded::Before | Recorded::Now { .. } => Ok(()),
        Recorded::Refused(why) => Err(AppError::Conflict(why.key().into())),
    }
}

/// Records what happened in an open case of the caller's court (a hearing held, a mediation
/// session, the judgment pronounced), for its parties' timeline.
#[server(prefix = "/api", endpoint = "cases/record_event")]
pub async fn record_case_event(case_id: i64, kind: String, date: String, time: String, #[server(default)] note: String, request_key: String) -> Result<(), AppError> {
    use super::store::{NewCaseEvent, Recording};
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (me, court) = require_case_staff(&cx).await?;
    let accepted_at = super::store::court_case_accepted_at(cx.db(), &court, case_id).await.map_err(|e| internal("case store", e))?.ok_or(AppError::NotFound)?;
    let event = super::model::NewEvent::parse(&kind, &date, &time, &note, accepted_at, cx.now()).map_err(|(field, key)| AppError::field(field, key))?;
    let key = request_key_of(&request_key)?;
    let e = NewCaseEvent { court: &court, case_id, what: Recording::Event(event), staff_id: me.person_id, now: cx.now(), request_key: key };
    recorded(super::store::record_event(cx.db(), e).await.map_err(|e| internal("case store", e))?)
}

/// Moves an open case of the caller's court to another stage, by the stage rules.
#[server(prefix = "/api", endpoint = "cases/change_stage")]
pub async fn change_case_stage(case_id: i64, stage: String, request_key: String) -> Result<(), AppError> {
    use super::store::{NewCaseEvent, Recording};
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (me, court) = require_case_staff(&cx).await?;
    let stage = super::model::Stage::parse(&stage).ok_or_else(|| AppError::field("stage", "error_choice"))?;
    let key = request_key_of(&request_key)?;
    let e = NewCaseEvent { court: &court, case_id, what: Recording::Stage(stage), staff_id: me.person_id, now: cx.now(), request_key: key };
    recorded(super::store::record_event(cx.db(), e).await.map_err(|e| internal("case store", e))?)
}

/// Assigns a case of the caller's court to one of its judges (承办法官), shown to the parties.
#[server(prefix = "/api", endpoint = "cases/assign_judge")]
pub async fn assign_case_judge(case_id: i64, judge: String) -> Result<(), AppError> {
    use super::store::Assigned;
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (me, court) = require_case_staff(&cx).await?;
    let judge = judge.trim().parse::<i64>().map_err(|_| AppError::field("judge", "error_choice"))?;
    match super::store::assign_judge(cx.db(), &court, case_id, judge, me.person_id, cx.now()).await.map_err(|e| internal("case store", e))? {
        Assigned::NotFound => Err(AppError::NotFound),
        Assigned::NotAJudge => Err(AppError::field("judge", "error_choice")),
        Assigned::Now => Ok(()),
    }
}

/// A form's idempotency key as the page gave it: short and printable, or the form is refused.
#[cfg(feature = "ssr")]
fn request_key_of(raw: &str) -> Result<&str, AppError> {
    let key = raw.trim();
    if key.is_empty() || key.len() > 80 || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(AppError::field("request_key", "error_bad_request"));
    }
    Ok(key)
}

// ---------------------------------------------------------------------------------------------
// Hearings and the public lookup

/// A scheduled hearing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HearingView {
    pub id: i64,
    pub starts_at: UnixTime,
    pub minutes: u32,
    pub mode: super::schedule::HearingMode,
    pub courtroom: Option<String>,
    pub public: bool,
    pub scheduled_at: UnixTime,
}

#[cfg(feature = "ssr")]
fn hearing_view(h: super::store::HearingRow) -> Result<HearingView, AppError> {
    let mode = super::schedule::HearingMode::parse(&h.mode).ok_or_else(|| crate::ssr::cx::internal("hearing mode", &h.mode))?;
    Ok(HearingView { id: h.id, starts_at: UnixTime(h.starts_at), minutes: u32::try_from(h.minutes).unwrap_or(0), mode, courtroom: h.courtroom, public: h.public, scheduled_at: UnixTime(h.scheduled_at) })
}

/// A case's query code as printed on its papers.
#[cfg(feature = "ssr")]
async fn printed_query_code(cx: &crate::ssr::cx::Cx, case_id: i64) -> Result<Option<String>, AppError> {
    let stored = super::store::query_code(cx.db(), case_id).await.map_err(|e| crate::ssr::cx::internal("case store", e))?;
    Ok(stored.and_then(|c| super::schedule::QueryCode::parse(&c)).map(|c| c.printed()))
}

#[cfg(feature = "ssr")]
pub(crate) async fn hearings_of(cx: &crate::ssr::cx::Cx, case_id: i64) -> Result<Vec<HearingView>, AppError> {
    super::store::hearings(cx.db(), case_id).await.map_err(|e| crate::ssr::cx::internal("case store", e))?.into_iter().map(hearing_view).collect()
}

/// Schedules a hearing in an open case of the caller's court; its people are told in-app and by
/// SMS. `public` is the form's checkbox (present when ticked).
#[server(prefix = "/api", endpoint = "cases/schedule_hearing")]
pub async fn schedule_hearing(
    case_id: i64,
    date: String,
    time: String,
    minutes: String,
    mode: String,
    #[server(default)] courtroom: String,
    #[server(default)] public: Option<String>,
) -> Result<HearingView, AppError> {
    use super::store::Scheduled;
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (me, court) = require_case_staff(&cx).await?;
    let now = cx.now();
    let new = super::schedule::NewHearing::parse(&date, &time, &minutes, &mode, &courtroom, public.is_some(), now).map_err(|(field, key)| AppError::field(field, key))?;
    match super::store::schedule_hearing(cx.db(), &court, case_id, &new, me.person_id, now).await.map_err(|e| internal("case store", e))? {
        Scheduled::NotFound => Err(AppError::NotFound),
        Scheduled::Closed => Err(AppError::Conflict("error_case_closed".into())),
        Scheduled::Now { hearing_id, case_number, locale, recipients } => {
            let locale = locale.parse::<crate::i18n::Locale>().unwrap_or_default();
            let at = new.starts_at.shanghai();
            let text = crate::i18n::td_string!(locale, sms_hearing_scheduled, case_number = case_number, at = at).to_string();
            super::documents::text_each(&cx, &recipients, &text).await;
            Ok(HearingView { id: hearing_id, starts_at: new.starts_at, minutes: new.minutes, mode: new.mode, courtroom: new.courtroom, public: new.public, scheduled_at: now })
        }
    }
}

/// What anyone with a case number and its query code may see: no person's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicCase {
    pub case_number: String,
    pub court_name: String,
    pub case_type: Option<crate::filing::model::CaseType>,
    pub stage: super::model::Stage,
    pub ended_as: Option<CaseEnding>,
    pub next_hearing: Option<PublicHearing>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicHearing {
    pub starts_at: UnixTime,
    pub mode: super::schedule::HearingMode,
    pub courtroom: Option<String>,
}

/// The public lookup (公开查询): a wrong code and an unknown number get the same "not found",
/// and each address may ask a limited number of times an hour.
#[server(prefix = "/api", endpoint = "cases/lookup")]
pub async fn lookup_case(number: String, code: String) -> Result<PublicCase, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    cx.limit_ip("case_lookup").await?;
    let number = number.split_whitespace().collect::<String>().replace('（', "(").replace('）', ")");
    let code = super::schedule::QueryCode::parse(&code).ok_or_else(|| AppError::field("code", "error_query_code"))?;
    if number.is_empty() || number.chars().count() > 64 {
        return Err(AppError::field("number", "error_required"));
    }
    let db = |e| internal("case store", e);
    let row = super::store::public_case(cx.db(), &number).await.map_err(db)?;
    let Some(row) = row.filter(|r| r.query_code.as_deref().is_some_and(|c| code.matches(c))) else {
        tracing::info!("a case lookup matched nothing");
        return Err(AppError::NotFound);
    };
    let next = super::store::next_public_hearing(cx.db(), row.id, cx.now()).await.map_err(db)?;
    let next_hearing = match next {
        Some(h) => {
            let v = hearing_view(h)?;
            Some(PublicHearing { starts_at: v.starts_at, mode: v.mode, courtroom: v.courtroom })
        }
        None => None,
    };
    Ok(PublicCase {
        case_number: row.case_number,
        court_name: row.court_name,
        case_type: crate::filing::model::CaseType::parse(&row.case_type),
        stage: super::model::Stage::from_stored(&row.stage).ok_or_else(|| internal("case stage", &row.stage))?,
        ended_as: row.ended_as.as_deref().and_then(CaseEnding::parse),
        next_hearing,
    })
}

// ---------------------------------------------------------------------------------------------
// Contacting the judge

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub from_court: bool,
    pub author_name: String,
    pub body: String,
    pub sent_at: UnixTime,
    /// When the other side first read it.
    pub read_at: Option<UnixTime>,
    /// For a party's message: when the court answered it.
    pub answered_at: Option<UnixTime>,
    pub attachments: Vec<AttachmentView>,
}

/// A thread between one party (with their lawyer) and the court.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadView {
    pub case_id: i64,
    pub case_number: String,
    pub party_id: i64,
    pub party_name: String,
    pub messages: Vec<MessageView>,
    /// The key the next message's form sends, fresh each time the thread is read, so a double
    /// tap or a resend is one message while two people writing are two.
    pub form_key: String,
}

/// A thread with the court: the caller's own (as a party or the lawyer acting for one), or, for
/// the court's judges and clerks, the thread of `party`. Opening it reads the other side's
/// messages.
#[server(prefix = "/api", endpoint = "cases/thread")]
pub async fn case_thread(case_id: i64, #[server(default)] party: Option<i64>) -> Result<ThreadView, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let db = |e| internal("case messages", e);
    let me = cx.require_person().await?;
    let (case_number, court) = super::store::case_court(cx.db(), case_id).await.map_err(db)?.ok_or(AppError::NotFound)?;
    let (party, staff) = if me.staff.is_some() {
        let (_, my_court) = require_case_staff(&cx).await?;
        let party = party.ok_or(AppError::NotFound)?;
        if my_court != court || !super::store::is_online_party(cx.db(), party, case_id).await.map_err(db)? {
            return Err(AppError::NotFound);
        }
        (party, true)
    } else {
        let me = cx.require_verified().await?;
        (super::store::thread_party(cx.db(), me.person_id, case_id).await.map_err(db)?.ok_or(AppError::NotFound)?, false)
    };
    // The staff reading it read the party's messages, and the other way round.
    super::store::mark_thread_read(cx.db(), case_id, party, !staff, cx.now()).await.map_err(db)?;
    let rows = super::store::thread(cx.db(), case_id, party).await.map_err(db)?;
    let files = super::store::thread_attachments(cx.db(), case_id, party).await.map_err(db)?;
    let sent: Vec<super::messages::Sent> = rows.iter().map(|r| super::messages::Sent { from_court: r.from_court, at: UnixTime(r.sent_at) }).collect();
    let answered = super::messages::answered_at(&sent);
    let party_name = super::store::online_parties(cx.db(), case_id).await.map_err(db)?.into_iter().find(|(id, _)| *id == party).and_then(|(_, n)| n).unwrap_or_default();
    let messages = rows
        .into_iter()
        .zip(answered)
        .map(|(r, answered_at)| MessageView {
            attachments: files.iter().filter(|f| f.0 == r.id).map(|f| AttachmentView { id: f.1, name: f.2.clone(), size: f.3, sha256: f.4.clone() }).collect(),
            id: r.id,
            from_court: r.from_court,
            author_name: r.author_name.unwrap_or_default(),
            body: r.body,
            sent_at: UnixTime(r.sent_at),
            read_at: r.read_at.map(UnixTime),
            answered_at,
        })
        .collect();
    let form_key = format!("msg-{}", crate::ssr::session::new_token().0);
    Ok(ThreadView { case_id, case_number, party_id: party, party_name, messages, form_key })
}

/// A thread waiting for the court.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitingThread {
    pub case_id: i64,
    pub case_number: String,
    pub party_id: i64,
    pub party_name: String,
    /// The oldest unanswered message, how many wait, and for how many hours.
    pub since: UnixTime,
    pub count: usize,
    pub hours: i64,
}

/// The court's threads with unanswered messages, the longest waiting first.
#[server(prefix = "/api", endpoint = "cases/unanswered")]
pub async fn unanswered_messages() -> Result<Vec<WaitingThread>, AppError> {
    use crate::ssr::cx::{Cx, internal};
    let cx = Cx::get()?;
    let (_, court) = require_case_staff(&cx).await?;
    let rows = super::store::court_messages(cx.db(), &court).await.map_err(|e| internal("case messages", e))?;
    let now = cx.now();
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let (case_id, party_id) = (rows[i].0, rows[i].2);
        let end = rows[i..].iter().position(|r| (r.0, r.2) != (case_id, party_id)).map_or(rows.len(), |n| i + n);
        let thread: Vec<super::messages::Sent> = rows[i..end].iter().map(|r| super::messages::Sent { from_court: r.4, at: UnixTime(r.5) }).collect();
        if let Some((since, count)) = super::messages::waiting(&thread) {
            let r = &rows[i];
            out.push(WaitingThread { case_id, case_number: r.1.clone(), party_id, party_name: r.3.clone().unwrap_or_default(), since, count, hours: super::messages::hours_waiting(since, now) });
        }
        i = end;
    }
    out.sort_by_key(|t| t.since);
    Ok(out)
}
