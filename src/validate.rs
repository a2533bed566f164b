//! Validators: pure checks that a pack rule can name to decide whether the text its regex
//! captured can really be the identifier the rule is looking for.
//!
//! A validator is a pure function of the captured text: no I/O, no state, no allocation that
//! grows beyond the input, and no panic on any input (empty, arbitrary Unicode, huge).
//! Surrounding whitespace is trimmed by the validator itself.
//!
//! Validators reject only what *cannot* be the identifier — a wrong checksum, an impossible
//! structure, a number range the issuer never uses, a well-known published dummy. They do not
//! reject values that are merely unassigned, fictional or reserved for examples (for instance
//! 555 phone numbers or documentation IP ranges): a post can still be talking about a real
//! person with a number that looks made up, and a detector must not assume otherwise.

use std::net::{Ipv4Addr, Ipv6Addr};

/// A named check that a pack rule can apply to the value its regex captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validator {
    Luhn,
    PaymentCard,
    Ssn,
    Itin,
    Nanp,
    IntlPhone,
    Npi,
    Dea,
    Mbi,
    Vin,
    Imei,
    NhsNumber,
    Date,
    Ipv4,
    Ipv6,
    Email,
    Url,
    Zip,
    Zip3Restricted,
    // serde's snake_case would give "age_over89".
    #[serde(rename = "age_over_89")]
    AgeOver89,
    #[serde(rename = "birth_year_over_89")]
    BirthYearOver89,
    IdNumber,
    UsPassport,
}

impl Validator {
    /// Every validator, in documentation order.
    pub const ALL: &'static [Validator] = &[
        Validator::Luhn,
        Validator::PaymentCard,
        Validator::Ssn,
        Validator::Itin,
        Validator::Nanp,
        Validator::IntlPhone,
        Validator::Npi,
        Validator::Dea,
        Validator::Mbi,
        Validator::Vin,
        Validator::Imei,
        Validator::NhsNumber,
        Validator::Date,
        Validator::Ipv4,
        Validator::Ipv6,
        Validator::Email,
        Validator::Url,
        Validator::Zip,
        Validator::Zip3Restricted,
        Validator::AgeOver89,
        Validator::BirthYearOver89,
        Validator::IdNumber,
        Validator::UsPassport,
    ];

    /// The TOML name (same as serde's snake_case name), e.g. "payment_card".
    pub fn name(self) -> &'static str {
        match self {
            Validator::Luhn => "luhn",
            Validator::PaymentCard => "payment_card",
            Validator::Ssn => "ssn",
            Validator::Itin => "itin",
            Validator::Nanp => "nanp",
            Validator::IntlPhone => "intl_phone",
            Validator::Npi => "npi",
            Validator::Dea => "dea",
            Validator::Mbi => "mbi",
            Validator::Vin => "vin",
            Validator::Imei => "imei",
            Validator::NhsNumber => "nhs_number",
            Validator::Date => "date",
            Validator::Ipv4 => "ipv4",
            Validator::Ipv6 => "ipv6",
            Validator::Email => "email",
            Validator::Url => "url",
            Validator::Zip => "zip",
            Validator::Zip3Restricted => "zip3_restricted",
            Validator::AgeOver89 => "age_over_89",
            Validator::BirthYearOver89 => "birth_year_over_89",
            Validator::IdNumber => "id_number",
            Validator::UsPassport => "us_passport",
        }
    }

    /// One or two sentences for `patterns/README.md` and `phiguard packs list`: what it
    /// accepts/rejects.
    pub fn description(self) -> &'static str {
        match self {
            Validator::Luhn => {
                "At least two digits (spaces and dashes ignored, any other character rejects) \
                 that pass the Luhn mod-10 checksum."
            }
            Validator::PaymentCard => {
                "A payment card number: 13-19 digits, optionally grouped with single spaces or \
                 single dashes (one kind throughout), passing the Luhn checksum and not all the \
                 same digit."
            }
            Validator::Ssn => {
                "A US Social Security number: 9 digits, bare or grouped 3-2-4 with one consistent \
                 dash, space or dot; rejects area 000, 666 or 900-999, group 00, serial 0000 and \
                 the published dummies 078-05-1120, 219-09-9999 and 457-55-5462. Accepts the SSA's \
                 advertising range 987-65-4320 to 987-65-4329, which readers take for SSNs."
            }
            Validator::Itin => {
                "A US ITIN: 9 digits grouped like an SSN, starting with 9, whose middle two \
                 digits are 50-65, 70-88, 90-92 or 94-99 and whose last four are not 0000 \
                 (except the SSA's advertising SSNs \
                 987-65-4320 to 987-65-4329)."
            }
            Validator::Nanp => {
                "A North American phone number: 10 digits (optionally after +1 or 1) or a 7-digit \
                 local number, using only digits, spaces, - . and parentheses around the area \
                 code; area code and exchange must start with 2-9 and not be an N11 service \
                 code. Fictional 555 numbers are accepted."
            }
            Validator::IntlPhone => {
                "An international number written with a leading +: 8-15 digits (E.164) after \
                 removing spaces, - . ( ), country code not starting with 0; +1 numbers must also \
                 pass `nanp`."
            }
            Validator::Npi => {
                "A US National Provider Identifier: 10 digits (single spaces or dashes allowed \
                 between groups) starting with 1 or 2, whose check digit is right (Luhn over \
                 80840 followed by the number)."
            }
            Validator::Dea => {
                "A DEA registration number: two letters (the first one of A B C D E F G H J K L M \
                 P R S T U X, the second a letter or 9) and seven digits with a correct check \
                 digit; case-insensitive, no separators."
            }
            Validator::Mbi => {
                "A Medicare Beneficiary Identifier: 11 characters, bare or grouped 4-3-4 with dashes \
                 or spaces, with \
                 digits and letters (never S L O I B Z) in the positions CMS allows; \
                 case-insensitive."
            }
            Validator::Vin => {
                "A vehicle identification number: 17 letters and digits without I, O or Q, whose \
                 9th character is the correct North American check digit (0-9 or X)."
            }
            Validator::Imei => {
                "A mobile device IMEI: 15 digits, optionally grouped with single spaces, dashes \
                 or slashes, passing the Luhn checksum and not all the same digit."
            }
            Validator::NhsNumber => {
                "A UK NHS number: 10 digits, bare or grouped 3-3-4 with spaces or dashes, whose \
                 mod-11 check digit is right; all-same-digit values are rejected."
            }
            Validator::Date => {
                "A plausible calendar date as people write it: numeric (M/D/Y, D/M/Y when the \
                 first field is over 12, Y-M-D, dotted D.M.Y (or M.D.Y when the second field \
                 is over 12), ISO with time) or with an English \
                 or Spanish month name, including month-day and month-year forms; the day must \
                 exist in the month and a 4-digit year must be 1800-2100. A bare number or year \
                 is not a date."
            }
            Validator::Ipv4 => {
                "A dotted-quad IPv4 address (four numbers 0-255, no leading zeros), optionally with \
                 a /prefix length up to 32, except the unspecified address 0.0.0.0."
            }
            Validator::Ipv6 => {
                "An IPv6 address in any standard notation, optionally in [ ], with a %zone suffix \
                 or a /prefix length up to 128; the unspecified address :: is rejected."
            }
            Validator::Email => {
                "An email address: one @, a local part of 1-64 letters, digits and . _ % + - ' \
                 (no leading, trailing or doubled dot), and a domain of at least two valid labels \
                 whose last is 2-63 letters or an xn-- IDN label."
            }
            Validator::Url => {
                "A web address starting with http://, https://, ftp:// or www. whose host is a \
                 dotted domain with a 2-63 letter (or xn--) top-level label, an IPv4 address, a \
                 bracketed IPv6 address or localhost; no whitespace inside."
            }
            Validator::Zip => {
                "A US ZIP code: 5 digits or ZIP+4 (12345-6789 or 12345 6789), not 00000 and with \
                 a +4 part other than 0000."
            }
            Validator::Zip3Restricted => {
                "A ZIP code (or a bare 3-digit ZIP prefix) whose first three digits are one of the \
                 17 HIPAA Safe Harbor restricted prefixes with 20,000 or fewer residents (036, \
                 059, 063, 102, 203, 556, 692, 790, 821, 823, 830, 831, 878, 879, 884, 890, 893)."
            }
            Validator::AgeOver89 => {
                "Text stating an age of 90-125: the first run of digits (\"93\", \"age 102\", \
                 \"90s\") or, when there are no digits, the first English or Spanish number \
                 phrase (\"ninety-three\", \"one hundred and four\", \"nineties\", \"noventa y \
                 tres\", \"ciento dos\") or age word (\"nonagenarian\" 90, \"centenarian\" 100, \
                 \"supercentenarian\" 110)."
            }
            Validator::BirthYearOver89 => {
                "A four-digit birth year that makes someone 90 or older this year (by the \
                 computer's clock), and 125 or younger."
            }
            Validator::IdNumber => {
                "A generic record, member or account number: 4-20 letters and digits after \
                 removing spaces and - . / #, with at least one digit; rejects a single repeated \
                 character and all-digit values that are a straight run like 12345 or 98765 (a \
                 value with letters, such as A1234567, is not checked for runs)."
            }
            Validator::UsPassport => {
                "A US passport number: 9 digits, or one letter followed by 8 digits \
                 (next-generation books); case-insensitive, and the digits must not all be the \
                 same."
            }
        }
    }

    /// Look a validator up by its TOML name.
    pub fn from_name(name: &str) -> Option<Validator> {
        Validator::ALL.iter().copied().find(|v| v.name() == name)
    }

    /// Does `value` (the text the rule captured, exactly as it appears in the post, possibly
    /// with separators and surrounding whitespace) pass?
    pub fn check(self, value: &str) -> bool {
        match self {
            Validator::Luhn => luhn(value),
            Validator::PaymentCard => payment_card(value),
            Validator::Ssn => ssn(value),
            Validator::Itin => itin(value),
            Validator::Nanp => nanp(value),
            Validator::IntlPhone => intl_phone(value),
            Validator::Npi => npi(value),
            Validator::Dea => dea(value),
            Validator::Mbi => mbi(value),
            Validator::Vin => vin(value),
            Validator::Imei => imei(value),
            Validator::NhsNumber => nhs_number(value),
            Validator::Date => date(value),
            Validator::Ipv4 => ipv4(value),
            Validator::Ipv6 => ipv6(value),
            Validator::Email => email(value),
            Validator::Url => url(value),
            Validator::Zip => zip(value),
            Validator::Zip3Restricted => zip3_restricted(value),
            Validator::AgeOver89 => age_over_89(value),
            Validator::BirthYearOver89 => birth_year_over_89(value),
            Validator::IdNumber => id_number(value),
            Validator::UsPassport => us_passport(value),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The digit values of `value` if every char is an ASCII digit or one of `seps`, else `None`.
/// Separators may appear anywhere and any number of times.
fn digits_with(value: &str, seps: &[char]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for c in value.chars() {
        if c.is_ascii_digit() {
            out.push(c as u8 - b'0');
        } else if !seps.contains(&c) {
            return None;
        }
    }
    Some(out)
}

/// Splits `value` into non-empty runs of ASCII digits separated by single separator chars,
/// all the same one and taken from `seps`. Returns the groups and the separator used (if any).
/// `None` when another char appears, a separator leads, trails or is doubled, two different
/// separators are mixed, or the value is empty.
fn digit_groups<'a>(value: &'a str, seps: &[char]) -> Option<(Vec<&'a str>, Option<char>)> {
    let mut groups = Vec::new();
    let mut sep_used: Option<char> = None;
    let mut start = 0;
    for (i, c) in value.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        if !seps.contains(&c) {
            return None;
        }
        match sep_used {
            Some(s) if s != c => return None,
            _ => sep_used = Some(c),
        }
        if i == start {
            return None;
        }
        groups.push(&value[start..i]);
        start = i + c.len_utf8();
    }
    if start >= value.len() {
        return None;
    }
    groups.push(&value[start..]);
    Some((groups, sep_used))
}

