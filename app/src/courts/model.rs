//! Court codes and levels. Pure: used by the server and the browser.
use serde::{Deserialize, Serialize};
use std::fmt;

/// Province-level abbreviations that open a court code (京0105, 沪01, 粤 …).
pub const PROVINCES: &[&str] = &[
    "京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙", "皖", "闽", "赣", "鲁", "豫",
    "鄂", "湘", "粤", "桂", "琼", "渝", "川", "贵", "云", "藏", "陕", "甘", "青", "宁", "新", "兵",
];

/// The Supreme People's Court's code in case numbers, e.g. (2026)最高法民终1号.
pub const SUPREME: &str = "最高法";

/// A court's code as it appears in case numbers: `最高法`, a province (`京`), a province and a
/// two-digit intermediate court (`京01`), or a province and four digits (`京0105`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CourtCode(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CourtCodeError {
    #[error("court code is empty")]
    Empty,
    #[error("court code must start with a province abbreviation")]
    UnknownProvince,
    #[error("court code must end in 0, 2 or 4 digits after the province")]
    BadDigits,
}

impl CourtCode {
    pub fn parse(raw: &str) -> Result<Self, CourtCodeError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(CourtCodeError::Empty);
        }
        if raw == SUPREME {
            return Ok(CourtCode(raw.to_string()));
        }
        let mut chars = raw.chars();
        let province = chars.next().map(String::from).unwrap_or_default();
        if !PROVINCES.contains(&province.as_str()) {
            return Err(CourtCodeError::UnknownProvince);
        }
        let digits: String = chars.collect();
        if !matches!(digits.len(), 0 | 2 | 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CourtCodeError::BadDigits);
        }
        Ok(CourtCode(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The province abbreviation the code starts with (`京` for 京0105); the Supreme Court's
    /// code is its own.
    pub fn province(&self) -> &str {
        if self.0 == SUPREME {
            return SUPREME;
        }
        self.0.char_indices().nth(1).map_or(self.0.as_str(), |(i, _)| &self.0[..i])
    }

    /// Whether a practice region (a province abbreviation) is this court's province.
    pub fn in_province(&self, province: &str) -> bool {
        PROVINCES.contains(&province) && self.province() == province
    }

    /// The level the code's shape implies (special courts such as 京74 are intermediate-level).
    pub fn implied_level(&self) -> CourtLevel {
        if self.0 == SUPREME {
            return CourtLevel::Supreme;
        }
        match self.0.chars().count() {
            1 => CourtLevel::High,
            3 => CourtLevel::Intermediate,
            _ => CourtLevel::Basic,
        }
    }
}

crate::newtype::string_newtype!(CourtCode, CourtCodeError);

impl fmt::Display for CourtCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CourtLevel {
    Supreme,
    High,
    Intermediate,
    Basic,
}

impl CourtLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            CourtLevel::Supreme => "supreme",
            CourtLevel::High => "high",
            CourtLevel::Intermediate => "intermediate",
            CourtLevel::Basic => "basic",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "supreme" => Some(CourtLevel::Supreme),
            "high" => Some(CourtLevel::High),
            "intermediate" => Some(CourtLevel::Intermediate),
            "basic" => Some(CourtLevel::Basic),
            _ => None,
        }
    }

    /// The level whose court hears appeals from this one.
    pub fn appeal_level(self) -> Option<CourtLevel> {
        match self {
            CourtLevel::Supreme => None,
            CourtLevel::High => Some(CourtLevel::Supreme),
            CourtLevel::Intermediate => Some(CourtLevel::High),
            CourtLevel::Basic => Some(CourtLevel::Intermediate),
        }
    }
}

/// One court of the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Court {
    pub code: CourtCode,
    pub name: String,
    pub name_en: String,
    pub level: CourtLevel,
    pub parent: Option<CourtCode>,
    pub region: String,
    pub region_code: String,
    pub address: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    #[error("court {0} appears twice")]
    Duplicate(CourtCode),
    #[error("court {0} names parent {1}, which is not in the directory")]
    MissingParent(CourtCode, CourtCode),
    #[error("court {0} is a {1:?} court but its parent {2} is not one level up")]
    WrongParentLevel(CourtCode, CourtLevel, CourtCode),
    #[error("court {0} has no parent but is not the Supreme People's Court")]
    Orphan(CourtCode),
    #[error("court {0} has an empty name, region or address")]
    Blank(CourtCode),
}

