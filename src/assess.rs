//! Assessment: how risky a post is, from the identifiers found in it and the signals around
//! them. This is what makes phiguard HIPAA-aware: an identifier alone is often fine (the clinic's
//! phone, a doctor's name in an award post); a person tied to health information is a likely
//! disclosure. The model is documented with worked examples in `docs/RISK.md`; its weights and
//! thresholds are [`RiskModel`], configurable under `[risk]` in `.phiguard.toml`.
//!
//! 1. Identifiers: each finding scores `weight(severity) × confidence` and gives its post at
//!    least its own severity (SSN, medical record, health-plan and account numbers are `high`).
//! 2. People: a name (or the `@handle` a reply is addressed to) whose role is not staff or a
//!    public figure scores by what surrounds it in the post: `name_alone` with nothing else,
//!    `name_with_patient` with patient wording or a patient cue, `name_with_health` with health
//!    context, `name_with_identifier` with a birth/admission/death date, an age over 89 or a room
//!    number. Staff wording (an award, a new hire) multiplies a name of unknown role by
//!    `staff_context_factor`; anonymising wording multiplies every name by `mitigation_factor`.
//!    Names get their level from this score, not from a severity floor.
//! 3. Health context and patient wording without anyone identified score `anonymous_story`.
//!
//! The post's score is the highest of these; its level comes from the thresholds.

use crate::category::{Category, RiskLevel};
use crate::detect::PersonRole;
use crate::finding::{Finding, SignalFound};
use crate::mask::mask;
use crate::pack::SignalKind;

/// Weights and thresholds of the risk model (`[risk]` in the configuration).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RiskModel {
    /// Weight of an identifier finding whose severity is low, medium, high.
    pub weight_low: f64,
    pub weight_medium: f64,
    pub weight_high: f64,
    /// Lowest score that makes a post low, medium, high.
    pub threshold_low: f64,
    pub threshold_medium: f64,
    pub threshold_high: f64,
    /// A person's name with nothing else tying it to care.
    pub name_alone: f64,
    /// A name with patient wording ("our patient", "was discharged", "rang the bell").
    pub name_with_patient: f64,
    /// A name with health context (a condition, treatment, medication or care unit).
    pub name_with_health: f64,
    /// A name with a birth, admission or death date, an age over 89 or a room or bed number.
    pub name_with_identifier: f64,
    /// Health context with patient wording but no one identified.
    pub anonymous_story: f64,
    /// Multiplies a name of unknown role in a staff, award or hiring post.
    pub staff_context_factor: f64,
    /// Multiplies every name in a post with anonymising wording ("names have been changed").
    pub mitigation_factor: f64,
}

impl Default for RiskModel {
    fn default() -> RiskModel {
        RiskModel {
            weight_low: 0.35,
            weight_medium: 0.7,
            weight_high: 1.0,
            threshold_low: 0.01,
            threshold_medium: 0.4,
            threshold_high: 0.7,
            name_alone: 0.3,
            name_with_patient: 0.55,
            name_with_health: 0.85,
            name_with_identifier: 0.85,
            anonymous_story: 0.2,
            staff_context_factor: 0.3,
            mitigation_factor: 0.3,
        }
    }
}

impl RiskModel {
    fn weight(&self, severity: RiskLevel) -> f64 {
        match severity {
            RiskLevel::None => 0.0,
            RiskLevel::Low => self.weight_low,
            RiskLevel::Medium => self.weight_medium,
            RiskLevel::High => self.weight_high,
        }
    }

    /// The level a score reaches.
    pub fn level(&self, score: f64) -> RiskLevel {
        if score >= self.threshold_high {
            RiskLevel::High
        } else if score >= self.threshold_medium {
            RiskLevel::Medium
        } else if score >= self.threshold_low {
            RiskLevel::Low
        } else {
            RiskLevel::None
        }
    }
}

/// The verdict on one post.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub risk: RiskLevel,
    /// 0.0 to 1.0, rounded to two decimals.
    pub score: f64,
    /// Why, most serious first; each names the findings and signals behind it (names masked).
    pub reasons: Vec<String>,
}

/// A scored piece of evidence with its reason.
struct Evidence {
    score: f64,
    level: RiskLevel,
    reason: String,
}

/// Categories of identifiers that are about a person (as opposed to contact details): tied to
/// a name they make a disclosure.
fn tied_category(c: Category) -> bool {
    matches!(
        c,
        Category::AgeOver89
            | Category::OtherId
            | Category::LicenseNumber
            | Category::VehicleId
            | Category::DeviceId
            | Category::Date
    )
}

