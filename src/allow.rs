//! The organisation's allow list, from its configuration: its own public facts (phone and fax
//! numbers, addresses, web and email domains), which are never PHI, and values or patterns it
//! has decided are not PHI. A finding it covers leaves the post's findings for its `allowed`
//! list, with the reason.

use regex::Regex;

use crate::category::Category;
use crate::detect::RuleInfo;
use crate::extract::directives::{same_words, starts_with_words};

/// What a configuration allows.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    matcher: Matcher,
    reason: &'static str,
}

#[derive(Debug, Clone)]
enum Matcher {
    /// The same phone or fax number, whatever its punctuation.
    Phone(String),
    /// An address the finding's words start ("250 W. Main St" of "250 W. Main St, Springfield
    /// IL", not its ZIP alone).
    Address(String),
    /// An email or web address at this domain or one of its subdomains.
    Domain(String),
    /// Any finding whose words are these.
    Value(String),
    /// Any finding whose whole value matches.
    Pattern(Regex),
}

impl AllowList {
    /// The organisation's own phone and fax numbers.
    pub fn phone(&mut self, number: &str) {
        self.entries.push(Entry {
            matcher: Matcher::Phone(phone_digits(number)),
            reason: "the organisation's own number ([organisation] phones)",
        });
    }

    /// One of the organisation's own addresses.
    pub fn address(&mut self, address: &str) {
        self.entries.push(Entry {
            matcher: Matcher::Address(address.to_owned()),
            reason: "the organisation's own address ([organisation] addresses)",
        });
    }

    /// One of the organisation's domains (`example.org`).
    pub fn domain(&mut self, domain: &str) {
        let d = domain
            .trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/')
            .to_lowercase();
        self.entries.push(Entry {
            matcher: Matcher::Domain(d),
            reason: "at the organisation's own domain ([organisation] domains)",
        });
    }

    /// A value that is not PHI wherever it appears.
    pub fn value(&mut self, value: &str) {
        self.entries.push(Entry {
            matcher: Matcher::Value(value.to_owned()),
            reason: "allowed by the configuration ([allow] values)",
        });
    }

    /// A pattern (a regular expression the whole value must match); `Err` when it is not one.
    pub fn pattern(&mut self, pattern: &str) -> Result<(), String> {
        let re = Regex::new(&format!("^(?:{pattern})$")).map_err(|e| e.to_string())?;
        self.entries.push(Entry {
            matcher: Matcher::Pattern(re),
            reason: "matches an allowed pattern ([allow] patterns)",
        });
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Why a finding of `rule` with `value` is allowed, if it is.
    pub fn allows(&self, rule: &RuleInfo, value: &str) -> Option<&'static str> {
        let category = rule.category;
        self.entries
            .iter()
            .find(|e| match &e.matcher {
                Matcher::Phone(digits) => {
                    matches!(category, Category::Phone | Category::Fax)
                        && !digits.is_empty()
                        && phone_digits(value) == *digits
                }
                Matcher::Address(address) => {
                    category == Category::Geographic && starts_with_words(address, value)
                }
                Matcher::Domain(domain) => {
                    matches!(category, Category::Email | Category::Url)
                        && host(value).is_some_and(|h| {
                            h == *domain
                                || h.strip_suffix(domain.as_str())
                                    .is_some_and(|rest| rest.ends_with('.'))
                        })
                }
                Matcher::Value(v) => same_words(v, value),
                Matcher::Pattern(re) => re.is_match(value.trim()),
            })
            .map(|e| e.reason)
    }
}

/// A phone number's digits, without a leading US country code.
fn phone_digits(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('1') {
        Some(rest) if digits.len() == 11 => rest.to_owned(),
        _ => digits,
    }
}

/// The host of an email address or web address, lower case.
fn host(value: &str) -> Option<String> {
    let v = value.trim().to_lowercase();
    let after_at = v.rsplit_once('@').map_or(v.as_str(), |(_, h)| h);
    let no_scheme = after_at
        .split_once("://")
        .map_or(after_at, |(_, rest)| rest);
    let host = no_scheme
        .split(['/', '?', '#', ':'])
        .next()?
        .trim_start_matches("www.");
    (!host.is_empty()).then(|| host.to_owned())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::category::RiskLevel;

    fn rule(category: Category) -> Arc<RuleInfo> {
        Arc::new(RuleInfo {
            id: "t".into(),
            pack: "t".into(),
            file: "t".into(),
            line: 1,
            category,
            description: String::new(),
            severity: RiskLevel::Low,
            confidence: 0.5,
            validator: None,
            references: vec![],
            advice: None,
            boost_reasons: vec![],
            person: None,
        })
    }

    #[test]
    fn the_organisation_s_own_facts() {
        let mut a = AllowList::default();
        a.phone("+1 (555) 555-0100");
        a.address("250 W. Main St, Springfield, IL 62701");
        a.domain("https://www.example.org/");
        let phone = rule(Category::Phone);
        assert!(a.allows(&phone, "555.555.0100").is_some());
        assert!(a.allows(&phone, "1-555-555-0100").is_some());
        assert!(a.allows(&phone, "555-555-0101").is_none());
        let geo = rule(Category::Geographic);
        assert!(a.allows(&geo, "250 W. Main St").is_some());
        assert!(a.allows(&geo, "251 W. Main St").is_none());
        // The ZIP of the organisation's address is not the organisation's address.
        assert!(a.allows(&geo, "62701").is_none());
        let email = rule(Category::Email);
        assert!(a.allows(&email, "press@example.org").is_some());
        assert!(a.allows(&email, "press@news.example.org").is_some());
        assert!(a.allows(&email, "jane@notexample.org").is_none());
        let url = rule(Category::Url);
        assert!(a.allows(&url, "https://www.example.org/flu").is_some());
        // A phone number is not an address, whatever its words.
        assert!(a.allows(&rule(Category::Ssn), "555-55-0100").is_none());
    }

    #[test]
    fn values_and_patterns() {
        let mut a = AllowList::default();
        a.value("Flu Fest 2026");
        a.pattern("ROOM-1[0-9]{2}").unwrap();
        assert!(a.pattern("(").is_err());
        assert!(
            a.allows(&rule(Category::OtherId), "Flu Fest 2026")
                .is_some()
        );
        // An allowed value allows itself, not the words inside it.
        assert!(a.allows(&rule(Category::Date), "2026").is_none());
        assert!(a.allows(&rule(Category::OtherId), "ROOM-104").is_some());
        assert!(a.allows(&rule(Category::OtherId), "ROOM-1045").is_none());
        assert!(AllowList::default().is_empty());
    }
}
