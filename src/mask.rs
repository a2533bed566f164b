//! Masking matched values for reports, so that no output becomes the place where PHI leaks.
//!
//! Masks keep the value's shape and length in characters (so carets still line up) and reveal
//! at most:
//! - for words (names, street names, month names, email and web addresses): the first letter of
//!   each run of letters and digits (a "word"), when that character is a letter;
//! - for numbers that are identifiers (SSN, phone, fax, record, plan, account, licence, vehicle,
//!   device and other IDs): the last 4 digits when the value has 9 or more digits, the last 2
//!   when it has 6 to 8, none below 6; letters inside such identifiers are masked;
//! - for dates, ages, ZIP codes, street numbers and IP addresses: no digits at all.
//!
//! Whitespace and punctuation are kept; control and invisible formatting characters become `*`
//! like everything else.

use crate::category::Category;

/// How a category's value is masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Keep the first letter of each word; mask every digit.
    Words,
    /// Mask letters; reveal a few trailing digits.
    Identifier,
}

fn style(category: Category) -> Style {
    match category {
        Category::Ssn
        | Category::Phone
        | Category::Fax
        | Category::MedicalRecordNumber
        | Category::HealthPlanId
        | Category::AccountNumber
        | Category::LicenseNumber
        | Category::VehicleId
        | Category::DeviceId
        | Category::OtherId => Style::Identifier,
        Category::Name
        | Category::Geographic
        | Category::Date
        | Category::AgeOver89
        | Category::Email
        | Category::Url
        | Category::IpAddress
        | Category::Biometric
        | Category::Photo => Style::Words,
    }
}

/// How many trailing digits an identifier with `digits` digits may show.
fn revealed_digits(digits: usize) -> usize {
    match digits {
        9.. => 4,
        6..=8 => 2,
        _ => 0,
    }
}

/// Masks `value`, found as `category`. The result has as many characters as `value`.
pub fn mask(value: &str, category: Category) -> String {
    match style(category) {
        Style::Words => mask_words(value),
        Style::Identifier => mask_identifier(value),
    }
}

/// Masks every letter and digit (used where only part of a value is shown).
pub fn mask_all(value: &str) -> String {
    value
        .chars()
        .map(|c| if kept(c) { c } else { '*' })
        .collect()
}

/// Characters a mask shows as they are: spaces and visible punctuation.
fn kept(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_control() && !is_invisible(c)
}

/// Zero-width and direction-changing characters.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

fn mask_words(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut in_word = false;
    for c in value.chars() {
        if c.is_alphanumeric() {
            out.push(if !in_word && c.is_alphabetic() {
                c
            } else {
                '*'
            });
            in_word = true;
        } else {
            out.push(if kept(c) { c } else { '*' });
            in_word = false;
        }
    }
    out
}

fn mask_identifier(value: &str) -> String {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let mut keep = revealed_digits(digits);
    let mut out: Vec<char> = Vec::with_capacity(value.len());
    for c in value.chars().rev() {
        if c.is_ascii_digit() && keep > 0 {
            keep -= 1;
            out.push(c);
        } else if c.is_alphanumeric() || !kept(c) {
            out.push('*');
            // Stop revealing once a letter interrupts the trailing digits.
            if !c.is_ascii_digit() {
                keep = 0;
            }
        } else {
            out.push(c);
        }
    }
    out.into_iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_reveal_only_trailing_digits() {
        assert_eq!(mask("078-05-1123", Category::Ssn), "***-**-1123");
        assert_eq!(mask("(555) 482-1093", Category::Phone), "(***) ***-1093");
        assert_eq!(mask("00482913", Category::MedicalRecordNumber), "******13");
        assert_eq!(mask("412", Category::OtherId), "***");
        assert_eq!(
            mask("1EG4-TE5-MK73", Category::HealthPlanId),
            "****-***-****"
        );
        assert_eq!(
            mask("MRN 4829-1736", Category::MedicalRecordNumber),
            "*** ****-**36"
        );
    }

    #[test]
    fn words_keep_first_letters_only() {
        assert_eq!(mask("Jane Smith", Category::Name), "J*** S****");
        assert_eq!(mask("March 14, 1952", Category::Date), "M**** **, ****");
        assert_eq!(
            mask("jane.doe@example.com", Category::Email),
            "j***.d**@e******.c**"
        );
        assert_eq!(mask("192.0.2.15", Category::IpAddress), "***.*.*.**");
        assert_eq!(mask("1420 Elm St", Category::Geographic), "**** E** S*");
    }

    #[test]
    fn mixed_tokens_and_control_characters_reveal_nothing_more() {
        assert_eq!(mask("j1o2h3n4s5", Category::Url), "j*********");
        // Each word shows its first letter; control characters are masked, not passed through.
        assert_eq!(mask("Jane\x1b]0;x\x07Doe", Category::Name), "J****]*;x*D**");
        assert_eq!(mask("482-1093\rElm", Category::Phone), "***-********");
        assert_eq!(mask_all("a\u{200B}b c"), "*** *");
    }

    #[test]
    fn masks_keep_character_counts() {
        for v in ["José Núñez", "３月", "", "a", "(555) 555-0100 ext. 12"] {
            for &c in Category::ALL {
                assert_eq!(mask(v, c).chars().count(), v.chars().count(), "{v} {c}");
            }
        }
        assert_eq!(mask_all("ab-12"), "**-**");
    }
}
