//! Court fees under the Measures on the Payment of Litigation Costs (诉讼费用交纳办法, State
//! Council Order No. 481, in force 2007-04-01): what a case or an application costs, band by
//! band, the halving rules, the cases that cost nothing, and the difference a changed claim
//! makes. Pure: the browser shows the filer the same working the server charges.
//!
//! **Rounding.** Every band is worked out exactly, in ten-thousandths of a fen; halving and
//! thirds are applied to that exact figure; the result is rounded **once, at the end, half up to
//! the fen** (四舍五入到分). Caps (preservation 5,000 yuan, bankruptcy 300,000 yuan) apply after
//! that rounding. So a figure never drifts by a fen depending on the order of the steps, and the
//! working shown band by band adds up to the total except for that one rounding.
use crate::filing::model::{CaseType, Fen};
use crate::identity::model::UnixTime;
use serde::{Deserialize, Serialize};

/// What is being charged: a case (案件受理费, art. 13) or an application (申请费, art. 14), or a
/// case that costs nothing (art. 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FeeKind {
    /// 13(一) property cases: cumulative bands on the amount claimed.
    Property,
    /// 13(二)1 divorce: a fixed fee; property division free to 200,000, then 0.5%.
    Divorce,
    /// 13(二)2 personality rights: a fixed fee; damages free to 50,000, 1% to 100,000, 0.5% above.
    PersonalityRights,
    /// 13(二)3 other non-property cases: a fixed fee.
    OtherNonProperty,
    /// 13(三) intellectual property: a fixed fee without an amount, the property bands with one.
    IntellectualProperty,
    /// 13(四) labour disputes: 10 yuan.
    Labour,
    /// 13(五) administrative cases: 50 yuan.
    Administrative,
    /// 13(五) trademark, patent and maritime administrative cases: 100 yuan.
    AdministrativeIpMaritime,
    /// 13(六) a jurisdiction objection that fails: a fixed fee.
    JurisdictionObjection,
    /// 14(一) enforcement: a fixed fee without an amount, bands with one.
    Enforcement,
    /// 14(二) preservation: 30 yuan to 1,000 (or without an amount), bands above, at most 5,000.
    Preservation,
    /// 14(三) payment order (支付令): a third of the property fee.
    PaymentOrder,
    /// 14(四) public summons (公示催告): 100 yuan.
    PublicSummons,
    /// 14(五) setting aside an arbitral award or ruling on an arbitration agreement: 400 yuan.
    Arbitration,
    /// 14(六) bankruptcy: half the property fee on the estate, at most 300,000 yuan.
    Bankruptcy,
    /// Art. 8: special procedure, refused or dismissed cases, appeals against those rulings,
    /// administrative compensation: no case fee.
    NoFee,
}

/// Whether a kind takes an amount: required, optional (changes the fee when given), or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountUse {
    Required,
    Optional,
    None,
}

impl FeeKind {
    pub const ALL: [FeeKind; 16] = [
        FeeKind::Property,
        FeeKind::Divorce,
        FeeKind::PersonalityRights,
        FeeKind::OtherNonProperty,
        FeeKind::IntellectualProperty,
        FeeKind::Labour,
        FeeKind::Administrative,
        FeeKind::AdministrativeIpMaritime,
        FeeKind::JurisdictionObjection,
        FeeKind::Enforcement,
        FeeKind::Preservation,
        FeeKind::PaymentOrder,
        FeeKind::PublicSummons,
        FeeKind::Arbitration,
        FeeKind::Bankruptcy,
        FeeKind::NoFee,
    ];

    /// Stable name for forms, URLs and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            FeeKind::Property => "property",
            FeeKind::Divorce => "divorce",
            FeeKind::PersonalityRights => "personality",
            FeeKind::OtherNonProperty => "non_property",
            FeeKind::IntellectualProperty => "ip",
            FeeKind::Labour => "labour",
            FeeKind::Administrative => "administrative",
            FeeKind::AdministrativeIpMaritime => "administrative_ip",
            FeeKind::JurisdictionObjection => "jurisdiction",
            FeeKind::Enforcement => "enforcement",
            FeeKind::Preservation => "preservation",
            FeeKind::PaymentOrder => "payment_order",
            FeeKind::PublicSummons => "public_summons",
            FeeKind::Arbitration => "arbitration",
            FeeKind::Bankruptcy => "bankruptcy",
            FeeKind::NoFee => "no_fee",
        }
    }

    pub fn parse(raw: &str) -> Option<FeeKind> {
        let raw = raw.trim();
        FeeKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The article of the Measures that sets this fee, e.g. `13(一)`.
    pub fn article(self) -> &'static str {
        match self {
            FeeKind::Property => "13(一)",
            FeeKind::Divorce | FeeKind::PersonalityRights | FeeKind::OtherNonProperty => "13(二)",
            FeeKind::IntellectualProperty => "13(三)",
            FeeKind::Labour => "13(四)",
            FeeKind::Administrative | FeeKind::AdministrativeIpMaritime => "13(五)",
            FeeKind::JurisdictionObjection => "13(六)",
            FeeKind::Enforcement => "14(一)",
            FeeKind::Preservation => "14(二)",
            FeeKind::PaymentOrder => "14(三)",
            FeeKind::PublicSummons => "14(四)",
            FeeKind::Arbitration => "14(五)",
            FeeKind::Bankruptcy => "14(六)",
            FeeKind::NoFee => "8",
        }
    }

    pub fn amount_use(self) -> AmountUse {
        match self {
            FeeKind::Property | FeeKind::PaymentOrder | FeeKind::Bankruptcy => AmountUse::Required,
            FeeKind::Divorce
            | FeeKind::PersonalityRights
            | FeeKind::IntellectualProperty
            | FeeKind::Enforcement
            | FeeKind::Preservation => AmountUse::Optional,
            _ => AmountUse::None,
        }
    }

    /// What a filing of `case_type` is charged, and on which amount, for the estimate the filer
    /// sees as they type their claims: civil money claims are a property case (a civil case
    /// without one is charged as "other non-property" until the court classifies it);
    /// enforcement and preservation are charged on the amount when there is one.
    pub fn for_filing(case_type: CaseType, claims_total: Fen) -> (FeeKind, Option<Fen>) {
        let amount = (claims_total.0 > 0).then_some(claims_total);
        match case_type {
            CaseType::CivilFirstInstance if amount.is_some() => (FeeKind::Property, amount),
            CaseType::CivilFirstInstance => (FeeKind::OtherNonProperty, None),
            CaseType::Enforcement => (FeeKind::Enforcement, amount),
            CaseType::Preservation => (FeeKind::Preservation, amount),
            CaseType::Administrative => (FeeKind::Administrative, None),
        }
    }

    /// A case acceptance fee (art. 13), which the halving rules of arts. 15, 16 and 18 reduce;
    /// application fees (art. 14) are never halved.
    pub fn is_case_fee(self) -> bool {
        self.article().starts_with("13")
    }
}

/// Why a case fee is halved (arts. 15, 16, 18). Several may apply; the fee is halved once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Halving {
    /// Art. 15: the case ends by mediation (调解结案).
    Mediation,
    /// Art. 15: the plaintiff withdraws (撤诉).
    Withdrawal,
    /// Art. 16: tried under the simplified procedure (简易程序).
    SimplifiedProcedure,
    /// Art. 18: a counterclaim, or a third party's own claim, heard together with the case.
    CounterclaimOrThirdParty,
}

impl Halving {
    pub const ALL: [Halving; 4] =
        [Halving::Mediation, Halving::Withdrawal, Halving::SimplifiedProcedure, Halving::CounterclaimOrThirdParty];

    pub fn as_str(self) -> &'static str {
        match self {
            Halving::Mediation => "mediation",
            Halving::Withdrawal => "withdrawal",
            Halving::SimplifiedProcedure => "simplified",
            Halving::CounterclaimOrThirdParty => "counterclaim",
        }
    }

    pub fn parse(raw: &str) -> Option<Halving> {
        Halving::ALL.into_iter().find(|h| h.as_str() == raw.trim())
    }

    pub fn article(self) -> &'static str {
        match self {
            Halving::Mediation | Halving::Withdrawal => "15",
            Halving::SimplifiedProcedure => "16",
            Halving::CounterclaimOrThirdParty => "18",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The province's figures inside the ranges of the Measures

/// The fixed fees the Measures give as a range; each province sets its figure (art. 13 last
/// paragraph, art. 14). Amounts in fen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceRates {
    /// Divorce, 50–300 yuan a case.
    pub divorce: Fen,
    /// Personality rights, 100–500 yuan.
    pub personality: Fen,
    /// Other non-property cases, 50–100 yuan.
    pub non_property: Fen,
    /// Intellectual property without an amount, 500–1,000 yuan.
    pub ip_without_amount: Fen,
    /// A failed jurisdiction objection, 50–100 yuan.
    pub jurisdiction_objection: Fen,
    /// Enforcement without an amount, 50–500 yuan.
    pub enforcement_without_amount: Fen,
}

/// A province's figure outside the range the Measures allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{name} must be {min}–{max} yuan")]
pub struct RateError {
    pub name: &'static str,
    pub min: i64,
    pub max: i64,
}

impl Default for ProvinceRates {
    /// The lowest figure of each range, until the province's own figures are configured.
    fn default() -> Self {
        ProvinceRates {
            divorce: yuan(50),
            personality: yuan(100),
            non_property: yuan(50),
            ip_without_amount: yuan(500),
            jurisdiction_objection: yuan(50),
            enforcement_without_amount: yuan(50),
        }
    }
}