/// Digit values of an all-ASCII-digit string.
fn digit_values(s: &str) -> Vec<u8> {
    s.bytes().map(|b| b.wrapping_sub(b'0')).collect()
}

/// Small decimal value of a run of digit values (callers keep runs short; saturates anyway).
fn number(d: &[u8]) -> u32 {
    d.iter().fold(0u32, |acc, &x| {
        acc.saturating_mul(10).saturating_add(u32::from(x))
    })
}

/// Luhn mod-10 check over digit values (rightmost is the check digit).
fn luhn_digits(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = u32::from(x);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum = (sum + v) % 10;
    }
    sum == 0
}

fn all_same<T: PartialEq>(d: &[T]) -> bool {
    d.windows(2).all(|w| w[0] == w[1])
}

fn all_ascii_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// Checksums and card-like numbers
// ---------------------------------------------------------------------------------------------

/// At least two digits (spaces and dashes ignored) passing the Luhn checksum.
pub fn luhn(value: &str) -> bool {
    match digits_with(value.trim(), &[' ', '-']) {
        Some(d) => d.len() >= 2 && luhn_digits(&d),
        None => false,
    }
}

/// 13–19 digits (single spaces or dashes between groups), Luhn-valid, not all one digit.
pub fn payment_card(value: &str) -> bool {
    let Some((groups, _)) = digit_groups(value.trim(), &[' ', '-']) else {
        return false;
    };
    let d: Vec<u8> = groups.iter().flat_map(|g| digit_values(g)).collect();
    (13..=19).contains(&d.len()) && !all_same(&d) && luhn_digits(&d)
}

/// 15 digits (single spaces, dashes or slashes between groups), Luhn-valid, not all one digit.
pub fn imei(value: &str) -> bool {
    let Some((groups, _)) = digit_groups(value.trim(), &[' ', '-', '/']) else {
        return false;
    };
    let d: Vec<u8> = groups.iter().flat_map(|g| digit_values(g)).collect();
    d.len() == 15 && !all_same(&d) && luhn_digits(&d)
}

// ---------------------------------------------------------------------------------------------
// US taxpayer numbers
// ---------------------------------------------------------------------------------------------

/// Area, group and serial of a 9-digit value, bare or grouped 3-2-4 with one consistent
/// separator (dash, space or dot).
fn ssn_parts(value: &str) -> Option<(u32, u32, u32)> {
    let (groups, _) = digit_groups(value.trim(), &['-', ' ', '.'])?;
    let d: Vec<u8> = match groups.as_slice() {
        [all] if all.len() == 9 => digit_values(all),
        [a, g, s] if a.len() == 3 && g.len() == 2 && s.len() == 4 => {
            groups.iter().flat_map(|g| digit_values(g)).collect()
        }
        _ => return None,
    };
    Some((number(&d[0..3]), number(&d[3..5]), number(&d[5..9])))
}

/// US Social Security number.
pub fn ssn(value: &str) -> bool {
    let Some((area, group, serial)) = ssn_parts(value) else {
        return false;
    };
    // Published dummies: Woolworth wallet card, SSA advertising, Life Lock advertising.
    const DUMMIES: [(u32, u32, u32); 3] = [(78, 5, 1120), (219, 9, 9999), (457, 55, 5462)];
    // The SSA reserves 987-65-4320..4329 for advertisements: like 555-01xx phone numbers, they
    // exist so that media can show something every reader takes for an SSN. phiguard reads them
    // as SSNs too (and its fixtures use them).
    if area == 987 && group == 65 && (4320..=4329).contains(&serial) {
        return true;
    }
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !DUMMIES.contains(&(area, group, serial))
}

/// US Individual Taxpayer Identification Number.
pub fn itin(value: &str) -> bool {
    let Some((area, group, serial)) = ssn_parts(value) else {
        return false;
    };
    // 987-65-4320..4329 is the SSA's advertising range, read as an SSN (see `ssn`).
    let advertising = area == 987 && group == 65 && (4320..=4329).contains(&serial);
    area >= 900
        && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
        && serial != 0
        && !advertising
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// NXX: first digit 2–9 and not an N11 service code.
fn nxx_not_n11(d: &[u8]) -> bool {
    d.len() == 3 && d[0] >= 2 && !(d[1] == 1 && d[2] == 1)
}

/// North American (NANP) phone number.
pub fn nanp(value: &str) -> bool {
    let v = value.trim();
    let (plus, body) = match v.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, v),
    };
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '(')
        || !body.ends_with(|c: char| c.is_ascii_digit())
    {
        return false;
    }
    let mut digits: Vec<u8> = Vec::new();
    // Number of digits seen when '(' and ')' appear.
    let mut open: Option<usize> = None;
    let mut close: Option<usize> = None;
    for c in body.chars() {
        match c {
            '0'..='9' => digits.push(c as u8 - b'0'),
            ' ' | '-' | '.' => {}
            '(' if open.is_none() => open = Some(digits.len()),
            ')' if close.is_none() && open.is_some() => close = Some(digits.len()),
            _ => return false,
        }
    }
    if open.is_some() != close.is_some() {
        return false;
    }
    let prefix = if plus || digits.len() == 11 {
        if digits.len() != 11 || digits[0] != 1 {
            return false;
        }
        1
    } else {
        0
    };
    let rest = &digits[prefix..];
    match rest.len() {
        10 => {
            // Parentheses, if any, enclose exactly the area code.
            if open.is_some() && (open != Some(prefix) || close != Some(prefix + 3)) {
                return false;
            }
            nxx_not_n11(&rest[0..3]) && nxx_not_n11(&rest[3..6])
        }
        7 => open.is_none() && nxx_not_n11(&rest[0..3]),
        _ => false,
    }
}

/// International (E.164) phone number written with a leading '+'.
pub fn intl_phone(value: &str) -> bool {
    let v = value.trim();
    let Some(body) = v.strip_prefix('+') else {
        return false;
    };
    if !body.ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let Some(d) = digits_with(body, &[' ', '-', '.', '(', ')']) else {
        return false;
    };
    if !(8..=15).contains(&d.len()) || d[0] == 0 {
        return false;
    }
    if d[0] == 1 {
        return nanp(v);
    }
    true
}

// ---------------------------------------------------------------------------------------------
// US health identifiers
// ---------------------------------------------------------------------------------------------

