//! How a posted wizard step changes a stored draft: only that step's fields are taken, rows are
//! added and removed by the buttons that say so, and files are attached only by the server when
//! an upload finishes. Pure, beside the rules in model.rs.
use super::model::*;

/// Files one evidence item may hold.
pub const MAX_FILES_PER_ITEM: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown wizard action")]
pub struct ActionError;

impl Draft {
    /// Takes from a posted form only the fields `step` edits; everything else stays as stored.
    /// Files never come from a form: an evidence item keeps the files the server attached.
    pub fn take_step(&mut self, step: Step, posted: Draft) {
        match step {
            Step::CaseType => self.case_type = posted.case_type,
            Step::Court => {
                self.court = posted.court;
                self.contract_place = posted.contract_place;
            }
            Step::Parties => self.parties = posted.parties.into_iter().take(MAX_ITEMS).collect(),
            Step::Agent => self.agent.client_id = posted.agent.client_id,
            Step::Claims => {
                self.claims = posted.claims.into_iter().take(MAX_ITEMS).collect();
                let (d, p) = (&mut self.details, posted.details);
                // Only the chosen type's fields are on the form; the others' stay as they were, so
                // switching the case type back and forth loses nothing.
                match CaseType::parse(&self.case_type) {
                    Some(CaseType::CivilFirstInstance) => d.cause = p.cause,
                    Some(CaseType::Enforcement) => {
                        d.basis = p.basis;
                        d.basis_effective = p.basis_effective;
                    }
                    Some(CaseType::Preservation) => {
                        d.preservation_kind = p.preservation_kind;
                        d.pre_suit = p.pre_suit;
                        d.preserve_what = p.preserve_what;
                        d.security = p.security;
                    }
                    Some(CaseType::Administrative) => {
                        d.act = p.act;
                        d.act_known = p.act_known;
                    }
                    None => {}
                }
                // The proof of hardship stays as the server attached it.
                let files = std::mem::take(&mut self.relief.files);
                self.relief = ReliefInput { files, ..posted.relief };
            }
            Step::Facts => self.facts = posted.facts,
            Step::Evidence => {
                let stored = std::mem::take(&mut self.evidence);
                self.evidence = posted
                    .evidence
                    .into_iter()
                    .take(MAX_ITEMS)
                    .enumerate()
                    .map(|(i, item)| EvidenceInput { files: stored.get(i).map(|s| s.files.clone()).unwrap_or_default(), ..item })
                    .collect();
            }
            Step::Review => self.declaration = posted.declaration,
        }
    }

    /// The row buttons of the wizard: `add:parties:<role>`, `add:claims`, `add:evidence`,
    /// `remove:<parties|claims|evidence>:<n>`, `unlink:evidence:<n>:<file id>`,
    /// `unlink:agent:<file id>`.
    pub fn apply_action(&mut self, action: &str) -> Result<(), ActionError> {
        let parts: Vec<&str> = action.split(':').collect();
        let index = |s: &str| s.parse::<usize>().map_err(|_| ActionError);
        match parts.as_slice() {
            ["add", "parties", role] => {
                let role = PartyRole::parse(role).ok_or(ActionError)?;
                if self.parties.len() < MAX_ITEMS {
                    self.parties.push(PartyInput { role: role.as_str().into(), kind: PartyKind::Person.as_str().into(), ..PartyInput::default() });
                }
            }
            ["add", "claims"] if self.claims.len() < MAX_ITEMS => self.claims.push(ClaimInput::default()),
            ["add", "evidence"] if self.evidence.len() < MAX_ITEMS => self.evidence.push(EvidenceInput::default()),
            ["add", "claims" | "evidence"] => {}
            ["remove", list, n] => {
                let n = index(n)?;
                match *list {
                    "parties" if n < self.parties.len() => drop(self.parties.remove(n)),
                    "claims" if n < self.claims.len() => drop(self.claims.remove(n)),
                    "evidence" if n < self.evidence.len() => drop(self.evidence.remove(n)),
                    _ => return Err(ActionError),
                }
            }
            ["unlink", "evidence", n, file] => {
                let (n, file) = (index(n)?, file.parse::<i64>().map_err(|_| ActionError)?);
                let item = self.evidence.get_mut(n).ok_or(ActionError)?;
                item.files.retain(|f| f.id != file);
            }
            ["unlink", "relief", file] => {
                let file = file.parse::<i64>().map_err(|_| ActionError)?;
                self.relief.files.retain(|f| f.id != file);
            }
            ["unlink", "agent", file] => {
                let file = file.parse::<i64>().map_err(|_| ActionError)?;
                if self.agent.power_of_attorney.as_ref().is_some_and(|f| f.id == file) {
                    self.agent.power_of_attorney = None;
                }
            }
            _ => return Err(ActionError),
        }
        Ok(())
    }

    /// May a finished upload be attached at `target` (`evidence:<n>`, `agent` or `relief`)?
    pub fn accepts_file_at(&self, target: &str) -> bool {
        match target.split_once(':') {
            None if target == "relief" => self.relief.files.len() < crate::fees::relief::MAX_EVIDENCE_FILES,
            None => target == "agent",
            Some(("evidence", n)) => n.parse::<usize>().ok().and_then(|n| self.evidence.get(n)).is_some_and(|e| e.files.len() < MAX_FILES_PER_ITEM),
            Some(_) => false,
        }
    }

