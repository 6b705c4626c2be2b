//! Filing rules (网上立案): case types, parties and their identifiers (resident ID, unified social
//! credit code), claims in fen, the draft and what each wizard step needs, the filing state
//! machine, case numbers, the 7-day review clock, jurisdiction hints and upload limits.
//! Pure: the browser runs the same checks the server enforces; time and ids are passed in.
use crate::courts::model::{Court, CourtCode, CourtLevel};
use crate::error::FieldErrors;
use crate::identity::model::{MobileNumber, ResidentId, UnixTime, is_real_date};
use serde::{Deserialize, Serialize};
use std::fmt;

// ---------------------------------------------------------------------------------------------
// Money

/// An amount of money in fen (分), the only unit Tianping stores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Fen(pub i64);

/// The largest amount a claim may name: 10^12 yuan, far above any real claim, far below overflow.
pub const MAX_CLAIM_FEN: i64 = 100_000_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not an amount in yuan")]
    Format,
    #[error("more than two decimal places")]
    Precision,
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("the amount is too large")]
    TooLarge,
}

impl MoneyError {
    pub fn key(self) -> &'static str {
        match self {
            MoneyError::Format => "error_amount",
            MoneyError::Precision => "error_amount_precision",
            MoneyError::NotPositive => "error_amount_positive",
            MoneyError::TooLarge => "error_amount_too_large",
        }
    }
}

impl Fen {
    /// Reads an amount typed in yuan: `12345`, `12,345.6`, `１２３４５.６７` (full-width digits),
    /// `¥12345`, `12345元`; at most two decimals; more than zero; at most MAX_CLAIM_FEN.
    pub fn parse_yuan(raw: &str) -> Result<Fen, MoneyError> {
        // Phones' Chinese keyboards type full-width characters; read them as their ASCII twins.
        let ascii: String = raw
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                '，' => ',',
                '－' => '-',
                other => other,
            })
            .collect();
        let mut s = ascii.trim();
        let mut negative = false;
        if let Some(rest) = s.strip_prefix('-') {
            negative = true;
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_prefix(['¥', '￥']) {
            s = rest.trim_start();
        }
        if !negative && let Some(rest) = s.strip_prefix('-') {
            negative = true;
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_suffix('元') {
            s = rest.trim_end();
        }
        let magnitude = yuan_magnitude(s);
        match (negative, magnitude) {
            (_, Err(MoneyError::Format)) => Err(MoneyError::Format),
            (true, _) | (false, Ok(Fen(0))) => Err(MoneyError::NotPositive),
            (false, result) => result,
        }
    }

    /// `12,345.60` (thousands separated, always two decimals).
    pub fn yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped}.{:02}", abs % 100)
    }
}

/// The fen in an unsigned amount such as `12,345.6` (signs and currency marks already removed).
/// Thousands separators must group by three, so a European `12,34` (meaning 12.34) is refused
/// rather than read as 1234.
fn yuan_magnitude(s: &str) -> Result<Fen, MoneyError> {
    let (whole, fraction) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let fraction = fraction.unwrap_or("");
    if (whole.is_empty() && fraction.is_empty()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MoneyError::Format);
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped_by_three = groups.len() == 1
        || ((1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped_by_three || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return Err(MoneyError::Format);
    }
    if fraction.len() > 2 {
        return Err(MoneyError::Precision);
    }
    let fen_digits = groups.iter().flat_map(|g| g.bytes()).chain(fraction.bytes()).chain(std::iter::repeat_n(b'0', 2 - fraction.len()));
    let mut fen: i64 = 0;
    for b in fen_digits {
        // Stop as soon as the limit is passed, so a thousand typed digits cannot overflow.
        fen = fen * 10 + i64::from(b - b'0');
        if fen > MAX_CLAIM_FEN {
            return Err(MoneyError::TooLarge);
        }
    }
    Ok(Fen(fen))
}

// ---------------------------------------------------------------------------------------------
// Unified social credit codes (统一社会信用代码, GB 32100-2015)

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("a unified social credit code has 18 characters of digits and capital letters (no I, O, Z, S, V)")]
    Format,
    #[error("the check character does not match; a character may be mistyped")]
    CheckCharacter,
}

impl UsccError {
    /// `error_uscc_format` / `error_uscc_check`.
    pub fn key(self) -> &'static str {
        match self {
            UsccError::Format => "error_uscc_format",
            UsccError::CheckCharacter => "error_uscc_check",
        }
    }
}

impl Uscc {
    /// Trims, removes spaces, upper-cases; checks the character set and the check character.
    pub fn parse(raw: &str) -> Result<Self, UsccError> {
        let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let values: Vec<u32> = code.chars().map(uscc_value).collect::<Option<_>>().ok_or(UsccError::Format)?;
        if values.len() != 18 {
            return Err(UsccError::Format);
        }
        let sum: u32 = USCC_WEIGHTS.iter().zip(&values).map(|(w, v)| w * v).sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(UsccError::CheckCharacter);
        }
        Ok(Uscc(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::newtype::string_newtype!(Uscc, UsccError);

/// The 31 characters of GB 32100-2015, in value order: I, O, Z, S and V are left out because they
/// are easily taken for 1, 0, 2, 5 and U.
const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 3^i mod 31 for the first 17 positions.
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn uscc_value(c: char) -> Option<u32> {
    USCC_CHARSET.chars().position(|x| x == c).and_then(|i| u32::try_from(i).ok())
}

// ---------------------------------------------------------------------------------------------
// Case types

/// What kind of matter is filed. Each has its own case-type code in case numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CaseType {
    /// 民事一审 — code 民初.
    CivilFirstInstance,
    /// 申请执行 — code 执.
    Enforcement,
    /// 申请保全 — code 执保 (preservation is carried out by the enforcement division).
    Preservation,
    /// 行政一审 — code 行初.
    Administrative,
}

impl CaseType {
    pub const ALL: [CaseType; 4] = [CaseType::CivilFirstInstance, CaseType::Enforcement, CaseType::Preservation, CaseType::Administrative];

    /// `civil`, `enforcement`, `preservation`, `administrative` (forms and storage).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseType::CivilFirstInstance => "civil",
            CaseType::Enforcement => "enforcement",
            CaseType::Preservation => "preservation",
            CaseType::Administrative => "administrative",
        }
    }

    pub fn parse(raw: &str) -> Option<CaseType> {
        let raw = raw.trim();
        CaseType::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    /// The case-type code in case numbers: 民初, 执, 执保, 行初.
    pub fn code(self) -> &'static str {
        match self {
            CaseType::CivilFirstInstance => "民初",
            CaseType::Enforcement => "执",
            CaseType::Preservation => "执保",
            CaseType::Administrative => "行初",
        }
    }

    /// Whether third parties (第三人) take part in this kind of matter.
    pub fn has_third_parties(self) -> bool {
        matches!(self, CaseType::CivilFirstInstance | CaseType::Administrative)
    }
}

// ---------------------------------------------------------------------------------------------
// Parties

/// The side a party is on. Labels differ by case type (原告/申请人/申请执行人 …): pages choose
/// the translation with `CaseType` and `PartyRole` together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PartyRole {
    /// 原告 / 申请执行人 / 申请人.
    Claimant,
    /// 被告 / 被执行人 / 被申请人.
    Respondent,
    /// 第三人.
    ThirdParty,
}

impl PartyRole {
    /// `claimant`, `respondent`, `third_party`.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Claimant => "claimant",
            PartyRole::Respondent => "respondent",
            PartyRole::ThirdParty => "third_party",
        }
    }
    pub fn parse(raw: &str) -> Option<PartyRole> {
        match raw.trim() {
            "claimant" => Some(PartyRole::Claimant),
            "respondent" => Some(PartyRole::Respondent),
            "third_party" => Some(PartyRole::ThirdParty),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartyKind {
    /// 自然人.
    Person,
    /// 法人或其他组织.
    Organisation,
}

impl PartyKind {
    /// `person`, `organisation`.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Person => "person",
            PartyKind::Organisation => "organisation",
        }
    }
    pub fn parse(raw: &str) -> Option<PartyKind> {
        match raw.trim() {
            "person" => Some(PartyKind::Person),
            "organisation" => Some(PartyKind::Organisation),
            _ => None,
        }
    }
}

/// One party as typed. Every field is kept as typed (even when wrong) so nothing is lost;
/// `Draft::problems` says what is wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartyInput {
    /// `claimant` | `respondent` | `third_party`.
    pub role: String,
    /// `person` | `organisation`.
    pub kind: String,
    pub name: String,
    /// Natural persons: resident ID number (GB 11643-1999). Optional for respondents and third
    /// parties (a claimant often does not know the other side's number); checked when given.
    pub id_number: String,
    /// Natural persons: mobile number; required for claimants, checked when given for others.
    pub phone: String,
    /// Organisations: unified social credit code (GB 32100-2015); required for claimants,
    /// checked when given for others.
    pub uscc: String,
    /// Organisations: legal representative or person in charge (法定代表人/主要负责人).
    pub representative: String,
    /// Domicile / registered address; required for everyone (service needs it).
    pub address: String,
}

// ---------------------------------------------------------------------------------------------
// Claims, details, evidence, the agent

/// One claim (诉讼请求) as typed. An empty amount means it is not a money claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClaimInput {
    pub text: String,
    /// In yuan, as typed (see `Fen::parse_yuan`).
    pub amount: String,
}

/// The facts of each case type that are not parties, claims or evidence. Only the fields of the
/// chosen case type are checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DetailsInput {
    /// Civil: the cause of action (案由), e.g. 买卖合同纠纷.
    pub cause: String,
    /// Enforcement: the document to enforce (执行依据), e.g. (2025)京0105民初456号民事判决书.
    pub basis: String,
    /// Enforcement: the date it took effect, `YYYY-MM-DD`.
    pub basis_effective: String,
    /// Preservation: `property` | `conduct` | `evidence`.
    pub preservation_kind: String,
    /// Preservation: before a suit is filed (诉前保全) when true.
    pub pre_suit: bool,
    /// Preservation: what is to be preserved (property, conduct or evidence described).
    pub preserve_what: String,
    /// Preservation: the security offered (担保), required for pre-suit preservation.
    pub security: String,
    /// Administrative: the administrative act challenged (被诉行政行为).
    pub act: String,
    /// Administrative: the date the claimant learnt of the act, `YYYY-MM-DD`.
    pub act_known: String,
}

/// An uploaded file as the draft refers to it (the server stores the bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileRef {
    pub id: i64,
    pub name: String,
    /// Lower-case hex SHA-256 of the content: the evidence fingerprint shown to the filer.
    pub sha256: String,
    pub size: i64,
    /// `pdf` | `jpeg` | `png`.
    pub kind: String,
}

/// One evidence item (证据) as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvidenceInput {
    pub name: String,
    /// Where it comes from (证据来源).
    pub source: String,
    /// What it proves (证明对象/证明目的).
    pub proves: String,
    pub files: Vec<FileRef>,
}

/// Filing as a lawyer for a client who granted representation (代理人).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentInput {
    /// The client (a Tianping person) the lawyer files for; None when filing for oneself.
    pub client_id: Option<i64>,
    /// The client's verified name, shown on the review step (filled in by the server).
    pub client_name: String,
    /// The power of attorney (授权委托书), required when filing for a client.
    pub power_of_attorney: Option<FileRef>,
}

/// An application for fee relief (司法救助, arts. 44–49 of the Measures) made with the filing, as
/// typed; an empty `kind` means none. Checked by `crate::fees::relief::ReliefApplication`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReliefInput {
    /// `defer` | `reduce` | `waive`, or empty.
    pub kind: String,
    /// A `ReliefGround` name of that kind.
    pub ground: String,
    pub reasons: String,
    /// Proof of hardship (art. 48), attached by the server when an upload to `relief` finishes.
    pub files: Vec<FileRef>,
}

