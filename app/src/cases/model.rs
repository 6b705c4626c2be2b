//! Cases as their people follow them: the stage, the timeline's events in the order they
//! happened, the deadlines still running with the days left, and the list's filters. Pure: the
//! pages and the server share it.
use crate::fees::model::CaseEnding;
use crate::identity::model::UnixTime;
use serde::{Deserialize, Serialize};

/// Where a case is. Staff move an open case between its stages; only recording how it ended
/// (with what that does to the fee) closes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// 已立案: accepted, nothing heard yet.
    Accepted,
    /// 调解中: the court is mediating.
    Mediation,
    /// 审理中: being heard.
    Trial,
    /// 已判决: the judgment (or ruling) is given; the ending is still to be recorded.
    Judged,
    Closed,
}

/// Why a stage cannot be changed as asked (each is a message key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageError {
    /// Nothing moves a closed case.
    Closed,
    /// A case is closed by recording its ending, which also settles its fee.
    CloseByEnding,
    /// Already there.
    Same,
    /// After the judgment only the ending is left to record.
    AfterJudgment,
}

impl StageError {
    pub fn key(self) -> &'static str {
        match self {
            StageError::Closed => "error_case_closed",
            StageError::CloseByEnding => "error_stage_close_by_ending",
            StageError::Same => "error_stage_same",
            StageError::AfterJudgment => "error_stage_after_judgment",
        }
    }
}

impl Stage {
    pub const ALL: [Stage; 5] = [Stage::Accepted, Stage::Mediation, Stage::Trial, Stage::Judged, Stage::Closed];
    /// The stages staff may move a case to.
    pub const OPEN: [Stage; 4] = [Stage::Accepted, Stage::Mediation, Stage::Trial, Stage::Judged];

    /// As stored in `cases.stage`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Accepted => "accepted",
            Stage::Mediation => "mediation",
            Stage::Trial => "trial",
            Stage::Judged => "judged",
            Stage::Closed => "closed",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn parse(raw: &str) -> Option<Stage> {
        Stage::from_stored(raw.trim())
    }

    pub fn is_open(self) -> bool {
        self != Stage::Closed
    }

    /// The stage after staff move the case to `next`. Mediation may come before or during the
    /// hearing (and a failed mediation goes back to trial), so open stages move freely, except
    /// that nothing comes after the judgment but the ending.
    pub fn change_to(self, next: Stage) -> Result<Stage, StageError> {
        match (self, next) {
            (Stage::Closed, _) => Err(StageError::Closed),
            (_, Stage::Closed) => Err(StageError::CloseByEnding),
            (a, b) if a == b => Err(StageError::Same),
            (Stage::Judged, _) => Err(StageError::AfterJudgment),
            (_, b) => Ok(b),
        }
    }
}

/// The list's stage filter: every case still running, or one stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageFilter {
    Running,
    Is(Stage),
}

impl StageFilter {
    pub const ALL: [StageFilter; 6] =
        [StageFilter::Running, StageFilter::Is(Stage::Accepted), StageFilter::Is(Stage::Mediation), StageFilter::Is(Stage::Trial), StageFilter::Is(Stage::Judged), StageFilter::Is(Stage::Closed)];

    /// The name in the query string (`?stage=open` for every running case).
    pub fn as_str(self) -> &'static str {
        match self {
            StageFilter::Running => "open",
            StageFilter::Is(s) => s.as_str(),
        }
    }

    pub fn parse(raw: &str) -> Option<StageFilter> {
        StageFilter::ALL.into_iter().find(|f| f.as_str() == raw.trim())
    }

    pub fn matches(self, stage: Stage) -> bool {
        match self {
            StageFilter::Running => stage.is_open(),
            StageFilter::Is(s) => s == stage,
        }
    }
}

/// What staff record as having happened in a case (beside what Tianping records itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordedKind {
    /// 开庭: a hearing was held.
    HearingHeld,
    /// 调解: a mediation session was held.
    Mediation,
    /// 宣判: the judgment was pronounced.
    Judgment,
}

impl RecordedKind {
    pub const ALL: [RecordedKind; 3] = [RecordedKind::HearingHeld, RecordedKind::Mediation, RecordedKind::Judgment];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordedKind::HearingHeld => "hearing_held",
            RecordedKind::Mediation => "mediation",
            RecordedKind::Judgment => "judgment",
        }
    }

    pub fn parse(raw: &str) -> Option<RecordedKind> {
        RecordedKind::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }
}

/// The longest note staff may add to an event the parties see.
pub const MAX_EVENT_NOTE: usize = 500;

/// An event staff record, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    pub kind: RecordedKind,
    pub happened_at: UnixTime,
    pub note: String,
}

