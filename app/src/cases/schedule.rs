//! Hearings as the court schedules them, and the public face of a case: the query code printed
//! on court papers, and what anyone holding it may see (the public stage and the next public
//! hearing, never a person's data). Pure: the pages and the server share it.
use crate::identity::model::UnixTime;
use serde::{Deserialize, Serialize};

/// Where a hearing is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HearingMode {
    Courtroom,
    /// 在线庭审: joined from Tianping.
    Online,
}

impl HearingMode {
    pub const ALL: [HearingMode; 2] = [HearingMode::Courtroom, HearingMode::Online];

    pub fn as_str(self) -> &'static str {
        match self {
            HearingMode::Courtroom => "courtroom",
            HearingMode::Online => "online",
        }
    }

    pub fn parse(raw: &str) -> Option<HearingMode> {
        HearingMode::ALL.into_iter().find(|m| m.as_str() == raw.trim())
    }
}

/// A hearing to schedule, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewHearing {
    pub starts_at: UnixTime,
    pub minutes: u32,
    pub mode: HearingMode,
    /// The courtroom, for a hearing held in one.
    pub courtroom: Option<String>,
    /// 公开审理; a hearing closed to the public (privacy, minors, trade secrets) is never shown
    /// by the public lookup.
    pub public: bool,
}

impl NewHearing {
    /// From the staff form: a Beijing date (`YYYY-MM-DD`) and time (`HH:MM`) in the future, a
    /// length of 10 minutes to 8 hours, a mode, and a courtroom when it is held in one. Errors
    /// are (field, message key).
    pub fn parse(date: &str, time: &str, minutes: &str, mode: &str, courtroom: &str, public: bool, now: UnixTime) -> Result<NewHearing, (&'static str, &'static str)> {
        let day = parse_date(date).ok_or(("date", "error_hearing_date"))?;
        let (h, m) = parse_time(time).ok_or(("time", "error_hearing_time"))?;
        let starts_at = UnixTime(UnixTime::beijing_midnight(day).0 + i64::from(h) * 3600 + i64::from(m) * 60);
        if starts_at <= now {
            return Err(("date", "error_hearing_past"));
        }
        let minutes = match minutes.trim().parse::<u32>() {
            Ok(n) if (10..=480).contains(&n) => n,
            _ => return Err(("minutes", "error_hearing_minutes")),
        };
        let mode = HearingMode::parse(mode).ok_or(("mode", "error_choice"))?;
        let room = courtroom.split_whitespace().collect::<Vec<_>>().join(" ");
        let courtroom = match mode {
            HearingMode::Courtroom if room.is_empty() => return Err(("courtroom", "error_required")),
            HearingMode::Courtroom if room.chars().count() > 40 => return Err(("courtroom", "error_too_long")),
            HearingMode::Courtroom => Some(room),
            HearingMode::Online => None,
        };
        Ok(NewHearing { starts_at, minutes, mode, courtroom, public })
    }
}