/// US National Provider Identifier.
pub fn npi(value: &str) -> bool {
    let Some((groups, _)) = digit_groups(value.trim(), &[' ', '-']) else {
        return false;
    };
    let d: Vec<u8> = groups.iter().flat_map(|g| digit_values(g)).collect();
    if d.len() != 10 || !(d[0] == 1 || d[0] == 2) {
        return false;
    }
    let mut full = vec![8, 0, 8, 4, 0];
    full.extend_from_slice(&d);
    luhn_digits(&full)
}

/// DEA registration number.
pub fn dea(value: &str) -> bool {
    let b = value.trim().as_bytes();
    if b.len() != 9 {
        return false;
    }
    // Non-ASCII chars have bytes >= 0x80, which fail every check below.
    let first = b[0].to_ascii_uppercase();
    let second = b[1].to_ascii_uppercase();
    if !b"ABCDEFGHJKLMPRSTUX".contains(&first) || !(second.is_ascii_uppercase() || second == b'9') {
        return false;
    }
    if !b[2..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u32> = b[2..].iter().map(|&x| u32::from(x - b'0')).collect();
    let sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
    sum % 10 == d[6]
}

/// Medicare Beneficiary Identifier.
pub fn mbi(value: &str) -> bool {
    let b = value.trim().as_bytes();
    let chars: Vec<u8> = match b.len() {
        11 => b.to_vec(),
        13 if (b[4] == b'-' && b[8] == b'-') || (b[4] == b' ' && b[8] == b' ') => b
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != 4 && i != 8)
            .map(|(_, &c)| c)
            .collect(),
        _ => return false,
    };
    let letter = |c: u8| {
        let c = c.to_ascii_uppercase();
        c.is_ascii_uppercase() && !b"SLOIBZ".contains(&c)
    };
    let digit = |c: u8| c.is_ascii_digit();
    chars.iter().enumerate().all(|(i, &c)| match i + 1 {
        1 => (b'1'..=b'9').contains(&c),
        2 | 5 | 8 | 9 => letter(c),
        3 | 6 => letter(c) || digit(c),
        _ => digit(c),
    })
}

// ---------------------------------------------------------------------------------------------
// Vehicle and device identifiers
// ---------------------------------------------------------------------------------------------

/// Vehicle identification number with the North American check digit.
pub fn vin(value: &str) -> bool {
    let b = value.trim().as_bytes();
    if b.len() != 17 {
        return false;
    }
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let mut sum = 0u32;
    for (i, &c) in b.iter().enumerate() {
        let c = c.to_ascii_uppercase();
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A' | b'J' => 1,
            b'B' | b'K' | b'S' => 2,
            b'C' | b'L' | b'T' => 3,
            b'D' | b'M' | b'U' => 4,
            b'E' | b'N' | b'V' => 5,
            b'F' | b'W' => 6,
            b'G' | b'P' | b'X' => 7,
            b'H' | b'Y' => 8,
            b'R' | b'Z' => 9,
            _ => return false, // I, O, Q, punctuation, non-ASCII
        };
        sum += v * WEIGHTS[i];
    }
    let check = match sum % 11 {
        10 => b'X',
        r => b'0' + r as u8,
    };
    b[8].to_ascii_uppercase() == check
}

/// UK NHS number (mod-11 check digit).
pub fn nhs_number(value: &str) -> bool {
    let Some((groups, _)) = digit_groups(value.trim(), &[' ', '-']) else {
        return false;
    };
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    if lens != [10] && lens != [3, 3, 4] {
        return false;
    }
    let d: Vec<u8> = groups.iter().flat_map(|g| digit_values(g)).collect();
    if all_same(&d) {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&x, w)| u32::from(x) * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(d[9])
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Year {
    /// A 4-digit year (already range-checked).
    Full(u32),
    /// A 2-digit year: century unknown.
    Two(u32),
}

fn is_leap(y: Year) -> bool {
    match y {
        Year::Full(y) => (y % 4 == 0 && y % 100 != 0) || y % 400 == 0,
        // 1900 and 2000 disagree for "00"; either century might be meant, so allow it.
        Year::Two(y) => y % 4 == 0,
    }
}

fn day_ok(month: u32, day: u32, year: Option<Year>) -> bool {
    let max = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !is_leap(y) => 28,
            _ => 29,
        },
        _ => return false,
    };
    (1..=max).contains(&day)
}

/// A numeric token of a date: its value (only kept for short runs), digit count and markers.
#[derive(Debug, Clone, Copy)]
struct DateNum {
    value: u32,
    len: usize,
    ordinal: bool,
    apostrophe: bool,
}

impl DateNum {
    /// Interprets this number as a year, if it can be one.
    fn year(self) -> Option<Year> {
        match (self.len, self.apostrophe, self.ordinal) {
            (4, false, false) if (1800..=2100).contains(&self.value) => {
                Some(Year::Full(self.value))
            }
            (2, _, false) => Some(Year::Two(self.value)),
            _ => None,
        }
    }
    /// Can this be a day or month field (1–2 digits, no apostrophe)?
    fn short(self) -> bool {
        (1..=2).contains(&self.len) && !self.apostrophe
    }
}

#[derive(Debug, Clone, Copy)]
enum DateTok {
    Num(DateNum),
    Month(u32),
    Sep(char),
}

fn month_from_word(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" | "enero" | "ene" => 1,
        "february" | "feb" | "febrero" => 2,
        "march" | "mar" | "marzo" => 3,
        "april" | "apr" | "abril" | "abr" => 4,
        "may" | "mayo" => 5,
        "june" | "jun" | "junio" => 6,
        "july" | "jul" | "julio" => 7,
        "august" | "aug" | "agosto" | "ago" => 8,
        "september" | "sep" | "sept" | "septiembre" | "setiembre" | "set" => 9,
        "october" | "oct" | "octubre" => 10,
        "november" | "nov" | "noviembre" => 11,
        "december" | "dec" | "diciembre" | "dic" => 12,
        _ => return None,
    })
}

/// Words that may surround a date without changing it: articles, prepositions, weekdays.
fn date_filler(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "of"
            | "on"
            | "de"
            | "del"
            | "el"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
            | "lunes"
            | "martes"
            | "miércoles"
            | "miercoles"
            | "jueves"
            | "viernes"
            | "sábado"
            | "sabado"
            | "domingo"
    )
}

fn ordinal_suffix(w: &str) -> bool {
    matches!(w, "st" | "nd" | "rd" | "th" | "º" | "ª" | "ro" | "er")
}

/// Splits a date into numbers, month names and separator chars. `None` on anything that
/// cannot be part of a date.
fn date_tokens(v: &str) -> Option<Vec<DateTok>> {
    let mut toks = Vec::new();
    let mut chars = v.chars().peekable();
    let mut apostrophe = false;
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut len = 0usize;
            let mut value = 0u32;
            while let Some(&d) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                len += 1;
                if len > 4 {
                    return None; // no date field has more than 4 digits
                }
                value = value * 10 + (d as u32 - '0' as u32);
                chars.next();
            }
            toks.push(DateTok::Num(DateNum {
                value,
                len,
                ordinal: false,
                apostrophe,
            }));
            apostrophe = false;
        } else if apostrophe {
            return None; // an apostrophe must be directly followed by a 2-digit year
        } else if c.is_alphabetic() || c == '°' {
            let mut word = String::new();
            while let Some(&d) = chars.peek() {
                if !(d.is_alphabetic() || d == '°') || word.len() > 20 {
                    break;
                }
                word.extend(d.to_lowercase());
                chars.next();
            }
            let after_num = matches!(toks.last(), Some(DateTok::Num(_)));
            if after_num && (ordinal_suffix(&word) || word == "°") {
                if let Some(DateTok::Num(n)) = toks.last_mut() {
                    n.ordinal = true;
                }
            } else if let Some(m) = month_from_word(&word) {
                toks.push(DateTok::Month(m));
            } else if !date_filler(&word) {
                return None;
            }
        } else if c == '\'' || c == '\u{2019}' {
            apostrophe = true;
            chars.next();
        } else if matches!(c, '/' | '-' | '.' | ',') {
            toks.push(DateTok::Sep(c));
            chars.next();
        } else if c.is_whitespace() {
            toks.push(DateTok::Sep(' '));
            chars.next();
        } else {
            return None;
        }
    }
    if apostrophe {
        return None;
    }
    Some(toks)
}

/// Date with a month name: `nums` are the numbers around it, in order.
fn named_month_date(month: u32, nums: &[DateNum]) -> bool {
    match nums {
        [n] => {
            if n.len == 4 || n.apostrophe {
                n.year().is_some() // month-year
            } else {
                n.short() && day_ok(month, n.value, None) // month-day
            }
        }
        [a, b] => {
            let a_year = a.len == 4 || a.apostrophe;
            let b_year = b.len == 4 || b.apostrophe;
            let (day, year) = match (a_year, b_year) {
                (true, false) => (*b, *a),
                (false, true) => (*a, *b),
                // Both short: day first ("March 14, 52", "14 March 52").
                (false, false) => (*a, *b),
                (true, true) => return false,
            };
            match year.year() {
                Some(y) => day.short() && day_ok(month, day.value, Some(y)),
                None => false,
            }
        }
        _ => false,
    }
}