impl NewEvent {
    /// From the staff form: what happened, when (a Beijing date and time, not in the future and
    /// not before the case was accepted) and an optional note for the parties. Errors are
    /// (field, message key).
    pub fn parse(kind: &str, date: &str, time: &str, note: &str, accepted_at: UnixTime, now: UnixTime) -> Result<NewEvent, (&'static str, &'static str)> {
        let kind = RecordedKind::parse(kind).ok_or(("kind", "error_choice"))?;
        let day = super::schedule::parse_date(date).ok_or(("date", "error_event_date"))?;
        let (h, m) = super::schedule::parse_time(time).ok_or(("time", "error_event_time"))?;
        let happened_at = UnixTime(UnixTime::beijing_midnight(day).0 + i64::from(h) * 3600 + i64::from(m) * 60);
        if happened_at > now {
            return Err(("date", "error_event_future"));
        }
        // The form has whole minutes: something recorded in the minute the case was accepted
        // happened after it.
        if happened_at.0 < accepted_at.0 - accepted_at.0.rem_euclid(60) {
            return Err(("date", "error_event_before_acceptance"));
        }
        let note = note.trim();
        if note.chars().count() > MAX_EVENT_NOTE {
            return Err(("note", "error_too_long"));
        }
        Ok(NewEvent { kind, happened_at, note: note.to_string() })
    }
}

/// What happened in a case, as its timeline says it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Filed,
    Accepted,
    FeeNotice,
    FeePaid,
    RefundCreated,
    Refunded,
    /// A document was served on the viewer (electronic service).
    Served(super::service::DocumentKind),
    /// A hearing was scheduled (when it is, is in the case's hearings).
    HearingScheduled,
    /// Staff recorded it, with their note for the parties.
    Recorded { kind: RecordedKind, note: String },
    /// Staff moved the case to this stage.
    StageChanged(Stage),
    Ended(CaseEnding),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: UnixTime,
    pub kind: EventKind,
}

/// The events in the order they happened; events at the same second keep the order given
/// (the order things must happen in: filed before accepted before the notice).
pub fn timeline(mut events: Vec<Event>) -> Vec<Event> {
    events.sort_by_key(|e| e.at);
    events
}

/// A running deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeadlineKind {
    /// The fee notice's time to pay (art. 22 of the fee measures: 7 days).
    PayFee,
    /// The court's time to return a refund (art. 53: 15 days).
    RefundDue,
    /// A period that runs from the service of a document (to appeal, to pay, for evidence).
    FromService(super::service::PeriodKind),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    /// The end of the period (24:00 Beijing time of its last day).
    pub ends_at: UnixTime,
    /// Whole days left, counting the last day, as people count them: 1 on the last day itself,
    /// 0 or less once it has passed.
    pub days_left: i64,
}

impl Deadline {
    pub fn new(kind: DeadlineKind, ends_at: UnixTime, now: UnixTime) -> Deadline {
        Deadline { kind, ends_at, days_left: days_left(ends_at, now) }
    }
}

/// Days left until a period ending at `ends_at` (a Beijing midnight), counting today.
pub fn days_left(ends_at: UnixTime, now: UnixTime) -> i64 {
    if now >= ends_at {
        return 0;
    }
    UnixTime(ends_at.0 - 1).beijing_day() - now.beijing_day() + 1
}

/// The list's filters, from the query string: a stage, a court, and part of a case number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilter {
    pub stage: Option<StageFilter>,
    pub court: Option<String>,
    pub number: Option<String>,
}

impl CaseFilter {
    /// Unknown or blank values filter nothing rather than failing: the list is always shown.
    pub fn parse(stage: &str, court: &str, number: &str) -> CaseFilter {
        let text = |raw: &str| Some(raw.trim().to_string()).filter(|s| !s.is_empty() && s.chars().count() <= 64);
        CaseFilter { stage: StageFilter::parse(stage), court: text(court), number: text(number) }
    }

