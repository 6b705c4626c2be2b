//! Signing's rules: the documents the court sends for signature (a mediation agreement drafted
//! from its template, a hearing record, any other court document), their canonical encoding and
//! fingerprint, and a signing round: who must sign, who has opened, read to the end, signed or
//! declined, and what an edit does to the signatures already given. Pure, and compiled into the
//! browser too, so the fingerprint a person sees before signing is computed by the same code the
//! server checks their signature against.
use crate::filing::model::Fen;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Names this encoding. A later change of encoding gets a new name, so old fingerprints stay
/// checkable by the code that made them.
pub const ENCODING: &str = "tianping-document-v1";

/// Names what a signer's cryptographic binding covers (see [`signing_challenge`]).
pub const CHALLENGE_CONTEXT: &str = "tianping-signature-v1";

/// The most terms, parties and instalments an agreement may have.
pub const MAX_ITEMS: usize = 50;
/// The longest single text of an agreement (a term, a name) and the longest document body.
pub const MAX_TEXT_CHARS: usize = 2_000;
pub const MAX_BODY_CHARS: usize = 100_000;
/// The longest reason for declining or voiding.
pub const MAX_REASON_CHARS: usize = 500;

/// What sort of document is sent for signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 调解协议, drafted from the template by a mediator or judge.
    MediationAgreement,
    /// 庭审笔录, published by the clerk after an online hearing.
    HearingRecord,
    /// Any other document the court sends for signature (a text).
    Other,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::MediationAgreement => "mediation_agreement",
            DocumentKind::HearingRecord => "hearing_record",
            DocumentKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<DocumentKind> {
        [DocumentKind::MediationAgreement, DocumentKind::HearingRecord, DocumentKind::Other].into_iter().find(|k| k.as_str() == raw)
    }
}

/// A party's side in the case, as the agreement names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Claimant,
    Respondent,
    ThirdParty,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Claimant => "claimant",
            Side::Respondent => "respondent",
            Side::ThirdParty => "third_party",
        }
    }

    pub fn parse(raw: &str) -> Option<Side> {
        [Side::Claimant, Side::Respondent, Side::ThirdParty].into_iter().find(|s| s.as_str() == raw)
    }
}

/// A party to the agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementParty {
    pub side: Side,
    pub name: String,
}

/// One numbered term (the numbering is its place in the list). A money term names its amount,
/// which the document also writes in capital numerals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub text: String,
    pub amount: Option<Fen>,
}

/// One payment of the schedule: who pays whom, how much, by which day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    /// `YYYY-MM-DD`.
    pub due: String,
    pub amount: Fen,
    pub payer: String,
    pub payee: String,
}

/// Who bears the case fee (案件受理费), and how much of it is at stake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeBurden {
    /// Percent borne by the claimants; the respondents bear the rest.
    pub claimant_percent: u8,
    /// The case fee the burden applies to (after halving for mediation, art. 15).
    pub fee: Fen,
}

/// A mediation agreement (调解协议) as its template asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub parties: Vec<AgreementParty>,
    pub terms: Vec<Term>,
    pub schedule: Vec<Instalment>,
    pub fees: FeeBurden,
}

/// What a document says: an agreement's structured content, or a text (a hearing record, any
/// other document).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    Agreement(Agreement),
    Text { body: String },
}

/// One version of a document sent for signature: everything a signature covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    pub court: String,
    pub case_number: String,
    pub title: String,
    /// Counts from 1; every edit makes the next.
    pub version: u32,
    pub content: Content,
}

/// Why a document's content was refused: the field (a path such as `terms[2][text]`) and a message key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: String,
    pub key: &'static str,
}

fn text_ok(field: String, raw: &str, max: usize, problems: &mut Vec<Problem>) -> String {
    let text = raw.trim().replace("\r\n", "\n");
    if text.is_empty() {
        problems.push(Problem { field, key: "error_required" });
    } else if text.chars().count() > max {
        problems.push(Problem { field, key: "error_too_long" });
    }
    text
}

/// A calendar date written `YYYY-MM-DD` that exists.
pub fn date_ok(raw: &str) -> bool {
    let parts: Vec<&str> = raw.split('-').collect();
    let [y, m, d] = parts[..] else { return false };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else { return false };
    (2000..=2100).contains(&y) && crate::identity::model::is_real_date(y, m, d)
}