/// Purely numeric date: fields separated by one consistent '/', '-' or '.'.
fn numeric_date(fields: &[DateNum], sep: char) -> bool {
    if fields.iter().any(|f| f.apostrophe || f.ordinal) {
        return false;
    }
    let mdy = |m: DateNum, d: DateNum, y: Option<Year>| {
        m.short() && d.short() && day_ok(m.value, d.value, y)
    };
    match fields {
        [a, b, c] => {
            if a.len == 4 {
                // Y-M-D
                return match a.year() {
                    Some(y) => mdy(*b, *c, Some(y)),
                    None => false,
                };
            }
            let Some(y) = c.year() else {
                return false;
            };
            if sep == '.' {
                // D.M.Y, as most of the world writes dotted dates; M.D.Y only when the second
                // field cannot be a month (03.14.1952).
                mdy(*b, *a, Some(y)) || (b.value > 12 && mdy(*a, *b, Some(y)))
            } else {
                mdy(*a, *b, Some(y)) || (a.value > 12 && mdy(*b, *a, Some(y)))
            }
        }
        [a, b] => {
            if a.len == 4 {
                // Y-M
                a.year().is_some() && b.short() && (1..=12).contains(&b.value)
            } else if b.len == 4 {
                // M/Y
                b.year().is_some() && a.short() && (1..=12).contains(&a.value)
            } else if sep == '.' {
                mdy(*b, *a, None) // D.M
            } else {
                mdy(*a, *b, None) || (a.value > 12 && mdy(*b, *a, None))
            }
        }
        _ => false,
    }
}

