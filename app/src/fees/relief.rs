//! Fee relief (司法救助): deferral, reduction and waiver of court fees under the Measures on the
//! Payment of Litigation Costs arts. 44–49. Pure: the wizard checks an application in the
//! browser with the same rules the server applies, and the clerk's decision is checked here
//! before it changes the fee notice.
use crate::filing::model::Fen;
use crate::identity::model::UnixTime;
use serde::{Deserialize, Serialize};

/// What a party asks for (art. 44).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReliefKind {
    /// 缓交: pay later.
    Defer,
    /// 减交: pay part.
    Reduce,
    /// 免交: pay nothing; natural persons only.
    Waive,
}

impl ReliefKind {
    pub const ALL: [ReliefKind; 3] = [ReliefKind::Defer, ReliefKind::Reduce, ReliefKind::Waive];

    pub fn as_str(self) -> &'static str {
        match self {
            ReliefKind::Defer => "defer",
            ReliefKind::Reduce => "reduce",
            ReliefKind::Waive => "waive",
        }
    }

    pub fn parse(raw: &str) -> Option<ReliefKind> {
        let raw = raw.trim();
        ReliefKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The grounds the Measures give for this kind, in the order of the article.
    pub fn grounds(self) -> &'static [ReliefGround] {
        use ReliefGround::*;
        match self {
            ReliefKind::Waive => &[DisabledWithoutIncome, Maintenance, SubsistenceAllowance, GoodSamaritan, OtherWaive],
            ReliefKind::Reduce => &[DisasterHardship, EntitledCare, WelfareInstitution, OtherReduce],
            ReliefKind::Defer => &[SocialInsuranceOrCompensation, AccidentVictim, LegalAid, OtherDefer],
        }
    }
}

/// A ground of arts. 45–47. Each belongs to one kind; the "other" grounds (确实需要…的其他情形)
/// rest entirely on what the applicant writes, so they need a fuller written reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReliefGround {
    // Art. 45, waiver.
    /// 残疾人无固定生活来源.
    DisabledWithoutIncome,
    /// 追索赡养费、扶养费、抚育费、抚恤金.
    Maintenance,
    /// 最低生活保障对象、农村特困定期救济对象、农村五保供养对象或者领取失业保险金人员，无其他收入.
    SubsistenceAllowance,
    /// 因见义勇为或者为保护社会公共利益致使自身合法权益受到损害.
    GoodSamaritan,
    /// 确实需要免交的其他情形.
    OtherWaive,
    // Art. 46, reduction.
    /// 因自然灾害等不可抗力造成生活困难，正在接受社会救济，或者家庭生产经营难以为继.
    DisasterHardship,
    /// 属于国家规定的优抚、安置对象.
    EntitledCare,
    /// 社会福利机构和救助管理站.
    WelfareInstitution,
    /// 确实需要减交的其他情形.
    OtherReduce,
    // Art. 47, deferral.
    /// 追索社会保险金、经济补偿金.
    SocialInsuranceOrCompensation,
    /// 海上事故、交通事故、医疗事故、工伤事故、产品质量事故或者其他人身伤害事故的受害人请求赔偿.
    AccidentVictim,
    /// 正在接受有关部门法律援助.
    LegalAid,
    /// 确实需要缓交的其他情形.
    OtherDefer,
}

