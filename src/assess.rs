//! Assessment: how risky a post is, from what was found in it.
//!
//! This is the *provisional* model, built from identifiers alone; the HIPAA-aware model (names,
//! health context, patient linkage, mitigations) replaces it behind the same function,
//! [`assess`]. It is documented in `docs/RISK.md`.
//!
//! Each finding scores `weight(severity) × confidence`, where severity is the rule's (SSN,
//! medical record, health-plan and account numbers are `high`; licence, vehicle and device
//! identifiers, names and ages over 89 are `medium`; contact details, addresses, dates and room
//! numbers are `low`), possibly raised by context the rule names (a date next to "DOB" is
//! `medium`). The post's score is the highest finding score; its level is what the score
//! reaches on the thresholds, and never below the highest severity of its findings.

use crate::category::{Category, RiskLevel};
use crate::finding::Finding;

/// Weights and thresholds of the risk model.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskModel {
    /// Weight of a finding whose severity is low, medium, high.
    pub weight_low: f64,
    pub weight_medium: f64,
    pub weight_high: f64,
    /// Lowest score that makes a post low, medium, high.
    pub threshold_low: f64,
    pub threshold_medium: f64,
    pub threshold_high: f64,
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
    /// Why, most serious first; each names the kind of identifier behind it.
    pub reasons: Vec<String>,
}

/// Assesses one post from its findings.
pub fn assess(findings: &[Finding], model: &RiskModel) -> Assessment {
    let score = findings
        .iter()
        .map(|f| model.weight(f.severity) * f.confidence)
        .fold(0.0_f64, f64::max);
    let score = (score * 100.0).round() / 100.0;

    // One reason per (severity, category), most serious first.
    let mut groups: Vec<(RiskLevel, Category, usize, Option<&str>)> = Vec::new();
    for f in findings {
        let boost = f
            .boost
            .and_then(|i| f.rule.boost_reasons.get(i))
            .and_then(Option::as_deref);
        match groups
            .iter_mut()
            .find(|g| g.0 == f.severity && g.1 == f.category())
        {
            Some(g) => {
                g.2 += 1;
                g.3 = g.3.or(boost);
            }
            None => groups.push((f.severity, f.category(), 1, boost)),
        }
    }
    groups.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut reasons = Vec::new();
    // Low findings without a reason of their own share one line: they are usually the
    // organisation's own contact details or an event's date and place.
    let mut plain_low: Vec<String> = Vec::new();
    for (severity, category, n, boost) in groups {
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
            (None, RiskLevel::Low) => {
                plain_low.push(format!("{}{count}", category.label()));
                continue;
            }
        };
        reasons.push(format!("{}{count}: {why}", category.label()));
    }
    if !plain_low.is_empty() {
        let (they, are) = if plain_low.len() == 1 && !plain_low[0].contains('×') {
            ("it", "is")
        } else {
            ("they", "are")
        };
        reasons.push(format!(
            "{}: fine when {they} {are} your organisation's own or an event's; a problem when \
             {they} {are} a patient's",
            plain_low.join(", ")
        ));
    }
    // A finding reaches its own severity whatever its confidence: the score ranks posts, the
    // severity is the floor.
    let floor = findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(RiskLevel::None);
    Assessment {
        risk: model.level(score).max(floor),
        score,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::detect::RuleInfo;
    use crate::finding::Position;

    fn finding(category: Category, severity: RiskLevel, confidence: f64) -> Finding {
        Finding {
            rule: Arc::new(RuleInfo {
                id: "t.rule".into(),
                pack: "t".into(),
                file: "t.toml".into(),
                line: 1,
                category,
                description: String::new(),
                severity,
                confidence,
                validator: None,
                references: vec![],
                boost_reasons: vec![Some("near birth wording".into())],
            }),
            confidence,
            severity,
            boost: None,
            span: 0..1,
            text_span: 0..1,
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 2 },
            value: "x".into(),
        }
    }

    #[test]
    fn no_findings_is_no_risk() {
        let a = assess(&[], &RiskModel::default());
        assert_eq!(a.risk, RiskLevel::None);
        assert_eq!(a.score, 0.0);
        assert!(a.reasons.is_empty());
    }

    #[test]
    fn an_ssn_alone_is_high() {
        let a = assess(
            &[finding(Category::Ssn, RiskLevel::High, 0.95)],
            &RiskModel::default(),
        );
        assert_eq!(a.risk, RiskLevel::High);
        assert_eq!(a.score, 0.95);
        assert_eq!(
            a.reasons,
            vec!["Social Security number: never belongs in a public post"]
        );
    }

    #[test]
    fn a_finding_reaches_its_severity_whatever_its_confidence() {
        let a = assess(
            &[finding(Category::OtherId, RiskLevel::High, 0.5)],
            &RiskModel::default(),
        );
        assert_eq!(a.score, 0.5);
        assert_eq!(a.risk, RiskLevel::High);
    }

    #[test]
    fn contact_details_alone_are_low_however_many() {
        let f = finding(Category::Phone, RiskLevel::Low, 0.9);
        let a = assess(
            &[
                f.clone(),
                f,
                finding(Category::Geographic, RiskLevel::Low, 0.8),
            ],
            &RiskModel::default(),
        );
        assert_eq!(a.risk, RiskLevel::Low);
        assert_eq!(a.score, 0.32);
        assert_eq!(
            a.reasons,
            vec![
                "address, phone number ×2: fine when they are your organisation's own or an \
                 event's; a problem when they are a patient's"
            ]
        );
        let one = assess(
            &[finding(Category::Url, RiskLevel::Low, 0.8)],
            &RiskModel::default(),
        );
        assert_eq!(
            one.reasons,
            vec![
                "web address: fine when it is your organisation's own or an event's; a problem \
                 when it is a patient's"
            ]
        );
    }

    #[test]
    fn boosted_date_is_medium_and_says_why() {
        let mut f = finding(Category::Date, RiskLevel::Medium, 0.9);
        f.boost = Some(0);
        let a = assess(&[f], &RiskModel::default());
        assert_eq!(a.risk, RiskLevel::Medium);
        assert_eq!(a.reasons, vec!["date: near birth wording"]);
    }
}