impl ProvinceRates {
    /// Each figure's name (as configured), its range in yuan, and where it is kept.
    pub const RANGES: [(&'static str, i64, i64); 6] = [
        ("divorce", 50, 300),
        ("personality", 100, 500),
        ("non_property", 50, 100),
        ("ip_without_amount", 500, 1_000),
        ("jurisdiction_objection", 50, 100),
        ("enforcement_without_amount", 50, 500),
    ];

    fn slot(&mut self, name: &str) -> Option<&mut Fen> {
        Some(match name {
            "divorce" => &mut self.divorce,
            "personality" => &mut self.personality,
            "non_property" => &mut self.non_property,
            "ip_without_amount" => &mut self.ip_without_amount,
            "jurisdiction_objection" => &mut self.jurisdiction_objection,
            "enforcement_without_amount" => &mut self.enforcement_without_amount,
            _ => return None,
        })
    }

    /// Sets one figure (whole yuan), checked against the Measures' range.
    pub fn set(&mut self, name: &str, yuan_amount: i64) -> Result<(), RateError> {
        let &(static_name, min, max) = Self::RANGES
            .iter()
            .find(|(n, _, _)| *n == name)
            .ok_or(RateError { name: "unknown fee", min: 0, max: 0 })?;
        if !(min..=max).contains(&yuan_amount) {
            return Err(RateError { name: static_name, min, max });
        }
        if let Some(slot) = self.slot(name) {
            *slot = yuan(yuan_amount);
        }
        Ok(())
    }
}

const fn yuan(y: i64) -> Fen {
    Fen(y * 100)
}

// ---------------------------------------------------------------------------------------------
// Bands

/// One band of a cumulative scale: the part of the amount above `from` (up to the next band's
/// `from`) is charged at `rate_bp` basis points (1 bp = 0.01%).
#[derive(Clone, Copy, Debug)]
struct Band {
    from: Fen,
    rate_bp: i64,
}

/// 13(一): 50 yuan to 10,000, then 2.5%, 2%, 1.5%, 1%, 0.9%, 0.8%, 0.7%, 0.6%, 0.5%.
const PROPERTY_BANDS: [Band; 9] = [
    Band { from: yuan(10_000), rate_bp: 250 },
    Band { from: yuan(100_000), rate_bp: 200 },
    Band { from: yuan(200_000), rate_bp: 150 },
    Band { from: yuan(500_000), rate_bp: 100 },
    Band { from: yuan(1_000_000), rate_bp: 90 },
    Band { from: yuan(2_000_000), rate_bp: 80 },
    Band { from: yuan(5_000_000), rate_bp: 70 },
    Band { from: yuan(10_000_000), rate_bp: 60 },
    Band { from: yuan(20_000_000), rate_bp: 50 },
];
const PROPERTY_BASE: Fen = yuan(50);

/// 14(一): 50 yuan to 10,000, then 1.5%, 1%, 0.5%, 0.1%.
const ENFORCEMENT_BANDS: [Band; 4] = [
    Band { from: yuan(10_000), rate_bp: 150 },
    Band { from: yuan(500_000), rate_bp: 100 },
    Band { from: yuan(5_000_000), rate_bp: 50 },
    Band { from: yuan(10_000_000), rate_bp: 10 },
];
const ENFORCEMENT_BASE: Fen = yuan(50);

/// 14(二): 30 yuan to 1,000, then 1%, 0.5%; at most 5,000 yuan.
const PRESERVATION_BANDS: [Band; 2] = [Band { from: yuan(1_000), rate_bp: 100 }, Band { from: yuan(100_000), rate_bp: 50 }];
const PRESERVATION_BASE: Fen = yuan(30);
const PRESERVATION_CAP: Fen = yuan(5_000);

/// 13(二)1: property division above 200,000 at 0.5%.
const DIVORCE_PROPERTY_BANDS: [Band; 1] = [Band { from: yuan(200_000), rate_bp: 50 }];
/// 13(二)2: damages above 50,000 at 1%, above 100,000 at 0.5%.
const PERSONALITY_DAMAGES_BANDS: [Band; 2] = [Band { from: yuan(50_000), rate_bp: 100 }, Band { from: yuan(100_000), rate_bp: 50 }];

const BANKRUPTCY_CAP: Fen = yuan(300_000);

/// Exact amounts are kept in ten-thousandths of a fen, so a basis-point rate times an amount in
/// fen is a whole number.
const EXACT_PER_FEN: i128 = 10_000;

/// Rounds an exact amount, divided by `divisor`, half up to the fen.
fn round_to_fen(exact: i128, divisor: i128) -> Fen {
    let denominator = EXACT_PER_FEN * divisor;
    // Amounts are never negative here; half up = add half the denominator, then floor.
    let fen = (exact * 2 + denominator) / (denominator * 2);
    Fen(i64::try_from(fen).unwrap_or(i64::MAX))
}

// ---------------------------------------------------------------------------------------------
// The working

/// One line of the working, in the order it is applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Line {
    /// A fixed fee for the case or application (or the base fee of a banded scale, which covers
    /// amounts up to `up_to`).
    Fixed { fee: Fen, up_to: Option<Fen> },
    /// A band: `part` of the amount (between `from` and `to`) at `rate_bp` basis points.
    Band { from: Fen, to: Option<Fen>, part: Fen, rate_bp: i64, fee: Fen },
    /// A part of the amount that costs nothing (property division to 200,000; damages to 50,000).
    FreePart { up_to: Fen },
    /// The fee is a fraction of the property fee on the same amount (payment order ⅓,
    /// bankruptcy ½).
    Fraction { numerator: i64, denominator: i64 },
    /// Halved once, for these reasons (arts. 15, 16, 18).
    Halved { reasons: Vec<Halving> },
    /// Capped (preservation 5,000; bankruptcy 300,000).
    Capped { cap: Fen },
    /// No case fee (art. 8).
    NoFee,
}

/// A fee and how it was reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Working {
    pub kind: FeeKind,
    pub amount: Option<Fen>,
    pub lines: Vec<Line>,
    /// The fee before halving (what is paid in advance, 预交).
    pub full: Fen,
    /// The fee after the halving rules that apply (equal to `full` when none does).
    pub total: Fen,
}

/// Why a fee cannot be worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum FeeError {
    #[error("this fee is worked out on an amount: enter the amount")]
    AmountRequired,
    #[error("this fee does not depend on an amount")]
    AmountNotUsed,
    #[error("the amount must be more than zero")]
    AmountNotPositive,
}

impl FeeError {
    /// The translation key of the message shown next to the amount.
    pub fn key(self) -> &'static str {
        match self {
            FeeError::AmountRequired => "error_fee_amount_required",
            FeeError::AmountNotUsed => "error_fee_amount_not_used",
            FeeError::AmountNotPositive => "error_amount_positive",
        }
    }
}

/// Adds the cumulative bands an amount reaches: returns the lines and the exact sum.
fn banded(amount: Fen, bands: &[Band]) -> (Vec<Line>, i128) {
    let mut lines = Vec::new();
    let mut exact: i128 = 0;
    for (i, band) in bands.iter().enumerate() {
        if amount <= band.from {
            break;
        }
        let to = bands.get(i + 1).map(|next| next.from);
        let top = to.map_or(amount, |t| t.min(amount));
        let part = Fen(top.0 - band.from.0);
        let band_exact = i128::from(part.0) * i128::from(band.rate_bp);
        exact += band_exact;
        lines.push(Line::Band { from: band.from, to, part, rate_bp: band.rate_bp, fee: round_to_fen(band_exact, 1) });
    }
    (lines, exact)
}

fn exact(fee: Fen) -> i128 {
    i128::from(fee.0) * EXACT_PER_FEN
}

/// A banded scale with a base fee that covers amounts up to the first band.
fn scale(amount: Fen, base: Fen, bands: &[Band]) -> (Vec<Line>, i128) {
    let mut lines = vec![Line::Fixed { fee: base, up_to: bands.first().map(|b| b.from) }];
    let (band_lines, band_exact) = banded(amount, bands);
    lines.extend(band_lines);
    (lines, exact(base) + band_exact)
}