impl ReliefGround {
    pub const ALL: [ReliefGround; 13] = [
        ReliefGround::DisabledWithoutIncome,
        ReliefGround::Maintenance,
        ReliefGround::SubsistenceAllowance,
        ReliefGround::GoodSamaritan,
        ReliefGround::OtherWaive,
        ReliefGround::DisasterHardship,
        ReliefGround::EntitledCare,
        ReliefGround::WelfareInstitution,
        ReliefGround::OtherReduce,
        ReliefGround::SocialInsuranceOrCompensation,
        ReliefGround::AccidentVictim,
        ReliefGround::LegalAid,
        ReliefGround::OtherDefer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReliefGround::DisabledWithoutIncome => "disabled_without_income",
            ReliefGround::Maintenance => "maintenance",
            ReliefGround::SubsistenceAllowance => "subsistence_allowance",
            ReliefGround::GoodSamaritan => "good_samaritan",
            ReliefGround::OtherWaive => "other_waive",
            ReliefGround::DisasterHardship => "disaster_hardship",
            ReliefGround::EntitledCare => "entitled_care",
            ReliefGround::WelfareInstitution => "welfare_institution",
            ReliefGround::OtherReduce => "other_reduce",
            ReliefGround::SocialInsuranceOrCompensation => "social_insurance_or_compensation",
            ReliefGround::AccidentVictim => "accident_victim",
            ReliefGround::LegalAid => "legal_aid",
            ReliefGround::OtherDefer => "other_defer",
        }
    }

    pub fn parse(raw: &str) -> Option<ReliefGround> {
        let raw = raw.trim();
        ReliefGround::ALL.into_iter().find(|g| g.as_str() == raw)
    }

    /// The kind of relief this ground supports.
    pub fn kind(self) -> ReliefKind {
        ReliefKind::ALL.into_iter().find(|k| k.grounds().contains(&self)).unwrap_or(ReliefKind::Defer)
    }

    /// "确实需要…的其他情形": nothing but the written reasons supports it.
    pub fn is_other(self) -> bool {
        matches!(self, ReliefGround::OtherWaive | ReliefGround::OtherReduce | ReliefGround::OtherDefer)
    }
}

/// Longest written reasons, in characters (a page of text; longer belongs in the evidence).
pub const REASONS_MAX: usize = 2_000;
/// Shortest reasons for an "other" ground: a word or two cannot say why the case needs relief.
pub const OTHER_REASONS_MIN: usize = 10;
/// Most evidence files of hardship in one application.
pub const MAX_EVIDENCE_FILES: usize = 20;
/// Reduction percentages a court may grant (art. 46: at least 30%; 100% would be a waiver).
pub const MIN_REDUCTION_PERCENT: u8 = 30;
pub const MAX_REDUCTION_PERCENT: u8 = 99;

/// Why an application or a decision is refused. Each names the form field it concerns and the
/// message shown next to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ReliefError {
    #[error("choose deferral, reduction or waiver")]
    KindRequired,
    #[error("choose a ground of the kind of relief asked for")]
    GroundRequired,
    #[error("waiver is only for natural persons (art. 44)")]
    WaiverOnlyForPersons,
    #[error("the reasons are required")]
    ReasonsRequired,
    #[error("the reasons are too long")]
    ReasonsTooLong,
    #[error("an 'other' ground needs the reasons written out")]
    OtherNeedsReasons,
    #[error("at least one evidence file of hardship is required (art. 48)")]
    EvidenceRequired,
    #[error("too many evidence files")]
    TooManyFiles,
    #[error("choose a decision")]
    DecisionRequired,
    #[error("the decision is not one this application allows")]
    DecisionNotApplied,
    #[error("a reduction is a whole percentage of at least 30 and below 100")]
    PercentOutOfRange,
    #[error("the new deadline must be a date")]
    DateRequired,
    #[error("the new deadline must be after the normal one")]
    DateNotLater,
    #[error("a refusal needs its reason in writing (art. 49)")]
    RefusalReasonRequired,
    #[error("the reason for refusing is too long")]
    RefusalReasonTooLong,
}

