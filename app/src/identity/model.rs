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

/// Whether a year, month and day name a day of the Gregorian calendar.
pub(crate) fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
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

// ---------------------------------------------------------------------------------------------
// Legal names

/// A legal name as on the resident ID card: 2–30 characters, letters (any script), the middle
/// dot of transliterated names (·), spaces inside.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LegalName(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("a legal name has 2–30 letters, as on the ID card")]
pub struct NameError;

impl LegalName {
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let count = name.chars().count();
        let ok = (2..=30).contains(&count)
            && name.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '·' || c == '•' || c == '.' || c == '-');
        ok.then(|| LegalName(name.replace('•', "·"))).ok_or(NameError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::newtype::string_newtype!(LegalName, NameError);

/// What the national registry answers about a name and an ID number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistryAnswer {
    /// The number exists, belongs to a living person and the name matches.
    Match,
    /// The number exists but the name differs.
    NameMismatch,
    /// The registry has no such number, or it is no longer valid (deceased, cancelled).
    NotValid,
}

// ---------------------------------------------------------------------------------------------
// Sessions

/// A session ends after this long without a request (30 minutes).
pub const IDLE_SECS: i64 = 30 * 60;
/// A session ends this long after sign-in, however active (12 hours).
pub const ABSOLUTE_SECS: i64 = 12 * 3600;
/// A step-up counts for actions this long after it (5 minutes).
pub const STEP_UP_SECS: i64 = 5 * 60;

/// The times that decide whether a session is still alive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionTimes {
    pub created_at: UnixTime,
    pub last_seen: UnixTime,
    pub stepped_up_at: Option<UnixTime>,
    /// 30 minutes, or the kiosk's idle time on a kiosk.
    pub idle_secs: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum SessionEnd {
    #[error("signed out after a period without activity")]
    Idle,
    #[error("signed out because the session reached its maximum length")]
    Absolute,
}

impl SessionTimes {
    /// Is the session alive at `now`? Idle and absolute limits both apply.
    pub fn check(&self, now: UnixTime) -> Result<(), SessionEnd> {
        if now.0 - self.created_at.0 >= ABSOLUTE_SECS {
            return Err(SessionEnd::Absolute);
        }
        if now.0 - self.last_seen.0 >= self.idle_secs {
            return Err(SessionEnd::Idle);
        }
        Ok(())
    }

    /// Has the person re-authenticated within the last five minutes?
    pub fn stepped_up_recently(&self, now: UnixTime) -> bool {
        self.stepped_up_at.is_some_and(|t| t <= now && now.0 - t.0 < STEP_UP_SECS)
    }
}

/// The device a session runs on, as the devices list shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeviceProfile {
    Phone,
    Tablet,
    WeChat,
    Kiosk,
    Desktop,
}

impl DeviceProfile {
    /// From the `User-Agent` header (and whether the device is an enrolled kiosk). Only five
    /// coarse classes are needed, so a handful of markers does; no UA database is shipped.
    pub fn from_user_agent(ua: &str, kiosk: bool) -> DeviceProfile {
        if kiosk {
            DeviceProfile::Kiosk
        } else if ua.contains("MicroMessenger") {
            DeviceProfile::WeChat
        } else if ua.contains("iPad") || (ua.contains("Android") && !ua.contains("Mobile")) || ua.contains("Tablet") {
            DeviceProfile::Tablet
        } else if ua.contains("Mobile") || ua.contains("iPhone") || ua.contains("Android") {
            DeviceProfile::Phone
        } else {
            DeviceProfile::Desktop
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DeviceProfile::Phone => "phone",
            DeviceProfile::Tablet => "tablet",
            DeviceProfile::WeChat => "wechat",
            DeviceProfile::Kiosk => "kiosk",
            DeviceProfile::Desktop => "desktop",
        }
    }