impl Agreement {
    /// Checks an agreement as drafted, answering every problem at once (so the drafter sees all
    /// of them beside their fields). Texts are trimmed and their line ends made `\n`, so the
    /// fingerprint does not depend on the device that typed them.
    pub fn parse(raw: Agreement) -> Result<Agreement, Vec<Problem>> {
        let mut problems = Vec::new();
        if raw.parties.len() < 2 || !raw.parties.iter().any(|p| p.side == Side::Claimant) || !raw.parties.iter().any(|p| p.side == Side::Respondent) {
            problems.push(Problem { field: "parties".into(), key: "error_signing_parties" });
        }
        if raw.terms.is_empty() {
            problems.push(Problem { field: "terms".into(), key: "error_signing_terms" });
        }
        if raw.parties.len() > MAX_ITEMS || raw.terms.len() > MAX_ITEMS || raw.schedule.len() > MAX_ITEMS {
            problems.push(Problem { field: "terms".into(), key: "error_too_many" });
        }
        let parties = raw
            .parties
            .into_iter()
            .enumerate()
            .map(|(i, p)| AgreementParty { side: p.side, name: text_ok(format!("parties[{i}][name]"), &p.name, 200, &mut problems) })
            .collect();
        let terms = raw
            .terms
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                if t.amount.is_some_and(|a| a.0 <= 0) {
                    problems.push(Problem { field: format!("terms[{i}][amount]"), key: "error_amount" });
                }
                Term { text: text_ok(format!("terms[{i}][text]"), &t.text, MAX_TEXT_CHARS, &mut problems), amount: t.amount }
            })
            .collect();
        let schedule = raw
            .schedule
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                if !date_ok(s.due.trim()) {
                    problems.push(Problem { field: format!("schedule[{i}][due]"), key: "error_date" });
                }
                if s.amount.0 <= 0 {
                    problems.push(Problem { field: format!("schedule[{i}][amount]"), key: "error_amount" });
                }
                Instalment {
                    due: s.due.trim().to_string(),
                    amount: s.amount,
                    payer: text_ok(format!("schedule[{i}][payer]"), &s.payer, 200, &mut problems),
                    payee: text_ok(format!("schedule[{i}][payee]"), &s.payee, 200, &mut problems),
                }
            })
            .collect();
        if raw.fees.claimant_percent > 100 {
            problems.push(Problem { field: "fees[claimant_percent]".into(), key: "error_percent" });
        }
        if raw.fees.fee.0 < 0 {
            problems.push(Problem { field: "fees[fee]".into(), key: "error_amount" });
        }
        if problems.is_empty() { Ok(Agreement { parties, terms, schedule, fees: raw.fees }) } else { Err(problems) }
    }

    /// The schedule's total, which the money terms should add up to (shown to the drafter).
    pub fn scheduled_total(&self) -> Fen {
        Fen(self.schedule.iter().map(|s| s.amount.0).sum())
    }

    /// The fee the claimants bear, rounded half up to the fen; the respondents bear the rest.
    pub fn claimant_fee(&self) -> Fen {
        Fen((self.fees.fee.0 * i64::from(self.fees.claimant_percent) + 50) / 100)
    }
}

/// Checks a text document (a hearing record, another court document).
pub fn parse_body(raw: &str) -> Result<String, Vec<Problem>> {
    let mut problems = Vec::new();
    let body = text_ok("body".into(), raw, MAX_BODY_CHARS, &mut problems);
    if problems.is_empty() { Ok(body) } else { Err(problems) }
}

// ---------------------------------------------------------------------------------------------
// The canonical encoding and the fingerprint

/// Builds the canonical bytes: every field in a fixed order, each as a one-letter tag, its
/// length in bytes (4 bytes, big-endian) and its bytes; numbers as decimal text. No field can run
/// into the next, and the same document always gives the same bytes, whatever serialiser,
/// platform or map order wrote it.
struct Canonical(Vec<u8>);

impl Canonical {
    fn field(&mut self, tag: u8, bytes: &[u8]) -> &mut Self {
        self.0.push(tag);
        self.0.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
        self.0.extend_from_slice(bytes);
        self
    }

    fn text(&mut self, tag: u8, text: &str) -> &mut Self {
        self.field(tag, text.as_bytes())
    }

    fn number(&mut self, tag: u8, n: i64) -> &mut Self {
        self.field(tag, n.to_string().as_bytes())
    }
}