impl ReliefError {
    /// The draft field path (under `relief.`) or decision field the message belongs to.
    pub fn field(self) -> &'static str {
        use ReliefError::*;
        match self {
            KindRequired | WaiverOnlyForPersons => "kind",
            GroundRequired => "ground",
            ReasonsRequired | ReasonsTooLong | OtherNeedsReasons => "reasons",
            EvidenceRequired | TooManyFiles => "files",
            DecisionRequired | DecisionNotApplied => "decision",
            PercentOutOfRange => "percent",
            DateRequired | DateNotLater => "until",
            RefusalReasonRequired | RefusalReasonTooLong => "reason",
        }
    }

    /// The translation key of the message.
    pub fn key(self) -> &'static str {
        use ReliefError::*;
        match self {
            KindRequired => "error_relief_kind",
            GroundRequired => "error_relief_ground",
            WaiverOnlyForPersons => "error_relief_waiver_person",
            ReasonsRequired => "error_required",
            ReasonsTooLong => "error_too_long",
            OtherNeedsReasons => "error_relief_other_reasons",
            EvidenceRequired => "error_relief_evidence",
            TooManyFiles => "error_too_many",
            DecisionRequired => "error_relief_decision",
            DecisionNotApplied => "error_relief_decision_kind",
            PercentOutOfRange => "error_relief_percent",
            DateRequired => "error_date",
            DateNotLater => "error_relief_date_later",
            RefusalReasonRequired => "error_reason_needed",
            RefusalReasonTooLong => "error_too_long",
        }
    }
}

/// A complete application for relief, as filed with the case (art. 48).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReliefApplication {
    pub kind: ReliefKind,
    pub ground: ReliefGround,
    pub reasons: String,
    /// Whether the applicant is a natural person (waiver is for them only).
    pub natural_person: bool,
}

impl ReliefApplication {
    /// Every problem of an application as typed, at most one per field, so the form can show
    /// them all at once.
    pub fn problems(kind: &str, ground: &str, reasons: &str, applicant_is_natural_person: bool, evidence_count: usize) -> Vec<ReliefError> {
        let mut out = Vec::new();
        let kind = ReliefKind::parse(kind);
        match kind {
            None => out.push(ReliefError::KindRequired),
            Some(ReliefKind::Waive) if !applicant_is_natural_person => out.push(ReliefError::WaiverOnlyForPersons),
            Some(_) => {}
        }
        let ground = ReliefGround::parse(ground).filter(|g| kind.is_some_and(|k| g.kind() == k));
        if kind.is_some() && ground.is_none() {
            out.push(ReliefError::GroundRequired);
        }
        let length = reasons.trim().chars().count();
        if length == 0 {
            out.push(ReliefError::ReasonsRequired);
        } else if length > REASONS_MAX {
            out.push(ReliefError::ReasonsTooLong);
        } else if ground.is_some_and(ReliefGround::is_other) && length < OTHER_REASONS_MIN {
            out.push(ReliefError::OtherNeedsReasons);
        }
        if evidence_count == 0 {
            out.push(ReliefError::EvidenceRequired);
        } else if evidence_count > MAX_EVIDENCE_FILES {
            out.push(ReliefError::TooManyFiles);
        }
        out
    }

    /// A valid application, or the first thing wrong with it.
    pub fn parse(kind: &str, ground: &str, reasons: &str, applicant_is_natural_person: bool, evidence_count: usize) -> Result<ReliefApplication, ReliefError> {
        if let Some(e) = Self::problems(kind, ground, reasons, applicant_is_natural_person, evidence_count).first() {
            return Err(*e);
        }
        match (ReliefKind::parse(kind), ReliefGround::parse(ground)) {
            (Some(kind), Some(ground)) => Ok(ReliefApplication { kind, ground, reasons: reasons.trim().to_string(), natural_person: applicant_is_natural_person }),
            (None, _) => Err(ReliefError::KindRequired),
            (_, None) => Err(ReliefError::GroundRequired),
        }
    }
}

/// A date as the clerk types it (`YYYY-MM-DD`, Beijing calendar), as a day number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReliefDate(pub i64);

