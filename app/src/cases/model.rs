//! Cases as their people follow them: the stage, the timeline's events in the order they
//! happened, the deadlines still running with the days left, and the list's filters. Pure: the
//! pages and the server share it.
use crate::fees::model::CaseEnding;
use crate::identity::model::UnixTime;
use serde::{Deserialize, Serialize};

/// Where a case is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// Accepted and not yet ended.
    Open,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::Open, Stage::Closed];

    /// Stored as `cases.stage`: `accepted` until the ending is recorded, then `closed`.
    pub fn from_stored(raw: &str) -> Option<Stage> {
        match raw {
            "accepted" => Some(Stage::Open),
            "closed" => Some(Stage::Closed),
            _ => None,
        }
    }

    /// The name in the list's filter (`?stage=open`).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == raw.trim())
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
    pub stage: Option<Stage>,
    pub court: Option<String>,
    pub number: Option<String>,
}

impl CaseFilter {
    /// Unknown or blank values filter nothing rather than failing: the list is always shown.
    pub fn parse(stage: &str, court: &str, number: &str) -> CaseFilter {
        let text = |raw: &str| Some(raw.trim().to_string()).filter(|s| !s.is_empty() && s.chars().count() <= 64);
        CaseFilter { stage: Stage::parse(stage), court: text(court), number: text(number) }
    }

    /// Whether a case fits. Case numbers are matched ignoring the kind of brackets typed
    /// (`(2026)` or `（2026）`) and spaces, since people copy them from paper.
    pub fn matches(&self, stage: Stage, court_code: &str, case_number: &str) -> bool {
        let fold = |s: &str| s.chars().filter(|c| !c.is_whitespace()).map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        }).collect::<String>();
        self.stage.is_none_or(|s| s == stage)
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
        assert!(f.matches(Stage::Open, "京0105", "(2026)京0105民初1号"));
        assert!(!f.matches(Stage::Closed, "京0105", "(2026)京0105民初1号"));
        assert!(!f.matches(Stage::Open, "京0101", "(2026)京0105民初1号"));
        assert!(CaseFilter::parse("", "", " 民初1 ").matches(Stage::Closed, "沪01", "(2026)沪01民初12号"));
        assert_eq!(CaseFilter::parse("bogus", " ", ""), CaseFilter::default(), "unknown values filter nothing");
    }

    #[test]
    fn stages_read_back_from_storage_and_from_the_filter() {
        assert_eq!(Stage::from_stored("accepted"), Some(Stage::Open));
        assert_eq!(Stage::from_stored("closed"), Some(Stage::Closed));
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
    }
}