impl ReliefInput {
    pub fn applied(&self) -> bool {
        !self.kind.trim().is_empty()
    }
}

// ---------------------------------------------------------------------------------------------
// The draft and its steps

/// The wizard's steps, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Step {
    CaseType,
    Court,
    Parties,
    Agent,
    Claims,
    Facts,
    Evidence,
    Review,
}

impl Step {
    pub const ALL: [Step; 8] = [Step::CaseType, Step::Court, Step::Parties, Step::Agent, Step::Claims, Step::Facts, Step::Evidence, Step::Review];

    /// `case_type`, `court`, `parties`, `agent`, `claims`, `facts`, `evidence`, `review` (URLs).
    pub fn as_str(self) -> &'static str {
        match self {
            Step::CaseType => "case_type",
            Step::Court => "court",
            Step::Parties => "parties",
            Step::Agent => "agent",
            Step::Claims => "claims",
            Step::Facts => "facts",
            Step::Evidence => "evidence",
            Step::Review => "review",
        }
    }
    pub fn parse(raw: &str) -> Option<Step> {
        let raw = raw.trim();
        Step::ALL.into_iter().find(|s| s.as_str() == raw)
    }
    /// 1-based position, for "step 3 of 8".
    pub fn number(self) -> usize {
        self.index() + 1
    }
    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }
    pub fn previous(self) -> Option<Step> {
        self.index().checked_sub(1).and_then(|i| Step::ALL.get(i)).copied()
    }
    fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
    /// The step on which a field path (as used in `FieldErrors`) is edited: `parties.0.name` →
    /// Parties, `details.cause` → Claims for civil (cause is asked with the claims) …, see
    /// `Draft::problems` for every path. Unknown paths → Review.
    pub fn of_field(path: &str) -> Step {
        match path.split('.').next().unwrap_or("") {
            "case_type" => Step::CaseType,
            "court" | "contract_place" => Step::Court,
            "parties" => Step::Parties,
            "agent" => Step::Agent,
            "claims" | "details" | "relief" => Step::Claims,
            "facts" => Step::Facts,
            "evidence" => Step::Evidence,
            _ => Step::Review,
        }
    }
}

/// Everything typed into the wizard, stored as typed. Saved on the server at every step and in
/// the browser as the person types, so nothing is ever lost; `problems` says what is missing or
/// wrong, field by field, in the same words on server and browser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
// Missing fields are empty: a form posts only its own step's fields.
#[serde(default)]
pub struct Draft {
    /// `civil` | `enforcement` | `preservation` | `administrative`, empty until chosen.
    pub case_type: String,
    /// A court code from the directory (cross-court filing: any court).
    pub court: String,
    /// Where a contract was performed, to suggest the court (optional).
    pub contract_place: String,
    pub parties: Vec<PartyInput>,
    pub agent: AgentInput,
    pub details: DetailsInput,
    pub claims: Vec<ClaimInput>,
    /// 事实与理由.
    pub facts: String,
    pub evidence: Vec<EvidenceInput>,
    /// Fee relief applied for with the filing (asked on the Claims step, beside the fee).
    pub relief: ReliefInput,
    /// The filer declares the contents true (and accepts electronic service).
    pub declaration: bool,
}

/// Longest text of a short field (names, addresses …) and of a long one (facts, a claim).
pub const SHORT_TEXT: usize = 200;
pub const LONG_TEXT: usize = 20_000;
/// Most parties, claims and evidence items in one filing.
pub const MAX_ITEMS: usize = 50;

impl Draft {
    /// What is wrong on one step: field path → translation key. Paths:
    /// `case_type`; `court`; `parties` (a required side missing: `error_need_claimant` /
    /// `error_need_respondent`), `parties.N.role|kind|name|id_number|phone|uscc|representative|address`;
    /// `agent.power_of_attorney` (client chosen, no file); `claims` (`error_need_claim`),
    /// `claims.N.text|amount`; `details.cause|basis|basis_effective|preservation_kind|preserve_what|security|act|act_known`
    /// (only those of the chosen type; shown on the Claims step); `facts`;
    /// `evidence.N.name|source|proves|files`; `declaration` (Review only).
    /// Keys: `error_required`, `error_too_long`, `error_case_type`, `error_court`, `error_choice`,
    /// `error_date`, `error_too_many`, the ID keys of `IdError::key`, `error_mobile`,
    /// `UsccError::key`, `MoneyError::key`, `error_need_claimant`, `error_need_respondent`,
    /// `error_need_claim`, `error_evidence_files`, `error_power_of_attorney`, `error_declaration`.
    /// Review reports the problems of every step (so submit can refuse with all of them).
    pub fn problems(&self, step: Step) -> FieldErrors {
        let mut p = Problems::default();
        match step {
            Step::CaseType => self.case_type_problems(&mut p),
            Step::Court => self.court_problems(&mut p),
            Step::Parties => self.party_problems(&mut p),
            Step::Agent => self.agent_problems(&mut p),
            Step::Claims => self.claim_problems(&mut p),
            Step::Facts => p.text("facts", &self.facts, LONG_TEXT),
            Step::Evidence => self.evidence_problems(&mut p),
            Step::Review => {
                for step in Step::ALL.into_iter().filter(|s| *s != Step::Review) {
                    p.0.extend(self.problems(step));
                }
                if !self.declaration {
                    p.put("declaration", "error_declaration");
                }
            }
        }
        p.0
    }

    /// Every problem of every step; empty means the draft may be submitted.
    pub fn all_problems(&self) -> FieldErrors {
        self.problems(Step::Review)
    }

    fn case_type_problems(&self, p: &mut Problems) {
        // A choice, not a text: "choose the kind of case" says more than "fill this in".
        if self.case_type().is_none() {
            p.put("case_type", "error_case_type");
        }
    }

    fn court_problems(&self, p: &mut Problems) {
        if CourtCode::parse(&self.court).is_err() {
            p.put("court", "error_court");
        }
        p.optional_text("contract_place", &self.contract_place, SHORT_TEXT);
    }

    fn party_problems(&self, p: &mut Problems) {
        let case_type = self.case_type();
        let has_role = |role| self.parties.iter().any(|party| PartyRole::parse(&party.role) == Some(role));
        if self.parties.len() > MAX_ITEMS {
            p.put("parties", "error_too_many");
        } else if !has_role(PartyRole::Claimant) {
            p.put("parties", "error_need_claimant");
        } else if !has_role(PartyRole::Respondent) {
            p.put("parties", "error_need_respondent");
        }
        for (i, party) in self.parties.iter().enumerate() {
            let at = |field: &str| format!("parties.{i}.{field}");
            let role = PartyRole::parse(&party.role);
            // Without a chosen case type a third party cannot be judged out of place yet.
            let third_party_out_of_place =
                role == Some(PartyRole::ThirdParty) && case_type.is_some_and(|t| !t.has_third_parties());
            if role.is_none() || third_party_out_of_place {
                p.put(&at("role"), "error_choice");
            }
            let claimant = role == Some(PartyRole::Claimant);
            let kind = PartyKind::parse(&party.kind);
            // An administrative suit is brought against the organ that acted, never a person.
            let person_sued_in_administrative = case_type == Some(CaseType::Administrative)
                && role == Some(PartyRole::Respondent)
                && kind == Some(PartyKind::Person);
            if kind.is_none() || person_sued_in_administrative {
                p.put(&at("kind"), "error_choice");
            }
            p.text(&at("name"), &party.name, SHORT_TEXT);
            p.text(&at("address"), &party.address, SHORT_TEXT);
            match kind {
                Some(PartyKind::Person) => {
                    p.checked(&at("id_number"), &party.id_number, claimant, |s| ResidentId::parse(s).err().map(|e| e.key()));
                    p.checked(&at("phone"), &party.phone, claimant, |s| MobileNumber::parse(s).err().map(|_| "error_mobile"));
                }
                Some(PartyKind::Organisation) => {
                    p.checked(&at("uscc"), &party.uscc, claimant, |s| Uscc::parse(s).err().map(|e| e.key()));
                    if claimant {
                        p.text(&at("representative"), &party.representative, SHORT_TEXT);
                    } else {
                        p.optional_text(&at("representative"), &party.representative, SHORT_TEXT);
                    }
                }
                None => {}
            }
        }
    }

    fn agent_problems(&self, p: &mut Problems) {
        if self.agent.client_id.is_some() && self.agent.power_of_attorney.is_none() {
            p.put("agent.power_of_attorney", "error_power_of_attorney");
        }
    }

    fn claim_problems(&self, p: &mut Problems) {
        let case_type = self.case_type();
        if self.claims.len() > MAX_ITEMS {
            p.put("claims", "error_too_many");
        } else if self.claims.is_empty() && case_type.is_some_and(|t| t != CaseType::Preservation) {
            p.put("claims", "error_need_claim");
        }
        for (i, claim) in self.claims.iter().enumerate() {
            p.text(&format!("claims.{i}.text"), &claim.text, LONG_TEXT);
            p.checked(&format!("claims.{i}.amount"), &claim.amount, false, |s| Fen::parse_yuan(s).err().map(|e| e.key()));
        }
        let d = &self.details;
        match case_type {
            None => {}
            Some(CaseType::CivilFirstInstance) => p.text("details.cause", &d.cause, SHORT_TEXT),
            Some(CaseType::Enforcement) => {
                p.text("details.basis", &d.basis, SHORT_TEXT);
                p.date("details.basis_effective", &d.basis_effective);
            }
            Some(CaseType::Preservation) => {
                match d.preservation_kind.trim() {
                    "" => p.put("details.preservation_kind", "error_required"),
                    "property" | "conduct" | "evidence" => {}
                    _ => p.put("details.preservation_kind", "error_choice"),
                }
                p.text("details.preserve_what", &d.preserve_what, LONG_TEXT);
                if d.pre_suit {
                    p.text("details.security", &d.security, LONG_TEXT);
                } else {
                    p.optional_text("details.security", &d.security, LONG_TEXT);
                }
            }
            Some(CaseType::Administrative) => {
                p.text("details.act", &d.act, SHORT_TEXT);
                p.date("details.act_known", &d.act_known);
            }
        }
        if self.relief.applied() {
            let r = &self.relief;
            for e in crate::fees::relief::ReliefApplication::problems(&r.kind, &r.ground, &r.reasons, self.applicant_is_natural_person(), r.files.len()) {
                p.put(&format!("relief.{}", e.field()), e.key());
            }
        }
    }

    /// Whether the party applying for relief is a natural person: every claimant (applicant) is
    /// one. Waiver is for natural persons only (art. 44), so one organisation among them is
    /// enough to rule it out.
    pub fn applicant_is_natural_person(&self) -> bool {
        self.parties
            .iter()
            .filter(|p| PartyRole::parse(&p.role) == Some(PartyRole::Claimant))
            .all(|p| PartyKind::parse(&p.kind) != Some(PartyKind::Organisation))
    }

    fn evidence_problems(&self, p: &mut Problems) {
        if self.evidence.len() > MAX_ITEMS {
            p.put("evidence", "error_too_many");
        }
        for (i, item) in self.evidence.iter().enumerate() {
            p.text(&format!("evidence.{i}.name"), &item.name, SHORT_TEXT);
            p.text(&format!("evidence.{i}.source"), &item.source, SHORT_TEXT);
            p.text(&format!("evidence.{i}.proves"), &item.proves, LONG_TEXT);
            if item.files.is_empty() {
                p.put(&format!("evidence.{i}.files"), "error_evidence_files");
            }
        }
    }

