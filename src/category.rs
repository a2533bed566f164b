//! The stable vocabulary shared by every stage: identifier categories (the 18 Safe Harbor
//! classes of 45 CFR 164.514(b)(2)) and risk levels.
//!
//! The snake_case names of [`Category`] and the lower-case names of [`RiskLevel`] appear in every
//! output format and in pack files; they never change meaning.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An identifier category. Each is one Safe Harbor item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Name,
    Geographic,
    Date,
    #[serde(rename = "age_over_89")]
    AgeOver89,
    Phone,
    Fax,
    Email,
    Ssn,
    MedicalRecordNumber,
    HealthPlanId,
    AccountNumber,
    LicenseNumber,
    VehicleId,
    DeviceId,
    Url,
    IpAddress,
    Biometric,
    Photo,
    OtherId,
}

impl Category {
    /// Every category, in Safe Harbor order.
    pub const ALL: &'static [Category] = &[
        Category::Name,
        Category::Geographic,
        Category::Date,
        Category::AgeOver89,
        Category::Phone,
        Category::Fax,
        Category::Email,
        Category::Ssn,
        Category::MedicalRecordNumber,
        Category::HealthPlanId,
        Category::AccountNumber,
        Category::LicenseNumber,
        Category::VehicleId,
        Category::DeviceId,
        Category::Url,
        Category::IpAddress,
        Category::Biometric,
        Category::Photo,
        Category::OtherId,
    ];

    /// The stable name used in outputs and pack files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Name => "name",
            Category::Geographic => "geographic",
            Category::Date => "date",
            Category::AgeOver89 => "age_over_89",
            Category::Phone => "phone",
            Category::Fax => "fax",
            Category::Email => "email",
            Category::Ssn => "ssn",
            Category::MedicalRecordNumber => "medical_record_number",
            Category::HealthPlanId => "health_plan_id",
            Category::AccountNumber => "account_number",
            Category::LicenseNumber => "license_number",
            Category::VehicleId => "vehicle_id",
            Category::DeviceId => "device_id",
            Category::Url => "url",
            Category::IpAddress => "ip_address",
            Category::Biometric => "biometric",
            Category::Photo => "photo",
            Category::OtherId => "other_id",
        }
    }

    /// Looks a category up by its stable name.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// The Safe Harbor item letter, e.g. `"(G)"` for SSNs.
    pub fn safe_harbor_item(self) -> &'static str {
        match self {
            Category::Name => "(A)",
            Category::Geographic => "(B)",
            Category::Date | Category::AgeOver89 => "(C)",
            Category::Phone => "(D)",
            Category::Fax => "(E)",
            Category::Email => "(F)",
            Category::Ssn => "(G)",
            Category::MedicalRecordNumber => "(H)",
            Category::HealthPlanId => "(I)",
            Category::AccountNumber => "(J)",
            Category::LicenseNumber => "(K)",
            Category::VehicleId => "(L)",
            Category::DeviceId => "(M)",
            Category::Url => "(N)",
            Category::IpAddress => "(O)",
            Category::Biometric => "(P)",
            Category::Photo => "(Q)",
            Category::OtherId => "(R)",
        }
    }

    /// A short human label, e.g. "Social Security number".
    pub fn label(self) -> &'static str {
        match self {
            Category::Name => "name",
            Category::Geographic => "address",
            Category::Date => "date",
            Category::AgeOver89 => "age over 89",
            Category::Phone => "phone number",
            Category::Fax => "fax number",
            Category::Email => "email address",
            Category::Ssn => "Social Security number",
            Category::MedicalRecordNumber => "medical record number",
            Category::HealthPlanId => "health plan ID",
            Category::AccountNumber => "account number",
            Category::LicenseNumber => "certificate or licence number",
            Category::VehicleId => "vehicle identifier",
            Category::DeviceId => "device identifier",
            Category::Url => "web address",
            Category::IpAddress => "IP address",
            Category::Biometric => "biometric identifier",
            Category::Photo => "full-face photo",
            Category::OtherId => "other identifying number",
        }
    }

    /// One line of advice for a writer who has this kind of identifier in a post.
    pub fn advice(self) -> &'static str {
        match self {
            Category::Name => {
                "use a first name only with written authorization, or describe the person without naming them"
            }
            Category::Geographic => {
                "keep your organisation's own address; remove a patient's street, ZIP or home town"
            }
            Category::Date => {
                "drop birth, admission, discharge or death dates; the year alone or \"this spring\" is enough"
            }
            Category::AgeOver89 => {
                "say \"over 90\" or leave the age out; exact ages above 89 identify people"
            }
            Category::Phone | Category::Fax => {
                "keep only your organisation's published numbers; remove anyone else's"
            }
            Category::Email => {
                "keep only your organisation's published addresses; remove anyone else's"
            }
            Category::Ssn => "remove it: an SSN never belongs in a public post",
            Category::MedicalRecordNumber => {
                "remove it, and crop screenshots that show records: MRNs never belong in a post"
            }
            Category::HealthPlanId => "remove it: member and Medicare IDs never belong in a post",
            Category::AccountNumber => "remove it: account and card numbers never belong in a post",
            Category::LicenseNumber => "remove the number; a credential's name (RN, MD) is enough",
            Category::VehicleId => "remove plates and VINs, and blur them in photos",
            Category::DeviceId => "remove serial numbers of a patient's devices",
            Category::Url => {
                "link to public pages only, never to a patient's page or portal record"
            }
            Category::IpAddress => "remove the address",
            Category::Biometric => "remove the biometric detail",
            Category::Photo => "publish a patient's face only with written authorization on file",
            Category::OtherId => "remove room, bed and other numbers that point to one patient",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How risky a post is. Ordered: `None < Low < Medium < High`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    Default,
)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    #[default]
    None,
    Low,
    Medium,
    High,
}

impl RiskLevel {
    /// Every level, lowest first.
    pub const ALL: &'static [RiskLevel] = &[
        RiskLevel::None,
        RiskLevel::Low,
        RiskLevel::Medium,
        RiskLevel::High,
    ];

    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::None => "none",
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_names_round_trip_and_match_serde() {
        for &c in Category::ALL {
            assert_eq!(Category::from_name(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(Category::ALL.len(), 19);
    }

    #[test]
    fn stable_category_names() {
        assert_eq!(Category::AgeOver89.as_str(), "age_over_89");
        assert_eq!(
            Category::MedicalRecordNumber.as_str(),
            "medical_record_number"
        );
        assert_eq!(Category::IpAddress.as_str(), "ip_address");
        assert_eq!(Category::from_name("SSN"), None);
    }

    #[test]
    fn risk_levels_are_ordered() {
        assert!(RiskLevel::None < RiskLevel::Low);
        assert!(RiskLevel::Low < RiskLevel::Medium);
        assert!(RiskLevel::Medium < RiskLevel::High);
        assert_eq!(serde_json::to_string(&RiskLevel::High).unwrap(), "\"high\"");
    }
}