    pub fn from_str_lossy(s: &str) -> DeviceProfile {
        match s {
            "phone" => DeviceProfile::Phone,
            "tablet" => DeviceProfile::Tablet,
            "wechat" => DeviceProfile::WeChat,
            "kiosk" => DeviceProfile::Kiosk,
            _ => DeviceProfile::Desktop,
        }
    }
}

/// The browser's family name from its `User-Agent`, e.g. "Chrome", "WeChat", "Safari".
pub fn browser_name(ua: &str) -> &'static str {
    // Order matters: Edge and WeChat also say Chrome; Chrome also says Safari.
    const MARKERS: [(&str, &str); 8] = [
        ("MicroMessenger", "WeChat"),
        ("Edg/", "Edge"),
        ("HeadlessChrome", "Chromium"),
        ("Chromium", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Firefox/", "Firefox"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    MARKERS.iter().find(|(marker, _)| ua.contains(marker)).map_or("Browser", |(_, name)| name)
}

/// Where a session signed in from, without keeping the full address: the network part of an
/// IPv4 address (`192.168.1.*`) or the first four groups of an IPv6 one.
pub fn coarse_place(ip: &str) -> String {
    if let Some((net, _)) = ip.rsplit_once('.')
        && !ip.contains(':')
    {
        return format!("{net}.*");
    }
    let groups: Vec<&str> = ip.split(':').take(4).collect();
    if groups.len() > 1 { format!("{}::*", groups.join(":")) } else { ip.to_string() }
}

/// A path on this site to return to after signing in; anything else goes to the Me page.
pub fn safe_next(path: &str) -> &str {
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.contains("://") {
        path
    } else {
        "/me"
    }
}

// ---------------------------------------------------------------------------------------------
// What the identity pages receive from the server

/// A code was sent (or, for a number that cannot receive one, the same answer is given).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    pub masked_mobile: String,
    pub resend_after_s: i64,
}

/// The code this browser is waiting for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingCode {
    pub masked_mobile: String,
    pub resend_after_s: i64,
    pub expires_in_s: i64,
    pub next: String,
}

/// The signed-in person as the Me page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeView {
    pub mobile_masked: String,
    pub legal_name: Option<String>,
    pub id_masked: Option<String>,
    pub verified_at: Option<UnixTime>,
    pub stepped_up: bool,
    /// Until when the last step-up counts (when `stepped_up`).
    pub stepped_up_until: Option<UnixTime>,
    pub passkeys: u32,
    /// A court staff account (no number, no real-name check; passkeys only).
    pub is_staff: bool,
}

impl MeView {
    pub fn verified(&self) -> bool {
        self.verified_at.is_some()
    }
}

/// One signed-in device in the devices list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: i64,
    pub browser: String,
    pub profile: DeviceProfile,
    pub place: String,
    pub signed_in_at: UnixTime,
    pub last_seen: UnixTime,
    pub current: bool,
}

/// Beijing time is UTC+8 all year (no daylight saving).
const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

impl UnixTime {
    /// `2026-11-24 16:05` in Beijing time (UTC+8, no daylight saving), as shown on screen.
    pub fn shanghai(self) -> String {
        let secs = self.0.saturating_add(BEIJING_OFFSET_SECS);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = self.beijing_ymd();
        format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
    }

    /// The Beijing calendar day this moment falls on, as days since 1970-01-01, so periods
    /// counted in days (the 7-day review) are plain subtraction.
    pub fn beijing_day(self) -> i64 {
        self.0.saturating_add(BEIJING_OFFSET_SECS).div_euclid(86_400)
    }

    /// The first moment (00:00 Beijing time) of a day numbered as `beijing_day` numbers it.
    pub fn beijing_midnight(day: i64) -> UnixTime {
        UnixTime(day.saturating_mul(86_400).saturating_sub(BEIJING_OFFSET_SECS))
    }

    /// (year, month, day) of the Beijing calendar date.
    pub fn beijing_ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.beijing_day())
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