    /// Whether a case fits. Case numbers are matched ignoring the kind of brackets typed
    /// (`(2026)` or `（2026）`) and spaces, since people copy them from paper.
    pub fn matches(&self, stage: Stage, court_code: &str, case_number: &str) -> bool {
        let fold = |s: &str| s.chars().filter(|c| !c.is_whitespace()).map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        }).collect::<String>();
        self.stage.is_none_or(|f| f.matches(stage))
            && self.court.as_deref().is_none_or(|c| c == court_code)
            && self.number.as_deref().is_none_or(|n| fold(case_number).contains(&fold(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bj(y: i64, m: u32, d: u32, h: i64) -> UnixTime {
        UnixTime((crate::courts::calendar::day_number(y, m, d) * 24 + h - 8) * 3600)
    }

    #[test]
    fn days_left_count_today_and_the_last_day_and_stop_at_zero() {
        let ends = bj(2026, 12, 9, 0); // the last day is 8 December
        assert_eq!(days_left(ends, bj(2026, 12, 1, 10)), 8);
        assert_eq!(days_left(ends, bj(2026, 12, 8, 23)), 1, "the last day itself");
        assert_eq!(days_left(ends, ends), 0);
        assert_eq!(days_left(ends, bj(2026, 12, 20, 0)), 0);
    }

    #[test]
    fn the_timeline_is_in_time_order_and_keeps_the_order_of_events_at_one_moment() {
        let t = UnixTime(1_000);
        let events = timeline(vec![
            Event { at: UnixTime(2_000), kind: EventKind::FeePaid },
            Event { at: t, kind: EventKind::Accepted },
            Event { at: t, kind: EventKind::FeeNotice },
            Event { at: UnixTime(500), kind: EventKind::Filed },
        ]);
        let kinds: Vec<EventKind> = events.into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [EventKind::Filed, EventKind::Accepted, EventKind::FeeNotice, EventKind::FeePaid]);
    }

    #[test]
    fn filters_match_stage_court_and_a_case_number_typed_with_either_brackets() {
        let f = CaseFilter::parse("open", "京0105", "（2026）京0105民初1号");
        assert!(f.matches(Stage::Accepted, "京0105", "(2026)京0105民初1号"));
        assert!(f.matches(Stage::Judged, "京0105", "(2026)京0105民初1号"), "every running stage is open");
        assert!(!f.matches(Stage::Closed, "京0105", "(2026)京0105民初1号"));
        assert!(!f.matches(Stage::Accepted, "京0101", "(2026)京0105民初1号"));
        assert!(CaseFilter::parse("trial", "", "").matches(Stage::Trial, "京0105", "x"));
        assert!(!CaseFilter::parse("trial", "", "").matches(Stage::Mediation, "京0105", "x"));
        assert!(CaseFilter::parse("", "", " 民初1 ").matches(Stage::Closed, "沪01", "(2026)沪01民初12号"));
        assert_eq!(CaseFilter::parse("bogus", " ", ""), CaseFilter::default(), "unknown values filter nothing");
    }

    #[test]
    fn stages_read_back_from_storage_and_from_the_filter() {
        assert_eq!(Stage::from_stored("accepted"), Some(Stage::Accepted));
        assert_eq!(Stage::from_stored("closed"), Some(Stage::Closed));
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        for f in StageFilter::ALL {
            assert_eq!(StageFilter::parse(f.as_str()), Some(f));
        }
    }

    #[test]
    fn open_stages_move_freely_until_the_judgment_and_only_the_ending_closes_a_case() {
        assert_eq!(Stage::Accepted.change_to(Stage::Mediation), Ok(Stage::Mediation));
        assert_eq!(Stage::Mediation.change_to(Stage::Trial), Ok(Stage::Trial), "a failed mediation goes to trial");
        assert_eq!(Stage::Trial.change_to(Stage::Mediation), Ok(Stage::Mediation), "mediation during the trial");
        assert_eq!(Stage::Trial.change_to(Stage::Judged), Ok(Stage::Judged));
        assert_eq!(Stage::Judged.change_to(Stage::Trial), Err(StageError::AfterJudgment));
        assert_eq!(Stage::Trial.change_to(Stage::Trial), Err(StageError::Same));
        assert_eq!(Stage::Trial.change_to(Stage::Closed), Err(StageError::CloseByEnding));
        assert_eq!(Stage::Closed.change_to(Stage::Trial), Err(StageError::Closed));
    }

    #[test]
    fn recorded_events_happen_between_the_acceptance_and_now_with_a_short_note() {
        let accepted = bj(2026, 11, 2, 9);
        let now = bj(2026, 12, 1, 15);
        let e = NewEvent::parse("hearing_held", "2026-12-01", "09:30", "  庭审结束，择期宣判 ", accepted, now).expect("a hearing held this morning");
        assert_eq!(e.kind, RecordedKind::HearingHeld);
        assert_eq!(e.happened_at, UnixTime(bj(2026, 12, 1, 9).0 + 30 * 60));
        assert_eq!(e.note, "庭审结束，择期宣判");
        assert_eq!(NewEvent::parse("judgment", "2026-12-01", "16:00", "", accepted, now).map(|_| ()), Err(("date", "error_event_future")));
        assert_eq!(NewEvent::parse("judgment", "2026-11-01", "16:00", "", accepted, now).map(|_| ()), Err(("date", "error_event_before_acceptance")));
        let just_accepted = UnixTime(bj(2026, 12, 1, 9).0 + 30 * 60 + 40);
        assert!(NewEvent::parse("mediation", "2026-12-01", "09:30", "", just_accepted, now).is_ok(), "in the minute of the acceptance");
        assert_eq!(NewEvent::parse("verdict", "2026-12-01", "09:00", "", accepted, now).map(|_| ()), Err(("kind", "error_choice")));
        assert_eq!(NewEvent::parse("mediation", "2026-02-30", "09:00", "", accepted, now).map(|_| ()), Err(("date", "error_event_date")));
        assert_eq!(NewEvent::parse("mediation", "2026-12-01", "9h", "", accepted, now).map(|_| ()), Err(("time", "error_event_time")));
        let long = "字".repeat(MAX_EVENT_NOTE + 1);
        assert_eq!(NewEvent::parse("mediation", "2026-12-01", "09:00", &long, accepted, now).map(|_| ()), Err(("note", "error_too_long")));
    }
}