impl Document {
    /// The canonical encoding of this version (what the fingerprint is taken of).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut c = Canonical(Vec::new());
        c.text(b'F', ENCODING)
            .text(b'K', self.kind.as_str())
            .text(b'C', &self.court)
            .text(b'N', &self.case_number)
            .text(b'T', &self.title)
            .number(b'V', i64::from(self.version));
        match &self.content {
            Content::Text { body } => {
                c.text(b'B', body);
            }
            Content::Agreement(a) => {
                c.number(b'p', a.parties.len() as i64);
                for p in &a.parties {
                    c.text(b's', p.side.as_str()).text(b'n', &p.name);
                }
                c.number(b't', a.terms.len() as i64);
                for t in &a.terms {
                    c.text(b'x', &t.text).number(b'a', t.amount.map_or(-1, |f| f.0));
                }
                c.number(b'i', a.schedule.len() as i64);
                for s in &a.schedule {
                    c.text(b'd', &s.due).number(b'a', s.amount.0).text(b'f', &s.payer).text(b'o', &s.payee);
                }
                c.number(b'c', i64::from(a.fees.claimant_percent)).number(b'e', a.fees.fee.0);
            }
        }
        c.0
    }

    /// SHA-256 of the canonical encoding, in lowercase hex: the document fingerprint.
    pub fn fingerprint(&self) -> String {
        hex(&Sha256::digest(self.canonical_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The challenge a signer's passkey signs (or their SMS code is bound to): SHA-256 over this
/// context, the document's fingerprint, the document and version, the signer and a single-use
/// nonce. An assertion made for one version, one signer or one attempt checks for no other.
pub fn signing_challenge(fingerprint: &str, document_id: i64, version: u32, signer: i64, nonce: &[u8]) -> [u8; 32] {
    let mut c = Canonical(Vec::new());
    c.text(b'X', CHALLENGE_CONTEXT).text(b'H', fingerprint).number(b'D', document_id).number(b'V', i64::from(version)).number(b'S', signer).field(b'R', nonce);
    Sha256::digest(&c.0).into()
}

// ---------------------------------------------------------------------------------------------
// The handwritten mark

/// The largest drawn signature kept (SVG path data; a real one is a few kilobytes).
pub const MAX_DRAWING_BYTES: usize = 64 * 1024;

/// The visible signature beside the cryptographic binding: drawn with a finger or stylus (SVG
/// path data of the strokes, as the canvas recorded them), or — the accessible alternative —
/// the signer's own name typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Drawn(String),
    Typed(String),
}

impl Mark {
    /// A drawing must be stroke data only (`M`/`L` commands and numbers, at least one line), so
    /// nothing but strokes is ever kept or drawn into the sealed PDF; a typed name must be the
    /// signer's verified name.
    pub fn parse(drawing: &str, typed: &str, legal_name: &str) -> Result<Mark, &'static str> {
        let drawing = drawing.trim();
        if !drawing.is_empty() {
            let strokes_only = drawing.bytes().all(|b| matches!(b, b'M' | b'L' | b'0'..=b'9' | b'.' | b' ' | b',' | b'-'));
            if drawing.len() > MAX_DRAWING_BYTES || !strokes_only || !drawing.starts_with('M') || !drawing.contains('L') {
                return Err("error_signing_drawing");
            }
            return Ok(Mark::Drawn(drawing.to_string()));
        }
        let typed = typed.trim();
        if typed.is_empty() {
            return Err("error_signing_mark_needed");
        }
        if typed != legal_name.trim() {
            return Err("error_signing_typed_name");
        }
        Ok(Mark::Typed(typed.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------
// The seal

/// Names what the court's seal signs (see [`seal_statement`]).
pub const SEAL_CONTEXT: &str = "tianping-seal-v1";

/// One signature as the seal lists it and the verification page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRecord {
    /// The signer's verified name.
    pub signer: String,
    /// The verified name of the lawyer who signed for them under special authority, if one did.
    #[serde(default)]
    pub agent: Option<String>,
    pub method: Method,
    /// A passkey's credential id (base64url), for a passkey signature.
    pub credential_id: Option<String>,
    /// The challenge the passkey signed or the SMS code was bound to (hex).
    pub challenge: String,
    /// SHA-256 of the drawn strokes or the typed name.
    pub mark_sha256: String,
    pub signed_at: i64,
}

/// SHA-256 of a handwritten mark, as the seal covers it.
pub fn mark_sha256(mark: &Mark) -> String {
    let bytes = match mark {
        Mark::Drawn(d) => [b"drawn:".as_slice(), d.as_bytes()].concat(),
        Mark::Typed(t) => [b"typed:".as_slice(), t.as_bytes()].concat(),
    };
    sha256_hex(&bytes)
}

/// What the court's seal signs: the document and its fingerprint, every signature on it in the
/// order given, and when it was sealed. Change any of them, or the seal, and it no longer checks.
pub fn seal_statement(document_id: i64, fingerprint: &str, signatures: &[SignatureRecord], sealed_at: i64) -> Vec<u8> {
    let mut c = Canonical(Vec::new());
    c.text(b'X', SEAL_CONTEXT).number(b'D', document_id).text(b'H', fingerprint).number(b'n', signatures.len() as i64);
    for s in signatures {
        c.text(b's', &s.signer)
            .text(b'm', if s.method == Method::Passkey { "passkey" } else { "sms_code" })
            .text(b'k', s.credential_id.as_deref().unwrap_or(""))
            .text(b'c', &s.challenge)
            .text(b'h', &s.mark_sha256)
            .number(b't', s.signed_at);
        // Only an agent's signature carries the field, so seals made before agents signed still check.
        if let Some(agent) = &s.agent {
            c.text(b'a', agent);
        }
    }
    c.number(b'T', sealed_at);
    c.0
}

/// The check code in a sealed document's verification link: the first 16 hex digits of the
/// SHA-256 of its seal. Only someone holding the document (or its QR code) has it, so sealed
/// documents cannot be listed by trying numbers.
pub fn verification_code(seal: &str) -> String {
    hex(&Sha256::digest(seal.as_bytes()))[..16].to_string()
}

// ---------------------------------------------------------------------------------------------
// The signing round

/// How a signer bound their signature to the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A WebAuthn assertion over [`signing_challenge`].
    Passkey,
    /// An SMS code sent for this document's fingerprint (where passkeys are absent: WeChat).
    SmsCode,
}

/// Where one signer is in the current round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerState {
    Sent,
    Opened,
    /// Scrolled to the end of the whole document: now they may sign.
    ReadToEnd,
    Signed { method: Method },
    Declined { reason: String },
}

/// Where the document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Drafted, not yet sent.
    Draft,
    /// Sent for signature: the signers read and sign the current version.
    Out,
    /// Everyone signed: the court may seal it.
    AllSigned,
    /// Sealed with the court's key: final.
    Sealed,
    /// A signer declined: staff edit it (a new round) or void it.
    Declined,
    /// Voided by staff with a reason: final.
    Voided,
}

/// What cannot be done, each a message key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigningError {
    /// Not one of the people who sign this document.
    NotASigner,
    /// The signature names a version that is not the current one.
    WrongVersion,
    /// They have not read the whole document yet.
    NotReadToEnd,
    /// They already signed or declined this version.
    AlreadyAnswered,
    /// The document is not out for signature (a draft, sealed, voided).
    NotOut,
    /// Sealing needs every signature.
    NotAllSigned,
    /// Sealed or voided documents never change.
    Final,
    BadReason,
}