// ---------------------------------------------------------------------------------------------
// Passkeys

/// What a person calls a passkey ("My phone"): 1–40 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PasskeyName(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("a passkey name has 1–40 characters")]
pub struct PasskeyNameError;

impl PasskeyName {
    pub fn parse(raw: &str) -> Result<Self, PasskeyNameError> {
        let name = raw.trim();
        let ok = (1..=40).contains(&name.chars().count()) && !name.chars().any(char::is_control);
        ok.then(|| PasskeyName(name.to_string())).ok_or(PasskeyNameError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::newtype::string_newtype!(PasskeyName, PasskeyNameError);

/// How long a started WebAuthn ceremony (registration, sign-in, step-up) may be finished.
pub const CEREMONY_TTL_SECS: i64 = 5 * 60;

/// A passkey may be removed unless it is the last way in: people who may sign in by SMS always
/// keep that way; court staff sign in with passkeys only.
pub fn may_remove_passkey(passkeys_left_after: usize, may_use_sms: bool) -> bool {
    passkeys_left_after > 0 || may_use_sms
}

/// A WebAuthn ceremony started on the server: its id (to finish it) and the browser's options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyChallenge {
    pub id: String,
    /// The `CredentialCreationOptions` / `CredentialRequestOptions` as JSON (binary fields in
    /// base64url), for the browser glue to hand to `navigator.credentials`.
    pub options: String,
}

/// A passkey as the Me page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: i64,
    pub name: String,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
}

// ---------------------------------------------------------------------------------------------
// Court staff and lawyers

/// What a staff account may do; each account has one role in one court.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffRole {
    Clerk,
    Judge,
    Mediator,
    Admin,
}

