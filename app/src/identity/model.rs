//! Identity rules: resident ID numbers (GB 11643-1999), mainland mobile numbers, lawyer licence
//! numbers and one-time SMS codes with their limits. Pure: used by the server and the browser;
//! time is passed in as `UnixTime`, never read here.
use serde::{Deserialize, Serialize};
use std::fmt;

/// Seconds since 1970-01-01 UTC, handed in by the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UnixTime(pub i64);

impl UnixTime {
    pub fn plus_secs(self, secs: i64) -> UnixTime {
        UnixTime(self.0.saturating_add(secs))
    }
}

// ---------------------------------------------------------------------------------------------
// Resident identity numbers

/// Province-level codes that open a resident ID number (the first two digits of the region).
const PROVINCE_CODES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

const CHECK_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// An 18-character resident ID number whose region, date of birth and check character are right.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IdError {
    #[error("a resident ID number has 18 characters: 17 digits and a digit or X")]
    Format,
    #[error("the region code is not a Chinese province")]
    Region,
    #[error("the date of birth is not a real date")]
    BirthDate,
    #[error("the check character does not match; a digit may be mistyped")]
    CheckCharacter,
}

impl IdError {
    /// The translation key shown next to the field.
    pub fn key(self) -> &'static str {
        match self {
            IdError::Format => "error_id_format",
            IdError::Region => "error_id_region",
            IdError::BirthDate => "error_id_birth_date",
            IdError::CheckCharacter => "error_id_check",
        }
    }
}

impl ResidentId {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let id: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let bytes = id.as_bytes();
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdError::Format);
        }
        let digit = |i: usize| u32::from(bytes[i] - b'0');
        let province = (digit(0) * 10 + digit(1)) as u8;
        if !PROVINCE_CODES.contains(&province) {
            return Err(IdError::Region);
        }
        let year = (6..10).fold(0, |acc, i| acc * 10 + digit(i));
        let month = digit(10) * 10 + digit(11);
        let day = digit(12) * 10 + digit(13);
        if year < 1900 || !is_real_date(year, month, day) {
            return Err(IdError::BirthDate);
        }
        let sum: u32 = CHECK_WEIGHTS.iter().enumerate().map(|(i, w)| w * digit(i)).sum();
        if CHECK_CHARS[(sum % 11) as usize] != char::from(bytes[17]) {
            return Err(IdError::CheckCharacter);
        }
        Ok(ResidentId(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form shown on screens and papers: region and last four kept, birth date hidden.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }

    /// (year, month, day) of birth.
    pub fn birth_date(&self) -> (u32, u32, u32) {
        let n = |r: std::ops::Range<usize>| self.0[r].parse::<u32>().unwrap_or(0);
        (n(6..10), n(10..12), n(12..14))
    }
}

// Never print a full ID number by accident (logs, panics): Debug shows the masked form.
impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

crate::newtype::string_newtype!(ResidentId, IdError);

fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

// ---------------------------------------------------------------------------------------------
// Mobile numbers

/// A mainland China mobile number, stored as its 11 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("a mobile number has 11 digits and starts with 13–19")]
pub struct MobileError;