/// Checks a whole directory: unique codes, every parent present and exactly one level up.
/// Returns the courts ordered parents-first, the order they can be inserted in.
pub fn check_directory(mut courts: Vec<Court>) -> Result<Vec<Court>, DirectoryError> {
    use std::collections::BTreeMap;
    let mut by_code = BTreeMap::new();
    for court in &courts {
        if court.name.trim().is_empty() || court.region.trim().is_empty() || court.address.trim().is_empty() {
            return Err(DirectoryError::Blank(court.code.clone()));
        }
        if by_code.insert(court.code.clone(), court.level).is_some() {
            return Err(DirectoryError::Duplicate(court.code.clone()));
        }
    }
    for court in &courts {
        match (&court.parent, court.level.appeal_level()) {
            (None, None) => {}
            (None, Some(_)) => return Err(DirectoryError::Orphan(court.code.clone())),
            (Some(parent), expected) => match by_code.get(parent) {
                None => return Err(DirectoryError::MissingParent(court.code.clone(), parent.clone())),
                Some(level) if Some(*level) != expected => {
                    return Err(DirectoryError::WrongParentLevel(court.code.clone(), court.level, parent.clone()));
                }
                Some(_) => {}
            },
        }
    }
    courts.sort_by(|a, b| a.level.cmp(&b.level).then_with(|| a.code.cmp(&b.code)));
    Ok(courts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn court(code: &str, level: CourtLevel, parent: Option<&str>) -> Court {
        Court {
            code: CourtCode::parse(code).unwrap(),
            name: format!("{code} 法院"),
            name_en: code.into(),
            level,
            parent: parent.map(|p| CourtCode::parse(p).unwrap()),
            region: "北京市".into(),
            region_code: "110000".into(),
            address: "北京市".into(),
            phone: None,
        }
    }

    #[test]
    fn court_codes_of_every_level_parse_and_imply_their_level() {
        assert_eq!(CourtCode::parse("最高法").unwrap().implied_level(), CourtLevel::Supreme);
        assert_eq!(CourtCode::parse("京").unwrap().implied_level(), CourtLevel::High);
        assert_eq!(CourtCode::parse("京01").unwrap().implied_level(), CourtLevel::Intermediate);
        assert_eq!(CourtCode::parse(" 京0105 ").unwrap().as_str(), "京0105");
    }

    #[test]
    fn a_court_code_with_an_unknown_province_or_odd_digits_is_refused() {
        assert_eq!(CourtCode::parse("X0105"), Err(CourtCodeError::UnknownProvince));
        assert_eq!(CourtCode::parse("京010"), Err(CourtCodeError::BadDigits));
        assert_eq!(CourtCode::parse("京01a5"), Err(CourtCodeError::BadDigits));
        assert_eq!(CourtCode::parse(""), Err(CourtCodeError::Empty));
    }

    #[test]
    fn a_directory_is_returned_parents_first() {
        let courts = vec![
            court("京0105", CourtLevel::Basic, Some("京03")),
            court("京03", CourtLevel::Intermediate, Some("京")),
            court("最高法", CourtLevel::Supreme, None),
            court("京", CourtLevel::High, Some("最高法")),
        ];
        let ordered: Vec<_> = check_directory(courts).unwrap().into_iter().map(|c| c.code.to_string()).collect();
        assert_eq!(ordered, ["最高法", "京", "京03", "京0105"]);
    }

    #[test]
    fn a_directory_with_a_missing_or_wrong_level_parent_is_refused() {
        let missing = vec![court("最高法", CourtLevel::Supreme, None), court("京", CourtLevel::High, Some("沪"))];
        assert!(matches!(check_directory(missing), Err(DirectoryError::MissingParent(..))));
        let skipping = vec![
            court("最高法", CourtLevel::Supreme, None),
            court("京0105", CourtLevel::Basic, Some("最高法")),
        ];
        assert!(matches!(check_directory(skipping), Err(DirectoryError::WrongParentLevel(..))));
    }

    #[test]
    fn the_shipped_directory_is_consistent_and_covers_two_provinces() {
        let courts: Vec<Court> = serde_json::from_str(include_str!("directory.json")).unwrap();
        let courts = check_directory(courts).unwrap();
        let highs = courts.iter().filter(|c| c.level == CourtLevel::High).count();
        assert!(highs >= 2, "at least two provinces");
        assert!(courts.iter().any(|c| c.code.as_str() == "京0105"));
        assert_eq!(courts.iter().filter(|c| c.level == CourtLevel::Supreme).count(), 1);
    }
}