impl StaffRole {
    pub fn parse(raw: &str) -> Option<StaffRole> {
        match raw.trim() {
            "clerk" => Some(StaffRole::Clerk),
            "judge" => Some(StaffRole::Judge),
            "mediator" => Some(StaffRole::Mediator),
            "admin" => Some(StaffRole::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Clerk => "clerk",
            StaffRole::Judge => "judge",
            StaffRole::Mediator => "mediator",
            StaffRole::Admin => "admin",
        }
    }

    /// Verifying lawyers' licences is the filing office's work (clerks), or an admin's.
    pub fn may_verify_lawyers(self) -> bool {
        matches!(self, StaffRole::Clerk | StaffRole::Admin)
    }
}

/// How long a staff enrolment link works.
pub const ENROLMENT_TTL_SECS: i64 = 72 * 3600;

/// A law firm's name as registered: 2–60 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LawFirm(String);

impl LawFirm {
    pub fn parse(raw: &str) -> Option<LawFirm> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        ((2..=60).contains(&name.chars().count()) && !name.chars().any(char::is_control)).then_some(LawFirm(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a lawyer is licensed to practise: a province abbreviation (京, 沪, 粤 …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeRegion(String);

impl PracticeRegion {
    pub fn parse(raw: &str) -> Option<PracticeRegion> {
        let raw = raw.trim();
        crate::courts::model::PROVINCES.contains(&raw).then(|| PracticeRegion(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LawyerStatus {
    Pending,
    Verified,
    Rejected,
}

impl LawyerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LawyerStatus::Pending => "pending",
            LawyerStatus::Verified => "verified",
            LawyerStatus::Rejected => "rejected",
        }
    }

    pub fn from_str_lossy(s: &str) -> LawyerStatus {
        match s {
            "verified" => LawyerStatus::Verified,
            "rejected" => LawyerStatus::Rejected,
            _ => LawyerStatus::Pending,
        }
    }
}

/// A clerk decides on a lawyer's licence only where the lawyer practises: the clerk's court is in
/// the lawyer's practice region.
pub fn clerk_may_decide(court: &crate::courts::model::CourtCode, role: StaffRole, region: &PracticeRegion) -> bool {
    role.may_verify_lawyers() && court.in_province(region.as_str())
}

/// What a grant of representation covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// A filing, by its number in Tianping.
    Filing(i64),
    /// A case, by its case number, e.g. `(2026)京0105民初123号`.
    Case(String),
}

impl Scope {
    pub fn parse(kind: &str, reference: &str) -> Option<Scope> {
        let reference = reference.trim();
        match kind {
            "filing" => reference.parse::<i64>().ok().filter(|n| *n > 0).map(Scope::Filing),
            "case" => case_number_shape(reference).then(|| Scope::Case(reference.replace('（', "(").replace('）', ")"))),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Scope::Filing(_) => "filing",
            Scope::Case(_) => "case",
        }
    }

    pub fn reference(&self) -> String {
        match self {
            Scope::Filing(n) => n.to_string(),
            Scope::Case(s) => s.clone(),
        }
    }
}

/// How far a grant of representation reaches (Civil Procedure Law art. 62). A general grant lets
/// the lawyer act in the matter; only special authority (特别授权) lets them admit, waive or change
/// claims, settle, and sign mediation agreements and records for the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    General,
    Special,
}

impl Authority {
    /// The grant form's box: ticked sends `special`, unticked sends nothing.
    pub fn parse(raw: &str) -> Option<Authority> {
        match raw.trim() {
            "" | "general" => Some(Authority::General),
            "special" => Some(Authority::Special),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Authority::General => "general",
            Authority::Special => "special",
        }
    }

    /// Whether the lawyer may put a signature on a document for the client.
    pub fn covers_signing(self) -> bool {
        self == Authority::Special
    }
}

/// `(2026)京0105民初123号`: a year in brackets, a court code, a case-type word and a number.
/// The full rules (case-type codes, sequences) belong to the Filing area; this is the shape.
fn case_number_shape(s: &str) -> bool {
    let s = s.replace('（', "(").replace('）', ")");
    let Some(rest) = s.strip_prefix('(') else { return false };
    let Some((year, rest)) = rest.split_once(')') else { return false };
    let Some(body) = rest.strip_suffix('号') else { return false };
    let year_ok = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    let digits_at_end = body.chars().rev().take_while(char::is_ascii_digit).count();
    let head: String = body.chars().take(body.chars().count() - digits_at_end).collect();
    year_ok && digits_at_end > 0 && head.chars().count() >= 2 && head.chars().next().is_some_and(|c| !c.is_ascii())
}

/// A lawyer profile as its owner and clerks see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LawyerView {
    pub person_id: i64,
    pub name: String,
    pub licence: String,
    pub firm: String,
    pub region: String,
    pub status: LawyerStatus,
    pub submitted_at: UnixTime,
    pub reason: Option<String>,
}

/// A grant of representation as the client and the lawyer see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    pub id: i64,
    pub client_name: String,
    pub lawyer_name: String,
    pub lawyer_firm: String,
    pub scope: Scope,
    pub authority: Authority,
    pub granted_at: UnixTime,
}

/// A staff account's own summary (the staff page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub name: String,
    pub court_code: String,
    pub court_name: String,
    pub role: StaffRole,
}

/// The sign-in hand-off a kiosk or tablet waits on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffTicket {
    /// The waiting device's own token, to poll with.
    pub poll: String,
    /// The QR code (SVG) of the approval link, for the phone to scan.
    pub qr_svg: String,
    /// The approval link itself, for people who cannot scan.
    pub link: String,
    pub expires_in_s: i64,
}

/// How long a hand-off may wait for approval.
pub const HANDOFF_TTL_SECS: i64 = 2 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HandoffState {
    Waiting,
    /// Approved and this device is now signed in.
    SignedIn,
    Expired,
}