impl SigningError {
    pub fn key(self) -> &'static str {
        match self {
            SigningError::NotASigner => "error_signing_not_signer",
            SigningError::WrongVersion => "error_signing_wrong_version",
            SigningError::NotReadToEnd => "error_signing_read_first",
            SigningError::AlreadyAnswered => "error_signing_answered",
            SigningError::NotOut => "error_signing_not_out",
            SigningError::NotAllSigned => "error_signing_not_all_signed",
            SigningError::Final => "error_signing_final",
            SigningError::BadReason => "error_signing_reason",
        }
    }
}

/// A document's signing: its current version, status and each signer's state. Every change is
/// a method answering the next state or why not; the server keeps the result and logs the step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub version: u32,
    pub status: Status,
    /// The people who sign (a party, or a lawyer whose grant covers signing), with their state.
    pub signers: Vec<(i64, SignerState)>,
}

/// What an edit did: the new version, and whose signatures it voided (they are told why).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edited {
    pub version: u32,
    pub voided: Vec<i64>,
}

fn reason_ok(raw: &str) -> Result<String, SigningError> {
    let reason = raw.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS { Err(SigningError::BadReason) } else { Ok(reason.to_string()) }
}

impl Round {
    pub fn draft(signers: &[i64]) -> Round {
        Round { version: 1, status: Status::Draft, signers: signers.iter().map(|s| (*s, SignerState::Sent)).collect() }
    }