impl ReliefDate {
    pub fn parse(raw: &str) -> Option<ReliefDate> {
        let s = raw.trim();
        let b = s.as_bytes();
        let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return None;
        }
        let (year, month, day): (u32, u32, u32) = (s[..4].parse().ok()?, s[5..7].parse().ok()?, s[8..].parse().ok()?);
        (year >= 2000 && crate::identity::model::is_real_date(year, month, day))
            .then(|| ReliefDate(crate::courts::calendar::day_number(i64::from(year), month, day)))
    }

    /// The end of this day: 24:00 Beijing time, as payment deadlines are counted.
    pub fn end(self) -> UnixTime {
        UnixTime::beijing_midnight(self.0.saturating_add(1))
    }

    pub fn ymd(self) -> String {
        let (y, m, d) = UnixTime::beijing_midnight(self.0).beijing_ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// The court's decision on an application (art. 49: a refusal gives its reason in writing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReliefDecision {
    /// Pay by the end of this day instead.
    Defer { until: ReliefDate },
    /// Pay `100 − percent` per cent.
    Reduce { percent: u8 },
    Waive,
    Refuse { reason: String },
}

impl ReliefDecision {
    /// `defer` | `reduce` | `waive` | `refuse`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ReliefDecision::Defer { .. } => "defer",
            ReliefDecision::Reduce { .. } => "reduce",
            ReliefDecision::Waive => "waive",
            ReliefDecision::Refuse { .. } => "refuse",
        }
    }

    /// A clerk's decision as posted, checked against the application: granted only as the kind
    /// applied for or a lesser one (a waiver asked for may be granted as a reduction: both are
    /// about how much is paid; a deferral is about when, so it stays a deferral), or refused.
    pub fn parse(applied: &ReliefApplication, decision: &str, percent: &str, until: &str, reason: &str) -> Result<ReliefDecision, ReliefError> {
        let reason = reason.trim();
        let decided = match decision.trim() {
            "" => return Err(ReliefError::DecisionRequired),
            "refuse" if reason.is_empty() => return Err(ReliefError::RefusalReasonRequired),
            "refuse" if reason.chars().count() > REASONS_MAX => return Err(ReliefError::RefusalReasonTooLong),
            "refuse" => return Ok(ReliefDecision::Refuse { reason: reason.to_string() }),
            "defer" => ReliefDecision::Defer { until: ReliefDate::parse(until).ok_or(ReliefError::DateRequired)? },
            "reduce" => {
                let p: u8 = percent.trim().trim_end_matches('%').trim().parse().map_err(|_| ReliefError::PercentOutOfRange)?;
                if !(MIN_REDUCTION_PERCENT..=MAX_REDUCTION_PERCENT).contains(&p) {
                    return Err(ReliefError::PercentOutOfRange);
                }
                ReliefDecision::Reduce { percent: p }
            }
            "waive" => ReliefDecision::Waive,
            _ => return Err(ReliefError::DecisionRequired),
        };
        let allowed = match (&decided, applied.kind) {
            (ReliefDecision::Defer { .. }, k) => k == ReliefKind::Defer,
            (ReliefDecision::Reduce { .. }, k) => matches!(k, ReliefKind::Reduce | ReliefKind::Waive),
            (ReliefDecision::Waive, k) => k == ReliefKind::Waive,
            (ReliefDecision::Refuse { .. }, _) => true,
        };
        if !allowed {
            return Err(ReliefError::DecisionNotApplied);
        }
        if decided == ReliefDecision::Waive && !applied.natural_person {
            return Err(ReliefError::WaiverOnlyForPersons);
        }
        Ok(decided)
    }

    pub fn granted(&self) -> bool {
        !matches!(self, ReliefDecision::Refuse { .. })
    }
}

/// What a granted relief does to the fee notice, kept with the notice (`fee_notices.relief`) so
/// the notice shows the original fee, the relief and the amount due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRelief {
    /// `defer` | `reduce` | `waive`.
    pub decision: String,
    /// Reductions: the percentage taken off.
    pub percent: Option<u8>,
    /// The fee worked out at acceptance.
    pub original: Fen,
    /// How much the relief takes off (0 for a deferral).
    pub relief: Fen,
    /// What the notice asks for.
    pub due: Fen,
    /// The deadline the notice would have had (7 days, art. 22).
    pub normal_deadline: UnixTime,
    /// The deadline it has.
    pub deadline: UnixTime,
}