    /// The chosen case type, if valid.
    pub fn case_type(&self) -> Option<CaseType> {
        CaseType::parse(&self.case_type)
    }

    /// Sum of the money claims that parse (what the filer sees as they type).
    pub fn total_claimed(&self) -> Fen {
        Fen(self.claims.iter().filter_map(|c| Fen::parse_yuan(&c.amount).ok()).fold(0, |sum, f| sum.saturating_add(f.0)))
    }

    /// Every file the draft refers to (evidence files, the power of attorney, the proof of
    /// hardship of a relief application).
    pub fn files(&self) -> Vec<&FileRef> {
        let relief: &[FileRef] = if self.relief.applied() { &self.relief.files } else { &[] };
        self.evidence.iter().flat_map(|e| &e.files).chain(&self.agent.power_of_attorney).chain(relief).collect()
    }

    /// A short title for lists: `张三 诉 北京某某科技有限公司` (first claimant v first respondent),
    /// or the case type's word when parties are missing. `versus` is the connecting word
    /// (诉 / 訴 / v.), given by the page in the reader's language.
    pub fn title(&self, versus: &str) -> String {
        let first_named = |role| {
            self.parties
                .iter()
                .filter(|p| PartyRole::parse(&p.role) == Some(role))
                .map(|p| p.name.trim())
                .find(|name| !name.is_empty())
        };
        match (first_named(PartyRole::Claimant), first_named(PartyRole::Respondent)) {
            (Some(c), Some(r)) => format!("{c} {} {r}", versus.trim()),
            (Some(one), None) | (None, Some(one)) => one.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// Collects field problems, keeping the first found for each field (the one to fix first).
#[derive(Default)]
struct Problems(FieldErrors);

impl Problems {
    fn put(&mut self, path: &str, key: &str) {
        self.0.entry(path.to_string()).or_insert_with(|| key.to_string());
    }

    /// A text that must be given, at most `max` characters.
    fn text(&mut self, path: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.put(path, "error_required");
        } else {
            self.optional_text(path, value, max);
        }
    }

    fn optional_text(&mut self, path: &str, value: &str, max: usize) {
        if value.trim().chars().count() > max {
            self.put(path, "error_too_long");
        }
    }

    /// A value with a parser: required or not, checked whenever given.
    fn checked(&mut self, path: &str, value: &str, required: bool, problem: impl Fn(&str) -> Option<&'static str>) {
        if value.trim().is_empty() {
            if required {
                self.put(path, "error_required");
            }
        } else if let Some(key) = problem(value) {
            self.put(path, key);
        }
    }

    /// A required date, `YYYY-MM-DD`.
    fn date(&mut self, path: &str, value: &str) {
        self.checked(path, value, true, |s| parse_date(s).is_none().then_some("error_date"));
    }
}

/// A real date typed as `YYYY-MM-DD` (what a date input sends). Years before 1900 are refused:
/// no document a court enforces or act it reviews is that old, so such a year is a typo.
fn parse_date(raw: &str) -> Option<(u32, u32, u32)> {
    let s = raw.trim();
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let year = s[..4].parse().ok()?;
    let month = s[5..7].parse().ok()?;
    let day = s[8..].parse().ok()?;
    (year >= 1900 && is_real_date(year, month, day)).then_some((year, month, day))
}

// ---------------------------------------------------------------------------------------------
// The filing state machine

/// Where a filing stands. Draft → Submitted → (Returned → Resubmitted)* → Accepted | Refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FilingStatus {
    Draft,
    Submitted,
    Returned,
    Resubmitted,
    Accepted,
    Refused,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} filing cannot be {action}")]
pub struct TransitionError {
    pub from: FilingStatus,
    pub action: &'static str,
}

impl FilingStatus {
    pub const ALL: [FilingStatus; 6] = [
        FilingStatus::Draft,
        FilingStatus::Submitted,
        FilingStatus::Returned,
        FilingStatus::Resubmitted,
        FilingStatus::Accepted,
        FilingStatus::Refused,
    ];

    /// `draft`, `submitted`, `returned`, `resubmitted`, `accepted`, `refused`.
    pub fn as_str(self) -> &'static str {
        match self {
            FilingStatus::Draft => "draft",
            FilingStatus::Submitted => "submitted",
            FilingStatus::Returned => "returned",
            FilingStatus::Resubmitted => "resubmitted",
            FilingStatus::Accepted => "accepted",
            FilingStatus::Refused => "refused",
        }
    }
    pub fn parse(raw: &str) -> Option<FilingStatus> {
        let raw = raw.trim();
        FilingStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }
    /// Draft → Submitted; Returned → Resubmitted.
    pub fn submit(self) -> Result<FilingStatus, TransitionError> {
        match self {
            FilingStatus::Draft => Ok(FilingStatus::Submitted),
            FilingStatus::Returned => Ok(FilingStatus::Resubmitted),
            from => Err(TransitionError { from, action: "submitted" }),
        }
    }
    /// Submitted | Resubmitted → Accepted.
    pub fn accept(self) -> Result<FilingStatus, TransitionError> {
        self.decide(FilingStatus::Accepted, "accepted")
    }
    /// Submitted | Resubmitted → Returned.
    pub fn return_for_correction(self) -> Result<FilingStatus, TransitionError> {
        self.decide(FilingStatus::Returned, "returned")
    }
    /// Submitted | Resubmitted → Refused.
    pub fn refuse(self) -> Result<FilingStatus, TransitionError> {
        self.decide(FilingStatus::Refused, "refused")
    }
    /// The filer may change the content (Draft, Returned).
    pub fn editable(self) -> bool {
        matches!(self, FilingStatus::Draft | FilingStatus::Returned)
    }
    /// A clerk has to decide (Submitted, Resubmitted).
    pub fn awaiting_review(self) -> bool {
        matches!(self, FilingStatus::Submitted | FilingStatus::Resubmitted)
    }

    fn decide(self, to: FilingStatus, action: &'static str) -> Result<FilingStatus, TransitionError> {
        if self.awaiting_review() { Ok(to) } else { Err(TransitionError { from: self, action }) }
    }
}

// ---------------------------------------------------------------------------------------------
// The 7-day review clock (Civil Procedure Law art. 126)

/// The statutory time a court has to decide whether to accept a filing.
pub const REVIEW_DAYS: i64 = 7;

/// The end of the review period: 24:00 Beijing time of the 7th day after the day the filing
/// arrived (the period starts the day after arrival), or of the first working day after it when
/// that 7th day is a weekend day or public holiday (Civil Procedure Law art. 86).
pub fn review_deadline(arrived: UnixTime) -> UnixTime {
    let last_day = crate::courts::calendar::period_end(arrived.beijing_day().saturating_add(REVIEW_DAYS));
    UnixTime::beijing_midnight(last_day.saturating_add(1))
}

/// Whole days a filing has waited (Beijing calendar days since arrival), for the queue.
pub fn days_waiting(arrived: UnixTime, now: UnixTime) -> i64 {
    (now.beijing_day() - arrived.beijing_day()).max(0)
}

pub fn is_overdue(arrived: UnixTime, now: UnixTime) -> bool {
    now >= review_deadline(arrived)
}

// ---------------------------------------------------------------------------------------------
// Case numbers

/// A case number in the courts' format: `(2026)京0105民初123号`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseNumber {
    pub year: i32,
    pub court: CourtCode,
    pub case_type: CaseType,
    pub seq: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a case number in the form (2026)京0105民初123号")]
pub struct CaseNumberError;

impl CaseNumber {
    /// Parses `(2026)京0105民初123号`, also with full-width brackets `（2026）`.
    pub fn parse(raw: &str) -> Result<CaseNumber, CaseNumberError> {
        let s = raw.trim();
        let rest = s.strip_prefix(['(', '（']).ok_or(CaseNumberError)?;
        let (year, rest) = rest.split_once([')', '）']).ok_or(CaseNumberError)?;
        let body = rest.strip_suffix('号').ok_or(CaseNumberError)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CaseNumberError);
        }
        let year: i32 = year.parse().map_err(|_| CaseNumberError)?;
        let court_len = if body.starts_with(crate::courts::model::SUPREME) {
            crate::courts::model::SUPREME.len()
        } else {
            let province_len = body.chars().next().map_or(0, char::len_utf8);
            province_len + body[province_len..].bytes().take_while(u8::is_ascii_digit).count()
        };
        let (court, rest) = body.split_at_checked(court_len).ok_or(CaseNumberError)?;
        let court = CourtCode::parse(court).map_err(|_| CaseNumberError)?;
        // 执保 before 执: the shorter code is a prefix of the longer one.
        let mut types = CaseType::ALL;
        types.sort_by_key(|t| std::cmp::Reverse(t.code().len()));
        let (case_type, seq) = types
            .into_iter()
            .find_map(|t| rest.strip_prefix(t.code()).map(|seq| (t, seq)))
            .ok_or(CaseNumberError)?;
        if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CaseNumberError);
        }
        let seq: u32 = seq.parse().map_err(|_| CaseNumberError)?;
        if seq == 0 {
            return Err(CaseNumberError);
        }
        Ok(CaseNumber { year, court, case_type, seq })
    }

    /// The number the next accepted case of this court, year and type gets, given the last one
    /// given (None: the first of the year). Sequences are gap-free: last + 1.
    pub fn next(year: i32, court: CourtCode, case_type: CaseType, last_seq: Option<u32>) -> CaseNumber {
        let seq = last_seq.map_or(1, |last| last.saturating_add(1));
        CaseNumber { year, court, case_type, seq }
    }
}

impl fmt::Display for CaseNumber {
    /// Half-width brackets, as the courts print them online: `(2026)京0105民初123号`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:04}){}{}{}号", self.year, self.court, self.case_type.code(), self.seq)
    }
}

/// The filing number people quote on the phone and on paper: the filing's id in six digits.
pub fn filing_number(id: i64) -> String {
    format!("{id:06}")
}

/// The calendar year in Beijing of a moment (case numbers carry the year of acceptance).
pub fn beijing_year(t: UnixTime) -> i32 {
    let (year, _, _) = t.beijing_ymd();
    i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX })
}

// ---------------------------------------------------------------------------------------------
// Jurisdiction hints

/// Why a court is suggested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JurisdictionReason {
    /// 被告住所地 (Civil Procedure Law art. 22; administrative: the organ's seat, ALL art. 18).
    RespondentDomicile,
    /// 合同履行地 (art. 24, contract disputes).
    ContractPlace,
}

/// Basic-level courts whose district appears in a respondent's address or the contract place.
/// Matching: a court's `region` (e.g. `广东省广州市越秀区`, `北京市朝阳区`) with any leading
/// province (`…省`) removed must appear in the address (also with its province removed), e.g.
/// `广州市越秀区东风中路1号` → 粤0104, `北京市朝阳区建国路88号` → 京0105. Only basic courts with
/// a district-level region (region_code not ending in `00`) are candidates; special courts such
/// as internet courts never are. At most one suggestion per court, respondents first, in
/// party order, then the contract place; empty when nothing matches.
pub fn suggest_courts(courts: &[Court], draft: &Draft) -> Vec<(CourtCode, JurisdictionReason)> {
    let districts: Vec<(&CourtCode, String)> = courts
        .iter()
        .filter(|c| c.level == CourtLevel::Basic && !c.region_code.ends_with("00"))
        .map(|c| (&c.code, compact(without_province(&c.region))))
        .filter(|(_, region)| !region.is_empty())
        .collect();
    let respondent_addresses = draft
        .parties
        .iter()
        .filter(|p| PartyRole::parse(&p.role) == Some(PartyRole::Respondent))
        .map(|p| (p.address.as_str(), JurisdictionReason::RespondentDomicile));
    let places = respondent_addresses.chain([(draft.contract_place.as_str(), JurisdictionReason::ContractPlace)]);
    let mut found: Vec<(CourtCode, JurisdictionReason)> = Vec::new();
    for (address, reason) in places {
        let address = compact(without_province(address.trim()));
        if address.is_empty() {
            continue;
        }
        for (code, region) in &districts {
            if address.contains(region.as_str()) && !found.iter().any(|(c, _)| c == *code) {
                found.push(((*code).clone(), reason));
            }
        }
    }
    found
}