    fn signer(&mut self, person: i64) -> Result<&mut SignerState, SigningError> {
        self.signers.iter_mut().find(|(p, _)| *p == person).map(|(_, s)| s).ok_or(SigningError::NotASigner)
    }

    fn out(&self) -> Result<(), SigningError> {
        match self.status {
            Status::Out => Ok(()),
            Status::Sealed | Status::Voided => Err(SigningError::Final),
            _ => Err(SigningError::NotOut),
        }
    }

    /// Sends the draft for signature.
    pub fn send(&mut self) -> Result<(), SigningError> {
        match self.status {
            Status::Draft => {
                self.status = Status::Out;
                Ok(())
            }
            Status::Sealed | Status::Voided => Err(SigningError::Final),
            _ => Err(SigningError::NotOut),
        }
    }

    /// A signer opened the document (the first opening counts; later ones change nothing).
    pub fn open(&mut self, person: i64) -> Result<bool, SigningError> {
        self.out()?;
        let state = self.signer(person)?;
        if *state == SignerState::Sent {
            *state = SignerState::Opened;
            return Ok(true);
        }
        Ok(false)
    }

    /// A signer reached the end of the whole document.
    pub fn read_to_end(&mut self, person: i64) -> Result<bool, SigningError> {
        self.out()?;
        let state = self.signer(person)?;
        match state {
            SignerState::Sent | SignerState::Opened => {
                *state = SignerState::ReadToEnd;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// A signer signs `version` (the one they read, whose fingerprint they saw). When the last
    /// one signs, the document is ready to seal.
    pub fn sign(&mut self, person: i64, version: u32, method: Method) -> Result<(), SigningError> {
        self.out()?;
        if version != self.version {
            return Err(SigningError::WrongVersion);
        }
        let state = self.signer(person)?;
        match state {
            SignerState::ReadToEnd => *state = SignerState::Signed { method },
            SignerState::Signed { .. } | SignerState::Declined { .. } => return Err(SigningError::AlreadyAnswered),
            SignerState::Sent | SignerState::Opened => return Err(SigningError::NotReadToEnd),
        }
        if self.signers.iter().all(|(_, s)| matches!(s, SignerState::Signed { .. })) {
            self.status = Status::AllSigned;
        }
        Ok(())
    }

    /// A signer declines, saying why: the round stops until staff edit or void the document.
    pub fn decline(&mut self, person: i64, version: u32, reason: &str) -> Result<(), SigningError> {
        self.out()?;
        if version != self.version {
            return Err(SigningError::WrongVersion);
        }
        let reason = reason_ok(reason)?;
        let state = self.signer(person)?;
        if matches!(state, SignerState::Signed { .. } | SignerState::Declined { .. }) {
            return Err(SigningError::AlreadyAnswered);
        }
        *state = SignerState::Declined { reason };
        self.status = Status::Declined;
        Ok(())
    }

    /// The drafter changes the content: a new version. Any signature already given was over the
    /// old content, so all are void and signing starts again; a draft simply stays a draft.
    pub fn edit(&mut self) -> Result<Edited, SigningError> {
        if matches!(self.status, Status::Sealed | Status::Voided) {
            return Err(SigningError::Final);
        }
        let voided: Vec<i64> = self.signers.iter().filter(|(_, s)| matches!(s, SignerState::Signed { .. })).map(|(p, _)| *p).collect();
        self.version += 1;
        for (_, s) in &mut self.signers {
            *s = SignerState::Sent;
        }
        if self.status != Status::Draft {
            self.status = Status::Out;
        }
        Ok(Edited { version: self.version, voided })
    }

    /// Seals a document everyone signed.
    pub fn seal(&mut self) -> Result<(), SigningError> {
        match self.status {
            Status::AllSigned => {
                self.status = Status::Sealed;
                Ok(())
            }
            Status::Sealed | Status::Voided => Err(SigningError::Final),
            _ => Err(SigningError::NotAllSigned),
        }
    }

    /// Staff void the document with a reason; nothing more happens to it.
    pub fn void(&mut self, reason: &str) -> Result<String, SigningError> {
        if matches!(self.status, Status::Sealed | Status::Voided) {
            return Err(SigningError::Final);
        }
        let reason = reason_ok(reason)?;
        self.status = Status::Voided;
        Ok(reason)
    }

    /// Those who have not yet answered (for reminders).
    pub fn waiting_for(&self) -> Vec<i64> {
        self.signers.iter().filter(|(_, s)| !matches!(s, SignerState::Signed { .. } | SignerState::Declined { .. })).map(|(p, _)| *p).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement() -> Document {
        Document {
            kind: DocumentKind::MediationAgreement,
            court: "北京市朝阳区人民法院".into(),
            case_number: "(2026)京0105民初123号".into(),
            title: "调解协议".into(),
            version: 1,
            content: Content::Agreement(Agreement {
                parties: vec![
                    AgreementParty { side: Side::Claimant, name: "张三".into() },
                    AgreementParty { side: Side::Respondent, name: "北京某某科技有限公司".into() },
                ],
                terms: vec![
                    Term { text: "被告向原告支付货款".into(), amount: Some(Fen(12_000_050)) },
                    Term { text: "原告放弃其他诉讼请求".into(), amount: None },
                ],
                schedule: vec![
                    Instalment { due: "2027-01-31".into(), amount: Fen(6_000_000), payer: "北京某某科技有限公司".into(), payee: "张三".into() },
                    Instalment { due: "2027-02-28".into(), amount: Fen(6_000_050), payer: "北京某某科技有限公司".into(), payee: "张三".into() },
                ],
                fees: FeeBurden { claimant_percent: 0, fee: Fen(135_000) },
            }),
        }
    }

    /// The test vector: `agreement()`'s fingerprint, computed once and written here. The browser's
    /// copy of this code must give the same (the signing page shows it; the e2e journey compares).
    pub(crate) const VECTOR: &str = "5fed213fbee2bb608989beda66de0ed1f43c4e53c73d3ff36151326df45d2912";

    #[test]
    fn the_fingerprint_of_the_test_vector_is_pinned() {
        assert_eq!(agreement().fingerprint(), VECTOR, "changing the encoding changes every fingerprint: name a new ENCODING instead");
    }

    /// The same vector in the browser's build: `make test` compiles these tests to WebAssembly
    /// and runs this one under Node (wasm-bindgen-test), so the phone computes what the server does.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_fingerprint_of_the_test_vector_is_the_same_in_webassembly() {
        assert_eq!(agreement().fingerprint(), VECTOR);
        assert_eq!(crate::fees::model::capital_yuan(Fen(12_000_050)), "壹拾贰万元伍角整");
    }

    #[test]
    fn any_change_of_content_version_or_kind_changes_the_fingerprint() {
        let base = agreement();
        let fp = base.fingerprint();
        let mut other = base.clone();
        other.version = 2;
        assert_ne!(other.fingerprint(), fp, "the version is signed too");
        let mut other = base.clone();
        other.kind = DocumentKind::Other;
        assert_ne!(other.fingerprint(), fp);
        let mut other = base.clone();
        if let Content::Agreement(a) = &mut other.content {
            a.terms[0].amount = Some(Fen(12_000_051));
        }
        assert_ne!(other.fingerprint(), fp, "one fen");
        let mut other = base.clone();
        if let Content::Agreement(a) = &mut other.content {
            a.terms.swap(0, 1);
        }
        assert_ne!(other.fingerprint(), fp, "the order of terms");
        assert_eq!(base.clone().fingerprint(), fp, "the same document, the same fingerprint");
    }

    #[test]
    fn fields_cannot_run_into_each_other() {
        let mut a = agreement();
        let mut b = agreement();
        a.title = "调解".into();
        a.case_number = "协议(2026)京0105民初123号".into();
        b.title = "调解协议".into();
        b.case_number = "(2026)京0105民初123号".into();
        assert_ne!(a.fingerprint(), b.fingerprint());
        let empty = Term { text: String::new(), amount: None };
        let zero = Term { text: String::new(), amount: Some(Fen(0)) };
        let (mut c, mut d) = (agreement(), agreement());
        if let (Content::Agreement(x), Content::Agreement(y)) = (&mut c.content, &mut d.content) {
            x.terms = vec![empty];
            y.terms = vec![zero];
        }
        assert_ne!(c.fingerprint(), d.fingerprint(), "no amount is not an amount of nothing");
    }

    #[test]
    fn the_challenge_binds_document_version_signer_and_attempt() {
        let fp = agreement().fingerprint();
        let base = signing_challenge(&fp, 7, 1, 42, b"nonce-1");
        assert_eq!(base, signing_challenge(&fp, 7, 1, 42, b"nonce-1"));
        assert_ne!(base, signing_challenge(&fp, 7, 2, 42, b"nonce-1"), "another version");
        assert_ne!(base, signing_challenge(&fp, 7, 1, 43, b"nonce-1"), "another signer");
        assert_ne!(base, signing_challenge(&fp, 8, 1, 42, b"nonce-1"), "another document");
        assert_ne!(base, signing_challenge(&fp, 7, 1, 42, b"nonce-2"), "another attempt");
        let mut changed = agreement();
        changed.title = "调解协议书".into();
        assert_ne!(base, signing_challenge(&changed.fingerprint(), 7, 1, 42, b"nonce-1"), "other content");
    }

    #[test]
    fn an_agreement_is_checked_whole_and_every_problem_is_named_by_its_field() {
        let Content::Agreement(good) = agreement().content else { unreachable!() };
        assert!(Agreement::parse(good.clone()).is_ok());
        let mut bad = good.clone();
        bad.parties.truncate(1);
        bad.terms[1].text = "  ".into();
        bad.terms[0].amount = Some(Fen(0));
        bad.schedule[0].due = "2027-02-30".into();
        bad.fees.claimant_percent = 101;
        let problems = Agreement::parse(bad).expect_err("bad");
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["parties", "terms[0][amount]", "terms[1][text]", "schedule[0][due]", "fees[claimant_percent]"]);
        let mut windows = good;
        windows.terms[0].text = "  被告向原告支付货款\r\n分两期  ".into();
        let parsed = Agreement::parse(windows).expect("ok");
        assert_eq!(parsed.terms[0].text, "被告向原告支付货款\n分两期", "typed on any device, the same text");
    }

    #[test]
    fn dates_must_exist() {
        assert!(date_ok("2028-02-29"));
        assert!(!date_ok("2027-02-29"));
        assert!(!date_ok("2027-2-1"));
        assert!(!date_ok("2027-13-01"));
        assert!(!date_ok("yesterday"));
    }

    #[test]
    fn the_fee_share_is_rounded_half_up_and_the_schedule_adds_up() {
        let Content::Agreement(mut a) = agreement().content else { unreachable!() };
        assert_eq!(a.scheduled_total(), Fen(12_000_050));
        a.fees = FeeBurden { claimant_percent: 33, fee: Fen(135_001) };
        assert_eq!(a.claimant_fee(), Fen(44_550), "44,550.33 fen → 44,550");
        a.fees = FeeBurden { claimant_percent: 50, fee: Fen(135_001) };
        assert_eq!(a.claimant_fee(), Fen(67_501), "67,500.5 fen → 67,501");
    }

    #[test]
    fn a_mark_is_strokes_only_or_the_signers_own_name() {
        assert_eq!(Mark::parse("M10 10 L20 25 L30 12", "", "张三"), Ok(Mark::Drawn("M10 10 L20 25 L30 12".into())));
        assert_eq!(Mark::parse("M1.5,2 L-3,4", "", "张三"), Ok(Mark::Drawn("M1.5,2 L-3,4".into())));
        assert_eq!(Mark::parse("M10 10", "", "张三"), Err("error_signing_drawing"), "a dot is not a signature");
        assert_eq!(Mark::parse("M10 10 L20 20\"/><script>", "", "张三"), Err("error_signing_drawing"));
        assert_eq!(Mark::parse(&format!("M0 0 {}", "L1 1 ".repeat(20_000)), "", "张三"), Err("error_signing_drawing"), "too long");
        assert_eq!(Mark::parse("", " 张三 ", "张三"), Ok(Mark::Typed("张三".into())));
        assert_eq!(Mark::parse("", "李四", "张三"), Err("error_signing_typed_name"));
        assert_eq!(Mark::parse("  ", "", "张三"), Err("error_signing_mark_needed"));
    }

    #[test]
    fn the_seal_statement_covers_the_fingerprint_every_signature_and_the_time() {
        let record = SignatureRecord {
            signer: "张三".into(),
            agent: None,
            method: Method::SmsCode,
            credential_id: None,
            challenge: "ab".repeat(32),
            mark_sha256: mark_sha256(&Mark::Drawn("M1 1 L2 2".into())),
            signed_at: 1_800_000_000,
        };
        let fp = agreement().fingerprint();
        let base = seal_statement(7, &fp, std::slice::from_ref(&record), 1_800_000_100);
        assert_ne!(base, seal_statement(7, &"00".repeat(32), std::slice::from_ref(&record), 1_800_000_100), "another content");
        assert_ne!(base, seal_statement(8, &fp, std::slice::from_ref(&record), 1_800_000_100), "another document");
        assert_ne!(base, seal_statement(7, &fp, &[], 1_800_000_100), "a signature left out");
        let other = SignatureRecord { mark_sha256: mark_sha256(&Mark::Typed("张三".into())), ..record.clone() };
        assert_ne!(base, seal_statement(7, &fp, &[other], 1_800_000_100), "another mark");
        let by_lawyer = SignatureRecord { agent: Some("李律师".into()), ..record.clone() };
        assert_ne!(base, seal_statement(7, &fp, &[by_lawyer], 1_800_000_100), "signed by a lawyer for them");
        assert_ne!(base, seal_statement(7, &fp, &[record], 1_800_000_101), "another time");
        assert_eq!(verification_code("seal").len(), 16);
    }

    #[test]
    fn a_round_goes_out_is_read_signed_by_all_and_sealed() {
        let mut r = Round::draft(&[1, 2]);
        assert_eq!(r.open(1), Err(SigningError::NotOut), "a draft is not out");
        r.send().expect("send");
        assert_eq!(r.open(1), Ok(true));
        assert_eq!(r.open(1), Ok(false), "the first opening counts");
        assert_eq!(r.sign(1, 1, Method::Passkey), Err(SigningError::NotReadToEnd), "read the whole document first");
        r.read_to_end(1).expect("read");
        assert_eq!(r.sign(1, 2, Method::Passkey), Err(SigningError::WrongVersion));
        r.sign(1, 1, Method::Passkey).expect("sign");
        assert_eq!(r.sign(1, 1, Method::Passkey), Err(SigningError::AlreadyAnswered));
        assert_eq!(r.seal(), Err(SigningError::NotAllSigned));
        assert_eq!(r.sign(3, 1, Method::SmsCode), Err(SigningError::NotASigner));
        r.read_to_end(2).expect("read");
        r.sign(2, 1, Method::SmsCode).expect("sign");
        assert_eq!(r.status, Status::AllSigned);
        r.seal().expect("seal");
        assert_eq!(r.edit(), Err(SigningError::Final), "a sealed document never changes");
        assert_eq!(r.void("x"), Err(SigningError::Final));
    }

    #[test]
    fn an_edit_after_a_signature_voids_it_and_restarts_the_round() {
        let mut r = Round::draft(&[1, 2]);
        assert_eq!(r.edit(), Ok(Edited { version: 2, voided: vec![] }), "editing a draft voids nothing");
        assert_eq!(r.status, Status::Draft);
        r.send().expect("send");
        r.read_to_end(1).expect("read");
        r.sign(1, 2, Method::Passkey).expect("sign");
        let edited = r.edit().expect("edit");
        assert_eq!(edited, Edited { version: 3, voided: vec![1] });
        assert_eq!(r.status, Status::Out);
        assert!(r.signers.iter().all(|(_, s)| *s == SignerState::Sent), "everyone reads the new version");
        assert_eq!(r.sign(1, 2, Method::Passkey), Err(SigningError::WrongVersion), "a signature over the old version is refused");
        assert_eq!(r.waiting_for(), vec![1, 2]);
    }

    #[test]
    fn a_decline_needs_a_reason_and_stops_the_round_until_an_edit_or_a_void() {
        let mut r = Round::draft(&[1, 2]);
        r.send().expect("send");
        assert_eq!(r.decline(2, 1, "  "), Err(SigningError::BadReason));
        r.decline(2, 1, "第二期付款日期太晚").expect("decline");
        assert_eq!(r.status, Status::Declined);
        r.read_to_end(1).ok();
        assert_eq!(r.sign(1, 1, Method::Passkey), Err(SigningError::NotOut));
        r.edit().expect("edit");
        assert_eq!(r.status, Status::Out);
        assert_eq!(r.void("双方已自行和解"), Ok("双方已自行和解".to_string()));
        assert_eq!(r.send(), Err(SigningError::Final));
    }
}