/// Works out the fee for `kind` on `amount` with the province's figures; `halving` lists the
/// reasons to halve a case fee (each counted once; application fees are never halved).
pub fn calculate(
    kind: FeeKind,
    amount: Option<Fen>,
    halving: &[Halving],
    rates: &ProvinceRates,
) -> Result<Working, FeeError> {
    if let Some(a) = amount
        && a.0 <= 0
    {
        return Err(FeeError::AmountNotPositive);
    }
    let amount = match (kind.amount_use(), amount) {
        (AmountUse::Required, None) => return Err(FeeError::AmountRequired),
        (AmountUse::None, Some(_)) => return Err(FeeError::AmountNotUsed),
        (_, a) => a,
    };
    let fixed = |fee: Fen| (vec![Line::Fixed { fee, up_to: None }], exact(fee));
    let (mut lines, exact_fee, divisor, cap) = match kind {
        FeeKind::Property => {
            let (l, e) = scale(amount.unwrap_or_default(), PROPERTY_BASE, &PROPERTY_BANDS);
            (l, e, 1, None)
        }
        FeeKind::Divorce | FeeKind::PersonalityRights => {
            let (base, free_to, bands): (Fen, Fen, &[Band]) = if kind == FeeKind::Divorce {
                (rates.divorce, yuan(200_000), &DIVORCE_PROPERTY_BANDS)
            } else {
                (rates.personality, yuan(50_000), &PERSONALITY_DAMAGES_BANDS)
            };
            let (mut l, mut e) = fixed(base);
            if let Some(a) = amount {
                l.push(Line::FreePart { up_to: free_to });
                let (band_lines, band_exact) = banded(a, bands);
                l.extend(band_lines);
                e += band_exact;
            }
            (l, e, 1, None)
        }
        FeeKind::OtherNonProperty => {
            let (l, e) = fixed(rates.non_property);
            (l, e, 1, None)
        }
        FeeKind::IntellectualProperty => {
            let (l, e) = match amount {
                Some(a) => scale(a, PROPERTY_BASE, &PROPERTY_BANDS),
                None => fixed(rates.ip_without_amount),
            };
            (l, e, 1, None)
        }
        FeeKind::Labour => {
            let (l, e) = fixed(yuan(10));
            (l, e, 1, None)
        }
        FeeKind::Administrative => {
            let (l, e) = fixed(yuan(50));
            (l, e, 1, None)
        }
        FeeKind::AdministrativeIpMaritime => {
            let (l, e) = fixed(yuan(100));
            (l, e, 1, None)
        }
        FeeKind::JurisdictionObjection => {
            let (l, e) = fixed(rates.jurisdiction_objection);
            (l, e, 1, None)
        }
        FeeKind::Enforcement => {
            let (l, e) = match amount {
                Some(a) => scale(a, ENFORCEMENT_BASE, &ENFORCEMENT_BANDS),
                None => fixed(rates.enforcement_without_amount),
            };
            (l, e, 1, None)
        }
        FeeKind::Preservation => {
            let (l, e) = match amount {
                Some(a) => scale(a, PRESERVATION_BASE, &PRESERVATION_BANDS),
                None => fixed(PRESERVATION_BASE),
            };
            (l, e, 1, Some(PRESERVATION_CAP))
        }
        FeeKind::PaymentOrder | FeeKind::Bankruptcy => {
            let (mut l, e) = scale(amount.unwrap_or_default(), PROPERTY_BASE, &PROPERTY_BANDS);
            let (denominator, cap) = if kind == FeeKind::PaymentOrder { (3, None) } else { (2, Some(BANKRUPTCY_CAP)) };
            l.push(Line::Fraction { numerator: 1, denominator });
            (l, e, i128::from(denominator), cap)
        }
        FeeKind::PublicSummons => {
            let (l, e) = fixed(yuan(100));
            (l, e, 1, None)
        }
        FeeKind::Arbitration => {
            let (l, e) = fixed(yuan(400));
            (l, e, 1, None)
        }
        FeeKind::NoFee => (vec![Line::NoFee], 0, 1, None),
    };
    let capped = |fee: Fen, lines: &mut Vec<Line>| match cap {
        Some(cap) if fee > cap => {
            lines.push(Line::Capped { cap });
            cap
        }
        _ => fee,
    };
    let full = capped(round_to_fen(exact_fee, divisor), &mut lines);
    let mut reasons: Vec<Halving> = Vec::new();
    for h in halving {
        if !reasons.contains(h) {
            reasons.push(*h);
        }
    }
    let total = if kind.is_case_fee() && !reasons.is_empty() && full.0 > 0 {
        lines.push(Line::Halved { reasons });
        // Halved on the exact figure (no cap applies to case fees), then rounded once.
        round_to_fen(exact_fee, divisor * 2)
    } else {
        full
    };
    Ok(Working { kind, amount, lines, full, total })
}

/// What a changed claim means for what was paid (art. 21): pay the difference, or get it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Adjustment {
    TopUp(Fen),
    Refund(Fen),
    Nothing,
}

/// The difference between the fee already paid and the fee on the changed claim.
pub fn adjustment(paid: Fen, now_due: Fen) -> Adjustment {
    match now_due.0 - paid.0 {
        d if d > 0 => Adjustment::TopUp(Fen(d)),
        d if d < 0 => Adjustment::Refund(Fen(-d)),
        _ => Adjustment::Nothing,
    }
}

/// What a change of the claims does to a case's notices (art. 21), given the fee on the changed
/// claims, what was paid (less what already went back for earlier changes), and the notice
/// still unpaid, if any (a case has at most one at a time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimChange {
    /// The unpaid notice now asks for this (it never asked for money already paid).
    pub reissue: Option<Fen>,
    /// A further notice for this (补缴).
    pub top_up: Option<Fen>,
    /// This goes back of what was paid.
    pub refund: Option<Fen>,
}

pub fn claim_change(fee_now: Fen, paid: Fen, unpaid: Option<Fen>) -> ClaimChange {
    let nothing = ClaimChange { reissue: None, top_up: None, refund: None };
    match (unpaid, adjustment(paid, fee_now)) {
        // An unpaid notice takes the difference, whatever it asked before; money paid beyond
        // the new fee goes back.
        (Some(_), Adjustment::TopUp(more)) => ClaimChange { reissue: Some(more), ..nothing },
        (Some(_), Adjustment::Nothing) => ClaimChange { reissue: Some(Fen(0)), ..nothing },
        (Some(_), Adjustment::Refund(back)) => ClaimChange { reissue: Some(Fen(0)), refund: Some(back), ..nothing },
        (None, Adjustment::TopUp(more)) => ClaimChange { top_up: Some(more), ..nothing },
        (None, Adjustment::Refund(back)) => ClaimChange { refund: Some(back), ..nothing },
        (None, Adjustment::Nothing) => nothing,
    }
}

// ---------------------------------------------------------------------------------------------
// Fee notices (缴费通知)

/// Days a party has to pay after the fee notice (art. 22: 七日内预交).
pub const PAYMENT_DAYS: i64 = 7;

/// The end of the time to pay: 24:00 Beijing time of the 7th day after the notice, or of the
/// next working day when that day is a weekend day or public holiday (Civil Procedure Law art. 86).
pub fn payment_deadline(issued: UnixTime) -> UnixTime {
    let last_day = crate::courts::calendar::period_end(issued.beijing_day().saturating_add(PAYMENT_DAYS));
    UnixTime::beijing_midnight(last_day.saturating_add(1))
}

/// The fee a notice asks for when a filing is accepted: the case fee (or application fee) on
/// the claims, worked out in full (halving, if it comes, is refunded at the end of the case).
pub fn notice_for_filing(case_type: CaseType, claims_total: Fen, rates: &ProvinceRates) -> Result<Working, FeeError> {
    let (kind, amount) = FeeKind::for_filing(case_type, claims_total);
    calculate(kind, amount, &[], rates)
}

/// Where a fee notice stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeStatus {
    Unpaid,
    Paid,
}

impl NoticeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeStatus::Unpaid => "unpaid",
            NoticeStatus::Paid => "paid",
        }
    }

    pub fn parse(raw: &str) -> Option<NoticeStatus> {
        [NoticeStatus::Unpaid, NoticeStatus::Paid].into_iter().find(|s| s.as_str() == raw)
    }
}

// ---------------------------------------------------------------------------------------------
// Paying a notice: orders at the gateway and what a gateway's report does to them

/// The one currency court fees are paid in.
pub const CURRENCY: &str = "CNY";

/// How long an order's QR code can be paid (WeChat Pay's `time_expire`); a later visit makes a
/// new order. Short, so a screenshot of an old code does not stay payable for a day.
pub const ORDER_VALIDITY_SECS: i64 = 30 * 60;

/// A pending order with no notification after this long is asked about (reconciliation).
pub const RECONCILE_AFTER_SECS: i64 = 60;

/// The least time between two questions to the gateway about one order from its polling page,
/// so a page left open (or many) cannot flood the gateway's rate limits.
pub const QUERY_INTERVAL_SECS: i64 = 15;

/// A trade's state as the gateway reports it (WeChat Pay's `trade_state` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TradeState {
    Success,
    Refund,
    NotPay,
    Closed,
    Revoked,
    UserPaying,
    PayError,
}

impl TradeState {
    pub const ALL: [TradeState; 7] = [
        TradeState::Success,
        TradeState::Refund,
        TradeState::NotPay,
        TradeState::Closed,
        TradeState::Revoked,
        TradeState::UserPaying,
        TradeState::PayError,
    ];

    /// The gateway's spelling: `SUCCESS`, `NOTPAY`, …
    pub fn as_str(self) -> &'static str {
        match self {
            TradeState::Success => "SUCCESS",
            TradeState::Refund => "REFUND",
            TradeState::NotPay => "NOTPAY",
            TradeState::Closed => "CLOSED",
            TradeState::Revoked => "REVOKED",
            TradeState::UserPaying => "USERPAYING",
            TradeState::PayError => "PAYERROR",
        }
    }

    pub fn parse(raw: &str) -> Option<TradeState> {
        TradeState::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What a gateway says about one order, from a verified notification or from a query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    pub out_trade_no: String,
    /// The gateway's own id of the payment; present once paid.
    pub transaction_id: Option<String>,
    pub state: TradeState,
    /// What the payer paid, in fen.
    pub amount_fen: i64,
    pub currency: String,
}

/// Where one payment order stands on our side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    /// Created at the gateway; its code can be paid until it expires.
    Pending,
    Paid,
    /// Expired or replaced, and closed at the gateway: it can no longer be paid.
    Closed,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Paid => "paid",
            OrderStatus::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<OrderStatus> {
        [OrderStatus::Pending, OrderStatus::Paid, OrderStatus::Closed].into_iter().find(|s| s.as_str() == raw)
    }
}

/// One order as the rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub out_trade_no: String,
    pub status: OrderStatus,
    pub amount: Fen,
    pub expires_at: UnixTime,
}

/// What a gateway's report does to an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// Pending → Paid: record the payment (once).
    Paid { transaction_id: String },
    /// Reported paid again (a duplicate notification): nothing changes.
    AlreadyPaid,
    /// Not paid yet (NOTPAY, USERPAYING): nothing changes.
    StillPending,
    /// The gateway closed it (CLOSED, REVOKED, PAYERROR): it can no longer be paid.
    Closed,
    /// The gateway took money for an order we had closed: nothing changes here, and staff must
    /// refund it (kept in the notification log).
    PaidAfterClose { transaction_id: String },
}

/// A report that must not change anything: it is refused and logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("the report is about another order")]
    WrongOrder,
    #[error("the amount paid is not the amount of the order")]
    WrongAmount,
    #[error("the currency is not CNY")]
    WrongCurrency,
    #[error("a successful payment without the gateway's transaction id")]
    NoTransactionId,
    #[error("a second, different payment reported for an order already paid")]
    PaidTwice,
}