/// A place name without its leading province (`广东省广州市越秀区` → `广州市越秀区`), since
/// people often leave the province out; municipalities (`北京市`) have none to remove. Only a
/// short name before 省/自治区 counts, so `…大厦湖南省商会` keeps its district.
fn without_province(place: &str) -> &str {
    ["省", "自治区"]
        .iter()
        .find_map(|suffix| {
            let i = place.find(suffix)?;
            let province = &place[..i];
            let short_name = (2..=5).contains(&province.chars().count()) && !province.contains(['市', '区', '县']);
            short_name.then(|| &place[i + suffix.len()..])
        })
        .unwrap_or(place)
}

/// Without spaces, which people type inside addresses (`北京市 朝阳区`).
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---------------------------------------------------------------------------------------------
// Uploads

/// The file types a filing accepts: what courts can print and keep for decades (PDF) and what
/// phones photograph (JPEG, PNG).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    /// `pdf`, `jpeg`, `png`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
        }
    }
    pub fn parse(raw: &str) -> Option<FileKind> {
        match raw.trim() {
            "pdf" => Some(FileKind::Pdf),
            "jpeg" => Some(FileKind::Jpeg),
            "png" => Some(FileKind::Png),
            _ => None,
        }
    }
    /// `application/pdf`, `image/jpeg`, `image/png`.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }
    /// Decides the type from the first bytes of the content (never the name): `%PDF-`,
    /// `FF D8 FF`, `89 50 4E 47 0D 0A 1A 0A`. Anything else (an executable named .pdf) is None.
    pub fn sniff(head: &[u8]) -> Option<FileKind> {
        if head.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileKind::Png)
        } else {
            None
        }
    }
}

/// Largest file, and largest total of one filing's files.
pub const MAX_FILE_BYTES: i64 = 20 * 1024 * 1024;
pub const MAX_FILING_BYTES: i64 = 200 * 1024 * 1024;
/// Size of one upload chunk: small enough to finish on a weak mobile link, so a dropped
/// connection loses at most one chunk.
pub const CHUNK_BYTES: i64 = 512 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("a file may be at most 20 MB")]
    FileTooLarge,
    #[error("a filing's files may be at most 200 MB together")]
    FilingTooLarge,
    #[error("only PDF, JPEG and PNG files are accepted")]
    WrongType,
}

impl UploadError {
    /// `error_file_empty`, `error_file_too_large`, `error_filing_too_large`, `error_file_type`.
    pub fn key(self) -> &'static str {
        match self {
            UploadError::Empty => "error_file_empty",
            UploadError::FileTooLarge => "error_file_too_large",
            UploadError::FilingTooLarge => "error_filing_too_large",
            UploadError::WrongType => "error_file_type",
        }
    }
}

/// May a file of `size` bytes join a filing that already holds `filing_total` bytes?
pub fn check_upload_size(size: i64, filing_total: i64) -> Result<(), UploadError> {
    if size <= 0 {
        Err(UploadError::Empty)
    } else if size > MAX_FILE_BYTES {
        Err(UploadError::FileTooLarge)
    } else if filing_total.max(0).saturating_add(size) > MAX_FILING_BYTES {
        Err(UploadError::FilingTooLarge)
    } else {
        Ok(())
    }
}

/// Longest file name kept, in characters.
const MAX_FILE_NAME_CHARS: usize = 100;
/// Extensions up to this long survive shortening, so a shortened name still opens.
const MAX_KEPT_EXTENSION_CHARS: usize = 10;