pub(crate) fn parse_date(raw: &str) -> Option<i64> {
    let mut parts = raw.trim().split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(2000..=2100).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(crate::courts::calendar::day_number(y, m, d))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub(crate) fn parse_time(raw: &str) -> Option<(u32, u32)> {
    let (h, m) = raw.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

/// The code printed on a case's papers that lets anyone look up its public stage: 8 characters
/// from an alphabet without the look-alikes 0/O and 1/I/L, so it is read off paper without
/// mistakes (about 40 bits; the lookup is also rate-limited per address).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryCode(String);

pub const QUERY_CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

impl QueryCode {
    /// A code from 8 random bytes (each picks a character; the slight bias of 256 mod 31 costs
    /// well under a bit).
    pub fn from_random(bytes: [u8; 8]) -> QueryCode {
        QueryCode(bytes.iter().map(|b| char::from(QUERY_CODE_ALPHABET[usize::from(*b) % QUERY_CODE_ALPHABET.len()])).collect())
    }

    /// As typed: case and the spaces or hyphens people add are ignored.
    pub fn parse(raw: &str) -> Option<QueryCode> {
        let code: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        (code.len() == 8 && code.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(QueryCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Printed in two groups of four.
    pub fn printed(&self) -> String {
        format!("{}-{}", &self.0[..4], &self.0[4..])
    }

    /// Compares without an early exit, so the time taken does not tell how much was right.
    pub fn matches(&self, stored: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), stored.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::courts::calendar::day_number;

    fn bj(y: i64, m: u32, d: u32, h: i64, min: i64) -> UnixTime {
        UnixTime((day_number(y, m, d) * 24 + h - 8) * 3600 + min * 60)
    }

    #[test]
    fn a_hearing_is_a_future_beijing_time_with_a_length_and_a_courtroom_when_held_in_one() {
        let now = bj(2026, 12, 1, 10, 0);
        let h = NewHearing::parse("2026-12-15", "09:30", "90", "courtroom", " 第三 法庭 ", true, now).expect("valid");
        assert_eq!(h.starts_at, bj(2026, 12, 15, 9, 30));
        assert_eq!((h.minutes, h.mode, h.courtroom.as_deref(), h.public), (90, HearingMode::Courtroom, Some("第三 法庭"), true));
        let online = NewHearing::parse("2026-12-15", "14:00", "60", "online", "ignored", false, now).expect("valid");
        assert_eq!(online.courtroom, None, "an online hearing has no courtroom");
    }

    #[test]
    fn a_hearing_in_the_past_on_an_impossible_date_or_of_a_silly_length_is_refused_with_its_field() {
        let now = bj(2026, 12, 1, 10, 0);
        let p = |date: &str, time: &str, minutes: &str, mode: &str, room: &str| NewHearing::parse(date, time, minutes, mode, room, true, now).err();
        assert_eq!(p("2026-12-01", "09:59", "60", "online", ""), Some(("date", "error_hearing_past")));
        assert_eq!(p("2026-02-29", "09:00", "60", "online", ""), Some(("date", "error_hearing_date")), "2026 is not a leap year");
        assert_eq!(p("2028-02-29", "09:00", "60", "online", ""), None, "2028 is");
        assert_eq!(p("2026-13-01", "09:00", "60", "online", ""), Some(("date", "error_hearing_date")));
        assert_eq!(p("2026-12-15", "24:00", "60", "online", ""), Some(("time", "error_hearing_time")));
        assert_eq!(p("2026-12-15", "9", "60", "online", ""), Some(("time", "error_hearing_time")));
        assert_eq!(p("2026-12-15", "09:00", "5", "online", ""), Some(("minutes", "error_hearing_minutes")));
        assert_eq!(p("2026-12-15", "09:00", "60", "courtroom", "  "), Some(("courtroom", "error_required")));
        assert_eq!(p("2026-12-15", "09:00", "60", "by pigeon", ""), Some(("mode", "error_choice")));
    }

    #[test]
    fn query_codes_avoid_look_alikes_and_are_read_back_however_they_are_typed() {
        let code = QueryCode::from_random([0, 1, 30, 31, 255, 128, 64, 7]);
        assert_eq!(code.as_str().len(), 8);
        assert!(code.as_str().bytes().all(|b| QUERY_CODE_ALPHABET.contains(&b)));
        assert!(!code.as_str().contains(['0', 'O', '1', 'I', 'L']));
        let printed = code.printed();
        assert_eq!(printed.len(), 9);
        assert_eq!(QueryCode::parse(&printed.to_lowercase()), Some(code.clone()));
        assert_eq!(QueryCode::parse(&format!(" {} ", printed.replace('-', " "))), Some(code.clone()));
        assert!(code.matches(code.as_str()));
        assert!(!code.matches("22222222"));
        assert!(!code.matches(""));
        assert_eq!(QueryCode::parse("ABC"), None);
        assert_eq!(QueryCode::parse("ABCD-EFG!"), None);
    }
}