    /// Attaches a finished upload; false when the target no longer exists (the item was removed
    /// while the file was arriving: the file stays with the filing, unattached).
    pub fn attach_file(&mut self, target: &str, file: FileRef) -> bool {
        if !self.accepts_file_at(target) {
            return false;
        }
        match target.split_once(':') {
            Some((_, n)) => match n.parse::<usize>().ok().and_then(|n| self.evidence.get_mut(n)) {
                Some(item) => {
                    item.files.push(file);
                    true
                }
                None => false,
            },
            None if target == "relief" => {
                self.relief.files.push(file);
                true
            }
            None => {
                self.agent.power_of_attorney = Some(file);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(id: i64) -> FileRef {
        FileRef { id, name: format!("{id}.pdf"), sha256: "ab".repeat(32), size: 10, kind: "pdf".into() }
    }

    #[test]
    fn saving_one_step_leaves_every_other_step_as_it_was() {
        let mut stored = Draft { case_type: "civil".into(), facts: "事实".into(), court: "京0105".into(), ..Draft::default() };
        let posted = Draft { court: "沪0115".into(), facts: String::new(), case_type: String::new(), ..Draft::default() };
        stored.take_step(Step::Court, posted);
        assert_eq!((stored.court.as_str(), stored.facts.as_str(), stored.case_type.as_str()), ("沪0115", "事实", "civil"));
    }

    #[test]
    fn evidence_files_come_only_from_the_server_never_from_a_form() {
        let mut stored = Draft::default();
        stored.evidence.push(EvidenceInput { name: "合同".into(), files: vec![file(1)], ..EvidenceInput::default() });
        let mut posted = Draft::default();
        posted.evidence.push(EvidenceInput { name: "借款合同".into(), files: vec![file(99)], ..EvidenceInput::default() });
        posted.evidence.push(EvidenceInput { name: "转账记录".into(), ..EvidenceInput::default() });
        stored.take_step(Step::Evidence, posted);
        assert_eq!(stored.evidence[0].name, "借款合同");
        assert_eq!(stored.evidence[0].files, vec![file(1)]);
        assert!(stored.evidence[1].files.is_empty());
    }

    #[test]
    fn details_of_another_case_type_survive_a_switch_of_type() {
        let mut stored = Draft { case_type: "civil".into(), ..Draft::default() };
        stored.take_step(Step::Claims, Draft { details: DetailsInput { cause: "借款合同纠纷".into(), ..DetailsInput::default() }, ..Draft::default() });
        stored.case_type = "administrative".into();
        stored.take_step(Step::Claims, Draft { details: DetailsInput { act: "行政处罚决定".into(), ..DetailsInput::default() }, ..Draft::default() });
        assert_eq!(stored.details.cause, "借款合同纠纷");
        assert_eq!(stored.details.act, "行政处罚决定");
    }

    #[test]
    fn rows_are_added_and_removed_by_their_buttons_and_unknown_actions_are_refused() {
        let mut d = Draft::default();
        d.apply_action("add:parties:claimant").unwrap();
        d.apply_action("add:parties:respondent").unwrap();
        d.apply_action("add:claims").unwrap();
        assert_eq!(d.parties.len(), 2);
        assert_eq!(d.parties[1].role, "respondent");
        d.apply_action("remove:parties:0").unwrap();
        assert_eq!(d.parties[0].role, "respondent");
        assert_eq!(d.apply_action("remove:parties:5"), Err(ActionError));
        assert_eq!(d.apply_action("add:parties:judge"), Err(ActionError));
        assert_eq!(d.apply_action("drop table"), Err(ActionError));
    }

    #[test]
    fn a_finished_upload_attaches_only_where_the_draft_still_has_room() {
        let mut d = Draft::default();
        assert!(!d.attach_file("evidence:0", file(1)));
        d.apply_action("add:evidence").unwrap();
        assert!(d.attach_file("evidence:0", file(1)));
        assert!(d.attach_file("agent", file(2)));
        assert_eq!(d.files().len(), 2);
        d.apply_action("unlink:evidence:0:1").unwrap();
        d.apply_action("unlink:agent:2").unwrap();
        assert!(d.files().is_empty());
        assert!(!d.accepts_file_at("evidence:x") && !d.accepts_file_at("../etc"));
    }

    #[test]
    fn proof_of_hardship_comes_only_from_the_server_and_survives_saving_the_claims() {
        let mut d = Draft { case_type: "civil".into(), ..Draft::default() };
        assert!(d.attach_file("relief", file(7)));
        let posted = Draft { relief: ReliefInput { kind: "reduce".into(), ground: "disaster_hardship".into(), reasons: "洪水".into(), files: vec![file(99)] }, ..Draft::default() };
        d.take_step(Step::Claims, posted);
        assert_eq!((d.relief.kind.as_str(), d.relief.files.clone()), ("reduce", vec![file(7)]));
        assert_eq!(d.files().len(), 1);
        d.apply_action("unlink:relief:7").unwrap();
        assert!(d.relief.files.is_empty());
    }

    #[test]
    fn a_relief_application_is_checked_on_the_claims_step() {
        let mut d = Draft { case_type: "civil".into(), ..Draft::default() };
        d.parties.push(PartyInput { role: "claimant".into(), kind: "organisation".into(), ..PartyInput::default() });
        d.relief = ReliefInput { kind: "waive".into(), ground: "maintenance".into(), reasons: String::new(), files: Vec::new() };
        let p = d.problems(Step::Claims);
        assert_eq!(p.get("relief.kind").map(String::as_str), Some("error_relief_waiver_person"));
        assert_eq!(p.get("relief.reasons").map(String::as_str), Some("error_required"));
        assert_eq!(p.get("relief.files").map(String::as_str), Some("error_relief_evidence"));
        assert_eq!(Step::of_field("relief.files"), Step::Claims);
        d.relief = ReliefInput::default();
        assert!(!d.problems(Step::Claims).keys().any(|k| k.starts_with("relief")));
    }
}