/// A file name made safe to show and to offer for download: path parts removed, control
/// characters dropped, at most 100 characters, never empty (`file`).
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    // Bidirectional controls are dropped too: `证据\u{202E}fdp.exe` would show as `证据exe.pdf`.
    let kept: String = base.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).collect();
    let name = kept.trim();
    if name.is_empty() || name == "." || name == ".." {
        return "file".to_string();
    }
    if name.chars().count() <= MAX_FILE_NAME_CHARS {
        return name.to_string();
    }
    let extension = name
        .rfind('.')
        .map(|i| &name[i..])
        .filter(|ext| ext.chars().count() <= MAX_KEPT_EXTENSION_CHARS)
        .unwrap_or("");
    let stem: String = name.chars().take(MAX_FILE_NAME_CHARS - extension.chars().count()).collect();
    format!("{}{extension}", stem.trim_end())
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::model::IdError;

    // -----------------------------------------------------------------------------------------
    // Helpers

    /// A moment given in Beijing wall-clock time.
    fn bj(y: i64, m: u32, d: u32, h: i64, min: i64) -> UnixTime {
        // Howard Hinnant's days_from_civil, kept here so the tests do not lean on the code tested.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = i64::from((m + 9) % 12);
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        UnixTime(days * 86_400 + h * 3600 + min * 60 - 8 * 3600)
    }

    fn file(id: i64) -> FileRef {
        FileRef { id, name: format!("证据{id}.pdf"), sha256: "ab".repeat(32), size: 1000, kind: "pdf".into() }
    }

    fn person(role: &str, name: &str) -> PartyInput {
        PartyInput {
            role: role.into(),
            kind: "person".into(),
            name: name.into(),
            id_number: "11010519491231002X".into(),
            phone: "13800138000".into(),
            address: "北京市朝阳区建国路88号".into(),
            ..PartyInput::default()
        }
    }

    fn organisation(role: &str, name: &str) -> PartyInput {
        PartyInput {
            role: role.into(),
            kind: "organisation".into(),
            name: name.into(),
            uscc: "91110108551385082Q".into(),
            representative: "雷军".into(),
            address: "北京市海淀区西二旗中路33号".into(),
            ..PartyInput::default()
        }
    }

    /// A draft with nothing wrong for the given case type.
    fn valid_draft(case_type: CaseType) -> Draft {
        let respondent = if case_type == CaseType::Administrative {
            organisation("respondent", "北京市朝阳区市场监督管理局")
        } else {
            organisation("respondent", "北京某某科技有限公司")
        };
        let details = match case_type {
            CaseType::CivilFirstInstance => DetailsInput { cause: "买卖合同纠纷".into(), ..DetailsInput::default() },
            CaseType::Enforcement => DetailsInput {
                basis: "(2025)京0105民初456号民事判决书".into(),
                basis_effective: "2025-11-03".into(),
                ..DetailsInput::default()
            },
            CaseType::Preservation => DetailsInput {
                preservation_kind: "property".into(),
                pre_suit: true,
                preserve_what: "被申请人在某银行的存款100万元".into(),
                security: "保险公司保函".into(),
                ..DetailsInput::default()
            },
            CaseType::Administrative => DetailsInput {
                act: "京朝市监罚〔2025〕123号行政处罚决定".into(),
                act_known: "2025-12-01".into(),
                ..DetailsInput::default()
            },
        };
        Draft {
            case_type: case_type.as_str().into(),
            court: "京0105".into(),
            contract_place: String::new(),
            parties: vec![person("claimant", "张三"), respondent],
            agent: AgentInput::default(),
            details,
            claims: vec![ClaimInput { text: "判令被告支付货款".into(), amount: "12,345.60".into() }],
            facts: "2025年3月，原告向被告供货，被告至今未付款。".into(),
            evidence: vec![EvidenceInput {
                name: "买卖合同".into(),
                source: "原告持有".into(),
                proves: "双方存在买卖合同关系".into(),
                files: vec![file(1)],
            }],
            relief: ReliefInput::default(),
            declaration: true,
        }
    }

    fn errors(pairs: &[(&str, &str)]) -> FieldErrors {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn court_directory() -> Vec<Court> {
        serde_json::from_str(include_str!("../courts/directory.json")).unwrap()
    }

    fn codes(found: &[(CourtCode, JurisdictionReason)]) -> Vec<(&str, JurisdictionReason)> {
        found.iter().map(|(c, r)| (c.as_str(), *r)).collect()
    }

    // -----------------------------------------------------------------------------------------
    // Money

    #[test]
    fn amounts_are_read_as_people_type_them() {
        let cases = [
            ("12345", 1_234_500),
            ("12,345.6", 1_234_560),
            ("１２３４５.６７", 1_234_567),
            ("１２，３４５．６", 1_234_560),
            ("¥12345", 1_234_500),
            ("￥12345", 1_234_500),
            ("12345元", 1_234_500),
            ("  ¥ 1,234,567.89 元  ", 123_456_789),
            ("\u{3000}88\u{3000}", 8_800),
            ("0.01", 1),
            (".5", 50),
            ("5.", 500),
            ("0005", 500),
        ];
        for (typed, fen) in cases {
            assert_eq!(Fen::parse_yuan(typed), Ok(Fen(fen)), "{typed:?}");
        }
    }

    #[test]
    fn an_empty_or_garbled_amount_is_a_format_error() {
        for typed in ["", "   ", "abc", "12a", "1.2.3", "¥", "元", ".", ",", "1 234", "12,34", "1234,567", "1,23.5", "+5", "-abc", "-", "1e5", "1.2,3"] {
            assert_eq!(Fen::parse_yuan(typed), Err(MoneyError::Format), "{typed:?}");
        }
    }

    #[test]
    fn an_amount_with_more_than_two_decimals_is_refused_for_precision() {
        assert_eq!(Fen::parse_yuan("1.234"), Err(MoneyError::Precision));
        assert_eq!(Fen::parse_yuan("0.001"), Err(MoneyError::Precision));
        assert_eq!(Fen::parse_yuan("1.500"), Err(MoneyError::Precision), "trailing zeros are still decimals");
    }

    #[test]
    fn zero_and_negative_amounts_are_not_positive() {
        for typed in ["0", "0.00", "-5", "-0", "－5", "-¥5", "¥-5", " - 12,345.67 元", "-1.234"] {
            assert_eq!(Fen::parse_yuan(typed), Err(MoneyError::NotPositive), "{typed:?}");
        }
    }

    #[test]
    fn an_amount_above_the_limit_is_too_large_and_never_overflows() {
        assert_eq!(Fen::parse_yuan("1000000000000"), Ok(Fen(MAX_CLAIM_FEN)));
        assert_eq!(Fen::parse_yuan("1,000,000,000,000.00"), Ok(Fen(MAX_CLAIM_FEN)));
        assert_eq!(Fen::parse_yuan("1000000000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(Fen::parse_yuan(&"9".repeat(1000)), Err(MoneyError::TooLarge));
        assert_eq!(Fen::parse_yuan(&format!("{}1", "0".repeat(1000))), Ok(Fen(100)), "leading zeros add nothing");
    }

    #[test]
    fn money_errors_have_their_translation_keys() {
        assert_eq!(MoneyError::Format.key(), "error_amount");
        assert_eq!(MoneyError::Precision.key(), "error_amount_precision");
        assert_eq!(MoneyError::NotPositive.key(), "error_amount_positive");
        assert_eq!(MoneyError::TooLarge.key(), "error_amount_too_large");
    }

    #[test]
    fn amounts_are_shown_with_thousands_separators_and_two_decimals() {
        assert_eq!(Fen(1_234_567).yuan(), "12,345.67");
        assert_eq!(Fen(5).yuan(), "0.05");
        assert_eq!(Fen(0).yuan(), "0.00");
        assert_eq!(Fen(100).yuan(), "1.00");
        assert_eq!(Fen(99_999).yuan(), "999.99");
        assert_eq!(Fen(100_000).yuan(), "1,000.00");
        assert_eq!(Fen(MAX_CLAIM_FEN).yuan(), "1,000,000,000,000.00");
        assert_eq!(Fen(-123_456).yuan(), "-1,234.56");
        assert!(Fen(i64::MIN).yuan().starts_with("-92,233,720"));
    }

    #[test]
    fn a_shown_amount_reads_back_as_the_same_amount() {
        for fen in [1, 10, 99, 100, 123_456, 100_000_000, 987_654_321_012, MAX_CLAIM_FEN] {
            assert_eq!(Fen::parse_yuan(&Fen(fen).yuan()), Ok(Fen(fen)));
        }
    }

    // -----------------------------------------------------------------------------------------
    // Unified social credit codes

    /// Published codes: Huawei Technologies, Tencent (Shenzhen), Xiaomi Technology, Baidu
    /// (Beijing Netcom); each checked against the GB 32100-2015 formula before use here.
    const REAL_USCCS: [&str; 4] = ["914403001922038216", "91440300708461136T", "91110108551385082Q", "91110000802100433B"];

    #[test]
    fn published_credit_codes_of_real_companies_are_accepted() {
        for code in REAL_USCCS {
            assert_eq!(Uscc::parse(code).map(|u| u.as_str().to_string()), Ok(code.to_string()));
        }
    }

    #[test]
    fn a_credit_code_typed_in_lower_case_with_spaces_is_accepted_in_canonical_form() {
        let uscc = Uscc::parse(" 9144 0300 7084 6113 6t ").unwrap();
        assert_eq!(uscc.as_str(), "91440300708461136T");
        assert_eq!(Uscc::parse("91110000802100433b").unwrap().as_str(), "91110000802100433B");
    }

    #[test]
    fn a_credit_code_with_one_character_changed_is_refused() {
        let charset: Vec<char> = USCC_CHARSET.chars().collect();
        for code in REAL_USCCS {
            for i in 0..18 {
                let mut chars: Vec<char> = code.chars().collect();
                let at = charset.iter().position(|c| *c == chars[i]).unwrap();
                chars[i] = charset[(at + 1) % charset.len()];
                let changed: String = chars.into_iter().collect();
                assert_eq!(Uscc::parse(&changed), Err(UsccError::CheckCharacter), "{changed}");
            }
        }
    }

    #[test]
    fn a_credit_code_with_a_forbidden_letter_or_wrong_length_is_a_format_error() {
        for letter in ['I', 'O', 'Z', 'S', 'V'] {
            let code = format!("91440300708461136{letter}");
            assert_eq!(Uscc::parse(&code), Err(UsccError::Format), "{code}");
            let inside = format!("9144030070846{letter}136T");
            assert_eq!(Uscc::parse(&inside), Err(UsccError::Format), "{inside}");
        }
        assert_eq!(Uscc::parse(""), Err(UsccError::Format));
        assert_eq!(Uscc::parse("91440300708461136"), Err(UsccError::Format));
        assert_eq!(Uscc::parse("91440300708461136TT"), Err(UsccError::Format));
        assert_eq!(Uscc::parse("9144030070846113-T"), Err(UsccError::Format));
        assert_eq!(Uscc::parse("９1440300708461136T"), Err(UsccError::Format));
    }

    #[test]
    fn credit_code_errors_have_their_translation_keys_and_serde_goes_through_parse() {
        assert_eq!(UsccError::Format.key(), "error_uscc_format");
        assert_eq!(UsccError::CheckCharacter.key(), "error_uscc_check");
        let read: Uscc = serde_json::from_str("\"91110108551385082q\"").unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), "\"91110108551385082Q\"");
        assert!(serde_json::from_str::<Uscc>("\"91110108551385082A\"").is_err());
    }

    // -----------------------------------------------------------------------------------------
    // Names of choices

    #[test]
    fn every_choice_reads_back_from_its_name_and_unknown_names_are_none() {
        for t in CaseType::ALL {
            assert_eq!(CaseType::parse(t.as_str()), Some(t));
        }
        for r in [PartyRole::Claimant, PartyRole::Respondent, PartyRole::ThirdParty] {
            assert_eq!(PartyRole::parse(r.as_str()), Some(r));
        }
        for k in [PartyKind::Person, PartyKind::Organisation] {
            assert_eq!(PartyKind::parse(k.as_str()), Some(k));
        }
        for s in Step::ALL {
            assert_eq!(Step::parse(s.as_str()), Some(s));
        }
        for s in FilingStatus::ALL {
            assert_eq!(FilingStatus::parse(s.as_str()), Some(s));
        }
        for k in [FileKind::Pdf, FileKind::Jpeg, FileKind::Png] {
            assert_eq!(FileKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(CaseType::parse("criminal"), None);
        assert_eq!(CaseType::parse(""), None);
        assert_eq!(PartyRole::parse("judge"), None);
        assert_eq!(PartyKind::parse("robot"), None);
        assert_eq!(Step::parse("payment"), None);
        assert_eq!(FilingStatus::parse("lost"), None);
        assert_eq!(FileKind::parse("exe"), None);
    }

    #[test]
    fn choice_names_are_the_ones_forms_and_storage_use() {
        let names: Vec<_> = CaseType::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(names, ["civil", "enforcement", "preservation", "administrative"]);
        let steps: Vec<_> = Step::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(steps, ["case_type", "court", "parties", "agent", "claims", "facts", "evidence", "review"]);
        let statuses: Vec<_> = FilingStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(statuses, ["draft", "submitted", "returned", "resubmitted", "accepted", "refused"]);
        assert_eq!(PartyRole::ThirdParty.as_str(), "third_party");
        assert_eq!(PartyKind::Organisation.as_str(), "organisation");
        assert_eq!(FileKind::Pdf.mime(), "application/pdf");
        assert_eq!(FileKind::Jpeg.mime(), "image/jpeg");
        assert_eq!(FileKind::Png.mime(), "image/png");
    }

    #[test]
    fn each_case_type_has_its_case_number_code_and_third_party_rule() {
        let codes: Vec<_> = CaseType::ALL.iter().map(|t| t.code()).collect();
        assert_eq!(codes, ["民初", "执", "执保", "行初"]);
        assert!(CaseType::CivilFirstInstance.has_third_parties());
        assert!(CaseType::Administrative.has_third_parties());
        assert!(!CaseType::Enforcement.has_third_parties());
        assert!(!CaseType::Preservation.has_third_parties());
    }

    // -----------------------------------------------------------------------------------------
    // Steps

    #[test]
    fn steps_are_numbered_from_one_and_walk_forward_and_back() {
        for (i, step) in Step::ALL.into_iter().enumerate() {
            assert_eq!(step.number(), i + 1);
            assert_eq!(step.next(), Step::ALL.get(i + 1).copied());
            assert_eq!(step.previous(), i.checked_sub(1).map(|j| Step::ALL[j]));
        }
        assert_eq!(Step::CaseType.previous(), None);
        assert_eq!(Step::Review.next(), None);
    }

    #[test]
    fn a_field_path_leads_to_the_step_where_it_is_edited() {
        let cases = [
            ("case_type", Step::CaseType),
            ("court", Step::Court),
            ("contract_place", Step::Court),
            ("parties", Step::Parties),
            ("parties.0.name", Step::Parties),
            ("parties.12.uscc", Step::Parties),
            ("agent.power_of_attorney", Step::Agent),
            ("claims", Step::Claims),
            ("claims.3.amount", Step::Claims),
            ("details.cause", Step::Claims),
            ("details.act_known", Step::Claims),
            ("facts", Step::Facts),
            ("evidence.0.files", Step::Evidence),
            ("declaration", Step::Review),
            ("", Step::Review),
            ("something_else.0", Step::Review),
        ];
        for (path, step) in cases {
            assert_eq!(Step::of_field(path), step, "{path}");
        }
    }

    #[test]
    fn every_problem_a_step_reports_is_on_a_path_that_leads_back_to_that_step() {
        let mut draft = Draft {
            case_type: "administrative".into(),
            court: "X".into(),
            contract_place: "地".repeat(SHORT_TEXT + 1),
            parties: vec![PartyInput { role: "claimant".into(), kind: "organisation".into(), ..PartyInput::default() }],
            agent: AgentInput { client_id: Some(7), ..AgentInput::default() },
            claims: vec![ClaimInput { text: String::new(), amount: "x".into() }],
            evidence: vec![EvidenceInput::default()],
            ..Draft::default()
        };
        let mut seen = std::collections::BTreeSet::new();
        for case_type in CaseType::ALL {
            draft.case_type = case_type.as_str().into();
            draft.details.pre_suit = case_type == CaseType::Preservation;
            for step in Step::ALL.into_iter().filter(|s| *s != Step::Review) {
                for path in draft.problems(step).into_keys() {
                    assert_eq!(Step::of_field(&path), step, "{path} reported on {step:?}");
                    seen.insert(path);
                }
            }
        }
        // The wrong draft above reaches every kind of path, so the check is not vacuous.
        assert!(seen.len() >= 20, "{seen:?}");
    }

    // -----------------------------------------------------------------------------------------
    // The draft

    #[test]
    fn a_complete_draft_of_every_case_type_has_no_problems() {
        for case_type in CaseType::ALL {
            let draft = valid_draft(case_type);
            assert_eq!(draft.all_problems(), FieldErrors::new(), "{case_type:?}");
            for step in Step::ALL {
                assert!(draft.problems(step).is_empty(), "{case_type:?} {step:?}");
            }
        }
    }

    #[test]
    fn an_empty_draft_asks_for_the_case_type_court_parties_facts_and_declaration() {
        let draft = Draft::default();
        assert_eq!(draft.problems(Step::CaseType), errors(&[("case_type", "error_case_type")]));
        assert_eq!(draft.problems(Step::Court), errors(&[("court", "error_court")]));
        assert_eq!(draft.problems(Step::Parties), errors(&[("parties", "error_need_claimant")]));
        assert_eq!(draft.problems(Step::Agent), FieldErrors::new());
        assert_eq!(draft.problems(Step::Claims), FieldErrors::new(), "claims depend on the case type");
        assert_eq!(draft.problems(Step::Facts), errors(&[("facts", "error_required")]));
        assert_eq!(draft.problems(Step::Evidence), FieldErrors::new(), "evidence is optional");
        assert_eq!(
            draft.all_problems(),
            errors(&[
                ("case_type", "error_case_type"),
                ("court", "error_court"),
                ("parties", "error_need_claimant"),
                ("facts", "error_required"),
                ("declaration", "error_declaration"),
            ])
        );
    }

    #[test]
    fn an_unknown_case_type_or_court_code_is_named_as_such() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.case_type = "criminal".into();
        draft.court = "X0105".into();
        assert_eq!(draft.problems(Step::CaseType), errors(&[("case_type", "error_case_type")]));
        assert_eq!(draft.problems(Step::Court), errors(&[("court", "error_court")]));
        draft.court = "京010".into();
        assert_eq!(draft.problems(Step::Court), errors(&[("court", "error_court")]));
        draft.court = "  ".into();
        assert_eq!(draft.problems(Step::Court), errors(&[("court", "error_court")]));
        draft.court = " 粤0104 ".into();
        draft.contract_place = "地".repeat(SHORT_TEXT + 1);
        assert_eq!(draft.problems(Step::Court), errors(&[("contract_place", "error_too_long")]));
    }

    #[test]
    fn a_filing_needs_a_claimant_and_a_respondent_and_claimant_is_asked_for_first() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties = vec![organisation("respondent", "某公司")];
        assert_eq!(draft.problems(Step::Parties), errors(&[("parties", "error_need_claimant")]));
        draft.parties = vec![person("claimant", "张三")];
        assert_eq!(draft.problems(Step::Parties), errors(&[("parties", "error_need_respondent")]));
        draft.parties = vec![];
        assert_eq!(draft.problems(Step::Parties), errors(&[("parties", "error_need_claimant")]));
    }

    #[test]
    fn more_than_fifty_parties_claims_or_evidence_items_are_too_many() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties.extend((0..MAX_ITEMS - 2).map(|i| person("respondent", &format!("被告{i}"))));
        assert!(draft.problems(Step::Parties).is_empty(), "exactly fifty parties are fine");
        draft.parties.push(person("respondent", "再一个"));
        assert_eq!(draft.problems(Step::Parties).get("parties").map(String::as_str), Some("error_too_many"));

        draft.claims = vec![ClaimInput { text: "请求".into(), amount: String::new() }; MAX_ITEMS + 1];
        assert_eq!(draft.problems(Step::Claims), errors(&[("claims", "error_too_many")]));
        draft.evidence = vec![valid_draft(CaseType::CivilFirstInstance).evidence[0].clone(); MAX_ITEMS + 1];
        assert_eq!(draft.problems(Step::Evidence), errors(&[("evidence", "error_too_many")]));
    }

    #[test]
    fn a_claimant_person_must_give_an_id_number_and_a_mobile_number() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties[0].id_number = " ".into();
        draft.parties[0].phone = String::new();
        assert_eq!(
            draft.problems(Step::Parties),
            errors(&[("parties.0.id_number", "error_required"), ("parties.0.phone", "error_required")])
        );
        draft.parties[0].id_number = "110105194912310021".into();
        draft.parties[0].phone = "12800138000".into();
        assert_eq!(
            draft.problems(Step::Parties),
            errors(&[("parties.0.id_number", IdError::CheckCharacter.key()), ("parties.0.phone", "error_mobile")])
        );
        draft.parties[0].id_number = "99010519491231002X".into();
        assert_eq!(draft.problems(Step::Parties).get("parties.0.id_number").map(String::as_str), Some("error_id_region"));
    }

    #[test]
    fn the_other_sides_id_and_phone_are_optional_but_checked_when_given() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        let mut respondent = person("respondent", "李四");
        respondent.id_number = String::new();
        respondent.phone = String::new();
        draft.parties[1] = respondent;
        assert!(draft.problems(Step::Parties).is_empty());
        draft.parties[1].id_number = "1101051949".into();
        draft.parties[1].phone = "138".into();
        assert_eq!(
            draft.problems(Step::Parties),
            errors(&[("parties.1.id_number", "error_id_format"), ("parties.1.phone", "error_mobile")])
        );
    }

    #[test]
    fn a_claimant_organisation_must_give_its_credit_code_and_representative() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties[0] = organisation("claimant", "小米科技有限责任公司");
        assert!(draft.problems(Step::Parties).is_empty());
        draft.parties[0].uscc = String::new();
        draft.parties[0].representative = "  ".into();
        assert_eq!(
            draft.problems(Step::Parties),
            errors(&[("parties.0.uscc", "error_required"), ("parties.0.representative", "error_required")])
        );
        draft.parties[0].uscc = "91110108551385082A".into();
        draft.parties[0].representative = "雷军".into();
        assert_eq!(draft.problems(Step::Parties), errors(&[("parties.0.uscc", "error_uscc_check")]));
        draft.parties[0].uscc = "9111010855138508".into();
        assert_eq!(draft.problems(Step::Parties), errors(&[("parties.0.uscc", "error_uscc_format")]));
    }

    #[test]
    fn a_respondent_organisation_may_omit_its_credit_code_and_representative() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties[1].uscc = String::new();
        draft.parties[1].representative = String::new();
        assert!(draft.problems(Step::Parties).is_empty());
        draft.parties[1].uscc = "91440300708461136S".into();
        assert_eq!(draft.problems(Step::Parties), errors(&[("parties.1.uscc", "error_uscc_format")]));
    }

    #[test]
    fn fields_that_do_not_belong_to_the_partys_kind_are_ignored() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties[0].uscc = "garbage".into();
        draft.parties[0].representative = "x".repeat(SHORT_TEXT + 5);
        draft.parties[1].id_number = "garbage".into();
        draft.parties[1].phone = "garbage".into();
        assert!(draft.problems(Step::Parties).is_empty());
    }

    #[test]
    fn every_party_needs_a_name_and_an_address_of_reasonable_length() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties[0].name = " \t ".into();
        draft.parties[1].address = String::new();
        assert_eq!(
            draft.problems(Step::Parties),
            errors(&[("parties.0.name", "error_required"), ("parties.1.address", "error_required")])
        );
        draft.parties[0].name = "张".repeat(SHORT_TEXT);
        draft.parties[1].address = "路".repeat(SHORT_TEXT + 1);
        assert_eq!(draft.problems(Step::Parties), errors(&[("parties.1.address", "error_too_long")]));
    }

    #[test]
    fn an_unknown_role_or_kind_is_a_wrong_choice() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties.push(PartyInput { role: "witness".into(), kind: "robot".into(), ..person("", "王五") });
        draft.parties[2].id_number = "garbage".into();
        assert_eq!(
            draft.problems(Step::Parties),
            errors(&[("parties.2.role", "error_choice"), ("parties.2.kind", "error_choice")]),
            "without a kind, no kind-specific field can be judged"
        );
    }

    #[test]
    fn a_third_party_is_refused_where_the_case_type_has_none() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties.push(person("third_party", "赵六"));
        draft.parties[2].id_number = String::new();
        draft.parties[2].phone = String::new();
        assert!(draft.problems(Step::Parties).is_empty(), "civil cases have third parties");
        for case_type in [CaseType::Enforcement, CaseType::Preservation] {
            draft.case_type = case_type.as_str().into();
            assert_eq!(draft.problems(Step::Parties), errors(&[("parties.2.role", "error_choice")]), "{case_type:?}");
        }
        draft.case_type = String::new();
        assert!(draft.problems(Step::Parties).is_empty(), "not yet judged before the case type is chosen");
    }

    #[test]
    fn an_administrative_suit_is_against_an_organisation_not_a_person() {
        let mut draft = valid_draft(CaseType::Administrative);
        draft.parties[1] = person("respondent", "某局长");
        assert_eq!(draft.problems(Step::Parties), errors(&[("parties.1.kind", "error_choice")]));
        draft.case_type = "civil".into();
        assert!(draft.problems(Step::Parties).is_empty());
    }

    #[test]
    fn filing_for_a_client_needs_a_power_of_attorney() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.agent = AgentInput { client_id: Some(42), client_name: "张三".into(), power_of_attorney: None };
        assert_eq!(draft.problems(Step::Agent), errors(&[("agent.power_of_attorney", "error_power_of_attorney")]));
        draft.agent.power_of_attorney = Some(file(9));
        assert!(draft.problems(Step::Agent).is_empty());
        draft.agent = AgentInput { client_id: None, client_name: String::new(), power_of_attorney: None };
        assert!(draft.problems(Step::Agent).is_empty());
    }

    #[test]
    fn every_case_type_but_preservation_needs_a_claim() {
        for case_type in CaseType::ALL {
            let mut draft = valid_draft(case_type);
            draft.claims.clear();
            let expected = if case_type == CaseType::Preservation {
                FieldErrors::new()
            } else {
                errors(&[("claims", "error_need_claim")])
            };
            assert_eq!(draft.problems(Step::Claims), expected, "{case_type:?}");
        }
    }

    #[test]
    fn a_claim_needs_its_text_and_a_given_amount_must_be_money() {
        let mut draft = valid_draft(CaseType::Preservation);
        draft.claims = vec![
            ClaimInput { text: "  ".into(), amount: String::new() },
            ClaimInput { text: "支付".into(), amount: "abc".into() },
            ClaimInput { text: "支付".into(), amount: "1.234".into() },
            ClaimInput { text: "支付".into(), amount: "0".into() },
            ClaimInput { text: "字".repeat(LONG_TEXT + 1), amount: "2000000000000".into() },
            ClaimInput { text: "字".repeat(LONG_TEXT), amount: "  ".into() },
        ];
        assert_eq!(
            draft.problems(Step::Claims),
            errors(&[
                ("claims.0.text", "error_required"),
                ("claims.1.amount", "error_amount"),
                ("claims.2.amount", "error_amount_precision"),
                ("claims.3.amount", "error_amount_positive"),
                ("claims.4.text", "error_too_long"),
                ("claims.4.amount", "error_amount_too_large"),
            ])
        );
    }

    #[test]
    fn without_a_case_type_the_claims_step_checks_only_the_claims_themselves() {
        let draft = Draft {
            claims: vec![ClaimInput { text: String::new(), amount: "x".into() }],
            ..Draft::default()
        };
        assert_eq!(
            draft.problems(Step::Claims),
            errors(&[("claims.0.text", "error_required"), ("claims.0.amount", "error_amount")])
        );
    }

    #[test]
    fn a_civil_filing_names_its_cause_of_action() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.details.cause = " ".into();
        draft.details.basis = String::new();
        assert_eq!(draft.problems(Step::Claims), errors(&[("details.cause", "error_required")]));
        draft.details.cause = "纠".repeat(SHORT_TEXT + 1);
        assert_eq!(draft.problems(Step::Claims), errors(&[("details.cause", "error_too_long")]));
    }

    #[test]
    fn an_enforcement_names_its_basis_and_the_real_date_it_took_effect() {
        let mut draft = valid_draft(CaseType::Enforcement);
        draft.details.basis = String::new();
        draft.details.basis_effective = String::new();
        assert_eq!(
            draft.problems(Step::Claims),
            errors(&[("details.basis", "error_required"), ("details.basis_effective", "error_required")])
        );
        draft.details.basis = "(2025)京0105民初456号民事判决书".into();
        for wrong in ["2025-02-29", "2025-13-01", "2025-00-10", "2025/01/01", "2025-1-1", "25-01-01", "1899-12-31", "二〇二五年"] {
            draft.details.basis_effective = wrong.into();
            assert_eq!(draft.problems(Step::Claims), errors(&[("details.basis_effective", "error_date")]), "{wrong}");
        }
        for right in ["2024-02-29", " 2025-12-31 ", "2000-02-29"] {
            draft.details.basis_effective = right.into();
            assert!(draft.problems(Step::Claims).is_empty(), "{right}");
        }
    }

    #[test]
    fn a_preservation_names_its_kind_and_object_and_offers_security_before_suit() {
        let mut draft = valid_draft(CaseType::Preservation);
        draft.details.preservation_kind = String::new();
        draft.details.preserve_what = String::new();
        draft.details.security = String::new();
        assert_eq!(
            draft.problems(Step::Claims),
            errors(&[
                ("details.preservation_kind", "error_required"),
                ("details.preserve_what", "error_required"),
                ("details.security", "error_required"),
            ])
        );
        draft.details.preservation_kind = "money".into();
        draft.details.preserve_what = "房产".into();
        draft.details.pre_suit = false;
        assert_eq!(draft.problems(Step::Claims), errors(&[("details.preservation_kind", "error_choice")]));
        for kind in ["property", "conduct", "evidence"] {
            draft.details.preservation_kind = kind.into();
            assert!(draft.problems(Step::Claims).is_empty(), "{kind}; security is optional once suit is filed");
        }
    }

    #[test]
    fn an_administrative_filing_names_the_act_and_when_it_became_known() {
        let mut draft = valid_draft(CaseType::Administrative);
        draft.details.act = String::new();
        draft.details.act_known = "2025-04-31".into();
        assert_eq!(
            draft.problems(Step::Claims),
            errors(&[("details.act", "error_required"), ("details.act_known", "error_date")])
        );
        draft.details.act = "行政处罚决定".into();
        draft.details.act_known = String::new();
        assert_eq!(draft.problems(Step::Claims), errors(&[("details.act_known", "error_required")]));
    }

    #[test]
    fn only_the_details_of_the_chosen_case_type_are_checked() {
        for case_type in CaseType::ALL {
            let mut draft = valid_draft(case_type);
            let own = draft.details.clone();
            draft.details = DetailsInput::default();
            match case_type {
                CaseType::CivilFirstInstance => draft.details.cause = own.cause,
                CaseType::Enforcement => {
                    draft.details.basis = own.basis;
                    draft.details.basis_effective = own.basis_effective;
                }
                CaseType::Preservation => {
                    draft.details.preservation_kind = own.preservation_kind;
                    draft.details.preserve_what = own.preserve_what;
                }
                CaseType::Administrative => {
                    draft.details.act = own.act;
                    draft.details.act_known = own.act_known;
                }
            }
            assert!(draft.problems(Step::Claims).is_empty(), "{case_type:?}");
        }
    }

    #[test]
    fn facts_are_required_and_limited_in_length() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.facts = "\n  \n".into();
        assert_eq!(draft.problems(Step::Facts), errors(&[("facts", "error_required")]));
        draft.facts = "事".repeat(LONG_TEXT + 1);
        assert_eq!(draft.problems(Step::Facts), errors(&[("facts", "error_too_long")]));
        draft.facts = format!("  {}  ", "事".repeat(LONG_TEXT));
        assert!(draft.problems(Step::Facts).is_empty(), "surrounding spaces do not count");
    }

    #[test]
    fn an_evidence_item_needs_a_name_a_source_what_it_proves_and_a_file() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.evidence.push(EvidenceInput::default());
        assert_eq!(
            draft.problems(Step::Evidence),
            errors(&[
                ("evidence.1.name", "error_required"),
                ("evidence.1.source", "error_required"),
                ("evidence.1.proves", "error_required"),
                ("evidence.1.files", "error_evidence_files"),
            ])
        );
        draft.evidence.clear();
        assert!(draft.problems(Step::Evidence).is_empty());
    }

    #[test]
    fn review_reports_every_steps_problems_and_the_missing_declaration() {
        let mut draft = valid_draft(CaseType::Enforcement);
        draft.declaration = false;
        draft.court = "bad".into();
        draft.details.basis_effective = "tomorrow".into();
        draft.evidence[0].files.clear();
        let expected = errors(&[
            ("court", "error_court"),
            ("details.basis_effective", "error_date"),
            ("evidence.0.files", "error_evidence_files"),
            ("declaration", "error_declaration"),
        ]);
        assert_eq!(draft.problems(Step::Review), expected);
        assert_eq!(draft.all_problems(), expected);
        let union: FieldErrors = Step::ALL.iter().filter(|s| **s != Step::Review).flat_map(|s| draft.problems(*s)).collect();
        assert_eq!(union.len() + 1, expected.len());
    }

    #[test]
    fn the_total_claimed_adds_the_amounts_that_read_as_money() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.claims = vec![
            ClaimInput { text: "a".into(), amount: "12,345.60".into() },
            ClaimInput { text: "b".into(), amount: "¥100".into() },
            ClaimInput { text: "c".into(), amount: "abc".into() },
            ClaimInput { text: "d".into(), amount: String::new() },
        ];
        assert_eq!(draft.total_claimed(), Fen(1_244_560));
        assert_eq!(Draft::default().total_claimed(), Fen(0));
    }

    #[test]
    fn the_files_of_a_draft_are_its_evidence_files_and_the_power_of_attorney() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.evidence[0].files.push(file(2));
        draft.evidence.push(EvidenceInput { files: vec![file(3)], ..EvidenceInput::default() });
        draft.agent.power_of_attorney = Some(file(4));
        let ids: Vec<i64> = draft.files().iter().map(|f| f.id).collect();
        assert_eq!(ids, [1, 2, 3, 4]);
        assert!(Draft::default().files().is_empty());
    }

    #[test]
    fn a_title_names_the_first_claimant_and_the_first_respondent() {
        let mut draft = valid_draft(CaseType::CivilFirstInstance);
        draft.parties.insert(0, organisation("third_party", "第三人公司"));
        draft.parties.push(organisation("respondent", "第二被告"));
        draft.parties[1].name = "  张三 ".into();
        assert_eq!(draft.title("诉"), "张三 诉 北京某某科技有限公司");
        assert_eq!(draft.title("v."), "张三 v. 北京某某科技有限公司");
        draft.parties.retain(|p| p.role != "respondent");
        assert_eq!(draft.title("诉"), "张三");
        draft.parties = vec![organisation("respondent", "某公司")];
        assert_eq!(draft.title("诉"), "某公司");
        draft.parties.clear();
        assert_eq!(draft.title("诉"), "");
        draft.parties = vec![person("claimant", "   "), person("claimant", "李四"), person("respondent", "")];
        assert_eq!(draft.title("诉"), "李四", "blank names are skipped");
    }

    #[test]
    fn a_draft_survives_a_json_round_trip_unchanged() {
        let draft = valid_draft(CaseType::Preservation);
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), draft);
    }

    // -----------------------------------------------------------------------------------------
    // The filing state machine

    #[test]
    fn every_transition_is_allowed_exactly_where_the_rules_say() {
        use FilingStatus::*;
        type Action = fn(FilingStatus) -> Result<FilingStatus, TransitionError>;
        let actions: [(&str, Action); 4] = [
            ("submitted", FilingStatus::submit),
            ("accepted", FilingStatus::accept),
            ("returned", FilingStatus::return_for_correction),
            ("refused", FilingStatus::refuse),
        ];
        let legal = |from: FilingStatus, action: &str| match (from, action) {
            (Draft, "submitted") => Some(Submitted),
            (Returned, "submitted") => Some(Resubmitted),
            (Submitted | Resubmitted, "accepted") => Some(Accepted),
            (Submitted | Resubmitted, "returned") => Some(Returned),
            (Submitted | Resubmitted, "refused") => Some(Refused),
            _ => None,
        };
        let mut allowed = 0;
        for from in FilingStatus::ALL {
            for (action, apply) in actions {
                let expected = legal(from, action).ok_or(TransitionError { from, action });
                assert_eq!(apply(from), expected, "{from:?} {action}");
                allowed += usize::from(expected.is_ok());
            }
        }
        assert_eq!(allowed, 8);
    }

    #[test]
    fn a_returned_filing_goes_round_again_until_decided() {
        let s = FilingStatus::Draft.submit().unwrap();
        let s = s.return_for_correction().unwrap().submit().unwrap();
        assert_eq!(s, FilingStatus::Resubmitted);
        let s = s.return_for_correction().unwrap().submit().unwrap().accept().unwrap();
        assert_eq!(s, FilingStatus::Accepted);
        let err = s.refuse().unwrap_err();
        assert_eq!(err.to_string(), "a Accepted filing cannot be refused");
    }

    #[test]
    fn only_drafts_and_returned_filings_are_editable_and_only_submitted_ones_await_review() {
        for s in FilingStatus::ALL {
            assert_eq!(s.editable(), matches!(s, FilingStatus::Draft | FilingStatus::Returned), "{s:?}");
            assert_eq!(s.awaiting_review(), matches!(s, FilingStatus::Submitted | FilingStatus::Resubmitted), "{s:?}");
        }
    }

    // -----------------------------------------------------------------------------------------
    // The review clock

    #[test]
    fn the_test_clock_agrees_with_an_independent_calculation() {
        // Values from Python's datetime with tz=UTC+8.
        assert_eq!(bj(2026, 3, 2, 23, 59), UnixTime(1_772_467_140));
        assert_eq!(bj(2026, 3, 10, 0, 0), UnixTime(1_773_072_000));
    }

    #[test]
    fn the_review_period_ends_at_midnight_after_the_seventh_day_following_arrival() {
        assert_eq!(review_deadline(bj(2026, 3, 2, 23, 59)), bj(2026, 3, 10, 0, 0));
        assert_eq!(review_deadline(bj(2026, 3, 3, 0, 1)), bj(2026, 3, 11, 0, 0));
        assert_eq!(review_deadline(bj(2026, 3, 3, 0, 0)), bj(2026, 3, 11, 0, 0));
        assert_eq!(review_deadline(UnixTime(bj(2026, 3, 3, 0, 0).0 - 1)), bj(2026, 3, 10, 0, 0));
    }

    #[test]
    fn a_filing_arriving_late_in_the_evening_utc_counts_from_the_beijing_date() {
        // 2026-03-02 16:30 UTC is already 3 March in Beijing.
        let arrived = bj(2026, 3, 3, 0, 30);
        assert_eq!(arrived.beijing_ymd(), (2026, 3, 3));
        assert_eq!(review_deadline(arrived), bj(2026, 3, 11, 0, 0));
    }

    #[test]
    fn the_review_period_runs_over_month_and_year_ends() {
        assert_eq!(review_deadline(bj(2026, 1, 28, 10, 0)), bj(2026, 2, 5, 0, 0));
        assert_eq!(review_deadline(bj(2026, 2, 25, 10, 0)), bj(2026, 3, 5, 0, 0));
        assert_eq!(review_deadline(bj(2028, 2, 25, 10, 0)), bj(2028, 3, 4, 0, 0), "2028 is a leap year");
        assert_eq!(review_deadline(bj(2026, 12, 28, 9, 0)), bj(2027, 1, 5, 0, 0));
        assert_eq!(review_deadline(bj(2026, 12, 31, 23, 59)), bj(2027, 1, 8, 0, 0));
    }

    #[test]
    fn a_review_period_ending_on_a_weekend_or_holiday_runs_to_the_next_working_day() {
        // 7th day Saturday 14 March → Monday 16 March.
        assert_eq!(review_deadline(bj(2026, 3, 7, 10, 0)), bj(2026, 3, 17, 0, 0));
        // 7th day 1 October (国庆节, to 7 October) → Thursday 8 October.
        assert_eq!(review_deadline(bj(2026, 9, 24, 10, 0)), bj(2026, 10, 9, 0, 0));
        // 7th day Saturday 14 February, a working day (调休): no extension.
        assert_eq!(review_deadline(bj(2026, 2, 7, 10, 0)), bj(2026, 2, 15, 0, 0));
    }

    #[test]
    fn a_filing_is_overdue_from_the_deadline_on() {
        let arrived = bj(2026, 3, 2, 23, 59);
        let deadline = review_deadline(arrived);
        assert!(!is_overdue(arrived, UnixTime(deadline.0 - 1)));
        assert!(is_overdue(arrived, deadline));
        assert!(!is_overdue(arrived, arrived));
    }

    #[test]
    fn days_waiting_count_beijing_calendar_days_not_hours() {
        let late = bj(2026, 3, 2, 23, 59);
        assert_eq!(days_waiting(late, late), 0);
        assert_eq!(days_waiting(late, bj(2026, 3, 3, 0, 1)), 1, "two minutes later is the next day");
        let early = bj(2026, 3, 3, 0, 1);
        assert_eq!(days_waiting(early, bj(2026, 3, 3, 23, 58)), 0);
        assert_eq!(days_waiting(early, bj(2026, 3, 10, 12, 0)), 7);
        assert_eq!(days_waiting(bj(2026, 12, 31, 12, 0), bj(2027, 1, 1, 0, 0)), 1);
        assert_eq!(days_waiting(early, bj(2026, 3, 1, 0, 0)), 0, "a clock behind the arrival never gives negative days");
    }

    #[test]
    fn the_year_of_a_case_number_is_the_beijing_year() {
        assert_eq!(beijing_year(UnixTime(1_798_734_600)), 2027, "2026-12-31T16:30Z is 2027 in Beijing");
        assert_eq!(beijing_year(UnixTime(1_798_734_600 - 31 * 60)), 2026, "15:59Z is still 2026");
        assert_eq!(beijing_year(bj(2026, 6, 1, 12, 0)), 2026);
    }

    // -----------------------------------------------------------------------------------------
    // Case numbers

    fn case_number(year: i32, court: &str, case_type: CaseType, seq: u32) -> CaseNumber {
        CaseNumber { year, court: CourtCode::parse(court).unwrap(), case_type, seq }
    }

    #[test]
    fn a_case_number_is_printed_as_the_courts_print_it() {
        assert_eq!(case_number(2026, "京0105", CaseType::CivilFirstInstance, 123).to_string(), "(2026)京0105民初123号");
        assert_eq!(case_number(2026, "沪0115", CaseType::Preservation, 7).to_string(), "(2026)沪0115执保7号");
    }

    #[test]
    fn a_case_number_of_every_type_reads_back_from_its_printed_form() {
        let numbers = [
            case_number(2026, "京0105", CaseType::CivilFirstInstance, 123),
            case_number(2026, "京0105", CaseType::Enforcement, 1),
            case_number(2026, "京0105", CaseType::Preservation, 45),
            case_number(2025, "粤0104", CaseType::Administrative, 9999),
            case_number(2026, "最高法", CaseType::Enforcement, 3),
            case_number(2026, "最高法", CaseType::Preservation, 3),
            case_number(2026, "京01", CaseType::CivilFirstInstance, 8),
            case_number(2026, "京", CaseType::Administrative, 2),
        ];
        for number in numbers {
            let printed = number.to_string();
            assert_eq!(CaseNumber::parse(&printed), Ok(number.clone()), "{printed}");
        }
    }

    #[test]
    fn preservation_and_enforcement_codes_are_told_apart() {
        assert_eq!(CaseNumber::parse("(2026)京0105执保12号").unwrap().case_type, CaseType::Preservation);
        assert_eq!(CaseNumber::parse("(2026)京0105执12号").unwrap().case_type, CaseType::Enforcement);
        assert_eq!(CaseNumber::parse("(2026)最高法执保1号").unwrap().case_type, CaseType::Preservation);
    }

    #[test]
    fn a_case_number_with_full_width_brackets_reads_the_same() {
        let full = CaseNumber::parse(" （2026）京0105民初123号 ").unwrap();
        assert_eq!(full, case_number(2026, "京0105", CaseType::CivilFirstInstance, 123));
        assert_eq!(full.to_string(), "(2026)京0105民初123号");
    }

    #[test]
    fn a_malformed_case_number_is_refused() {
        for wrong in [
            "",
            "2026京0105民初123号",
            "(2026京0105民初123号",
            "(26)京0105民初123号",
            "(２０２６)京0105民初123号",
            "(2026)京0105民初123",
            "(2026)京0105民初号",
            "(2026)京0105民初0号",
            "(2026)京0105刑初123号",
            "(2026)京0105民终123号",
            "(2026)X0105民初123号",
            "(2026)京010民初123号",
            "(2026)京01050民初123号",
            "(2026)民初123号",
            "(2026)京0105民初12a号",
            "(2026)京0105民初123号附",
            "(2026)京0105民初99999999999号",
            "(2026)最高民初1号",
        ] {
            assert_eq!(CaseNumber::parse(wrong), Err(CaseNumberError), "{wrong:?}");
        }
    }

    #[test]
    fn the_next_case_number_follows_the_last_without_gaps() {
        let court = CourtCode::parse("京0105").unwrap();
        let first = CaseNumber::next(2026, court.clone(), CaseType::CivilFirstInstance, None);
        assert_eq!(first.to_string(), "(2026)京0105民初1号");
        let next = CaseNumber::next(2026, court, CaseType::CivilFirstInstance, Some(122));
        assert_eq!(next.to_string(), "(2026)京0105民初123号");
    }

    // -----------------------------------------------------------------------------------------
    // Jurisdiction hints

    fn draft_with(respondent_addresses: &[&str], contract_place: &str) -> Draft {
        let mut parties = vec![PartyInput { address: "北京市海淀区某路1号".into(), ..person("claimant", "张三") }];
        parties.extend(respondent_addresses.iter().map(|a| PartyInput { address: (*a).into(), ..organisation("respondent", "某公司") }));
        Draft { parties, contract_place: contract_place.into(), ..Draft::default() }
    }

    #[test]
    fn a_respondent_in_chaoyang_suggests_the_chaoyang_court() {
        let found = suggest_courts(&court_directory(), &draft_with(&["北京市朝阳区建国路88号"], ""));
        assert_eq!(codes(&found), [("京0105", JurisdictionReason::RespondentDomicile)]);
    }

    #[test]
    fn a_guangzhou_address_matches_with_or_without_its_province() {
        let courts = court_directory();
        for address in ["广东省广州市越秀区东风中路1号", "广州市越秀区东风中路1号", "广东省 广州市 越秀区 东风中路1号"] {
            let found = suggest_courts(&courts, &draft_with(&[address], ""));
            assert_eq!(codes(&found), [("粤0104", JurisdictionReason::RespondentDomicile)], "{address}");
        }
    }

    #[test]
    fn the_contract_place_suggests_its_court_after_the_respondents() {
        let courts = court_directory();
        let found = suggest_courts(&courts, &draft_with(&[], "上海市浦东新区世纪大道100号"));
        assert_eq!(codes(&found), [("沪0115", JurisdictionReason::ContractPlace)]);
        let found = suggest_courts(
            &courts,
            &draft_with(&["深圳市南山区科技园", "北京市海淀区中关村"], "上海市浦东新区世纪大道湖南省商会大厦"),
        );
        assert_eq!(
            codes(&found),
            [
                ("粤0305", JurisdictionReason::RespondentDomicile),
                ("京0108", JurisdictionReason::RespondentDomicile),
                ("沪0115", JurisdictionReason::ContractPlace),
            ]
        );
    }

    #[test]
    fn a_court_is_suggested_once_however_many_reasons_point_to_it() {
        let found = suggest_courts(
            &court_directory(),
            &draft_with(&["北京市朝阳区建国路88号", "北京市朝阳区光华路1号"], "北京市朝阳区望京街10号"),
        );
        assert_eq!(codes(&found), [("京0105", JurisdictionReason::RespondentDomicile)]);
    }

    #[test]
    fn only_respondents_count_not_claimants_or_third_parties() {
        let mut draft = draft_with(&[], "");
        draft.parties.push(PartyInput { address: "北京市朝阳区建国路88号".into(), ..person("third_party", "王五") });
        assert!(suggest_courts(&court_directory(), &draft).is_empty());
    }

    #[test]
    fn internet_and_city_level_courts_are_never_suggested() {
        let courts = court_directory();
        let draft = draft_with(&["北京市某某路1号", "广东省广州市某某路2号", "北京市石景山区某路", "广州市天河区某路"], "");
        let found = suggest_courts(&courts, &draft);
        assert_eq!(
            codes(&found),
            [("京0107", JurisdictionReason::RespondentDomicile), ("粤0106", JurisdictionReason::RespondentDomicile)]
        );
        assert!(found.iter().all(|(c, _)| !matches!(c.as_str(), "京0491" | "粤0192")));
    }

    #[test]
    fn an_unknown_or_empty_address_suggests_nothing() {
        let courts = court_directory();
        assert!(suggest_courts(&courts, &draft_with(&["纽约第五大道"], "火星")).is_empty());
        assert!(suggest_courts(&courts, &draft_with(&["", "   "], "")).is_empty());
        assert!(suggest_courts(&courts, &Draft::default()).is_empty());
    }

    // -----------------------------------------------------------------------------------------
    // Uploads

    #[test]
    fn a_file_type_is_told_by_its_content_not_its_name() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n%\xe2\xe3"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"\xFF\xD8\xFF\xE0\x00\x10JFIF"), Some(FileKind::Jpeg));
        assert_eq!(FileKind::sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Some(FileKind::Png));
    }

    #[test]
    fn an_executable_or_truncated_header_is_no_accepted_type() {
        for head in [&b"MZ\x90\x00"[..], b"\x7fELF", b"", b"%PD", b"%PDF", b"\xFF\xD8", b"\x89PNG\r\n\x1a", b"GIF89a", b"PK\x03\x04"] {
            assert_eq!(FileKind::sniff(head), None, "{head:?}");
        }
    }

    #[test]
    fn a_file_may_be_twenty_mebibytes_and_not_a_byte_more() {
        assert_eq!(check_upload_size(MAX_FILE_BYTES, 0), Ok(()));
        assert_eq!(check_upload_size(MAX_FILE_BYTES + 1, 0), Err(UploadError::FileTooLarge));
        assert_eq!(check_upload_size(0, 0), Err(UploadError::Empty));
        assert_eq!(check_upload_size(-1, 0), Err(UploadError::Empty));
        assert_eq!(check_upload_size(1, 0), Ok(()));
    }

    #[test]
    fn a_filings_files_may_total_two_hundred_mebibytes() {
        assert_eq!(check_upload_size(10, MAX_FILING_BYTES - 10), Ok(()));
        assert_eq!(check_upload_size(11, MAX_FILING_BYTES - 10), Err(UploadError::FilingTooLarge));
        assert_eq!(check_upload_size(MAX_FILE_BYTES, MAX_FILING_BYTES - MAX_FILE_BYTES), Ok(()));
        assert_eq!(check_upload_size(1, MAX_FILING_BYTES), Err(UploadError::FilingTooLarge));
        assert_eq!(check_upload_size(1, i64::MAX), Err(UploadError::FilingTooLarge), "no overflow");
    }

    #[test]
    fn upload_errors_have_their_translation_keys() {
        assert_eq!(UploadError::Empty.key(), "error_file_empty");
        assert_eq!(UploadError::FileTooLarge.key(), "error_file_too_large");
        assert_eq!(UploadError::FilingTooLarge.key(), "error_filing_too_large");
        assert_eq!(UploadError::WrongType.key(), "error_file_type");
    }

    #[test]
    fn a_file_name_loses_its_path_and_control_characters() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\x\\证据.pdf"), "证据.pdf");
        assert_eq!(clean_file_name("合同\u{0}\n\r\t扫描件.pdf"), "合同扫描件.pdf");
        assert_eq!(clean_file_name("  发票.jpg  "), "发票.jpg");
        assert_eq!(clean_file_name("证据\u{202E}fdp.exe"), "证据fdp.exe", "no right-to-left disguise");
    }

    #[test]
    fn a_filing_number_is_six_digits_with_leading_zeros() {
        assert_eq!(filing_number(7), "000007");
        assert_eq!(filing_number(123_456), "123456");
    }

    #[test]
    fn a_file_name_is_never_empty() {
        for raw in ["", "   ", "/", "dir/", "..", ".", "a/..", "\u{0}\u{1}"] {
            assert_eq!(clean_file_name(raw), "file", "{raw:?}");
        }
    }

    #[test]
    fn a_long_file_name_is_cut_to_a_hundred_characters_keeping_its_extension() {
        let long = "证".repeat(150);
        let cut = clean_file_name(&long);
        assert_eq!(cut.chars().count(), 100);
        assert_eq!(cut, "证".repeat(100));
        let cut = clean_file_name(&format!("{long}.pdf"));
        assert_eq!(cut.chars().count(), 100);
        assert!(cut.ends_with(".pdf"));
        let exact = "a".repeat(100);
        assert_eq!(clean_file_name(&exact), exact);
    }
}