/// What the approving phone is shown about the device asking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffAsk {
    pub device: String,
    pub kiosk: bool,
    pub court_name: Option<String>,
    pub expires_in_s: i64,
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

    #[test]
    fn legal_names_are_trimmed_and_transliterated_names_keep_their_dot() {
        assert_eq!(LegalName::parse("  张三 ").unwrap().as_str(), "张三");
        assert_eq!(LegalName::parse("买买提•艾力").unwrap().as_str(), "买买提·艾力");
        assert!(LegalName::parse("张").is_err());
        assert!(LegalName::parse("张三<script>").is_err());
        assert!(LegalName::parse("1234").is_err());
    }

    #[test]
    fn a_session_ends_after_thirty_idle_minutes_or_twelve_hours_whatever_the_activity() {
        let t = SessionTimes { created_at: UnixTime(0), last_seen: UnixTime(0), stepped_up_at: None, idle_secs: IDLE_SECS };
        assert_eq!(t.check(UnixTime(IDLE_SECS - 1)), Ok(()));
        assert_eq!(t.check(UnixTime(IDLE_SECS)), Err(SessionEnd::Idle));
        let busy = SessionTimes { last_seen: UnixTime(ABSOLUTE_SECS - 10), ..t };
        assert_eq!(busy.check(UnixTime(ABSOLUTE_SECS - 1)), Ok(()));
        assert_eq!(busy.check(UnixTime(ABSOLUTE_SECS)), Err(SessionEnd::Absolute));
    }

    #[test]
    fn a_kiosk_session_ends_after_the_kiosk_idle_time() {
        let t = SessionTimes { created_at: UnixTime(0), last_seen: UnixTime(100), stepped_up_at: None, idle_secs: 120 };
        assert_eq!(t.check(UnixTime(219)), Ok(()));
        assert_eq!(t.check(UnixTime(220)), Err(SessionEnd::Idle));
    }

    #[test]
    fn a_step_up_counts_for_five_minutes() {
        let t = SessionTimes { created_at: UnixTime(0), last_seen: UnixTime(0), stepped_up_at: Some(UnixTime(1000)), idle_secs: IDLE_SECS };
        assert!(t.stepped_up_recently(UnixTime(1000 + STEP_UP_SECS - 1)));
        assert!(!t.stepped_up_recently(UnixTime(1000 + STEP_UP_SECS)));
        assert!(!SessionTimes { stepped_up_at: None, ..t }.stepped_up_recently(UnixTime(1000)));
    }

    #[test]
    fn devices_are_told_apart_by_their_user_agent() {
        let phone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36";
        let tablet = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/604.1";
        let wechat = "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36 MicroMessenger/8.0.50 miniProgram";
        let desktop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
        assert_eq!(DeviceProfile::from_user_agent(phone, false), DeviceProfile::Phone);
        assert_eq!(DeviceProfile::from_user_agent(tablet, false), DeviceProfile::Tablet);
        assert_eq!(DeviceProfile::from_user_agent(wechat, false), DeviceProfile::WeChat);
        assert_eq!(DeviceProfile::from_user_agent(desktop, false), DeviceProfile::Desktop);
        assert_eq!(DeviceProfile::from_user_agent(desktop, true), DeviceProfile::Kiosk);
        assert_eq!(browser_name(wechat), "WeChat");
        assert_eq!(browser_name(tablet), "Safari");
        assert_eq!(browser_name(desktop), "Chrome");
    }

    #[test]
    fn places_keep_only_the_network_part_of_an_address() {
        assert_eq!(coarse_place("192.168.1.23"), "192.168.1.*");
        assert_eq!(coarse_place("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::*");
    }

    #[test]
    fn only_paths_on_this_site_are_returned_to_after_sign_in() {
        assert_eq!(safe_next("/file?step=2"), "/file?step=2");
        assert_eq!(safe_next("//evil.example"), "/me");
        assert_eq!(safe_next("https://evil.example"), "/me");
        assert_eq!(safe_next("/x?u=https://evil"), "/me");
    }

    #[test]
    fn times_are_shown_in_beijing_time() {
        // 2026-11-24 08:05 UTC is 16:05 in Beijing.
        assert_eq!(UnixTime(1_795_507_500).shanghai(), "2026-11-24 16:05");
        assert_eq!(UnixTime(951_782_400 - 8 * 3600).shanghai(), "2000-02-29 00:00");
    }

    #[test]
    fn the_beijing_date_turns_at_sixteen_hundred_utc() {
        // 2026-12-31 15:59:59 UTC is 23:59:59 in Beijing; one second later it is 2027-01-01.
        let before = UnixTime(1_798_732_799);
        assert_eq!(before.beijing_ymd(), (2026, 12, 31));
        assert_eq!(before.plus_secs(1).beijing_ymd(), (2027, 1, 1));
        assert_eq!(before.plus_secs(1).beijing_day(), before.beijing_day() + 1);
        assert_eq!(UnixTime::beijing_midnight(before.plus_secs(1).beijing_day()), before.plus_secs(1));
        assert_eq!(UnixTime(-8 * 3600).beijing_ymd(), (1970, 1, 1));
        assert_eq!(UnixTime(-8 * 3600 - 1).beijing_ymd(), (1969, 12, 31));
    }

    #[test]
    fn passkey_names_are_trimmed_and_limited() {
        assert_eq!(PasskeyName::parse("  我的手机 ").unwrap().as_str(), "我的手机");
        assert!(PasskeyName::parse("   ").is_err());
        assert!(PasskeyName::parse(&"x".repeat(41)).is_err());
        assert!(PasskeyName::parse("a\nb").is_err());
    }

    #[test]
    fn the_last_passkey_stays_when_it_is_the_only_way_in() {
        assert!(may_remove_passkey(0, true), "a litigant still signs in by SMS");
        assert!(!may_remove_passkey(0, false), "staff would be locked out");
        assert!(may_remove_passkey(1, false));
    }

    #[test]
    fn a_clerk_decides_only_on_lawyers_of_their_province() {
        use crate::courts::model::CourtCode;
        let beijing = CourtCode::parse("京0105").unwrap();
        let region = PracticeRegion::parse("京").unwrap();
        assert!(clerk_may_decide(&beijing, StaffRole::Clerk, &region));
        assert!(!clerk_may_decide(&beijing, StaffRole::Judge, &region), "judges do not verify licences");
        assert!(!clerk_may_decide(&CourtCode::parse("沪0115").unwrap(), StaffRole::Clerk, &region));
        assert!(PracticeRegion::parse("X").is_none());
    }

    #[test]
    fn a_representation_covers_a_filing_or_a_case_number() {
        assert_eq!(Scope::parse("filing", " 12 "), Some(Scope::Filing(12)));
        assert_eq!(Scope::parse("case", "（2026）京0105民初123号"), Some(Scope::Case("(2026)京0105民初123号".into())));
        assert_eq!(Scope::parse("case", "2026京0105民初123号"), None);
        assert_eq!(Scope::parse("case", "(2026)京0105民初号"), None);
        assert_eq!(Scope::parse("filing", "0"), None);
        assert_eq!(Scope::parse("other", "1"), None);
    }

    #[test]
    fn only_special_authority_lets_a_lawyer_sign_for_the_client() {
        assert_eq!(Authority::parse(""), Some(Authority::General), "the box left unticked");
        assert_eq!(Authority::parse("special"), Some(Authority::Special));
        assert_eq!(Authority::parse("all"), None);
        assert!(Authority::Special.covers_signing());
        assert!(!Authority::General.covers_signing());
    }

    #[test]
    fn staff_roles_parse_from_their_names() {
        for role in [StaffRole::Clerk, StaffRole::Judge, StaffRole::Mediator, StaffRole::Admin] {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(StaffRole::parse("janitor"), None);
        assert!(LawFirm::parse("北京市天平律师事务所").is_some());
        assert!(LawFirm::parse("x").is_none());
    }
}
