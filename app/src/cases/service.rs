//! Electronic service (电子送达) as rules: the kinds of document a court serves, the period each
//! starts, how those periods are counted, and the read receipt. Pure: the pages and the server
//! share it.
//!
//! The date of service is the moment the document reached the person's Tianping account (Civil
//! Procedure Law art. 90: 以送达信息到达受送达人特定系统的日期为送达日期), not when they open
//! it; the first opening is recorded once as the read receipt, the proof of actual receipt that
//! staff see. Periods follow art. 85: the day of service does not count, so a period of N days
//! runs from the next day and its last day is the Nth; a last day that is a rest day moves to
//! the first working day after it (the holiday calendar is data: `courts::calendar`).
use crate::identity::model::UnixTime;
use serde::{Deserialize, Serialize};

/// The largest document served: the filing limit for one file.
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// What the court serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    /// 判决书: 15 days to appeal (art. 171).
    Judgment,
    /// 裁定书: 10 days to appeal the rulings that may be appealed (art. 171).
    Ruling,
    /// 交纳诉讼费用通知书: 7 days to pay (fee measures art. 22).
    FeeNotice,
    /// 举证通知书: the evidence period the court sets (举证期限, interpretation art. 99).
    EvidenceNotice,
    /// 传票: no period runs from it; the hearing date is on it.
    Summons,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 6] =
        [DocumentKind::Judgment, DocumentKind::Ruling, DocumentKind::FeeNotice, DocumentKind::EvidenceNotice, DocumentKind::Summons, DocumentKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Judgment => "judgment",
            DocumentKind::Ruling => "ruling",
            DocumentKind::FeeNotice => "fee_notice",
            DocumentKind::EvidenceNotice => "evidence_notice",
            DocumentKind::Summons => "summons",
            DocumentKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }

    /// The period that starts when this document is served, and its length in days. An
    /// evidence notice needs the days the court set; without them nothing runs.
    pub fn period(self, evidence_days: Option<EvidenceDays>) -> Option<(PeriodKind, u32)> {
        match self {
            DocumentKind::Judgment => Some((PeriodKind::AppealJudgment, 15)),
            DocumentKind::Ruling => Some((PeriodKind::AppealRuling, 10)),
            DocumentKind::FeeNotice => Some((PeriodKind::PayFee, 7)),
            DocumentKind::EvidenceNotice => evidence_days.map(|d| (PeriodKind::Evidence, d.0)),
            DocumentKind::Summons | DocumentKind::Other => None,
        }
    }
}

/// A period that runs from service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeriodKind {
    AppealJudgment,
    AppealRuling,
    PayFee,
    Evidence,
}

/// The evidence period a court sets, in days. The interpretation sets a floor of 15 days for
/// ordinary first-instance cases and a ceiling of 15 for simplified ones, so the court decides
/// within a sane range rather than the code deciding the procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceDays(u32);

impl EvidenceDays {
    pub const MAX: u32 = 90;

    /// Whole days from 1 to 90; anything else is the key of the error to show.
    pub fn parse(raw: &str) -> Result<EvidenceDays, &'static str> {
        match raw.trim().parse::<u32>() {
            Ok(d) if (1..=Self::MAX).contains(&d) => Ok(EvidenceDays(d)),
            _ => Err("error_evidence_days"),
        }
    }

    pub fn days(self) -> u32 {
        self.0
    }
}

/// The moment a period of `days` days from service at `served` ends: 24:00 Beijing time of its
/// last day, which is the `days`-th day after the day of service, moved past rest days.
pub fn period_ends(served: UnixTime, days: u32) -> UnixTime {
    let last_day = crate::courts::calendar::period_end(served.beijing_day().saturating_add(i64::from(days)));
    UnixTime::beijing_midnight(last_day.saturating_add(1))
}

/// A document's title as staff type it: required, one line, at most 100 characters.
pub fn parse_title(raw: &str) -> Result<String, &'static str> {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.chars().count() {
        0 => Err("error_required"),
        n if n > 100 => Err("error_too_long"),
        _ => Ok(t),
    }
}

/// One delivery of a document to one person, and its read receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub served_at: UnixTime,
    pub read_at: Option<UnixTime>,
}

