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

    /// What the Safe Harbor item of 45 CFR 164.514(b)(2)(i) lists, in the regulation's words
    /// (shortened where it runs on), e.g. "social security numbers".
    pub fn safe_harbor_identifier(self) -> &'static str {
        match self {
            Category::Name => "names",
            Category::Geographic => {
                "all geographic subdivisions smaller than a state: street address, city, county, \
                 precinct, ZIP code (the first three digits of a ZIP code may stay when the area \
                 they cover has more than 20,000 people)"
            }
            Category::Date => {
                "all elements of dates (except year) directly related to an individual, \
                 including birth, admission, discharge and death dates"
            }
            Category::AgeOver89 => {
                "all ages over 89 and all elements of dates (including year) indicative of such \
                 age, unless grouped into a single category of age 90 or older"
            }
            Category::Phone => "telephone numbers",
            Category::Fax => "fax numbers",
            Category::Email => "electronic mail addresses",
            Category::Ssn => "social security numbers",
            Category::MedicalRecordNumber => "medical record numbers",
            Category::HealthPlanId => "health plan beneficiary numbers",
            Category::AccountNumber => "account numbers",
            Category::LicenseNumber => "certificate/license numbers",
            Category::VehicleId => {
                "vehicle identifiers and serial numbers, including license plate numbers"
            }
            Category::DeviceId => "device identifiers and serial numbers",
            Category::Url => "web Universal Resource Locators (URLs)",
            Category::IpAddress => "Internet Protocol (IP) address numbers",
            Category::Biometric => "biometric identifiers, including finger and voice prints",
            Category::Photo => "full face photographic images and any comparable images",
            Category::OtherId => "any other unique identifying number, characteristic, or code",
        }
    }

    /// Why this kind of identifier matters under HIPAA, in plain words for a writer: when it
    /// makes a post a disclosure and when it does not.
    pub fn why_it_matters(self) -> &'static str {
        match self {
            Category::Name => {
                "A name is the most direct identifier. Next to anything about someone's care (a \
                 diagnosis, a care unit, \"our patient\", a discharge) it tells the world who \
                 received care, and that is protected health information. A clinician's name in \
                 an award post or a historical figure's name is not a patient's."
            }
            Category::Geographic => {
                "A patient's street address, ZIP code or home town lets readers work out who the \
                 post is about; Safe Harbor keeps only the state and, for most areas, the first \
                 three digits of a ZIP code. Your organisation's own address is not a patient's."
            }
            Category::Date => {
                "Dates tied to a person (birth, admission, discharge, death) narrow a patient \
                 down to a handful of people; Safe Harbor keeps only the year. The date of an \
                 event, such as a flu-shot clinic or a charity walk, is not about a patient."
            }
            Category::AgeOver89 => {
                "Few people are over 89, so an exact age or a birth year above it points at one \
                 person, especially with a town or a care home named; Safe Harbor allows only \
                 \"90 or older\"."
            }
            Category::Phone | Category::Fax => {
                "A patient's or a relative's number leads straight to them. Your organisation's \
                 published numbers are not PHI."
            }
            Category::Email => {
                "A patient's or a relative's address leads straight to them. Your organisation's \
                 published addresses are not PHI."
            }
            Category::Ssn => {
                "A Social Security number identifies one person for life and opens the door to \
                 identity theft. In a health organisation's post it is a disclosure on its own, \
                 whatever the rest of the post says."
            }
            Category::MedicalRecordNumber => {
                "A medical record number points to one patient's chart and says that the person \
                 is your patient. It usually leaks through a screenshot, a wristband or a \
                 document in the background of a photo."
            }
            Category::HealthPlanId => {
                "Member, group, Medicare and Medicaid numbers identify a patient and their \
                 coverage, and are used for insurance fraud. They never belong in a post."
            }
            Category::AccountNumber => {
                "Billing account and payment card numbers identify a patient and their money; a \
                 public reply about a bill must never show one."
            }
            Category::LicenseNumber => {
                "A licence or certificate number identifies one person. A clinician's NPI or \
                 DEA number is public, but a patient's driver's licence, or any such number next \
                 to patient wording, is PHI."
            }
            Category::VehicleId => {
                "A licence plate or VIN identifies its owner; in a photo caption at your \
                 entrance it can show who came for care."
            }
            Category::DeviceId => {
                "The serial number of a patient's implant, pump or phone identifies them: a \
                 device number in a post about a patient is PHI."
            }
            Category::Url => {
                "A link to a patient's own page, fundraiser or portal record identifies them. \
                 Links to your organisation's public pages are fine."
            }
            Category::IpAddress => {
                "An IP address can be traced to a household or a device; it rarely has a place \
                 in a post."
            }
            Category::Biometric => {
                "Fingerprints, voice prints and retina scans identify a person by their body, \
                 and cannot be changed once they leak."
            }
            Category::Photo => {
                "A full-face photo, or a caption describing one, identifies a patient as surely \
                 as a name does."
            }
            Category::OtherId => {
                "Room and bed numbers, patient handles and any other unique code point at one \
                 patient, especially next to a care unit or a date."
            }
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
    fn every_category_has_explanations() {
        for &c in Category::ALL {
            assert!(!c.safe_harbor_identifier().is_empty(), "{c}");
            assert!(c.why_it_matters().ends_with('.'), "{c}");
            assert!(!c.advice().is_empty(), "{c}");
        }
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