/// Applies a decision to the fee worked out at acceptance and the notice's normal deadline.
/// A reduction of p% leaves `amount × (100 − p) / 100`, rounded half up to the fen (like every
/// fee: rounded once, at the end); a waiver leaves 0; a deferral leaves the amount and moves the
/// deadline to the end of the decided day, which must be after the normal deadline (a deferral
/// to an earlier day would shorten the time to pay). A refusal changes nothing: `None`.
pub fn apply(decision: &ReliefDecision, fee: Fen, normal_deadline: UnixTime) -> Result<Option<NoticeRelief>, ReliefError> {
    let relieved = |due: Fen, percent: Option<u8>, deadline: UnixTime| {
        Some(NoticeRelief {
            decision: decision.as_str().to_string(),
            percent,
            original: fee,
            relief: Fen(fee.0 - due.0),
            due,
            normal_deadline,
            deadline,
        })
    };
    Ok(match decision {
        ReliefDecision::Refuse { .. } => None,
        ReliefDecision::Waive => relieved(Fen(0), None, normal_deadline),
        ReliefDecision::Reduce { percent } => relieved(reduced(fee, *percent), Some(*percent), normal_deadline),
        ReliefDecision::Defer { until } => {
            let deadline = until.end();
            if deadline <= normal_deadline {
                return Err(ReliefError::DateNotLater);
            }
            relieved(fee, None, deadline)
        }
    })
}