/// The `YYYY-MM-DD` part of an ISO 8601 date-time (`2024-03-15T14:30:00Z`), if `v` is one.
fn iso_datetime_date(v: &str) -> Option<&str> {
    let b = v.as_bytes();
    if b.len() < 12 || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    // b[10] is ASCII, so indices 10 and 11 are char boundaries.
    let (date, time) = (&v[..10], &v[11..]);
    let db = date.as_bytes();
    let shape = db.iter().enumerate().all(|(i, &c)| {
        if i == 4 || i == 7 {
            c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    let time_ok = time.starts_with(|c: char| c.is_ascii_digit())
        && time
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z' | 'z'));
    (shape && time_ok).then_some(date)
}

/// A plausible calendar date as people write it.
pub fn date(value: &str) -> bool {
    let mut v = value.trim();
    if let Some(d) = iso_datetime_date(v) {
        v = d;
    }
    let Some(toks) = date_tokens(v) else {
        return false;
    };
    let months: Vec<u32> = toks
        .iter()
        .filter_map(|t| match t {
            DateTok::Month(m) => Some(*m),
            _ => None,
        })
        .collect();
    let nums: Vec<DateNum> = toks
        .iter()
        .filter_map(|t| match t {
            DateTok::Num(n) => Some(*n),
            _ => None,
        })
        .collect();
    match months.as_slice() {
        [m] => named_month_date(*m, &nums),
        [] => {
            // Drop leading/trailing spaces and commas (left by filler words), then require
            // Num (Sep Num)+ with one single separator kind in between.
            let core: Vec<DateTok> = {
                let is_edge = |t: &DateTok| matches!(t, DateTok::Sep(' ' | ','));
                let start = toks.iter().position(|t| !is_edge(t)).unwrap_or(toks.len());
                let end = toks
                    .iter()
                    .rposition(|t| !is_edge(t))
                    .map_or(start, |e| e + 1);
                toks.get(start..end).unwrap_or(&[]).to_vec()
            };
            let mut sep: Option<char> = None;
            let mut fields = Vec::new();
            for (i, t) in core.iter().enumerate() {
                match (i % 2, t) {
                    (0, DateTok::Num(n)) => fields.push(*n),
                    (1, DateTok::Sep(c @ ('/' | '-' | '.'))) => match sep {
                        Some(s) if s != *c => return false,
                        _ => sep = Some(*c),
                    },
                    _ => return false,
                }
            }
            if !matches!(core.last(), Some(DateTok::Num(_))) {
                return false; // ends with a separator (or is empty)
            }
            match sep {
                Some(s) => numeric_date(&fields, s),
                None => false, // a bare number is not a date
            }
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Network identifiers
// ---------------------------------------------------------------------------------------------

/// Splits an optional CIDR prefix length (`/24`) off an address; `None` when it is malformed or
/// longer than `max`.
fn cidr(value: &str, max: u32) -> Option<&str> {
    match value.split_once('/') {
        None => Some(value),
        Some((addr, len)) => {
            let ok = !len.is_empty()
                && len.len() <= 3
                && len.bytes().all(|b| b.is_ascii_digit())
                && len.parse::<u32>().is_ok_and(|n| n <= max);
            ok.then_some(addr)
        }
    }
}

/// Dotted-quad IPv4 address other than 0.0.0.0, optionally with a /prefix length.
pub fn ipv4(value: &str) -> bool {
    cidr(value.trim(), 32)
        .and_then(|a| a.parse::<Ipv4Addr>().ok())
        .is_some_and(|a| !a.is_unspecified())
}

/// IPv6 address (optionally bracketed, optionally with a %zone or a /prefix length), other
/// than `::`.
pub fn ipv6(value: &str) -> bool {
    let Some(mut v) = cidr(value.trim(), 128) else {
        return false;
    };
    if let Some(inner) = v.strip_prefix('[') {
        match inner.strip_suffix(']') {
            Some(inner) => v = inner,
            None => return false,
        }
    }
    if let Some((addr, zone)) = v.split_once('%') {
        if zone.is_empty()
            || !zone
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return false;
        }
        v = addr;
    }
    v.parse::<Ipv6Addr>().is_ok_and(|a| !a.is_unspecified())
}

/// A DNS label: 1–63 letters, digits or hyphens, not starting or ending with a hyphen.
fn dns_label(l: &str) -> bool {
    let n = l.chars().count();
    (1..=63).contains(&n)
        && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

/// A domain name of at least two labels whose last is 2–63 letters or an `xn--` IDN label.
fn domain_name(d: &str) -> bool {
    if d.chars().count() > 253 {
        return false;
    }
    let labels: Vec<&str> = d.split('.').collect();
    if labels.len() < 2 || !labels.iter().all(|l| dns_label(l)) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    let idn = tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")) && tld.len() > 4;
    idn || (tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// Email address.
pub fn email(value: &str) -> bool {
    let v = value.trim();
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    if domain.contains('@') {
        return false;
    }
    let local_ok = (1..=64).contains(&local.chars().count())
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '\''))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    local_ok && domain_name(domain)
}

/// An optional URL port: empty, or 1–5 digits up to 65535.
fn port_ok(p: &str) -> bool {
    p.is_empty() || (p.len() <= 5 && all_ascii_digits(p) && number(&digit_values(p)) <= 65535)
}

/// Web address with an explicit scheme or a `www.` prefix.
pub fn url(value: &str) -> bool {
    let v = value.trim();
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let has_prefix = |p: &str| v.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
    let rest = if let Some(p) = ["http://", "https://", "ftp://"]
        .into_iter()
        .find(|p| has_prefix(p))
    {
        &v[p.len()..]
    } else if has_prefix("www.") {
        v
    } else {
        return false;
    };
    // Authority: up to the first '/', '?' or '#'; userinfo ends at the last '@'.
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = authority.rsplit('@').next().unwrap_or("");
    if let Some(after) = hostport.strip_prefix('[') {
        // Bracketed IPv6 literal, optionally followed by ":port".
        let Some((inner, tail)) = after.split_once(']') else {
            return false;
        };
        return ipv6(inner) && (tail.is_empty() || tail.strip_prefix(':').is_some_and(port_ok));
    }
    let (host, port) = hostport.split_once(':').unwrap_or((hostport, ""));
    if !port_ok(port) {
        return false;
    }
    // One trailing dot (fully-qualified form) is fine.
    let host = host.strip_suffix('.').unwrap_or(host);
    // Any dotted-quad IPv4 host, including 0.0.0.0 (a common local development address).
    if host.eq_ignore_ascii_case("localhost") || host.parse::<Ipv4Addr>().is_ok() {
        return true;
    }
    // "www." alone is not a domain: what follows it must still be one ("www.microsoft" is not).
    let www_rest = host
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("www."))
        .map(|_| &host[4..]);
    match www_rest {
        Some(r) => domain_name(r),
        None => domain_name(host),
    }
}

// ---------------------------------------------------------------------------------------------
// Geography and age
// ---------------------------------------------------------------------------------------------

/// US ZIP or ZIP+4.
pub fn zip(value: &str) -> bool {
    let v = value.trim();
    let (five, four) = match v.split_once(['-', ' ']) {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    let five_ok = five.len() == 5 && all_ascii_digits(five) && five != "00000";
    let four_ok = match four {
        None => true,
        Some(f) => f.len() == 4 && all_ascii_digits(f) && f != "0000",
    };
    five_ok && four_ok
}

/// The 17 HIPAA Safe Harbor ZIP3 prefixes with 20,000 or fewer residents.
const RESTRICTED_ZIP3: [&str; 17] = [
    "036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878",
    "879", "884", "890", "893",
];

/// A ZIP (or bare 3-digit prefix) in one of the Safe Harbor restricted ZIP3 areas.
pub fn zip3_restricted(value: &str) -> bool {
    let v = value.trim();
    let ok = zip(v) || (v.len() == 3 && all_ascii_digits(v));
    // `ok` guarantees the first three bytes are ASCII digits.
    ok && v.get(..3).is_some_and(|p| RESTRICTED_ZIP3.contains(&p))
}

#[derive(Debug, Clone, Copy)]
enum NumWord {
    Value(u32),
    Hundred,
    And,
}

fn number_word(w: &str) -> Option<NumWord> {
    use NumWord::{And, Hundred, Value};
    Some(match w {
        "one" | "un" | "uno" | "una" => Value(1),
        "two" | "dos" => Value(2),
        "three" | "tres" => Value(3),
        "four" | "cuatro" => Value(4),
        "five" | "cinco" => Value(5),
        "six" | "seis" => Value(6),
        "seven" | "siete" => Value(7),
        "eight" | "ocho" => Value(8),
        "nine" | "nueve" => Value(9),
        "ten" | "diez" => Value(10),
        "eleven" | "once" => Value(11),
        "twelve" | "doce" => Value(12),
        "thirteen" | "trece" => Value(13),
        "fourteen" | "catorce" => Value(14),
        "fifteen" | "quince" => Value(15),
        "sixteen" | "dieciséis" | "dieciseis" => Value(16),
        "seventeen" | "diecisiete" => Value(17),
        "eighteen" | "dieciocho" => Value(18),
        "nineteen" | "diecinueve" => Value(19),
        "twenty" | "veinte" => Value(20),
        "veintiuno" | "veintiún" | "veintiun" | "veintiuna" => Value(21),
        "veintidós" | "veintidos" => Value(22),
        "veintitrés" | "veintitres" => Value(23),
        "veinticuatro" => Value(24),
        "veinticinco" => Value(25),
        "veintiséis" | "veintiseis" => Value(26),
        "veintisiete" => Value(27),
        "veintiocho" => Value(28),
        "veintinueve" => Value(29),
        "thirty" | "treinta" => Value(30),
        "forty" | "cuarenta" => Value(40),
        "fifty" | "cincuenta" => Value(50),
        "sixty" | "sesenta" => Value(60),
        "seventy" | "setenta" => Value(70),
        "eighty" | "ochenta" => Value(80),
        // "in her nineties": the decade itself states an age of at least 90.
        "ninety" | "noventa" | "nineties" => Value(90),
        // Words that state an age range on their own.
        "nonagenarian" | "nonagenarians" | "nonagenario" | "nonagenaria" | "nonagenarios"
        | "nonagenarias" => Value(90),
        "centenarian" | "centenarians" | "centenario" | "centenaria" | "centenarios"
        | "centenarias" => Value(100),
        "supercentenarian" | "supercentenarians" | "supercentenario" | "supercentenaria" => {
            Value(110)
        }
        "cien" | "ciento" => Value(100),
        "hundred" => Hundred,
        "and" | "y" => And,
        _ => return None,
    })
}

/// The value of the first English/Spanish number phrase in `v`, if any.
fn first_number_phrase(v: &str) -> Option<u32> {
    let lower = v.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    let start = words
        .iter()
        .position(|w| matches!(number_word(w), Some(NumWord::Value(_) | NumWord::Hundred)))?;
    let mut total = 0u32;
    let mut i = start;
    while let Some(w) = words.get(i).and_then(|w| number_word(w)) {
        match w {
            NumWord::Value(n) => total = total.saturating_add(n),
            NumWord::Hundred => total = total.max(1).saturating_mul(100),
            NumWord::And => {
                // A connector only continues the phrase when a number word follows.
                match words.get(i + 1).and_then(|w| number_word(w)) {
                    Some(NumWord::Value(_) | NumWord::Hundred) => {}
                    _ => break,
                }
            }
        }
        i += 1;
    }
    Some(total)
}

/// The current year by the system clock (UTC; 1970 if the clock is before the epoch).
pub fn current_year() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    // Days since 1970-01-01 to a civil year (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

/// A birth year that makes someone 90 to 125 years old this year.
pub fn birth_year_over_89(value: &str) -> bool {
    birth_year_over_89_in(value, current_year())
}

fn birth_year_over_89_in(value: &str, year: i64) -> bool {
    let v = value.trim();
    if v.len() != 4 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let born: i64 = v.parse().unwrap_or(0);
    (90..=125).contains(&(year - born))
}

/// An age of 90–125 stated with digits or English/Spanish number words.
pub fn age_over_89(value: &str) -> bool {
    let v = value.trim();
    let age = match v.find(|c: char| c.is_ascii_digit()) {
        Some(start) => {
            let run = &v[start..];
            let end = run.find(|c: char| !c.is_ascii_digit()).unwrap_or(run.len());
            let run = run[..end].trim_start_matches('0');
            if run.len() > 3 {
                return false;
            }
            number(&digit_values(run))
        }
        None => match first_number_phrase(v) {
            Some(n) => n,
            None => return false,
        },
    };
    (90..=125).contains(&age)
}

// ---------------------------------------------------------------------------------------------
// Generic and travel identifiers
// ---------------------------------------------------------------------------------------------

/// Generic record/member/account number.
pub fn id_number(value: &str) -> bool {
    let mut compact: Vec<u8> = Vec::new();
    for c in value.trim().chars() {
        if matches!(c, ' ' | '-' | '.' | '/' | '#') {
            continue;
        }
        if !c.is_ascii_alphanumeric() || compact.len() >= 20 {
            return false;
        }
        compact.push(c.to_ascii_uppercase() as u8);
    }
    if compact.len() < 4 || !compact.iter().any(u8::is_ascii_digit) || all_same(&compact) {
        return false;
    }
    let all_digits = compact.iter().all(u8::is_ascii_digit);
    if all_digits && compact.len() >= 5 {
        let ascending = compact.windows(2).all(|w| w[1] == w[0] + 1);
        let descending = compact.windows(2).all(|w| w[1] + 1 == w[0]);
        if ascending || descending {
            return false;
        }
    }
    true
}

/// US passport number: 9 digits, or a letter and 8 digits.
pub fn us_passport(value: &str) -> bool {
    let b = value.trim().as_bytes();
    let digits = match b {
        [first, rest @ ..] if b.len() == 9 && first.is_ascii_alphabetic() => rest,
        _ if b.len() == 9 => b,
        _ => return false,
    };
    digits.iter().all(u8::is_ascii_digit) && !all_same(digits)
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    fn assert_all(f: fn(&str) -> bool, name: &str, accept: &[&str], reject: &[&str]) {
        for v in accept {
            assert!(f(v), "{name} should accept {v:?}");
        }
        for v in reject {
            assert!(!f(v), "{name} should reject {v:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for &v in Validator::ALL {
            assert_eq!(Validator::from_name(v.name()), Some(v));
        }
        assert_eq!(Validator::from_name("PaymentCard"), None);
        assert_eq!(Validator::from_name(""), None);
        assert_eq!(Validator::from_name("payment-card"), None);
    }

    #[test]
    fn all_lists_every_variant_once() {
        // Exhaustive match: adding a variant without listing it here fails to compile.
        fn index(v: Validator) -> usize {
            match v {
                Validator::Luhn => 0,
                Validator::PaymentCard => 1,
                Validator::Ssn => 2,
                Validator::Itin => 3,
                Validator::Nanp => 4,
                Validator::IntlPhone => 5,
                Validator::Npi => 6,
                Validator::Dea => 7,
                Validator::Mbi => 8,
                Validator::Vin => 9,
                Validator::Imei => 10,
                Validator::NhsNumber => 11,
                Validator::Date => 12,
                Validator::Ipv4 => 13,
                Validator::Ipv6 => 14,
                Validator::Email => 15,
                Validator::Url => 16,
                Validator::Zip => 17,
                Validator::Zip3Restricted => 18,
                Validator::AgeOver89 => 19,
                Validator::BirthYearOver89 => 20,
                Validator::IdNumber => 21,
                Validator::UsPassport => 22,
            }
        }
        const COUNT: usize = 23;
        let mut seen = [0usize; COUNT];
        for &v in Validator::ALL {
            seen[index(v)] += 1;
        }
        assert_eq!(seen, [1; COUNT]);
        assert_eq!(Validator::ALL.len(), COUNT);
        // Documentation order is the order of `index` (the declaration order).
        for (i, &v) in Validator::ALL.iter().enumerate() {
            assert_eq!(index(v), i);
        }
    }

    #[test]
    fn serde_names_match_name() {
        for &v in Validator::ALL {
            let de: StrDeserializer<'_, DeError> = v.name().into_deserializer();
            assert_eq!(Validator::deserialize(de), Ok(v), "{}", v.name());
        }
        for bad in ["PaymentCard", "paymentcard", "Luhn", "age_over89", ""] {
            let de: StrDeserializer<'_, DeError> = bad.into_deserializer();
            assert!(Validator::deserialize(de).is_err(), "{bad:?}");
        }
        // Spot-check the names that snake_case turns digits into.
        assert_eq!(Validator::AgeOver89.name(), "age_over_89");
        assert_eq!(Validator::Zip3Restricted.name(), "zip3_restricted");
        assert_eq!(Validator::Ipv4.name(), "ipv4");
    }

    #[test]
    fn descriptions_are_short_and_present() {
        for &v in Validator::ALL {
            let d = v.description();
            assert!(!d.is_empty() && d.len() < 600, "{}", v.name());
            assert!(d.ends_with('.'), "{}", v.name());
            assert!(!d.contains("  "), "{}: double space", v.name());
        }
    }

    #[test]
    fn check_dispatches() {
        let cases: &[(Validator, &str)] = &[
            (Validator::Luhn, "79927398713"),
            (Validator::PaymentCard, "4012888888881881"),
            (Validator::Ssn, "123-45-6789"),
            (Validator::Itin, "911-70-1234"),
            (Validator::Nanp, "(555) 555-0142"),
            (Validator::IntlPhone, "+44 20 7946 0958"),
            (Validator::Npi, "1234567893"),
            (Validator::Dea, "GL0285191"),
            (Validator::Mbi, "1EG4-TE5-MK73"),
            (Validator::Vin, "1M8GDM9AXKP042788"),
            (Validator::Imei, "490154203237518"),
            (Validator::NhsNumber, "943 476 5919"),
            (Validator::Date, "03/14/1952"),
            (Validator::Ipv4, "192.0.2.15"),
            (Validator::Ipv6, "2001:db8::1"),
            (Validator::Email, "info@presidio.site"),
            (Validator::Url, "https://example.com/path?q=1"),
            (Validator::Zip, "62701"),
            (Validator::Zip3Restricted, "03601"),
            (Validator::AgeOver89, "93"),
            (Validator::BirthYearOver89, "1924"),
            (Validator::IdNumber, "4829-1736"),
            (Validator::UsPassport, "912803456"),
        ];
        assert_eq!(cases.len(), Validator::ALL.len());
        for &(v, value) in cases {
            assert!(v.check(value), "{} should accept {value:?}", v.name());
            assert!(!v.check(""), "{} should reject the empty string", v.name());
            assert!(!v.check("hello"), "{} should reject \"hello\"", v.name());
        }
    }

    #[test]
    fn no_panics_on_odd_input() {
        let long_digits = "9".repeat(100_000);
        let long_mixed = "1-".repeat(50_000);
        let long_words = "ninety ".repeat(20_000);
        let inputs: Vec<&str> = vec![
            "",
            " ",
            "\u{0}",
            "é",
            "ééééééééé",
            "ééééééééééé",
            "éééé-ééé-éééé",
            "1éé4-TE5-MK73",
            "12345678é",
            "日本語のテキスト",
            "١٢٣٤٥٦٧٨٩",
            "１２３-４５-６７８９",
            "+",
            "++1",
            "(",
            ")",
            "()",
            "@",
            "@@",
            "[",
            "[]",
            "%",
            "http://",
            "www.",
            "http://[",
            "http://[::1",
            "http://a@",
            "'",
            "’52",
            "2024-03-15T",
            "2024-03-1é",
            "9999-99-99T99:99",
            "4294967296",
            "99999999999999999999999999999",
            &long_digits,
            &long_mixed,
            &long_words,
        ];
        for &v in Validator::ALL {
            for input in &inputs {
                let _ = v.check(input);
            }
        }
        // Huge inputs are never valid identifiers.
        assert!(!date(&long_digits));
        assert!(!age_over_89(&long_digits));
        assert!(!id_number(&long_digits));
        assert!(!age_over_89(&long_words)); // 90 * 20000, saturating
    }

    #[test]
    fn luhn_validator() {
        // 79927398713: the textbook example; digits reversed 3,1,7,8,9,3,7,2,9,9,7 →
        // 3 + (1*2=2) + 7 + (8*2=16→7) + 9 + (3*2=6) + 7 + (2*2=4) + 9 + (9*2=18→9) + 7 = 70 ✓.
        // 79927398710 has the wrong check digit (sum 67).
        assert_all(
            luhn,
            "luhn",
            &[
                "79927398713",
                "7992-7398-713",
                "7992 7398 713",
                " 79927398713 ",
                "18", // 8 + (1*2) = 10
                "00",
                "4012888888881881",
            ],
            &[
                "79927398710",
                "0",
                "8",
                "",
                "7992.7398.713",
                "7992739871a",
                "19", // 9 + 2 = 11
                "- -",
            ],
        );
    }

    #[test]
    fn payment_card_validator() {
        // Luhn results cross-checked with an independent Python implementation.
        assert_all(
            payment_card,
            "payment_card",
            &[
                "4012888888881881",
                "4012-8888-8888-1881",
                "4012 8888 8888 1881",
                "371449635398431",
                "3714 496353 98431",
                "122000000000003",
                "4222222222222",    // 13 digits
                "5555555555554444", // repeated digit but not all the same
                "6011111111111117",
            ],
            &[
                "4012-8888-8888-1882", // bad check digit
                "36168002586008",      // Luhn fails
                "0000000000000000",    // Luhn-valid but all one digit
                "4012--8888-8888-1881",
                "4012 8888-8888 1881", // mixed separators
                "-4012888888881881",
                "4012888888881881-",
                "4012.8888.8888.1881",
                "401288888888", // 12 digits
                "79927398713",  // Luhn-valid but 11 digits
                "40128888888818810000",
                "",
            ],
        );
    }

    #[test]
    fn ssn_validator() {
        assert_all(
            ssn,
            "ssn",
            &[
                "078-05-1123",
                "078.05.1123",
                "078 05 1123",
                "123-45-6789",
                "987-65-4321",
                "078051123",
                " 987-65-4322 ",
                "899-01-0001",
                "665-99-9999",
                "078-05-1121",
                "219-09-9998",
                "987-65-4320", // SSA advertising range: reads as an SSN
                "987 65 4329",
            ],
            &[
                "078-051121",
                "07805-1121",
                "693-09.4444",
                "078-05-1120", // Woolworth
                "219-09-9999", // SSA advertising
                "457-55-5462",
                "000-12-3456",
                "666-12-3456",
                "900-12-3456",
                "999-12-3456",
                "987-65-4319",
                "987-65-4330",
                "123-00-4567",
                "123-45-0000",
                "12-345-6789",
                "123-45-67890",
                "12345678",
                "1234567890",
                "123--45-6789",
                "123/45/6789",
                "abc-de-fghi",
                "",
            ],
        );
    }

    #[test]
    fn itin_validator() {
        assert_all(
            itin,
            "itin",
            &[
                "911-70-1234",
                "911-53-1234",
                "911701234",
                "900-50-0001",
                "999-65-1234",
                "911 88 1234",
                "911.90.1234",
                "911-92-1234",
                "911-94-1234",
                "911-99-1234",
            ],
            &[
                "911-89-1234",
                "911-93-1234",
                "911-49-1234",
                "911-66-1234",
                "911-69-1234",
                "987-65-4321", // SSA advertising range: an SSN, not an ITIN
                "911-70-0000", // serial 0000 is never issued
                "123-45-6789",
                "811-70-1234",
                "911-70.1234",
                "91170-1234",
                "",
            ],
        );
    }

    #[test]
    fn nanp_validator() {
        assert_all(
            nanp,
            "nanp",
            &[
                "(555) 555-0142",
                "555-0142",
                "555.555.0199",
                "+1 555 482 1093",
                "+15554821093",
                "1 555 482 1093",
                "1-555-482-1093",
                "1.555.482.1093",
                "15554821093",
                "1 (555) 482-1093",
                "+1 (555) 482-1093",
                "(212)555-0142",
                "212 555 0142",
                "2125550142",
                "5550142",
                " (555) 555-0142 ",
            ],
            &[
                "(055) 555-0142",
                "555-155-0142",
                "911-555-0142",
                "411-555-0142",
                "555-411-0142",
                "555-055-0142",
                "123-456-7890",
                "555-555-014",     // 9 digits
                "555-555-01422",   // 11 digits not starting with 1
                "1-555-555-01422", // 12 digits
                "155-0142",        // local exchange starting with 1
                "911-0142",        // local exchange N11
                "+2 555 482 1093",
                "+1 555 0142",
                "+44 20 7946 0958",
                "555-555-0142 ext 5",
                "555_555_0142",
                "(555 555-0142",
                "555) 555-0142",
                "(5555) 55-0142",
                "555 (555) 0142",
                "(555-0142)",
                "555-555-0142-",
                "+ 1 555 482 1093",
                "2 555 482 1093",
                "",
                "+",
            ],
        );
    }

    #[test]
    fn intl_phone_validator() {
        assert_all(
            intl_phone,
            "intl_phone",
            &[
                "+44 20 7946 0958",
                "+33 1 23 45 67 89",
                "+52 55 1234 5678",
                "+442079460958",
                "+49 (30) 123456",
                "+1 555 482 1093",
                "+1 (555) 482-1093",
                "+86 10 1234 5678",
                "+491234567890123", // 15 digits
            ],
            &[
                "+0 20 7946",
                "+1 055 555 0142",
                "+1 555 155 0142",
                "+44 12",
                "+4412345",          // 7 digits
                "+4912345678901234", // 16 digits
                "+123456789012345",  // +1 but not a NANP number
                "44 20 7946 0958",
                "+44 20 7946 0958 x12",
                "+44 20 7946 0958-",
                "++44 20 7946 0958",
                "+",
                "",
            ],
        );
    }

    #[test]
    fn npi_validator() {
        // Luhn over "80840" + number. 1234567893: 808401234567893, reversed
        // 3,9,8,7,6,5,4,3,2,1,0,4,8,0,8: undoubled 3+8+6+4+2+0+8+8 = 39; doubled
        // 9→18→9, 7→14→5, 5→10→1, 3→6, 1→2, 4→8, 0→0 = 31; 39 + 31 = 70 ✓.
        // All values cross-checked with an independent Python implementation.
        // 1111111112: 808401111111112, undoubled 2+1+1+1+1+0+8+8 = 22, doubled
        // 2+2+2+2+2+8+0 = 18, total 40 ✓ — a checksum-valid NPI, so it is accepted.
        assert_all(
            npi,
            "npi",
            &[
                "1234567893",
                "1234-567-893",
                "1234 567 893",
                "1245319599",
                "1003000126",
                "1111111112",
                " 1234567893 ",
            ],
            &[
                "0234567893",
                "3234567893",
                "1234567890",
                "1111111116",
                "2222222226",
                "123456789",
                "12345678930",
                "1234.567.893",
                "1234-567 893",
                "1234--567893",
                "123456789X",
                "",
            ],
        );
    }

    #[test]
    fn dea_validator() {
        // GL0285191: (0+8+1) + 2*(2+5+9) = 9 + 32 = 41 → 1 = d7 ✓
        // EU4488929: (4+8+9) + 2*(4+8+2) = 21 + 28 = 49 → 9 = d7 ✓
        // AB1234563: (1+3+5) + 2*(2+4+6) = 9 + 24 = 33 → 3 ✓ (same digits for the others)
        // BG8207031: (8+0+0) + 2*(2+7+3) = 8 + 24 = 32 → 2 ≠ 1 ✗
        // QA1234563: checksum fine but Q is not a registrant type.
        assert_all(
            dea,
            "dea",
            &[
                "GL0285191",
                "EU4488929",
                "gl0285191",
                "Gl0285191",
                "AB1234563",
                "MA1234563",
                "XA1234563",
                "F91234563",
                " GL0285191 ",
            ],
            &[
                "BG8207031",
                "QA1234563",
                "IA1234563",
                "NA1234563",
                "OA1234563",
                "VA1234563",
                "A81234563", // second char a digit other than 9
                "GL028519",
                "GL02851910",
                "GL-0285191",
                "GL028519l",
                "1L0285191",
                "",
            ],
        );
    }

    #[test]
    fn mbi_validator() {
        // 9XX9-XX9-XX99: 9 | X | X | 9 | X | X | 9 | X X | 9 9 — every position allowed.
        // 3CD5-FG7-HJ89: 3 | C | D | 5 | F | G | 7 | H J | 8 9 — every position allowed.
        assert_all(
            mbi,
            "mbi",
            &[
                "1EG4-TE5-MK73",
                "1EG4TE5MK73",
                "9XX9-XX9-XX99",
                "3CD5-FG7-HJ89",
                "1eg4-te5-mk73",
                "1E94-T95-MK73", // positions 3 and 6 may be digits
                " 1EG4-TE5-MK73 ",
                "1EG4 TE5 MK73",
            ],
            &[
                "1EG4 TE5-MK73", // mixed separators
                "1SG4-TE5-MK73",
                "1EG4-LE5-MK73",
                "1EG4-TE5-OK73",
                "1EG4-TE5-MI73",
                "1BG4-TE5-MK73",
                "1EG4-ZE5-MK73",
                "AEG4-TE5-MK73",
                "0EG4-TE5-MK73",
                "12G4-TE5-MK73",
                "1EGA-TE5-MK73",
                "1EG4-TE5-MK7A",
                "1EG4TE5MK7",
                "1EG4TE5MK734",
                "1EG-4TE5-MK73",
                "1EG4-TE5MK73",
                "",
            ],
        );
    }

    #[test]
    fn vin_validator() {
        // 11111111111111111: every value 1, weights sum 8+7+6+5+4+3+2+10+0+9+8+7+6+5+4+3+2
        // = 89, 89 mod 11 = 1 = position 9 ✓.
        // 1M8GDM9AXKP042788: 1*8 + M4*7 + 8*6 + G7*5 + D4*4 + M4*3 + 9*2 + A1*10 + 0
        // + K2*9 + P7*8 + 0*7 + 4*6 + 2*5 + 7*4 + 8*3 + 8*2
        // = 8+28+48+35+16+12+18+10+0+18+56+0+24+10+28+24+16 = 351; 351 mod 11 = 10 → X ✓.
        // 1HGCM82633A004352 and JH4KA7561PC008269 cross-checked in Python.
        assert_all(
            vin,
            "vin",
            &[
                "1M8GDM9AXKP042788",
                "1m8gdm9axkp042788",
                "11111111111111111",
                "1HGCM82633A004352",
                "JH4KA7561PC008269",
                " 1M8GDM9AXKP042788 ",
            ],
            &[
                "1M8GDM9AXKP042789",
                "1M8GDM9A1KP042788",
                "2M8GDM9AXKP042788",
                "11111111111111112",
                "1HGCM82633A004353",
                "1M8GDM9AXKP04278",
                "1M8GDM9AXKP0427888",
                "IM8GDM9AXKP042788",
                "1M8GDM9AXKO042788",
                "1M8GDM9AXKQ042788",
                "1M8GDM9AXKP-42788",
                "",
            ],
        );
    }

    #[test]
    fn imei_validator() {
        // 490154203237518 and 352099001761481 are Luhn-valid (checked in Python).
        assert_all(
            imei,
            "imei",
            &[
                "490154203237518",
                "35-209900-176148-1",
                "35 209900 176148 1",
                "35/209900/176148/1",
                "356938035643809",
            ],
            &[
                "490154203237519",
                "000000000000000",
                "49015420323751",
                "4901542032375180",
                "35-209900 176148-1",
                "35--209900-176148-1",
                "35.209900.176148.1",
                "-352099001761481",
                "",
            ],
        );
    }

    #[test]
    fn nhs_number_validator() {
        // 9434765919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 90+36+24+28+42+30+20+27+2
        // = 299; 299 mod 11 = 2; 11-2 = 9 = last digit ✓.
        // 4010232137: 4*10+0*9+1*8+0*7+2*6+3*5+2*4+1*3+3*2 = 40+0+8+0+12+15+8+3+6 = 92;
        // 92 mod 11 = 4; 11-4 = 7 = last digit ✓.
        // 0000000000, 1111111111, 2222222222, 5555555555 all pass the checksum (Python) —
        // rejected as all-same-digit placeholders.
        assert_all(
            nhs_number,
            "nhs_number",
            &[
                "943 476 5919",
                "9434765919",
                "943-476-5919",
                "401 023 2137",
                "4010232137",
                "4505577104",
            ],
            &[
                "9434765918",
                "0000000000",
                "1111111111",
                "5555555555",
                "943 476-5919",
                "9434 76 5919",
                "943476591",
                "94347659190",
                "943.476.5919",
                "",
            ],
        );
    }

    #[test]
    fn date_validator() {
        assert_all(
            date,
            "date",
            &[
                "03/14/1952",
                "3/14/52",
                "3-14-1952",
                "1952-03-14",
                "1952/3/14",
                "14.03.1952",
                "03.14.1952", // M.D.Y: 14 cannot be a month
                "21.5.21",
                "14/03/1952", // D/M/Y because 14 > 12
                "12/11/2020",
                "5/21",
                "21/5",
                "14.03",
                "05/2021",
                "5.2021",
                "2021-05",
                "2024-03-15T14:30:00Z",
                "2024-03-15t14:30:00+01:00",
                "2024-03-15 14:30",
                "March 14, 1952",
                "march 14 1952",
                "MARCH 14, 1952",
                "Mar 14th",
                "14 March 1952",
                "14MAR1952",
                "the 14th of March",
                "March 2024",
                "Sept. 3",
                "sep 30",
                "5-May-2021",
                "14 de marzo de 1952",
                "marzo 14",
                "1 de enero",
                "3 de sept.",
                "el 3 de septiembre de 2021",
                "1º de mayo",
                "Dec 25, '52",
                "March 14, 52",
                "Monday, March 14, 1955",
                "Tuesday 3/14/1950",
                "Feb 29",
                "Feb 29, 2024",
                "29 febrero 2000",
                "2/29/2000",
                "02/29/24",
                "2/29/00",
                "29.02.2024",
                "1800-01-01",
                "12/31/2100",
                "January 1st, 2000",
                "21st May 2021",
                " 03/14/1952 ",
            ],
            &[
                "13/45/2020",
                "02/30/2021",
                "2021-13-01",
                "00/12/2020",
                "12/00/2020",
                "Feb 30",
                "March 32",
                "April 31",
                "Feb 29, 2023",
                "Feb 29, 1900",
                "2/29/2023",
                "29.02.2023",
                "1952",
                "2024",
                "14",
                "14th",
                "March",
                "the March",
                "1799-12-31",
                "2101-01-01",
                "March 1700",
                "3/14/1952/5",
                "3/14-1952",
                "03 14 1952",
                "3//14/1952",
                "/3/14/1952",
                "3/14/",
                "3/14/195",
                "3/14/5",
                "3/14th",
                "2º.8",
                "123/4/2020",
                "13.13.1952", // dotted is D.M.Y, or M.D.Y when the day cannot be a month
                "02.30.1952",
                "3.14",
                "13/13/2020",
                "32/1/2020",
                "March April 14",
                "March 14 15 16",
                "March 14 5",
                "March 14, 1952, 1953",
                "1952 2024 March",
                "Marching 14",
                "March 14 at noon",
                "3/14/1952 or so",
                "19520314",
                "3/14/12345",
                "2024-03-15T",
                "2024-03-15Tnoon",
                "2024-02-30T10:00",
                "'52",
                "March '5",
                "1:30",
                "",
            ],
        );
    }

    #[test]
    fn ipv4_validator() {
        assert_all(
            ipv4,
            "ipv4",
            &[
                "192.0.2.15",
                "10.0.0.1",
                "255.255.255.255",
                "127.0.0.1",
                " 8.8.8.8 ",
                "192.168.1.0/24",
                "10.0.0.0/8",
            ],
            &[
                "256.1.1.1",
                "1.2.3",
                "0.0.0.0",
                "01.02.03.04",
                "1.2.3.4.5",
                "1.2.3.4/33",
                "1.2.3.4/",
                "1.2.3.4/2x",
                "0.0.0.0/0",
                "1.2.3.-4",
                "a.b.c.d",
                "",
            ],
        );
    }

    #[test]
    fn ipv6_validator() {
        assert_all(
            ipv6,
            "ipv6",
            &[
                "2001:db8::1",
                "fe80::1%eth0",
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                "::1",
                "[2001:db8::1]",
                "[fe80::1%eth0]",
                "::ffff:192.0.2.1",
                "2001:DB8::1",
                "2001:db8::/32",
                "::1/128",
            ],
            &[
                "::",
                "[::]",
                "2001:db8:::1",
                "12:34",
                "1:2:3",
                "fe80::1%",
                "fe80::1%eth 0",
                "[2001:db8::1",
                "2001:db8::1]",
                "2001:db8::g",
                "1::2::3",
                "::/0",
                "2001:db8::/129",
                "",
            ],
        );
    }

    #[test]
    fn email_validator() {
        assert_all(
            email,
            "email",
            &[
                "info@presidio.site",
                "user@xn--80ak6aa92e.com",
                "jane.o'neil+test@example.org",
                "a@b.co",
                "first_last%x@mail.example.co.uk",
                "user@example.xn--p1ai",
                "user@sub-domain.example.com",
                "josé@bücher.de",
                " info@presidio.site ",
            ],
            &[
                "a@b",
                "user@xn--p1ai", // a single label
                "a@@example.com",
                "a@b@example.com",
                ".a@example.com",
                "a.@example.com",
                "a..b@example.com",
                "a@example.c",
                "a@-x.com",
                "a@x-.com",
                "a@example.c0m",
                "a@example..com",
                "a@.example.com",
                "a@example.com.",
                "@example.com",
                "a b@example.com",
                "a@exa_mple.com",
                "a@xn--.com.xn--",
                "example.com",
                "",
            ],
        );
        // Length limits: 64-char local part is fine, 65 is not; 63-char label fine, 64 not.
        let local64 = "a".repeat(64);
        let local65 = "a".repeat(65);
        let label63 = "b".repeat(63);
        let label64 = "b".repeat(64);
        assert!(email(&format!("{local64}@example.com")));
        assert!(!email(&format!("{local65}@example.com")));
        assert!(email(&format!("a@{label63}.com")));
        assert!(!email(&format!("a@{label64}.com")));
    }

    #[test]
    fn url_validator() {
        assert_all(
            url,
            "url",
            &[
                "https://example.com/path?q=1",
                "www.example.org",
                "http://192.0.2.1:8080/x",
                "HTTPS://Example.COM",
                "ftp://files.example.net/pub",
                "http://localhost:3000/",
                "http://0.0.0.0:8000/",
                "http://[2001:db8::1]/",
                "http://[2001:db8::1]:8080/x",
                "https://user:pass@example.com/",
                "https://example.com#frag",
                "https://example.com?x",
                "WWW.EXAMPLE.ORG/path",
                "http://www.example.com",
                "https://xn--80ak6aa92e.xn--p1ai/",
                "https://example.com./",
                "https://bücher.de/",
            ],
            &[
                "www.microsoft",
                "http://www.microsoft",
                "http://microsoft",
                "http://",
                "https://.com",
                "https://example.c",
                "example.com",
                "mailto:a@example.com",
                "https//example.com",
                "https://exa mple.com",
                "https://example.com/a b",
                "http://[2001:db8::g]/",
                "http://[2001:db8::1/",
                "http://[2001:db8::1]x/",
                "http://example.com:99999/",
                "http://example.com:80a/",
                "http://256.1.1.1/",
                "http://01.2.3.4/",
                "http://-example.com/",
                "http://example..com/",
                "www.",
                "",
            ],
        );
    }

    #[test]
    fn zip_validator() {
        assert_all(
            zip,
            "zip",
            &["62701", "02115-1234", "02115 1234", " 62701 ", "99950"],
            &[
                "00000",
                "00000-1234",
                "1234",
                "123456",
                "02115-0000",
                "02115-123",
                "02115-12345",
                "02115--1234",
                "02115.1234",
                "6270a",
                "",
            ],
        );
    }

    #[test]
    fn zip3_restricted_validator() {
        let mut accept: Vec<String> = RESTRICTED_ZIP3.iter().map(|p| format!("{p}01")).collect();
        accept.extend(RESTRICTED_ZIP3.iter().map(|p| (*p).to_string()));
        accept.extend(["03601-1234".to_string(), "89301 0001".to_string()]);
        let accept: Vec<&str> = accept.iter().map(String::as_str).collect();
        assert_all(
            zip3_restricted,
            "zip3_restricted",
            &accept,
            &[
                "62701",
                "035",
                "037",
                "10201-0000",
                "1020",
                "102011",
                "03",
                "ABC",
                "00000",
                "",
            ],
        );
        assert_eq!(RESTRICTED_ZIP3.len(), 17);
    }

    #[test]
    fn birth_year_over_89_validator() {
        // Against a fixed year: 1936 is 90 in 2026, 1937 is 89.
        assert!(birth_year_over_89_in("1936", 2026));
        assert!(birth_year_over_89_in("1901", 2026));
        assert!(!birth_year_over_89_in("1937", 2026));
        assert!(
            !birth_year_over_89_in("1900", 2026),
            "126 is past the range"
        );
        assert!(!birth_year_over_89_in("19a6", 2026));
        assert!(!birth_year_over_89_in("936", 2026));
        // Against the clock: 1924 is over 89 from 2014 on, 2001 will not be until 2091.
        assert!(birth_year_over_89("1924"));
        assert!(!birth_year_over_89("2001"));
        assert!((2026..2200).contains(&current_year()));
    }

    #[test]
    fn age_over_89_validator() {
        assert_all(
            age_over_89,
            "age_over_89",
            &[
                "93",
                "93-year-old",
                "age 102",
                "90s",
                "93 años",
                "102nd",
                "125",
                "090",
                "ninety",
                "Ninety-three",
                "ninety three",
                "one hundred",
                "hundred and two",
                "one hundred and four",
                "a hundred and twenty-five",
                "in her nineties",
                "noventa",
                "noventa y tres",
                "Cien",
                "ciento dos",
                "ciento veinticinco",
                "NINETY-NINE years old",
                "centenarian",
                "Supercentenarians",
                "nonagenarian",
                "centenaria",
            ],
            &[
                "89",
                "eighty-nine",
                "eighty nine",
                "126",
                "45",
                "",
                "year",
                "1000",
                "9",
                "one hundred and twenty-six",
                "ochenta y nueve",
                "ciento veintiséis",
                "forty",
                "and",
                "y",
                "one patient aged ninety", // first number phrase is "one"
                "4 kids, 93 years",        // first digit run is 4
            ],
        );
    }

    #[test]
    fn id_number_validator() {
        assert_all(
            id_number,
            "id_number",
            &[
                "4829-1736",
                "A1234567",
                "MRN00472918",
                "#48291736",
                "12-34 56.78/90",
                "1235",
                "12346",
                "1234",    // a run, but shorter than 5
                "7890123", // not a straight run (wraps)
                "00472918",
                "ab12",
                "12345678901234567890", // not a run: 0 after 9 breaks it
            ],
            &[
                "0000000",
                "1111",
                "XXXXXXX",
                "xxxX",
                "123456",
                "12345",
                "12345678",
                "987654",
                "0123456789",
                "9876543210",
                "123",
                "A12",
                "ABCDEFG",
                "1234_5678",
                "123456789012345678901", // 21 chars
                "4829:1736",
                "",
            ],
        );
    }

    #[test]
    fn us_passport_validator() {
        assert_all(
            us_passport,
            "us_passport",
            &["912803456", "A12345678", "a12345678", " 912803456 "],
            &[
                "12345678",
                "AB1234567",
                "1234567890",
                "A1234567",
                "999999999",
                "A00000000",
                "12345678A",
                "9128-03456",
                "",
            ],
        );
    }
}