impl Order {
    /// Applies a gateway's report. Checked before anything else: it is this order, in yuan, for
    /// exactly the amount asked; then a success pays a pending order once.
    pub fn settle(&self, t: &Transaction, paid_transaction: Option<&str>) -> Result<Settlement, PaymentError> {
        if t.out_trade_no != self.out_trade_no {
            return Err(PaymentError::WrongOrder);
        }
        if t.state != TradeState::Success {
            return Ok(match (self.status, t.state) {
                (OrderStatus::Pending, TradeState::NotPay | TradeState::UserPaying) => Settlement::StillPending,
                (OrderStatus::Pending, _) => Settlement::Closed,
                (OrderStatus::Paid, _) => Settlement::AlreadyPaid,
                (OrderStatus::Closed, _) => Settlement::Closed,
            });
        }
        if t.currency != CURRENCY {
            return Err(PaymentError::WrongCurrency);
        }
        if t.amount_fen != self.amount.0 {
            return Err(PaymentError::WrongAmount);
        }
        let transaction_id = match t.transaction_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => return Err(PaymentError::NoTransactionId),
        };
        match self.status {
            OrderStatus::Pending => Ok(Settlement::Paid { transaction_id }),
            OrderStatus::Paid if paid_transaction == Some(transaction_id.as_str()) => Ok(Settlement::AlreadyPaid),
            OrderStatus::Paid => Err(PaymentError::PaidTwice),
            OrderStatus::Closed => Ok(Settlement::PaidAfterClose { transaction_id }),
        }
    }

    /// Whether the order's code can still be paid at `now`.
    pub fn payable(&self, now: UnixTime) -> bool {
        self.status == OrderStatus::Pending && now < self.expires_at
    }
}

/// Our order number at the gateway (`out_trade_no`: 6–32 of `[A-Za-z0-9_-]`): `TP`, the
/// notice, and the order's own row id, so a number says which notice it pays.
pub fn out_trade_no(notice_id: i64, order_id: i64) -> String {
    format!("TP{notice_id:08}N{order_id:08}")
}

/// Whether a string is shaped like one of our order numbers (checked before any look-up).
pub fn is_out_trade_no(raw: &str) -> bool {
    (6..=32).contains(&raw.len()) && raw.starts_with("TP") && raw.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The receipt number of a paid order: `SF`, the Beijing date of payment, the order's id.
pub fn receipt_number(paid_at: UnixTime, order_id: i64) -> String {
    let (y, m, d) = paid_at.beijing_ymd();
    format!("SF{y:04}{m:02}{d:02}{order_id:08}")
}

/// An amount in Chinese capital numerals as receipts and cheques write it (大写金额):
/// 2,300.00 → 贰仟叁佰元整; 1,005.20 → 壹仟零伍元贰角整; 0.05 → 伍分; 100,000,000 → 壹亿元整.
pub fn capital_yuan(amount: Fen) -> String {
    const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const SMALL: [&str; 4] = ["", "拾", "佰", "仟"];
    const LARGE: [&str; 4] = ["", "万", "亿", "万亿"];
    let fen = amount.0.unsigned_abs();
    let (yuan, jiao, fen) = (fen / 100, (fen / 10 % 10) as usize, (fen % 10) as usize);
    let mut out = String::new();
    if amount.0 < 0 {
        out.push('负');
    }
    if yuan > 0 {
        // Groups of four digits, highest first; a zero run inside or between groups reads 零 once.
        let mut groups = Vec::new();
        let mut rest = yuan;
        while rest > 0 {
            groups.push((rest % 10_000) as usize);
            rest /= 10_000;
        }
        let mut pending_zero = false;
        for (i, &g) in groups.iter().enumerate().rev() {
            if g == 0 {
                pending_zero = !out.is_empty() && !out.ends_with('负');
                continue;
            }
            if (pending_zero || (g < 1000 && i + 1 < groups.len())) && !out.is_empty() && !out.ends_with('负') {
                out.push('零');
            }
            pending_zero = false;
            let digits = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
            let mut zero = false;
            let mut started = false;
            for (pos, &dg) in digits.iter().enumerate() {
                if dg == 0 {
                    zero = started;
                    continue;
                }
                if zero {
                    out.push('零');
                    zero = false;
                }
                started = true;
                out.push(DIGITS[dg]);
                out.push_str(SMALL[3 - pos]);
            }
            out.push_str(LARGE[i.min(LARGE.len() - 1)]);
        }
        out.push('元');
    }
    match (jiao, fen) {
        (0, 0) if yuan == 0 => out.push_str("零元整"),
        (0, 0) => out.push('整'),
        (j, 0) => {
            out.push(DIGITS[j]);
            out.push_str("角整");
        }
        (j, f) => {
            if j > 0 {
                out.push(DIGITS[j]);
                out.push('角');
            } else if yuan > 0 {
                out.push('零');
            }
            out.push(DIGITS[f]);
            out.push('分');
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Refunds (退费): what goes back, why, and how a refund moves from staff approval to the payer

/// Days the court has to return money once the decision is in force (art. 53: 十五日内退还).
pub const REFUND_DAYS: i64 = 15;

/// The end of the time to refund: 24:00 Beijing time of the 15th day (moved past rest days, as
/// every statutory period is).
pub fn refund_deadline(from: UnixTime) -> UnixTime {
    let last_day = crate::courts::calendar::period_end(from.beijing_day().saturating_add(REFUND_DAYS));
    UnixTime::beijing_midnight(last_day.saturating_add(1))
}

/// How a case ended, as far as its fee is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseEnding {
    /// 判决: the fee stands (who bears it is for the judgment).
    Judgment,
    /// 调解结案 (art. 15): half the case fee.
    Mediation,
    /// 撤诉 (art. 15): half the case fee.
    Withdrawal,
    /// 裁定不予受理 / 驳回起诉 after acceptance (art. 8(二)): no case fee at all.
    Dismissed,
}

impl CaseEnding {
    pub const ALL: [CaseEnding; 4] = [CaseEnding::Judgment, CaseEnding::Mediation, CaseEnding::Withdrawal, CaseEnding::Dismissed];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseEnding::Judgment => "judgment",
            CaseEnding::Mediation => "mediation",
            CaseEnding::Withdrawal => "withdrawal",
            CaseEnding::Dismissed => "dismissed",
        }
    }

    pub fn parse(raw: &str) -> Option<CaseEnding> {
        CaseEnding::ALL.into_iter().find(|e| e.as_str() == raw.trim())
    }
}

/// Why money goes back to the payer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefundReason {
    /// Ended by mediation: the half of the case fee not owed (art. 15).
    Mediation,
    /// Withdrawn: the half of the case fee not owed (art. 15).
    Withdrawal,
    /// Dismissed or refused after acceptance: the whole case fee (art. 8(二)).
    Dismissed,
    /// The gateway took money for an order already closed here: all of it goes back.
    PaidAfterClose,
    /// The claims were reduced: the fee on the difference goes back (art. 21).
    ClaimsReduced,
}

impl RefundReason {
    pub const ALL: [RefundReason; 5] =
        [RefundReason::Mediation, RefundReason::Withdrawal, RefundReason::Dismissed, RefundReason::PaidAfterClose, RefundReason::ClaimsReduced];

    pub fn as_str(self) -> &'static str {
        match self {
            RefundReason::Mediation => "mediation",
            RefundReason::Withdrawal => "withdrawal",
            RefundReason::Dismissed => "dismissed",
            RefundReason::PaidAfterClose => "paid_after_close",
            RefundReason::ClaimsReduced => "claims_reduced",
        }
    }

    pub fn parse(raw: &str) -> Option<RefundReason> {
        RefundReason::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }

    /// What the payer's payment app shows beside the refund (WeChat Pay's `reason`, ≤ 80 chars).
    pub fn gateway_text(self) -> &'static str {
        match self {
            RefundReason::Mediation => "调解结案，减半收取案件受理费",
            RefundReason::Withdrawal => "撤诉，减半收取案件受理费",
            RefundReason::Dismissed => "裁定不予受理或驳回起诉，不收取案件受理费",
            RefundReason::PaidAfterClose => "订单关闭后到账，全额退回",
            RefundReason::ClaimsReduced => "减少诉讼请求，退还多交的案件受理费",
        }
    }
}

/// Rounds half up to the fen a whole number of fen divided by two.
fn half_up(fen: Fen) -> Fen {
    Fen((fen.0 + 1) / 2)
}

/// The case fee owed once a case has ended this way, when the ending changes it: halved for
/// mediation or withdrawal (art. 15), nothing for dismissal (art. 8(二)); None when it stands
/// (a judgment; an application fee; a fee already halved, since halving applies once).
///
/// The halved figure is worked out again from the exact amount, as the calculator does; if the
/// province's figures have changed since the notice, half of the fee as issued is used instead,
/// so the payer never loses by the change.
pub fn fee_after_ending(ending: CaseEnding, issued: &Working, rates: &ProvinceRates) -> Option<Working> {
    if !issued.kind.is_case_fee() {
        return None;
    }
    let with = |line: Line, total: Fen| {
        let mut lines = issued.lines.clone();
        lines.push(line);
        Working { lines, total, ..issued.clone() }
    };
    let halving = match ending {
        CaseEnding::Judgment => return None,
        CaseEnding::Dismissed => return Some(with(Line::NoFee, Fen(0))),
        CaseEnding::Mediation => Halving::Mediation,
        CaseEnding::Withdrawal => Halving::Withdrawal,
    };
    if issued.lines.iter().any(|l| matches!(l, Line::Halved { .. })) {
        return None;
    }
    let mut owed = match calculate(issued.kind, issued.amount, &[halving], rates) {
        Ok(again) if again.full == issued.full => again,
        _ => with(Line::Halved { reasons: vec![halving] }, half_up(issued.full)),
    };
    // Relief granted at acceptance (a reduction) lowered the notice below the full fee: the
    // halved fee is lowered in the same proportion, so the party keeps both.
    if issued.total < issued.full && issued.full.0 > 0 {
        let (owed_fen, due, full) = (i128::from(owed.total.0), i128::from(issued.total.0), i128::from(issued.full.0));
        owed.total = Fen(i64::try_from((owed_fen * due * 2 + full) / (full * 2)).unwrap_or(i64::MAX));
    }
    Some(owed)
}