/// `fee × (100 − percent) / 100`, half up to the fen.
pub fn reduced(fee: Fen, percent: u8) -> Fen {
    let kept = i128::from(fee.0) * i128::from(100 - percent.min(100));
    Fen(i64::try_from((kept + 50).div_euclid(100)).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(kind: ReliefKind, natural_person: bool) -> ReliefApplication {
        ReliefApplication { kind, ground: kind.grounds()[0], reasons: "家庭困难".into(), natural_person }
    }

    #[test]
    fn every_ground_belongs_to_exactly_one_kind_and_reads_back_from_its_name() {
        for g in ReliefGround::ALL {
            assert_eq!(ReliefKind::ALL.iter().filter(|k| k.grounds().contains(&g)).count(), 1, "{g:?}");
            assert_eq!(ReliefGround::parse(g.as_str()), Some(g));
        }
        for k in ReliefKind::ALL {
            assert_eq!(ReliefKind::parse(k.as_str()), Some(k));
            assert_eq!(k.grounds().iter().filter(|g| g.is_other()).count(), 1, "one 'other' ground for {k:?}");
        }
        assert_eq!(ReliefKind::parse("free"), None);
    }

    #[test]
    fn an_application_is_checked_field_by_field() {
        let long = "难".repeat(REASONS_MAX + 1);
        let cases: &[(&str, &str, &str, bool, usize, Result<(), ReliefError>)] = &[
            ("reduce", "disaster_hardship", "洪水冲毁住房", true, 1, Ok(())),
            ("reduce", "welfare_institution", "本站为救助管理站", false, 2, Ok(())),
            ("defer", "accident_victim", "交通事故受害人", true, 1, Ok(())),
            ("waive", "maintenance", "追索赡养费", true, 1, Ok(())),
            ("", "", "理由", true, 1, Err(ReliefError::KindRequired)),
            ("waive", "maintenance", "追索赡养费", false, 1, Err(ReliefError::WaiverOnlyForPersons)),
            ("reduce", "maintenance", "追索赡养费", true, 1, Err(ReliefError::GroundRequired)),
            ("defer", "", "理由", true, 1, Err(ReliefError::GroundRequired)),
            ("reduce", "disaster_hardship", "   ", true, 1, Err(ReliefError::ReasonsRequired)),
            ("reduce", "disaster_hardship", &long, true, 1, Err(ReliefError::ReasonsTooLong)),
            ("reduce", "other_reduce", "困难", true, 1, Err(ReliefError::OtherNeedsReasons)),
            ("reduce", "other_reduce", "疫情期间停业半年，家庭无其他收入来源", true, 1, Ok(())),
            ("reduce", "disaster_hardship", "洪水冲毁住房", true, 0, Err(ReliefError::EvidenceRequired)),
            ("reduce", "disaster_hardship", "洪水冲毁住房", true, MAX_EVIDENCE_FILES + 1, Err(ReliefError::TooManyFiles)),
        ];
        for (kind, ground, reasons, natural, files, expected) in cases {
            let got = ReliefApplication::parse(kind, ground, reasons, *natural, *files).map(|_| ());
            assert_eq!(&got, expected, "{kind} {ground} {natural} {files}");
        }
    }

    #[test]
    fn a_waiver_for_an_organisation_is_refused() {
        assert_eq!(ReliefApplication::parse("waive", "other_waive", "本公司经营困难，无力交纳", false, 1), Err(ReliefError::WaiverOnlyForPersons));
    }

    #[test]
    fn every_problem_of_an_application_is_reported_at_once() {
        let found = ReliefApplication::problems("reduce", "", "", true, 0);
        assert_eq!(found, vec![ReliefError::GroundRequired, ReliefError::ReasonsRequired, ReliefError::EvidenceRequired]);
        let fields: Vec<&str> = found.iter().map(|e| e.field()).collect();
        assert_eq!(fields, ["ground", "reasons", "files"]);
    }

    #[test]
    fn a_reduction_below_thirty_percent_is_refused() {
        let a = app(ReliefKind::Reduce, true);
        let cases: &[(&str, Result<ReliefDecision, ReliefError>)] = &[
            ("20", Err(ReliefError::PercentOutOfRange)),
            ("29", Err(ReliefError::PercentOutOfRange)),
            ("30", Ok(ReliefDecision::Reduce { percent: 30 })),
            ("50%", Ok(ReliefDecision::Reduce { percent: 50 })),
            ("99", Ok(ReliefDecision::Reduce { percent: 99 })),
            ("100", Err(ReliefError::PercentOutOfRange)),
            ("0", Err(ReliefError::PercentOutOfRange)),
            ("-40", Err(ReliefError::PercentOutOfRange)),
            ("40.5", Err(ReliefError::PercentOutOfRange)),
            ("", Err(ReliefError::PercentOutOfRange)),
        ];
        for (percent, expected) in cases {
            assert_eq!(&ReliefDecision::parse(&a, "reduce", percent, "", ""), expected, "{percent}");
        }
    }

    #[test]
    fn a_decision_grants_what_was_asked_or_less_or_refuses_with_a_reason() {
        use ReliefKind::*;
        let cases: &[(ReliefKind, bool, &str, Result<&str, ReliefError>)] = &[
            (Waive, true, "waive", Ok("waive")),
            (Waive, true, "reduce", Ok("reduce")),
            (Waive, true, "defer", Err(ReliefError::DecisionNotApplied)),
            (Reduce, true, "reduce", Ok("reduce")),
            (Reduce, true, "waive", Err(ReliefError::DecisionNotApplied)),
            (Reduce, false, "reduce", Ok("reduce")),
            (Defer, true, "defer", Ok("defer")),
            (Defer, true, "reduce", Err(ReliefError::DecisionNotApplied)),
            (Defer, true, "refuse", Ok("refuse")),
            (Reduce, true, "", Err(ReliefError::DecisionRequired)),
            (Reduce, true, "grant", Err(ReliefError::DecisionRequired)),
        ];
        for (kind, natural, decision, expected) in cases {
            let got = ReliefDecision::parse(&app(*kind, *natural), decision, "40", "2027-01-30", "不符合条件").map(|d| d.as_str());
            assert_eq!(&got, expected, "{kind:?} {decision}");
        }
    }

    #[test]
    fn a_refusal_without_a_reason_is_refused() {
        let a = app(ReliefKind::Reduce, true);
        assert_eq!(ReliefDecision::parse(&a, "refuse", "", "", "  "), Err(ReliefError::RefusalReasonRequired));
        assert_eq!(ReliefDecision::parse(&a, "refuse", "", "", " 收入足以交纳 "), Ok(ReliefDecision::Refuse { reason: "收入足以交纳".into() }));
        let long = "因".repeat(REASONS_MAX + 1);
        assert_eq!(ReliefDecision::parse(&a, "refuse", "", "", &long).map_err(|e| e.field()), Err("reason"));
    }

    #[test]
    fn a_waiver_is_never_granted_to_an_organisation() {
        // Such an application cannot be filed, but the decision checks again on its own.
        let a = app(ReliefKind::Waive, false);
        assert_eq!(ReliefDecision::parse(&a, "waive", "", "", ""), Err(ReliefError::WaiverOnlyForPersons));
        assert_eq!(ReliefDecision::parse(&a, "reduce", "50", "", ""), Ok(ReliefDecision::Reduce { percent: 50 }));
    }

    #[test]
    fn a_deferral_needs_a_real_date() {
        let a = app(ReliefKind::Defer, true);
        for bad in ["", "2027-02-30", "30/01/2027", "2027-1-3"] {
            assert_eq!(ReliefDecision::parse(&a, "defer", "", bad, ""), Err(ReliefError::DateRequired), "{bad}");
        }
        let Ok(ReliefDecision::Defer { until }) = ReliefDecision::parse(&a, "defer", "", "2027-01-30", "") else { panic!("a deferral") };
        assert_eq!(until.ymd(), "2027-01-30");
    }

    #[test]
    fn a_reduction_leaves_the_rest_rounded_half_up_to_the_fen() {
        let cases: &[(i64, u8, i64)] = &[
            (245_000, 40, 147_000),
            (245_000, 50, 122_500),
            (5_000, 30, 3_500),
            (1, 50, 1),   // half a fen rounds up
            (3, 30, 2),   // 2.1 fen rounds down
            (5, 30, 4),   // 3.5 fen rounds up
            (99, 99, 1),  // 0.99 fen rounds up
            (49, 99, 0),  // 0.49 fen rounds down
            (0, 50, 0),
        ];
        for (fee, percent, due) in cases {
            assert_eq!(reduced(Fen(*fee), *percent), Fen(*due), "{fee} − {percent}%");
        }
    }

    #[test]
    fn applying_a_decision_gives_the_notice_its_amount_and_deadline() {
        let normal = ReliefDate::parse("2026-12-10").map(ReliefDate::end).expect("date");
        let fee = Fen(245_000);
        let reduce = apply(&ReliefDecision::Reduce { percent: 40 }, fee, normal).expect("ok").expect("granted");
        assert_eq!((reduce.original, reduce.relief, reduce.due, reduce.deadline, reduce.percent), (fee, Fen(98_000), Fen(147_000), normal, Some(40)));
        let waive = apply(&ReliefDecision::Waive, fee, normal).expect("ok").expect("granted");
        assert_eq!((waive.relief, waive.due), (fee, Fen(0)));
        let until = ReliefDate::parse("2027-01-30").expect("date");
        let defer = apply(&ReliefDecision::Defer { until }, fee, normal).expect("ok").expect("granted");
        assert_eq!((defer.due, defer.relief, defer.deadline, defer.normal_deadline), (fee, Fen(0), until.end(), normal));
        assert_eq!(apply(&ReliefDecision::Refuse { reason: "不符合".into() }, fee, normal), Ok(None));
    }

    #[test]
    fn a_deferral_to_the_normal_deadline_or_earlier_is_refused() {
        let day = ReliefDate::parse("2026-12-10").expect("date");
        let normal = day.end();
        assert_eq!(apply(&ReliefDecision::Defer { until: day }, Fen(5_000), normal), Err(ReliefError::DateNotLater));
        assert_eq!(apply(&ReliefDecision::Defer { until: ReliefDate(day.0 - 3) }, Fen(5_000), normal), Err(ReliefError::DateNotLater));
        assert!(apply(&ReliefDecision::Defer { until: ReliefDate(day.0 + 1) }, Fen(5_000), normal).is_ok());
    }
}