impl MobileNumber {
    /// Accepts the ways people type it: spaces, hyphens, a leading +86 or 0086.
    pub fn parse(raw: &str) -> Result<Self, MobileError> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
        let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
        let b = digits.as_bytes();
        if b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
            Ok(MobileNumber(digits.to_string()))
        } else {
            Err(MobileError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 138****0000: enough for the owner to recognise, not enough to call.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

crate::newtype::string_newtype!(MobileNumber, MobileError);

// ---------------------------------------------------------------------------------------------
// Lawyer licences

/// A PRC lawyer's practising certificate number (执业证号): 17 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LawyerLicence(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("a lawyer's licence number has 17 digits")]
pub struct LicenceError;

impl LawyerLicence {
    pub fn parse(raw: &str) -> Result<Self, LicenceError> {
        let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if s.len() == 17 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(LawyerLicence(s))
        } else {
            Err(LicenceError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::newtype::string_newtype!(LawyerLicence, LicenceError);

// ---------------------------------------------------------------------------------------------
// One-time SMS codes

/// How long a code is valid.
pub const CODE_TTL_SECS: i64 = 5 * 60;
/// Wrong tries allowed on one code before it is burnt and a cool-down starts.
pub const MAX_WRONG_TRIES: u32 = 5;
/// How long after the last wrong try before a new code may be asked for.
pub const COOL_DOWN_SECS: i64 = 15 * 60;
/// At most one code per number this often.
pub const RESEND_SECS: i64 = 60;
/// At most this many codes per number per day.
pub const DAILY_CAP_PER_NUMBER: usize = 10;

/// Six digits as typed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpCode(String);

impl OtpCode {
    pub fn parse(raw: &str) -> Option<Self> {
        let s = raw.trim();
        (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())).then(|| OtpCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Codes never appear in logs.
impl fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OtpCode(******)")
    }
}

/// A code that was sent, as the server keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpChallenge {
    pub code: OtpCode,
    pub issued_at: UnixTime,
    pub wrong_tries: u32,
    pub used: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum OtpError {
    #[error("the code is wrong")]
    Wrong { tries_left: u32 },
    #[error("the code has expired; ask for a new one")]
    Expired,
    #[error("the code was already used; ask for a new one")]
    Used,
    #[error("too many wrong codes; try again later")]
    TooManyTries,
}

impl OtpChallenge {
    pub fn new(code: OtpCode, issued_at: UnixTime) -> Self {
        OtpChallenge { code, issued_at, wrong_tries: 0, used: false }
    }

    /// Checks a typed code. Returns the next state of the challenge and the verdict: the caller
    /// stores the state whatever the verdict, so wrong tries are counted.
    pub fn check(mut self, typed: &OtpCode, now: UnixTime) -> (OtpChallenge, Result<(), OtpError>) {
        if self.used {
            return (self, Err(OtpError::Used));
        }
        if self.wrong_tries >= MAX_WRONG_TRIES {
            return (self, Err(OtpError::TooManyTries));
        }
        if now.0 >= self.issued_at.0 + CODE_TTL_SECS || now < self.issued_at {
            return (self, Err(OtpError::Expired));
        }
        if constant_time_eq(self.code.as_str().as_bytes(), typed.as_str().as_bytes()) {
            self.used = true;
            (self, Ok(()))
        } else {
            self.wrong_tries += 1;
            let verdict = if self.wrong_tries >= MAX_WRONG_TRIES {
                Err(OtpError::TooManyTries)
            } else {
                Err(OtpError::Wrong { tries_left: MAX_WRONG_TRIES - self.wrong_tries })
            };
            (self, verdict)
        }
    }
}

/// Compares without stopping at the first difference, so timing does not reveal how much matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum SendRefusal {
    #[error("wait {retry_after_s} s before asking for another code")]
    TooSoon { retry_after_s: i64 },
    #[error("today's limit of codes for this number is reached")]
    DailyCap,
    #[error("too many wrong codes; wait {retry_after_s} s")]
    CoolingDown { retry_after_s: i64 },
}

/// May a new code be sent to a number, given when earlier ones were sent (any order) and when
/// the last code was burnt by wrong tries?
pub fn may_send_code(sent: &[UnixTime], burnt_at: Option<UnixTime>, now: UnixTime) -> Result<(), SendRefusal> {
    if let Some(burnt) = burnt_at {
        let until = burnt.0 + COOL_DOWN_SECS;
        if now.0 < until {
            return Err(SendRefusal::CoolingDown { retry_after_s: until - now.0 });
        }
    }
    if let Some(last) = sent.iter().filter(|t| **t <= now).max() {
        let until = last.0 + RESEND_SECS;
        if now.0 < until {
            return Err(SendRefusal::TooSoon { retry_after_s: until - now.0 });
        }
    }
    let today = sent.iter().filter(|t| now.0 - t.0 < 24 * 3600 && **t <= now).count();
    if today >= DAILY_CAP_PER_NUMBER {
        return Err(SendRefusal::DailyCap);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Completes 17 digits with their correct check character, so a test can vary one thing only.
    fn with_check_char(body: &str) -> String {
        let sum: u32 = CHECK_WEIGHTS.iter().zip(body.bytes()).map(|(w, b)| w * u32::from(b - b'0')).sum();
        format!("{body}{}", CHECK_CHARS[(sum % 11) as usize])
    }

    #[test]
    fn a_known_valid_id_number_parses_with_a_lower_case_x() {
        let id = ResidentId::parse(" 11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), (1949, 12, 31));
    }

    #[test]
    fn an_id_number_with_any_one_digit_changed_is_refused() {
        let valid = "11010519491231002X";
        for i in 0..17 {
            let mut b = valid.as_bytes().to_vec();
            b[i] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
            let changed = String::from_utf8(b).unwrap();
            assert!(ResidentId::parse(&changed).is_err(), "{changed} must be refused");
        }
    }

    #[test]
    fn an_id_number_with_an_impossible_birth_date_is_refused() {
        // 1949-02-30 and 2023-02-29 do not exist; the check character is recomputed so only the date is wrong.
        for body in ["11010519490230002", "11010520230229002", "11010518991231002"] {
            let id = with_check_char(body);
            assert_eq!(ResidentId::parse(&id), Err(IdError::BirthDate), "{id}");
        }
        let leap = with_check_char("11010520000229002");
        assert!(ResidentId::parse(&leap).is_ok(), "2000-02-29 exists");
    }

    #[test]
    fn an_id_number_from_a_region_that_does_not_exist_is_refused() {
        let id = with_check_char("99010519491231002");
        assert_eq!(ResidentId::parse(&id), Err(IdError::Region));
        assert_eq!(ResidentId::parse("1101051949123100"), Err(IdError::Format));
        assert_eq!(ResidentId::parse("1101051949123100Y2"), Err(IdError::Format));
    }

    #[test]
    fn an_id_number_is_shown_and_logged_masked() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "110105********002X");
        assert!(!format!("{id:?}").contains("19491231"));
    }

    #[test]
    fn mobile_numbers_are_accepted_as_people_type_them() {
        assert_eq!(MobileNumber::parse("+86 138-0013-8000").unwrap().as_str(), "13800138000");
        assert_eq!(MobileNumber::parse("008613800138000").unwrap().masked(), "138****8000");
        assert_eq!(MobileNumber::parse("12800138000"), Err(MobileError));
        assert_eq!(MobileNumber::parse("1380013800"), Err(MobileError));
    }

    #[test]
    fn a_lawyer_licence_has_seventeen_digits() {
        assert!(LawyerLicence::parse("11101201510123456").is_ok());
        assert_eq!(LawyerLicence::parse("1110120151012345"), Err(LicenceError));
        assert_eq!(LawyerLicence::parse("1110120151012345A"), Err(LicenceError));
    }

    fn challenge() -> OtpChallenge {
        OtpChallenge::new(OtpCode::parse("123456").unwrap(), UnixTime(1_000))
    }

    #[test]
    fn a_right_code_works_once() {
        let (c, ok) = challenge().check(&OtpCode::parse("123456").unwrap(), UnixTime(1_010));
        assert_eq!(ok, Ok(()));
        let (_, again) = c.check(&OtpCode::parse("123456").unwrap(), UnixTime(1_011));
        assert_eq!(again, Err(OtpError::Used));
    }

    #[test]
    fn a_code_expires_after_five_minutes() {
        let (_, r) = challenge().check(&OtpCode::parse("123456").unwrap(), UnixTime(1_000 + CODE_TTL_SECS));
        assert_eq!(r, Err(OtpError::Expired));
        let (_, r) = challenge().check(&OtpCode::parse("123456").unwrap(), UnixTime(1_000 + CODE_TTL_SECS - 1));
        assert_eq!(r, Ok(()));
    }

    #[test]
    fn five_wrong_tries_burn_the_code_even_for_the_right_one_after() {
        let wrong = OtpCode::parse("000000").unwrap();
        let mut c = challenge();
        for left in (1..MAX_WRONG_TRIES).rev() {
            let (next, r) = c.check(&wrong, UnixTime(1_001));
            assert_eq!(r, Err(OtpError::Wrong { tries_left: left }));
            c = next;
        }
        let (c, r) = c.check(&wrong, UnixTime(1_002));
        assert_eq!(r, Err(OtpError::TooManyTries));
        let (_, r) = c.check(&OtpCode::parse("123456").unwrap(), UnixTime(1_003));
        assert_eq!(r, Err(OtpError::TooManyTries));
    }

    #[test]
    fn codes_are_sent_at_most_once_a_minute_and_ten_times_a_day() {
        let now = UnixTime(100_000);
        assert_eq!(may_send_code(&[], None, now), Ok(()));
        assert_eq!(may_send_code(&[UnixTime(99_970)], None, now), Err(SendRefusal::TooSoon { retry_after_s: 30 }));
        let ten: Vec<UnixTime> = (0..10).map(|i| UnixTime(100_000 - 3_600 * (i + 1))).collect();
        assert_eq!(may_send_code(&ten, None, now), Err(SendRefusal::DailyCap));
        let old: Vec<UnixTime> = (0..10).map(|i| UnixTime(100_000 - 90_000 - i)).collect();
        assert_eq!(may_send_code(&old, None, now), Ok(()), "yesterday's codes do not count");
        assert_eq!(
            may_send_code(&[], Some(UnixTime(99_500)), now),
            Err(SendRefusal::CoolingDown { retry_after_s: COOL_DOWN_SECS - 500 })
        );
    }

    #[test]
    fn constant_time_comparison_agrees_with_equality() {
        assert!(constant_time_eq(b"123456", b"123456"));
        assert!(!constant_time_eq(b"123456", b"123457"));
        assert!(!constant_time_eq(b"12345", b"123456"));
    }
}