/// What an ending gives back of a paid fee, and why; None when nothing goes back.
pub fn ending_refund(ending: CaseEnding, issued: &Working, paid: Fen, rates: &ProvinceRates) -> Option<(RefundReason, Fen)> {
    let owed = fee_after_ending(ending, issued, rates)?;
    let reason = match ending {
        CaseEnding::Mediation => RefundReason::Mediation,
        CaseEnding::Withdrawal => RefundReason::Withdrawal,
        CaseEnding::Dismissed | CaseEnding::Judgment => RefundReason::Dismissed,
    };
    let back = Fen(paid.0 - owed.total.0);
    (back.0 > 0).then_some((reason, back))
}

/// A refund's state as the gateway reports it (WeChat Pay's refund `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefundState {
    Success,
    Processing,
    /// Closed by the gateway without paying out.
    Closed,
    /// The payer's account could not take it back (e.g. a closed card): staff act offline.
    Abnormal,
}

impl RefundState {
    pub const ALL: [RefundState; 4] = [RefundState::Success, RefundState::Processing, RefundState::Closed, RefundState::Abnormal];

    pub fn as_str(self) -> &'static str {
        match self {
            RefundState::Success => "SUCCESS",
            RefundState::Processing => "PROCESSING",
            RefundState::Closed => "CLOSED",
            RefundState::Abnormal => "ABNORMAL",
        }
    }

    pub fn parse(raw: &str) -> Option<RefundState> {
        RefundState::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What a gateway says about one refund, from its answer, a query or a verified notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundReport {
    pub out_refund_no: String,
    pub out_trade_no: String,
    /// The gateway's own id of the refund.
    pub refund_id: Option<String>,
    pub state: RefundState,
    /// What goes back, in fen.
    pub refund_fen: i64,
    /// The order's whole amount, in fen.
    pub total_fen: i64,
    pub currency: String,
}

/// Where a refund stands on our side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefundStatus {
    /// Created by the rules; waits for staff.
    AwaitingApproval,
    /// Approved and sent to the gateway.
    Processing,
    /// Back with the payer.
    Refunded,
    /// The gateway closed it or could not pay out: staff must act.
    Failed,
}

impl RefundStatus {
    pub const ALL: [RefundStatus; 4] = [RefundStatus::AwaitingApproval, RefundStatus::Processing, RefundStatus::Refunded, RefundStatus::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::AwaitingApproval => "awaiting_approval",
            RefundStatus::Processing => "processing",
            RefundStatus::Refunded => "refunded",
            RefundStatus::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<RefundStatus> {
        RefundStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// One refund as the rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    pub out_refund_no: String,
    pub out_trade_no: String,
    pub status: RefundStatus,
    pub amount: Fen,
}

/// What a gateway's report does to a refund.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefundSettlement {
    Refunded { refund_id: String },
    AlreadyRefunded,
    StillProcessing,
    Failed,
}

/// A refund step that must not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefundError {
    #[error("only a refund awaiting approval can be approved")]
    NotAwaitingApproval,
    #[error("the report is about another refund or order")]
    WrongRefund,
    #[error("the amount refunded is not the amount approved")]
    WrongAmount,
    #[error("the currency is not CNY")]
    WrongCurrency,
    #[error("a report for a refund that was never sent to the gateway")]
    NotSent,
}

impl Refund {
    /// Staff approval: the refund goes to the gateway once.
    pub fn approve(&self) -> Result<RefundStatus, RefundError> {
        match self.status {
            RefundStatus::AwaitingApproval => Ok(RefundStatus::Processing),
            _ => Err(RefundError::NotAwaitingApproval),
        }
    }

    /// Applies a gateway's report: checked to be this refund, of this order, in CNY, for exactly
    /// the amount approved; a success then refunds once, and a duplicate changes nothing.
    pub fn settle(&self, r: &RefundReport) -> Result<RefundSettlement, RefundError> {
        if r.out_refund_no != self.out_refund_no || r.out_trade_no != self.out_trade_no {
            return Err(RefundError::WrongRefund);
        }
        if r.currency != CURRENCY {
            return Err(RefundError::WrongCurrency);
        }
        if r.refund_fen != self.amount.0 {
            return Err(RefundError::WrongAmount);
        }
        match (self.status, r.state) {
            (RefundStatus::AwaitingApproval, _) => Err(RefundError::NotSent),
            (RefundStatus::Refunded, _) => Ok(RefundSettlement::AlreadyRefunded),
            (RefundStatus::Failed, _) => Ok(RefundSettlement::Failed),
            (RefundStatus::Processing, RefundState::Processing) => Ok(RefundSettlement::StillProcessing),
            (RefundStatus::Processing, RefundState::Closed | RefundState::Abnormal) => Ok(RefundSettlement::Failed),
            (RefundStatus::Processing, RefundState::Success) => match r.refund_id.as_deref().map(str::trim) {
                Some(id) if !id.is_empty() => Ok(RefundSettlement::Refunded { refund_id: id.to_string() }),
                _ => Err(RefundError::WrongRefund),
            },
        }
    }
}

/// Our refund number at the gateway (`out_refund_no`, ≤ 64 of `[A-Za-z0-9_-|*@]`): `RF`, the
/// order refunded and the refund's own row id.
pub fn out_refund_no(order_id: i64, refund_id: i64) -> String {
    format!("RF{order_id:08}N{refund_id:08}")
}