impl Delivery {
    /// The person opens the document: the first opening is the receipt; opening it again
    /// changes nothing, and neither moves the date of service.
    pub fn opened(self, now: UnixTime) -> Delivery {
        Delivery { served_at: self.served_at, read_at: Some(self.read_at.unwrap_or(now)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::courts::calendar::day_number;

    /// A Beijing wall-clock time.
    fn bj(y: i64, m: u32, d: u32, h: i64) -> UnixTime {
        UnixTime((day_number(y, m, d) * 24 + h - 8) * 3600)
    }

    /// The last day of a period that ends at `end` (a Beijing midnight).
    fn last_day(end: UnixTime) -> i64 {
        UnixTime(end.0 - 1).beijing_day()
    }

    #[test]
    fn the_day_of_service_does_not_count_and_the_period_ends_at_midnight_of_its_last_day() {
        // Served on Tuesday 3 November 2026 at 23:30: day one is the 4th, day fifteen the 18th.
        let end = period_ends(bj(2026, 11, 3, 23), 15);
        assert_eq!(last_day(end), day_number(2026, 11, 18));
        assert_eq!(end, bj(2026, 11, 19, 0), "the whole of the last day is the party's");
        // Served a minute after midnight: the same count from the same day.
        assert_eq!(period_ends(bj(2026, 11, 3, 0), 15), end);
    }

    #[test]
    fn a_period_runs_across_month_and_year_ends() {
        // Ten days from 25 November reach 5 December (a Saturday) and move to Monday the 7th.
        assert_eq!(last_day(period_ends(bj(2026, 11, 25, 10), 10)), day_number(2026, 12, 7));
        // Seven days from Thursday 24 December end on Thursday 31 December.
        assert_eq!(last_day(period_ends(bj(2026, 12, 24, 10), 7)), day_number(2026, 12, 31));
        // Fifteen days from 30 January 2026 reach Saturday 14 February, a working day (调休).
        assert_eq!(last_day(period_ends(bj(2026, 1, 30, 10), 15)), day_number(2026, 2, 14));
    }

    #[test]
    fn a_period_ending_in_a_public_holiday_ends_on_the_first_working_day_after_it() {
        // Fifteen days from 20 September 2026 reach 5 October, inside 国庆节 (1–7 October);
        // Thursday the 8th is the first working day.
        assert_eq!(last_day(period_ends(bj(2026, 9, 20, 9), 15)), day_number(2026, 10, 8));
        // Ten days from 10 February reach 20 February, inside 春节 (15–23 February).
        assert_eq!(last_day(period_ends(bj(2026, 2, 10, 9), 10)), day_number(2026, 2, 24));
        // A holiday inside the period, not at its end, changes nothing: 7 days from 30 April
        // reach Thursday 7 May.
        assert_eq!(last_day(period_ends(bj(2026, 4, 30, 9), 7)), day_number(2026, 5, 7));
    }

    #[test]
    fn leap_days_are_counted_like_any_other_day() {
        // 2028 is a leap year: ten days from Monday 21 February reach Thursday 2 March …
        assert_eq!(last_day(period_ends(bj(2028, 2, 21, 9), 10)), day_number(2028, 3, 2));
        // … and in 2027, which is not, the same ten days reach Wednesday 3 March.
        assert_eq!(last_day(period_ends(bj(2027, 2, 21, 9), 10)), day_number(2027, 3, 3));
        // Served on 29 February itself, the next day is 1 March.
        assert_eq!(last_day(period_ends(bj(2028, 2, 29, 9), 1)), day_number(2028, 3, 1));
    }

    #[test]
    fn each_kind_of_document_starts_its_own_period() {
        assert_eq!(DocumentKind::Judgment.period(None), Some((PeriodKind::AppealJudgment, 15)));
        assert_eq!(DocumentKind::Ruling.period(None), Some((PeriodKind::AppealRuling, 10)));
        assert_eq!(DocumentKind::FeeNotice.period(None), Some((PeriodKind::PayFee, 7)));
        let days = EvidenceDays::parse("30").ok();
        assert_eq!(DocumentKind::EvidenceNotice.period(days), Some((PeriodKind::Evidence, 30)));
        assert_eq!(DocumentKind::EvidenceNotice.period(None), None, "no period without the court's days");
        assert_eq!(DocumentKind::Summons.period(days), None);
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DocumentKind::parse("verdict"), None);
    }

    #[test]
    fn the_evidence_period_is_whole_days_from_one_to_ninety() {
        assert_eq!(EvidenceDays::parse(" 15 ").map(EvidenceDays::days), Ok(15));
        for bad in ["0", "91", "-3", "7.5", "", "十五"] {
            assert_eq!(EvidenceDays::parse(bad), Err("error_evidence_days"), "{bad:?}");
        }
    }

    #[test]
    fn a_read_receipt_is_recorded_once_and_reopening_moves_neither_it_nor_the_service() {
        let served = bj(2026, 12, 1, 9);
        let delivered = Delivery { served_at: served, read_at: None };
        let first = delivered.opened(bj(2026, 12, 2, 20));
        assert_eq!(first, Delivery { served_at: served, read_at: Some(bj(2026, 12, 2, 20)) });
        let again = first.opened(bj(2026, 12, 5, 8));
        assert_eq!(again, first, "the second opening changes nothing");
    }

    #[test]
    fn titles_are_one_trimmed_line_of_at_most_a_hundred_characters() {
        assert_eq!(parse_title("  民事判决书\n（一审） "), Ok("民事判决书 （一审）".to_string()));
        assert_eq!(parse_title("   "), Err("error_required"));
        assert_eq!(parse_title(&"判".repeat(101)), Err("error_too_long"));
    }
}