/// Whether a date is from long before anyone alive was born ("born December 25, 1821"): a
/// historical figure's, whatever wording is around it.
fn historical(value: &str) -> bool {
    let year = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse::<i64>().ok())
        .next();
    year.is_some_and(|y| y < crate::validate::current_year() - 110)
}

/// Assesses one post from its findings and signals.
pub fn assess(findings: &[Finding], signals: &[SignalFound], model: &RiskModel) -> Assessment {
    let mut evidence: Vec<Evidence> = Vec::new();
    let terms = |kind: SignalKind| -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for s in signals.iter().filter(|s| s.kind == kind) {
            let t = s.term.trim().to_owned();
            if !seen.iter().any(|x| x.eq_ignore_ascii_case(&t)) {
                seen.push(t);
            }
        }
        seen
    };
    let (strong_health, settings, patient, staff, mitigation) = (
        terms(SignalKind::Health),
        terms(SignalKind::CareSetting),
        terms(SignalKind::Patient),
        terms(SignalKind::Staff),
        terms(SignalKind::Mitigation),
    );
    let health: Vec<String> = strong_health.iter().chain(&settings).cloned().collect();
    let list = |t: &[String]| -> String {
        let mut s = t.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        if t.len() > 3 {
            s.push_str(", …");
        }
        s
    };

    // People.
    // Identifiers about a person: plain dates are usually events, boosted ones are not.
    let is_tied = |f: &Finding| {
        f.rule.person.is_none()
            && tied_category(f.category())
            && (f.category() != Category::Date || (f.boost.is_some() && !historical(&f.value)))
    };
    let tied: Vec<&Finding> = findings.iter().filter(|f| is_tied(f)).collect();
    let patient_name = findings
        .iter()
        .any(|f| f.rule.person == Some(PersonRole::Patient));
    let linked_post = patient_name || !patient.is_empty();
    // Staff wording lowers a name of unknown role, unless the post speaks of a patient or of a
    // condition, treatment or medication.
    let staff_post = !staff.is_empty() && !linked_post && strong_health.is_empty();
    let mut people = 0;
    let mut best: Option<Evidence> = None;
    for f in findings {
        let Some(role) = f.rule.person else { continue };
        // Staff and public figures are not patients (a clinician whose own care the post tells
        // of, "Dr. Haddad is recovering", is named as a patient).
        if matches!(role, PersonRole::PublicFigure | PersonRole::Staff) {
            continue;
        }
        // Someone a reply speaks to is a patient only when the post ties them or their family
        // to care ("your son's stitches"); general answers to them are not disclosures.
        let replied = matches!(role, PersonRole::Addressee | PersonRole::Addressed);
        let who = match role {
            PersonRole::Addressee => format!("reply to @{}", mask(&f.value, Category::OtherId)),
            _ => format!("name {}", mask(&f.value, Category::Name)),
        };
        let mut strength = 1.0;
        let mut why_lower = Vec::new();
        if role == PersonRole::Person && staff_post {
            strength *= model.staff_context_factor;
            why_lower.push(format!("in staff wording ({})", list(&staff)));
        }
        if !mitigation.is_empty() {
            strength *= model.mitigation_factor;
            why_lower.push(format!("with anonymising wording ({})", list(&mitigation)));
        }
        let mut options: Vec<(f64, String)> = Vec::new();
        if !health.is_empty() && (!replied || linked_post) {
            options.push((
                model.name_with_health,
                format!("{who} with health information ({})", list(&health)),
            ));
        }
        // A room or a licence plate in a general answer to someone is the organisation's, an
        // age or a birth date is theirs.
        let about_them = |t: &&&Finding| {
            !replied || linked_post || matches!(t.category(), Category::AgeOver89 | Category::Date)
        };
        if let Some(t) = tied.iter().find(about_them) {
            let what = match t.category() {
                Category::AgeOver89 => "an age over 89",
                Category::OtherId => "a room or bed number",
                Category::LicenseNumber => "a licence number",
                Category::VehicleId => "a vehicle identifier",
                Category::DeviceId => "a device serial number",
                _ => "a birth, admission, discharge or death date",
            };
            options.push((model.name_with_identifier, format!("{who} with {what}")));
        }
        if role == PersonRole::Patient || linked_post {
            let cue = if patient.is_empty() {
                "patient wording".to_owned()
            } else {
                format!("patient wording ({})", list(&patient))
            };
            options.push((model.name_with_patient, format!("{who} with {cue}")));
        }
        if role != PersonRole::Addressee {
            options.push((model.name_alone, format!("{who}: a person's name")));
        }
        let Some((base, mut reason)) = options.into_iter().max_by(|a, b| a.0.total_cmp(&b.0))
        else {
            continue;
        };
        let score = base * strength;
        // Someone a birth date or an age can be about: not a name lowered by staff wording.
        if strength >= 0.5 {
            people += 1;
        }
        if !why_lower.is_empty() {
            reason.push_str(&format!(", but {}", why_lower.join(" and ")));
        }
        if best.as_ref().is_none_or(|b| score > b.score) {
            best = Some(Evidence {
                score,
                level: model.level(score),
                reason,
            });
        }
    }
    if let Some(b) = best {
        evidence.push(b);
    } else if !health.is_empty() && !patient.is_empty() {
        evidence.push(Evidence {
            score: model.anonymous_story,
            level: model.level(model.anonymous_story),
            reason: format!(
                "a patient's health story ({}; {}), but no one is identified",
                list(&patient),
                list(&health)
            ),
        });
    }
    // A birth date, an age or a room number is about someone: when everyone named is staff or
    // a public figure ("Florence Nightingale, born May 12, 1820"), it is not a patient's.
    let named_only_staff = people == 0
        && findings.iter().any(|f| f.rule.person.is_some())
        && !patient_name
        && strong_health.is_empty();

    // Identifiers, one reason per (severity, category); plain low ones share a line.
    let mut groups: Vec<(RiskLevel, Category, usize, Option<&str>, f64)> = Vec::new();
    for f in findings.iter().filter(|f| f.rule.person.is_none()) {
        // A historical date is an event's, whatever wording boosted it.
        let old = f.category() == Category::Date && historical(&f.value);
        let severity = if old {
            f.severity.min(RiskLevel::Low)
        } else {
            f.severity
        };
        let boost = f
            .boost
            .filter(|_| !old)
            .and_then(|i| f.rule.boost_reasons.get(i))
            .and_then(Option::as_deref);
        let score = model.weight(severity) * f.confidence;
        match groups
            .iter_mut()
            .find(|g| g.0 == severity && g.1 == f.category())
        {
            Some(g) => {
                g.2 += 1;
                g.3 = g.3.or(boost);
                g.4 = g.4.max(score);
            }
            None => groups.push((severity, f.category(), 1, boost, score)),
        }
    }
    groups.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut plain_low: Vec<String> = Vec::new();
    let mut plain_low_score = 0.0_f64;
    for (severity, category, n, boost, score) in groups {
        let count = if n > 1 {
            format!(" ×{n}")
        } else {
            String::new()
        };
        let why = match (boost, severity) {
            (_, RiskLevel::None) => continue,
            (Some(reason), _) => reason,
            (None, RiskLevel::High) => "never belongs in a public post",
            (None, RiskLevel::Medium) => "can identify a person",
            // A licence, vehicle or device number, or a room number, next to patient wording is
            // a patient's even when no one is named.
            (None, RiskLevel::Low)
                if linked_post && tied_category(category) && category != Category::Date =>
            {
                evidence.push(Evidence {
                    score: score.max(model.threshold_medium),
                    level: RiskLevel::Medium,
                    reason: format!("{}{count}: next to patient wording", category.label()),
                });
                continue;
            }
            // A patient's room or bed (shared rooms are not found) beside a condition or a care
            // unit: "the gentleman in Room 612 … after his hip replacement", "bed 14 in the ED".
            (None, RiskLevel::Low) if category == Category::OtherId && !health.is_empty() => {
                evidence.push(Evidence {
                    score: score.max(model.threshold_medium),
                    level: RiskLevel::Medium,
                    reason: format!(
                        "{}{count}: a patient's room or bed, next to health information ({})",
                        category.label(),
                        list(&health)
                    ),
                });
                continue;
            }
            (None, RiskLevel::Low) => {
                plain_low.push(format!("{}{count}", category.label()));
                plain_low_score = plain_low_score.max(score);
                continue;
            }
        };
        // A finding reaches its own severity whatever its confidence, except an identifier about
        // a person when only staff or public figures are named.
        let (score, level) = if named_only_staff && tied_category(category) {
            let s = score.min(model.threshold_medium - 0.01);
            (s, model.level(s))
        } else {
            (score, model.level(score).max(severity))
        };
        evidence.push(Evidence {
            score,
            level,
            reason: format!("{}{count}: {why}", category.label()),
        });
    }
    if !plain_low.is_empty() {
        let (they, are) = if plain_low.len() == 1 && !plain_low[0].contains('×') {
            ("it", "is")
        } else {
            ("they", "are")
        };
        evidence.push(Evidence {
            score: plain_low_score,
            level: model.level(plain_low_score).max(RiskLevel::Low),
            reason: format!(
                "{}: fine when {they} {are} your organisation's own or an event's; a problem when \
                 {they} {are} a patient's",
                plain_low.join(", ")
            ),
        });
    }

    evidence.sort_by(|a, b| b.level.cmp(&a.level).then(b.score.total_cmp(&a.score)));
    let score = evidence.iter().map(|e| e.score).fold(0.0_f64, f64::max);
    let risk = evidence
        .iter()
        .map(|e| e.level)
        .max()
        .unwrap_or(RiskLevel::None);
    Assessment {
        risk,
        score: (score.min(1.0) * 100.0).round() / 100.0,
        reasons: evidence
            .into_iter()
            .filter(|e| e.level > RiskLevel::None)
            .map(|e| e.reason)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::detect::RuleInfo;
    use crate::finding::Position;

    fn rule(category: Category, severity: RiskLevel, person: Option<PersonRole>) -> Arc<RuleInfo> {
        Arc::new(RuleInfo {
            id: "t.rule".into(),
            pack: "t".into(),
            file: "t.toml".into(),
            line: 1,
            category,
            description: String::new(),
            severity,
            confidence: 0.9,
            validator: None,
            references: vec![],
            advice: None,
            boost_reasons: vec![Some("near birth wording".into())],
            person,
        })
    }

    fn finding(category: Category, severity: RiskLevel, confidence: f64) -> Finding {
        finding_with(rule(category, severity, None), confidence, "x")
    }

    fn finding_with(rule: Arc<RuleInfo>, confidence: f64, value: &str) -> Finding {
        Finding {
            severity: rule.severity,
            rule,
            confidence,
            boost: None,
            span: 0..1,
            text_span: 0..1,
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 2 },
            value: value.into(),
            locator: None,
            authorization: None,
            fingerprint: None,
        }
    }

    fn name(role: PersonRole, value: &str) -> Finding {
        let severity = match role {
            PersonRole::Patient => RiskLevel::Medium,
            PersonRole::Person => RiskLevel::Low,
            _ => RiskLevel::None,
        };
        finding_with(rule(Category::Name, severity, Some(role)), 0.75, value)
    }

    fn signal(kind: SignalKind, term: &str) -> SignalFound {
        SignalFound {
            id: "t.signal".into(),
            kind,
            term: term.into(),
            text_span: 0..1,
        }
    }

    fn verdict(findings: &[Finding], signals: &[SignalFound]) -> (RiskLevel, Vec<String>) {
        let a = assess(findings, signals, &RiskModel::default());
        (a.risk, a.reasons)
    }

    #[test]
    fn no_findings_is_no_risk() {
        let a = assess(&[], &[], &RiskModel::default());
        assert_eq!((a.risk, a.score), (RiskLevel::None, 0.0));
        assert!(a.reasons.is_empty());
    }

    #[test]
    fn an_ssn_alone_is_high_whatever_its_confidence() {
        let (risk, reasons) = verdict(&[finding(Category::Ssn, RiskLevel::High, 0.5)], &[]);
        assert_eq!(risk, RiskLevel::High);
        assert_eq!(
            reasons,
            vec!["Social Security number: never belongs in a public post"]
        );
    }

    #[test]
    fn contact_details_alone_are_low_however_many() {
        let f = finding(Category::Phone, RiskLevel::Low, 0.9);
        let (risk, reasons) = verdict(
            &[
                f.clone(),
                f,
                finding(Category::Geographic, RiskLevel::Low, 0.8),
            ],
            &[],
        );
        assert_eq!(risk, RiskLevel::Low);
        assert_eq!(
            reasons,
            vec![
                "address, phone number ×2: fine when they are your organisation's own or an \
                  event's; a problem when they are a patient's"
            ]
        );
    }

    #[test]
    fn a_name_with_health_context_is_high() {
        let (risk, reasons) = verdict(
            &[name(PersonRole::Person, "Jaylen Brooks")],
            &[
                signal(SignalKind::Health, "chemo"),
                signal(SignalKind::Health, "NICU"),
            ],
        );
        assert_eq!(risk, RiskLevel::High);
        assert_eq!(
            reasons,
            vec!["name J***** B***** with health information (chemo, NICU)"]
        );
    }

    #[test]
    fn a_name_with_a_patient_cue_but_no_condition_is_medium() {
        let (risk, reasons) = verdict(&[name(PersonRole::Patient, "Liam")], &[]);
        assert_eq!(risk, RiskLevel::Medium);
        assert_eq!(reasons, vec!["name L*** with patient wording"]);
        let (risk, _) = verdict(
            &[name(PersonRole::Person, "Ana")],
            &[signal(SignalKind::Patient, "was discharged")],
        );
        assert_eq!(risk, RiskLevel::Medium);
    }

    #[test]
    fn a_name_alone_is_low_and_staff_or_public_figures_are_none() {
        assert_eq!(
            verdict(&[name(PersonRole::Person, "Sarah")], &[]).0,
            RiskLevel::Low
        );
        let (risk, reasons) = verdict(
            &[name(PersonRole::Staff, "Priya Raman")],
            &[signal(SignalKind::Health, "stroke")],
        );
        assert_eq!(risk, RiskLevel::None);
        assert!(reasons.is_empty());
        assert_eq!(
            verdict(
                &[name(PersonRole::PublicFigure, "Florence Nightingale")],
                &[]
            )
            .0,
            RiskLevel::None
        );
    }

    #[test]
    fn staff_wording_and_anonymising_wording_lower_a_name() {
        let (risk, reasons) = verdict(
            &[name(PersonRole::Person, "Sarah Kim")],
            &[
                signal(SignalKind::Staff, "nurse of the year"),
                signal(SignalKind::CareSetting, "oncology"),
            ],
        );
        assert_eq!(risk, RiskLevel::Low);
        assert!(
            reasons[0].ends_with("but in staff wording (nurse of the year)"),
            "{reasons:?}"
        );
        let (risk, _) = verdict(
            &[name(PersonRole::Patient, "Ana")],
            &[
                signal(SignalKind::Mitigation, "name has been changed"),
                signal(SignalKind::Health, "chemo"),
            ],
        );
        assert_eq!(risk, RiskLevel::Low);
    }

    #[test]
    fn a_birth_date_or_age_over_89_tied_to_a_name_is_high() {
        let mut dob = finding(Category::Date, RiskLevel::Medium, 0.9);
        dob.boost = Some(0);
        let (risk, reasons) = verdict(&[name(PersonRole::Person, "Mateo"), dob], &[]);
        assert_eq!(risk, RiskLevel::High);
        assert!(
            reasons.contains(
                &"name M**** with a birth, admission, discharge or death date".to_owned()
            )
        );
        let age = finding(Category::AgeOver89, RiskLevel::Medium, 0.8);
        assert_eq!(
            verdict(&[name(PersonRole::Person, "Alvarez"), age], &[]).0,
            RiskLevel::High
        );
    }

    #[test]
    fn anonymous_stories_and_replies() {
        let (risk, _) = verdict(
            &[],
            &[
                signal(SignalKind::Patient, "rang the bell"),
                signal(SignalKind::Health, "chemo"),
            ],
        );
        assert_eq!(risk, RiskLevel::Low);
        let handle = finding_with(
            rule(
                Category::OtherId,
                RiskLevel::None,
                Some(PersonRole::Addressee),
            ),
            0.6,
            "dana_r",
        );
        assert_eq!(
            verdict(std::slice::from_ref(&handle), &[]).0,
            RiskLevel::None
        );
        // A general answer to someone ("@dana_r visiting hours in the ICU are…") discloses
        // nothing; a health term about them or their family does.
        let (risk, _) = verdict(
            std::slice::from_ref(&handle),
            &[signal(SignalKind::Health, "knee replacement")],
        );
        assert_eq!(risk, RiskLevel::None);
        let (risk, reasons) = verdict(
            &[handle],
            &[
                signal(SignalKind::Health, "knee replacement"),
                signal(SignalKind::Patient, "your mom's knee replacement"),
            ],
        );
        assert_eq!(risk, RiskLevel::High);
        assert_eq!(
            reasons,
            vec!["reply to @****_* with health information (knee replacement)"]
        );
    }
}