/// Whether a string is shaped like one of our refund numbers (checked before any look-up).
pub fn is_out_refund_no(raw: &str) -> bool {
    (6..=64).contains(&raw.len()) && raw.starts_with("RF") && raw.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_claim_asks_the_difference_or_gives_it_back() {
        let paid = Fen(230_000);
        assert_eq!(claim_change(Fen(330_000), paid, None), ClaimChange { reissue: None, top_up: Some(Fen(100_000)), refund: None }, "increased after paying: a further notice");
        assert_eq!(claim_change(Fen(130_000), paid, None), ClaimChange { reissue: None, top_up: None, refund: Some(Fen(100_000)) }, "reduced after paying: the difference back");
        assert_eq!(claim_change(paid, paid, None), ClaimChange { reissue: None, top_up: None, refund: None });
        assert_eq!(claim_change(Fen(330_000), Fen(0), Some(Fen(230_000))), ClaimChange { reissue: Some(Fen(330_000)), top_up: None, refund: None }, "nothing paid yet: the notice is reissued");
        assert_eq!(claim_change(Fen(330_000), paid, Some(Fen(50_000))), ClaimChange { reissue: Some(Fen(100_000)), top_up: None, refund: None }, "an unpaid further notice takes the new difference");
        assert_eq!(claim_change(Fen(130_000), paid, Some(Fen(50_000))), ClaimChange { reissue: Some(Fen(0)), top_up: None, refund: Some(Fen(100_000)) }, "reduced below what was paid: nothing more asked, the rest back");
    }

    fn fee(kind: FeeKind, amount_yuan: Option<&str>) -> Fen {
        let amount = amount_yuan.map(|a| Fen::parse_yuan(a).expect("amount"));
        calculate(kind, amount, &[], &ProvinceRates::default()).expect("fee").total
    }

    fn y(s: &str) -> Fen {
        Fen::parse_yuan(s).expect("yuan")
    }

    #[test]
    fn property_fees_match_the_issue_examples() {
        for (amount, expected) in
            [("10000", "50"), ("100000", "2300"), ("150000", "3300"), ("1000000", "13800")]
        {
            assert_eq!(fee(FeeKind::Property, Some(amount)), y(expected), "{amount}");
        }
    }

    #[test]
    fn property_fees_at_every_band_edge_and_inside_every_band() {
        let table = [
            ("0.01", "50"),
            ("9999.99", "50"),
            ("10000", "50"),
            ("10000.01", "50"),     // 50 + 0.01 × 2.5% = 50.00025
            ("10000.20", "50.01"),  // 50 + 0.005: half up
            ("50000", "1050"),      // 50 + 40,000 × 2.5%
            ("100000", "2300"),
            ("150000", "3300"),
            ("200000", "4300"),
            ("350000", "6550"),     // 4,300 + 150,000 × 1.5%
            ("500000", "8800"),
            ("750000", "11300"),    // 8,800 + 250,000 × 1%
            ("1000000", "13800"),
            ("1500000", "18300"),   // 13,800 + 500,000 × 0.9%
            ("2000000", "22800"),
            ("3000000", "30800"),   // 22,800 + 1,000,000 × 0.8%
            ("5000000", "46800"),
            ("8000000", "67800"),   // 46,800 + 3,000,000 × 0.7%
            ("10000000", "81800"),
            ("15000000", "111800"), // 81,800 + 5,000,000 × 0.6%
            ("20000000", "141800"),
            ("30000000", "191800"), // 141,800 + 10,000,000 × 0.5%
        ];
        for (amount, expected) in table {
            assert_eq!(fee(FeeKind::Property, Some(amount)), y(expected), "property {amount}");
        }
    }

    #[test]
    fn enforcement_fees_follow_their_own_bands() {
        let table = [
            ("10000", "50"),
            ("20000", "200"),       // 50 + 10,000 × 1.5%
            ("500000", "7400"),     // 50 + 490,000 × 1.5%
            ("1000000", "12400"),   // 7,400 + 500,000 × 1%
            ("5000000", "52400"),
            ("10000000", "77400"),  // 52,400 + 5,000,000 × 0.5%
            ("20000000", "87400"),  // 77,400 + 10,000,000 × 0.1%
        ];
        for (amount, expected) in table {
            assert_eq!(fee(FeeKind::Enforcement, Some(amount)), y(expected), "enforcement {amount}");
        }
        assert_eq!(fee(FeeKind::Enforcement, None), y("50"), "no amount: the province's figure");
    }

    #[test]
    fn preservation_fees_have_a_floor_bands_and_a_cap_of_5000() {
        let table = [
            ("500", "30"),
            ("1000", "30"),
            ("50000", "520"),       // 30 + 49,000 × 1%
            ("100000", "1020"),
            ("500000", "3020"),     // 1,020 + 400,000 × 0.5%
            ("896000", "5000"),     // 1,020 + 796,000 × 0.5% = 5,000 exactly
            ("900000", "5000"),     // would be 5,020: capped
            ("100000000", "5000"),
        ];
        for (amount, expected) in table {
            assert_eq!(fee(FeeKind::Preservation, Some(amount)), y(expected), "preservation {amount}");
        }
        assert_eq!(fee(FeeKind::Preservation, None), y("30"));
        let capped = calculate(FeeKind::Preservation, Some(y("900000")), &[], &ProvinceRates::default()).expect("fee");
        assert!(capped.lines.contains(&Line::Capped { cap: y("5000") }), "the cap shows in the working");
    }

    #[test]
    fn divorce_and_personality_fees_add_bands_above_their_free_parts() {
        assert_eq!(fee(FeeKind::Divorce, None), y("50"));
        assert_eq!(fee(FeeKind::Divorce, Some("200000")), y("50"), "property to 200,000 is free");
        assert_eq!(fee(FeeKind::Divorce, Some("300000")), y("550"), "50 + 100,000 × 0.5%");
        assert_eq!(fee(FeeKind::PersonalityRights, None), y("100"));
        assert_eq!(fee(FeeKind::PersonalityRights, Some("50000")), y("100"));
        assert_eq!(fee(FeeKind::PersonalityRights, Some("80000")), y("400"), "100 + 30,000 × 1%");
        assert_eq!(fee(FeeKind::PersonalityRights, Some("100000")), y("600"));
        assert_eq!(fee(FeeKind::PersonalityRights, Some("300000")), y("1600"), "600 + 200,000 × 0.5%");
    }

    #[test]
    fn fixed_fees_are_the_measures_or_the_provinces_figures() {
        assert_eq!(fee(FeeKind::OtherNonProperty, None), y("50"));
        assert_eq!(fee(FeeKind::IntellectualProperty, None), y("500"));
        assert_eq!(fee(FeeKind::IntellectualProperty, Some("100000")), y("2300"), "with an amount: property bands");
        assert_eq!(fee(FeeKind::Labour, None), y("10"));
        assert_eq!(fee(FeeKind::Administrative, None), y("50"));
        assert_eq!(fee(FeeKind::AdministrativeIpMaritime, None), y("100"));
        assert_eq!(fee(FeeKind::JurisdictionObjection, None), y("50"));
        assert_eq!(fee(FeeKind::PublicSummons, None), y("100"));
        assert_eq!(fee(FeeKind::Arbitration, None), y("400"));
        assert_eq!(fee(FeeKind::NoFee, None), Fen(0));

        let mut rates = ProvinceRates::default();
        rates.set("divorce", 300).expect("in range");
        rates.set("enforcement_without_amount", 500).expect("in range");
        assert_eq!(calculate(FeeKind::Divorce, None, &[], &rates).expect("fee").total, y("300"));
        assert_eq!(calculate(FeeKind::Enforcement, None, &[], &rates).expect("fee").total, y("500"));
    }

    #[test]
    fn a_provinces_figure_outside_the_measures_range_is_refused() {
        let mut rates = ProvinceRates::default();
        assert_eq!(rates.set("divorce", 301), Err(RateError { name: "divorce", min: 50, max: 300 }));
        assert!(rates.set("personality", 99).is_err());
        assert!(rates.set("no_such_fee", 100).is_err());
        assert_eq!(rates, ProvinceRates::default(), "nothing changed");
    }

    #[test]
    fn a_payment_order_costs_a_third_of_the_property_fee_rounded_once() {
        assert_eq!(fee(FeeKind::PaymentOrder, Some("100000")), y("766.67"), "2,300 / 3 = 766.666…");
        assert_eq!(fee(FeeKind::PaymentOrder, Some("10000")), y("16.67"));
    }

    #[test]
    fn bankruptcy_costs_half_the_property_fee_at_most_300000() {
        assert_eq!(fee(FeeKind::Bankruptcy, Some("1000000")), y("6900"));
        assert_eq!(fee(FeeKind::Bankruptcy, Some("150000000")), y("300000"), "395,900 would be capped");
    }

    #[test]
    fn a_case_fee_is_halved_once_however_many_reasons_apply() {
        let rates = ProvinceRates::default();
        let amount = Some(y("100000"));
        let one = calculate(FeeKind::Property, amount, &[Halving::SimplifiedProcedure], &rates).expect("fee");
        let all = calculate(FeeKind::Property, amount, &Halving::ALL, &rates).expect("fee");
        let twice = calculate(FeeKind::Property, amount, &[Halving::Mediation, Halving::Mediation], &rates).expect("fee");
        assert_eq!((one.full, one.total), (y("2300"), y("1150")));
        assert_eq!(all.total, y("1150"), "not a quarter");
        assert_eq!(twice.total, y("1150"));
        assert_eq!(all.lines.iter().filter(|l| matches!(l, Line::Halved { .. })).count(), 1);
        // Labour disputes: 10 → 5.
        assert_eq!(calculate(FeeKind::Labour, None, &[Halving::Withdrawal], &rates).expect("fee").total, y("5"));
    }

    #[test]
    fn halving_rounds_the_exact_figure_once() {
        // 10,000.20 → 50.005 exact; halved exactly 25.0025 → 25.00 (not half of 50.01 = 25.005 → 25.01).
        let w = calculate(FeeKind::Property, Some(y("10000.20")), &[Halving::Mediation], &ProvinceRates::default())
            .expect("fee");
        assert_eq!((w.full, w.total), (y("50.01"), y("25")));
    }

    #[test]
    fn application_fees_are_never_halved() {
        let w = calculate(FeeKind::Preservation, Some(y("500000")), &Halving::ALL, &ProvinceRates::default())
            .expect("fee");
        assert_eq!(w.total, y("3020"));
        assert!(!w.lines.iter().any(|l| matches!(l, Line::Halved { .. })));
    }

    #[test]
    fn amounts_are_required_refused_or_optional_as_the_measures_say() {
        let rates = ProvinceRates::default();
        assert_eq!(calculate(FeeKind::Property, None, &[], &rates), Err(FeeError::AmountRequired));
        assert_eq!(calculate(FeeKind::Labour, Some(y("100")), &[], &rates), Err(FeeError::AmountNotUsed));
        assert_eq!(calculate(FeeKind::Property, Some(Fen(0)), &[], &rates), Err(FeeError::AmountNotPositive));
        assert_eq!(calculate(FeeKind::Property, Some(Fen(-5)), &[], &rates), Err(FeeError::AmountNotPositive));
    }

    #[test]
    fn the_working_lists_the_base_fee_and_each_band_reached() {
        let w = calculate(FeeKind::Property, Some(y("150000")), &[], &ProvinceRates::default()).expect("fee");
        assert_eq!(
            w.lines,
            vec![
                Line::Fixed { fee: y("50"), up_to: Some(y("10000")) },
                Line::Band { from: y("10000"), to: Some(y("100000")), part: y("90000"), rate_bp: 250, fee: y("2250") },
                Line::Band { from: y("100000"), to: Some(y("200000")), part: y("50000"), rate_bp: 200, fee: y("1000") },
            ]
        );
    }

    #[test]
    fn a_changed_claim_gives_a_top_up_or_a_refund_of_the_difference() {
        let before = fee(FeeKind::Property, Some("100000"));
        assert_eq!(adjustment(before, fee(FeeKind::Property, Some("150000"))), Adjustment::TopUp(y("1000")));
        assert_eq!(adjustment(before, fee(FeeKind::Property, Some("50000"))), Adjustment::Refund(y("1250")));
        assert_eq!(adjustment(before, before), Adjustment::Nothing);
    }

    #[test]
    fn a_filing_is_estimated_as_the_fee_its_case_type_and_claims_call_for() {
        let total = y("150000");
        assert_eq!(FeeKind::for_filing(CaseType::CivilFirstInstance, total), (FeeKind::Property, Some(total)));
        assert_eq!(FeeKind::for_filing(CaseType::CivilFirstInstance, Fen(0)), (FeeKind::OtherNonProperty, None));
        assert_eq!(FeeKind::for_filing(CaseType::Enforcement, Fen(0)), (FeeKind::Enforcement, None));
        assert_eq!(FeeKind::for_filing(CaseType::Preservation, total), (FeeKind::Preservation, Some(total)));
        assert_eq!(FeeKind::for_filing(CaseType::Administrative, total), (FeeKind::Administrative, None));
    }

    /// A moment in Beijing time (UTC+8), written as the date people read.
    fn bj(y: i64, m: u32, d: u32, h: i64) -> UnixTime {
        UnixTime((crate::courts::calendar::day_number(y, m, d) * 24 + h - 8) * 3600)
    }

    #[test]
    fn a_fee_notice_gives_seven_days_to_pay_moved_past_rest_days() {
        // Issued Tuesday 10 March: the 7th day is Tuesday 17 March.
        assert_eq!(payment_deadline(bj(2026, 3, 10, 15)), bj(2026, 3, 18, 0));
        // Issued Saturday 7 March: the 7th day is Saturday 14 March → Monday 16 March.
        assert_eq!(payment_deadline(bj(2026, 3, 7, 15)), bj(2026, 3, 17, 0));
        // Issued 24 September: the 7th day is 1 October (国庆节) → Thursday 8 October.
        assert_eq!(payment_deadline(bj(2026, 9, 24, 9)), bj(2026, 10, 9, 0));
    }

    #[test]
    fn an_accepted_filing_is_asked_for_its_full_fee() {
        let rates = ProvinceRates::default();
        let civil = notice_for_filing(CaseType::CivilFirstInstance, y("123500.50"), &rates).expect("fee");
        assert_eq!((civil.kind, civil.total), (FeeKind::Property, y("2770.01")));
        let admin = notice_for_filing(CaseType::Administrative, Fen(0), &rates).expect("fee");
        assert_eq!(admin.total, y("50"));
        assert_eq!(NoticeStatus::parse(NoticeStatus::Paid.as_str()), Some(NoticeStatus::Paid));
    }

    #[test]
    fn kinds_and_halving_reasons_read_back_from_their_names() {
        for k in FeeKind::ALL {
            assert_eq!(FeeKind::parse(k.as_str()), Some(k));
        }
        for h in Halving::ALL {
            assert_eq!(Halving::parse(h.as_str()), Some(h));
        }
        assert_eq!(FeeKind::parse("nonsense"), None);
    }

    #[test]
    fn the_largest_claim_does_not_overflow() {
        let top = Fen(crate::filing::model::MAX_CLAIM_FEN);
        let w = calculate(FeeKind::Property, Some(top), &Halving::ALL, &ProvinceRates::default()).expect("fee");
        assert!(w.total.0 > 0 && w.total < w.full);
    }

    // Native only: proptest's randomness has no WebAssembly backend here.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// Amounts from a fen to past the top band (30 million yuan), in fen.
        fn amount() -> impl Strategy<Value = i64> {
            1i64..=3_000_000_000
        }

        fn banded_kinds() -> impl Strategy<Value = FeeKind> {
            prop::sample::select(vec![
                FeeKind::Property,
                FeeKind::Divorce,
                FeeKind::PersonalityRights,
                FeeKind::IntellectualProperty,
                FeeKind::Enforcement,
                FeeKind::Preservation,
                FeeKind::PaymentOrder,
                FeeKind::Bankruptcy,
            ])
        }

        proptest! {
            #[test]
            fn the_fee_never_decreases_as_the_amount_grows(kind in banded_kinds(), a in amount(), b in amount()) {
                let (lo, hi) = (a.min(b), a.max(b));
                let rates = ProvinceRates::default();
                let low = calculate(kind, Some(Fen(lo)), &[], &rates).expect("fee");
                let high = calculate(kind, Some(Fen(hi)), &[], &rates).expect("fee");
                prop_assert!(low.total <= high.total, "{kind:?}: {lo} → {:?}, {hi} → {:?}", low.total, high.total);
            }

            #[test]
            fn halving_is_applied_at_most_once(
                kind in banded_kinds(),
                a in amount(),
                reasons in prop::collection::vec(prop::sample::select(Halving::ALL.to_vec()), 0..8),
            ) {
                let w = calculate(kind, Some(Fen(a)), &reasons, &ProvinceRates::default()).expect("fee");
                let halved = w.lines.iter().filter(|l| matches!(l, Line::Halved { .. })).count();
                prop_assert!(halved <= 1);
                if halved == 1 {
                    // Half the full fee, give or take the one rounding.
                    prop_assert!((w.total.0 * 2 - w.full.0).abs() <= 1, "{:?} of {:?}", w.total, w.full);
                } else {
                    prop_assert_eq!(w.total, w.full);
                }
                prop_assert_eq!(halved == 1, kind.is_case_fee() && !reasons.is_empty());
            }

            #[test]
            fn the_bands_shown_add_up_to_the_fee_within_a_fen_a_band(a in amount()) {
                let w = calculate(FeeKind::Property, Some(Fen(a)), &[], &ProvinceRates::default()).expect("fee");
                let shown: i64 = w.lines.iter().map(|l| match l {
                    Line::Fixed { fee, .. } | Line::Band { fee, .. } => fee.0,
                    _ => 0,
                }).sum();
                prop_assert!((shown - w.total.0).abs() <= w.lines.len() as i64);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Paying

    fn order(status: OrderStatus) -> Order {
        Order { out_trade_no: "TP00000001N00000001".into(), status, amount: Fen(270_001), expires_at: UnixTime(10_000) }
    }

    fn report(state: TradeState, amount_fen: i64) -> Transaction {
        Transaction {
            out_trade_no: "TP00000001N00000001".into(),
            transaction_id: Some("4200000001202612010000000001".into()),
            state,
            amount_fen,
            currency: CURRENCY.into(),
        }
    }

    #[test]
    fn a_success_for_the_exact_amount_pays_a_pending_order_once() {
        let paid = order(OrderStatus::Pending).settle(&report(TradeState::Success, 270_001), None);
        assert_eq!(paid, Ok(Settlement::Paid { transaction_id: "4200000001202612010000000001".into() }));
        let again = order(OrderStatus::Paid).settle(&report(TradeState::Success, 270_001), Some("4200000001202612010000000001"));
        assert_eq!(again, Ok(Settlement::AlreadyPaid), "a duplicate changes nothing");
    }

    #[test]
    fn a_report_with_another_amount_currency_order_or_no_transaction_id_is_refused() {
        let o = order(OrderStatus::Pending);
        assert_eq!(o.settle(&report(TradeState::Success, 270_000), None), Err(PaymentError::WrongAmount));
        assert_eq!(o.settle(&report(TradeState::Success, 2_700_010), None), Err(PaymentError::WrongAmount));
        let mut usd = report(TradeState::Success, 270_001);
        usd.currency = "USD".into();
        assert_eq!(o.settle(&usd, None), Err(PaymentError::WrongCurrency));
        let mut other = report(TradeState::Success, 270_001);
        other.out_trade_no = "TP00000001N00000002".into();
        assert_eq!(o.settle(&other, None), Err(PaymentError::WrongOrder));
        let mut anonymous = report(TradeState::Success, 270_001);
        anonymous.transaction_id = Some("  ".into());
        assert_eq!(o.settle(&anonymous, None), Err(PaymentError::NoTransactionId));
    }

    #[test]
    fn a_paid_order_reported_paid_by_a_different_transaction_is_refused() {
        let o = order(OrderStatus::Paid);
        assert_eq!(o.settle(&report(TradeState::Success, 270_001), Some("4200000001202612010000000099")), Err(PaymentError::PaidTwice));
    }

    #[test]
    fn unpaid_states_leave_a_pending_order_pending_and_closing_states_close_it() {
        let o = order(OrderStatus::Pending);
        assert_eq!(o.settle(&report(TradeState::NotPay, 270_001), None), Ok(Settlement::StillPending));
        assert_eq!(o.settle(&report(TradeState::UserPaying, 270_001), None), Ok(Settlement::StillPending));
        for s in [TradeState::Closed, TradeState::Revoked, TradeState::PayError] {
            assert_eq!(o.settle(&report(s, 270_001), None), Ok(Settlement::Closed), "{s:?}");
        }
        assert_eq!(order(OrderStatus::Paid).settle(&report(TradeState::Closed, 270_001), None), Ok(Settlement::AlreadyPaid));
    }

    #[test]
    fn money_for_a_closed_order_is_kept_on_record_not_applied() {
        let late = order(OrderStatus::Closed).settle(&report(TradeState::Success, 270_001), None);
        assert_eq!(late, Ok(Settlement::PaidAfterClose { transaction_id: "4200000001202612010000000001".into() }));
    }

    #[test]
    fn an_order_is_payable_only_while_pending_and_before_it_expires() {
        assert!(order(OrderStatus::Pending).payable(UnixTime(9_999)));
        assert!(!order(OrderStatus::Pending).payable(UnixTime(10_000)));
        assert!(!order(OrderStatus::Paid).payable(UnixTime(0)));
        assert!(!order(OrderStatus::Closed).payable(UnixTime(0)));
    }

    #[test]
    fn order_numbers_fit_the_gateway_and_name_their_notice() {
        let n = out_trade_no(12, 345);
        assert_eq!(n, "TP00000012N00000345");
        assert!(is_out_trade_no(&n) && n.len() <= 32);
        for bad in ["", "TP", "XX00000012N00000345", "TP0000'; DROP", "TP000000000000000000000000000000001"] {
            assert!(!is_out_trade_no(bad), "{bad}");
        }
        for s in TradeState::ALL {
            assert_eq!(TradeState::parse(s.as_str()), Some(s));
        }
        for s in [OrderStatus::Pending, OrderStatus::Paid, OrderStatus::Closed] {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_receipt_number_carries_the_beijing_date_of_payment() {
        // 2026-12-01 16:30 UTC is 2026-12-02 00:30 in Beijing.
        assert_eq!(receipt_number(UnixTime(1_796_142_600), 7), "SF2026120200000007");
    }

    #[test]
    fn amounts_read_in_capital_numerals_as_receipts_write_them() {
        for (fen, words) in [
            (230_000, "贰仟叁佰元整"),
            (100_520, "壹仟零伍元贰角整"),
            (5, "伍分"),
            (50, "伍角整"),
            (0, "零元整"),
            (1_000, "壹拾元整"),
            (305, "叁元零伍分"),
            (270_001, "贰仟柒佰元零壹分"),
            (1_000_500, "壹万零伍元整"),
            (10_050_000, "壹拾万零伍佰元整"),
            (10_500_000, "壹拾万伍仟元整"),
            (100_000_000, "壹佰万元整"),
            (101_000_000, "壹佰零壹万元整"),
            (12_000_050, "壹拾贰万元伍角整"),
            (10_000_000_000, "壹亿元整"),
            (10_000_000_100, "壹亿零壹元整"),
            (12_345_678_912, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
            (2_000_300_000, "贰仟万叁仟元整"),
            (2_000_030_000, "贰仟万零叁佰元整"),
        ] {
            assert_eq!(capital_yuan(Fen(fen)), words, "{fen} fen");
        }
    }

    // -----------------------------------------------------------------------------------------
    // Refunds

    fn issued(kind: FeeKind, amount: Option<&str>, halving: &[Halving]) -> Working {
        calculate(kind, amount.map(y), halving, &ProvinceRates::default()).unwrap()
    }

    #[test]
    fn mediation_and_withdrawal_give_back_the_half_of_a_case_fee_not_owed() {
        let w = issued(FeeKind::Property, Some("100000"), &[]);
        assert_eq!(w.total, y("2300"));
        for (ending, reason) in [(CaseEnding::Mediation, RefundReason::Mediation), (CaseEnding::Withdrawal, RefundReason::Withdrawal)] {
            assert_eq!(ending_refund(ending, &w, w.total, &ProvinceRates::default()), Some((reason, y("1150"))));
        }
    }

    #[test]
    fn the_half_given_back_is_worked_out_from_the_exact_fee_and_rounded_once() {
        // 10,000.20 yuan: 50 + 0.20 × 2.5% = 50.005 yuan, charged 50.01; half the exact fee is
        // 25.0025, owed 25.00, so 25.01 goes back (not half of the rounded 50.01).
        let w = issued(FeeKind::Property, Some("10000.20"), &[]);
        assert_eq!(w.total, y("50.01"));
        assert_eq!(ending_refund(CaseEnding::Mediation, &w, w.total, &ProvinceRates::default()), Some((RefundReason::Mediation, y("25.01"))));
    }

    #[test]
    fn dismissal_gives_back_everything_paid_and_a_judgment_nothing() {
        let w = issued(FeeKind::Property, Some("150000"), &[]);
        assert_eq!(ending_refund(CaseEnding::Dismissed, &w, w.total, &ProvinceRates::default()), Some((RefundReason::Dismissed, y("3300"))));
        assert_eq!(ending_refund(CaseEnding::Judgment, &w, w.total, &ProvinceRates::default()), None);
    }

    #[test]
    fn a_fee_already_halved_is_not_halved_again_and_application_fees_are_never_halved() {
        let simplified = issued(FeeKind::Property, Some("100000"), &[Halving::SimplifiedProcedure]);
        assert_eq!(ending_refund(CaseEnding::Mediation, &simplified, simplified.total, &ProvinceRates::default()), None);
        let enforcement = issued(FeeKind::Enforcement, Some("1000000"), &[]);
        assert_eq!(ending_refund(CaseEnding::Withdrawal, &enforcement, enforcement.total, &ProvinceRates::default()), None);
        assert_eq!(ending_refund(CaseEnding::Dismissed, &enforcement, enforcement.total, &ProvinceRates::default()), None);
    }

    #[test]
    fn an_unpaid_case_fee_drops_to_half_or_to_nothing_when_the_case_ends_that_way() {
        let rates = ProvinceRates::default();
        let w = issued(FeeKind::Property, Some("100000"), &[]);
        let mediated = fee_after_ending(CaseEnding::Mediation, &w, &rates).unwrap();
        assert_eq!((mediated.full, mediated.total), (y("2300"), y("1150")));
        assert!(mediated.lines.iter().any(|l| matches!(l, Line::Halved { .. })), "the working says why");
        let dismissed = fee_after_ending(CaseEnding::Dismissed, &w, &rates).unwrap();
        assert_eq!(dismissed.total, Fen(0));
        assert_eq!(dismissed.lines.last(), Some(&Line::NoFee));
        assert_eq!(fee_after_ending(CaseEnding::Judgment, &w, &rates), None);
    }

    #[test]
    fn a_fee_reduced_by_relief_is_halved_in_proportion_and_a_waived_one_gives_nothing_back() {
        let rates = ProvinceRates::default();
        // 2,300 reduced by 40% to 1,380; mediation halves it to 690, so 690 goes back.
        let mut reduced = issued(FeeKind::Property, Some("100000"), &[]);
        reduced.total = y("1380");
        assert_eq!(ending_refund(CaseEnding::Mediation, &reduced, y("1380"), &rates), Some((RefundReason::Mediation, y("690"))));
        assert_eq!(ending_refund(CaseEnding::Dismissed, &reduced, y("1380"), &rates), Some((RefundReason::Dismissed, y("1380"))));
        let mut waived = reduced.clone();
        waived.total = Fen(0);
        assert_eq!(ending_refund(CaseEnding::Mediation, &waived, Fen(0), &rates), None);
        assert_eq!(fee_after_ending(CaseEnding::Mediation, &waived, &rates).map(|w| w.total), Some(Fen(0)));
    }

    #[test]
    fn an_unpaid_fee_gives_nothing_back() {
        let w = issued(FeeKind::Property, Some("100000"), &[]);
        assert_eq!(ending_refund(CaseEnding::Dismissed, &w, Fen(0), &ProvinceRates::default()), None);
    }

    #[test]
    fn a_changed_provincial_figure_gives_back_half_of_the_fee_as_issued() {
        let w = issued(FeeKind::OtherNonProperty, None, &[]);
        let mut changed = ProvinceRates::default();
        changed.set("non_property", 80).unwrap();
        let back = ending_refund(CaseEnding::Mediation, &w, w.total, &changed).map(|(_, f)| f);
        assert_eq!(back, Some(Fen(w.total.0 - (w.total.0 + 1) / 2)));
    }

    #[test]
    fn a_refund_is_due_back_within_fifteen_days_moved_past_rest_days() {
        // Decided Tuesday 2026-12-01: the 15th day is Wednesday 2026-12-16, so 24:00 that day.
        let decided = bj(2026, 12, 1, 10);
        assert_eq!(refund_deadline(decided), bj(2026, 12, 17, 0));
        // Decided Saturday 2026-09-19: the 15th day is Sunday 2026-10-04, inside the National Day
        // holiday; the period runs to the first working day after it.
        assert_eq!(refund_deadline(bj(2026, 9, 19, 10)), bj(2026, 10, 9, 0));
    }

    fn refund(status: RefundStatus) -> Refund {
        Refund { out_refund_no: "RF00000001N00000001".into(), out_trade_no: "TP00000001N00000001".into(), status, amount: Fen(1150_00) }
    }

    fn refund_report(state: RefundState, refund_fen: i64) -> RefundReport {
        RefundReport {
            out_refund_no: "RF00000001N00000001".into(),
            out_trade_no: "TP00000001N00000001".into(),
            refund_id: Some("50300000000000001".into()),
            state,
            refund_fen,
            total_fen: 2300_00,
            currency: CURRENCY.into(),
        }
    }

    #[test]
    fn a_refund_is_approved_once() {
        assert_eq!(refund(RefundStatus::AwaitingApproval).approve(), Ok(RefundStatus::Processing));
        for s in [RefundStatus::Processing, RefundStatus::Refunded, RefundStatus::Failed] {
            assert_eq!(refund(s).approve(), Err(RefundError::NotAwaitingApproval));
        }
    }

    #[test]
    fn a_success_for_the_approved_amount_refunds_once_and_a_duplicate_changes_nothing() {
        let r = refund(RefundStatus::Processing);
        assert_eq!(r.settle(&refund_report(RefundState::Success, 1150_00)), Ok(RefundSettlement::Refunded { refund_id: "50300000000000001".into() }));
        assert_eq!(refund(RefundStatus::Refunded).settle(&refund_report(RefundState::Success, 1150_00)), Ok(RefundSettlement::AlreadyRefunded));
        assert_eq!(r.settle(&refund_report(RefundState::Processing, 1150_00)), Ok(RefundSettlement::StillProcessing));
        assert_eq!(r.settle(&refund_report(RefundState::Abnormal, 1150_00)), Ok(RefundSettlement::Failed));
        assert_eq!(r.settle(&refund_report(RefundState::Closed, 1150_00)), Ok(RefundSettlement::Failed));
    }

    #[test]
    fn a_refund_report_for_another_refund_amount_or_currency_or_one_never_sent_is_refused() {
        let r = refund(RefundStatus::Processing);
        assert_eq!(r.settle(&refund_report(RefundState::Success, 1150_01)), Err(RefundError::WrongAmount));
        assert_eq!(r.settle(&RefundReport { currency: "USD".into(), ..refund_report(RefundState::Success, 1150_00) }), Err(RefundError::WrongCurrency));
        assert_eq!(r.settle(&RefundReport { out_trade_no: "TP00000002N00000002".into(), ..refund_report(RefundState::Success, 1150_00) }), Err(RefundError::WrongRefund));
        assert_eq!(r.settle(&RefundReport { refund_id: None, ..refund_report(RefundState::Success, 1150_00) }), Err(RefundError::WrongRefund));
        assert_eq!(refund(RefundStatus::AwaitingApproval).settle(&refund_report(RefundState::Success, 1150_00)), Err(RefundError::NotSent));
    }

    #[test]
    fn refund_numbers_fit_the_gateway_and_states_read_back_from_their_names() {
        let n = out_refund_no(12, 3);
        assert_eq!(n, "RF00000012N00000003");
        assert!(is_out_refund_no(&n) && !is_out_refund_no("TP00000012N00000003") && !is_out_refund_no("RF-1"));
        for s in RefundStatus::ALL {
            assert_eq!(RefundStatus::parse(s.as_str()), Some(s));
        }
        for s in RefundState::ALL {
            assert_eq!(RefundState::parse(s.as_str()), Some(s));
        }
        for r in RefundReason::ALL {
            assert_eq!(RefundReason::parse(r.as_str()), Some(r));
            assert!(r.gateway_text().chars().count() <= 80);
        }
        for e in CaseEnding::ALL {
            assert_eq!(CaseEnding::parse(e.as_str()), Some(e));
        }
    }
}
