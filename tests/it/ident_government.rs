//! Government-issued identifiers (`patterns/government-ids.toml`): SSNs and ITINs, passports,
//! driver's and professional licences, DEA numbers and NPIs, in realistic post sentences.

use phiguard::category::RiskLevel;

use crate::util::{assert_found, assert_none_of, found_rules, scored};

/// SSNs written 3-2-4 with dashes are found with or without a label, with the exact value.
#[test]
fn ssn_with_dashes() {
    let cases: &[(&str, &str)] = &[
        ("SSN: 987-65-4326", "987-65-4326"),
        ("SSN 987-65-4326.", "987-65-4326"),
        (
            "Alt text: intake form showing Social Security number 987-65-4327 next to a pen",
            "987-65-4327",
        ),
        (
            "Oops, the screenshot still shows his SSN (987-65-4329).",
            "987-65-4329",
        ),
        ("Número de seguro social: 987-65-4325.", "987-65-4325"),
        (
            "form on the desk reads 987-65-4326, please blur",
            "987-65-4326",
        ),
        ("SS#\n987-65-4327", "987-65-4327"),
        ("ssn:987-65-4326 🙈", "987-65-4326"),
        // Everyday words that also start order or part numbers do not hide a real SSN.
        (
            "In order to file, SSN 987-65-4327 was written on the form",
            "987-65-4327",
        ),
        (
            "Part of her SSN, 987-65-4326, shows in the corner",
            "987-65-4326",
        ),
        // The SSA's advertising range is read as an SSN, as a reader would.
        ("SSN: 987-65-4321", "987-65-4321"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("ssn", value)]);
    }
    assert_found(
        "Two forms in the photo: 987-65-4326, 987-65-4327",
        &[("ssn", "987-65-4326"), ("ssn", "987-65-4327")],
    );
}

/// Spaced or dotted 3-2-4 numbers are SSNs only next to an SSN label; dashes need none.
#[test]
fn ssn_with_spaces_or_dots() {
    assert_found(
        "her social security number is 987 65 4326, can you redact it?",
        &[("ssn", "987 65 4326")],
    );
    assert_found(
        "SSN 987.65.4327 on the clipboard",
        &[("ssn", "987.65.4327")],
    );
    assert_found("Seguro social: 987 65 4325", &[("ssn", "987 65 4325")]);
    assert_found(
        "Call me, my social is 987 65 4329",
        &[("ssn", "987 65 4329")],
    );
    assert_found("987 65 4326 (SSN) on the form", &[("ssn", "987 65 4326")]);
    assert_none_of("Alt text: a letter with 987 65 4329 written in pen", "ssn");
    assert_none_of("Results: 120 80 1200 calories", "ssn");
    assert_none_of("Follow us on social media! 555 65 4326 likes", "ssn");

    let labelled = scored("SSN 987 65 4326");
    assert_eq!(labelled.len(), 1);
    assert_eq!(labelled[0].0, "hipaa.ssn.spaced");
    assert_eq!(labelled[0].2, 0.9);
    assert_eq!(labelled[0].3, RiskLevel::High);
    // Dashed forms are confident on their own, more so with a label.
    assert_eq!(scored("written in pen: 987-65-4326")[0].2, 0.9);
    assert_eq!(scored("SSN: 987-65-4326")[0].2, 0.97);
}

/// Nine bare digits are an SSN only next to an SSN label.
#[test]
fn ssn_bare_needs_a_label() {
    assert_found("SSN: 987654326", &[("ssn", "987654326")]);
    assert_found("SSN#987654329", &[("ssn", "987654329")]);
    assert_found("SSN987654326", &[("ssn", "987654326")]);
    assert_found(
        "Patient's social security number 987654327 is on the form",
        &[("ssn", "987654327")],
    );
    assert_found("número de seguro social 987654325", &[("ssn", "987654325")]);
    assert_found("987654326 (SSN) on the back", &[("ssn", "987654326")]);
    assert_none_of("Tracking 987654326 shipped today", "ssn");
    assert_none_of("We reached 987654326 impressions this year", "ssn");
    assert_none_of("SSN 000654326 is our training placeholder", "ssn");
    // Labelled, an unissued area is still someone's SSN field.
    assert_found("SSN 666654326", &[("ssn", "666654326")]);
}

/// Numbers that are not SSNs: invalid areas and dummies, partial SSNs, other number shapes.
#[test]
fn ssn_hard_negatives() {
    for text in [
        "SSN 000-12-3456 is the placeholder on our sample form",
        "Our sample card shows 078-05-1120, the famous wallet-insert number",
        "SSN 987-00-4326",
        "SSN 123-45-0000",
        "Order #987-65-4326 has shipped!",
        "Part 987-65-4326-01 is back in stock",
        "Ref 1-987-65-4326",
        "last four of SSN 4326 only, please",
        "SSN ending in 4326",
        "xxx-xx-4326",
        "Open house 2024-05-18, ZIP 62701-1234",
        "ISBN 978-0-306-40615-7",
        "Scores this week: 12 102 98 1150 steps",
        "Version 1.987.65.4326 is out",
        "mixed 987 65-4326 separators",
        "Happy 2024! #Team2024 v2.14.3",
        "Invoice total $1,250.00, 12 items",
        "call 555 65 4326",
        "Tel. 555.65.4326",
    ] {
        assert_none_of(text, "ssn");
    }
    // Unlabelled, an unissued area is not an SSN; labelled, it is the SSN field of a form.
    assert_none_of("Ticket 666-12-3456 is closed", "ssn");
    assert_found("SSN 666-12-3456", &[("ssn", "666-12-3456")]);
    assert_found(
        "Paciente: Ana Ruiz | SSN: 900-44-1093 | Plan: Gold",
        &[("ssn", "900-44-1093")],
    );
    // Phone numbers are 3-3-4, never 3-2-4: they stay phones.
    assert_none_of("Call 555-228-0142 to book your flu shot", "ssn");
    assert_none_of("call 555 228 0142", "ssn");
}

/// ITINs (9xx with a middle group in the IRS ranges) are found as `ssn`, never twice.
#[test]
fn itin() {
    assert_found("ITIN: 912-78-4321", &[("ssn", "912-78-4321")]);
    assert_found(
        "Photo of the tax form shows 955-83-1046 in box 2",
        &[("ssn", "955-83-1046")],
    );
    assert_found(
        "Su número ITIN 987 91 5530 aparece en la foto",
        &[("ssn", "987 91 5530")],
    );
    assert_found("ITIN 912784321 on the W-7", &[("ssn", "912784321")]);
    assert_eq!(
        found_rules("ITIN: 912-78-4321"),
        vec![("hipaa.ssn.itin".to_owned(), "912-78-4321".to_owned())]
    );
    // Middle group 45 is not an ITIN range, and 9xx is never an SSN.
    assert_none_of("ITIN 912-45-4321", "ssn");
    assert_none_of("ITIN 912454321", "ssn");
    assert_none_of("Order 955-83-1046-2 shipped", "ssn");
    assert_none_of("Our 2024 ITIN workshop is full", "ssn");
}

/// US passport numbers, only next to the word passport.
#[test]
fn passports() {
    assert_found(
        "Passport No. 548201937 was visible in the check-in photo",
        &[("other_id", "548201937")],
    );
    assert_found(
        "Alt text: her passport (A48291736) lying on the intake desk",
        &[("other_id", "A48291736")],
    );
    assert_found("passport#X30471856", &[("other_id", "X30471856")]);
    assert_found(
        "número de pasaporte: 610384725",
        &[("other_id", "610384725")],
    );
    assert_eq!(scored("passport 548201937")[0].3, RiskLevel::High);
    for text in [
        "Bring your passport or driver's license to check in",
        "passport 999999999 is the sample in our training deck",
        "Passport renewal fair, order 548201937 ships soon",
        "Passport to Wellness: 12345678 steps walked",
        "We logged 548201937 steps this year!",
    ] {
        assert_none_of(text, "other_id");
    }
}

/// Driver's licence and state ID numbers in state formats, after their label; severity high.
#[test]
fn drivers_licences() {
    let cases: &[(&str, &str)] = &[
        ("DL# D4829173 visible on the ID in this photo", "D4829173"),
        (
            "Alt text: close-up of a driver's license, number S530-482-91-736-0",
            "S530-482-91-736-0",
        ),
        ("Driver’s license no. 48291736 (Texas)", "48291736"),
        ("Licencia de conducir: B12045873", "B12045873"),
        ("drivers lic 482 917 365 on the clipboard", "482 917 365"),
        ("State ID card #A1234-5678-9012", "A1234-5678-9012"),
        ("DL:\nWDLKT82GH47P", "WDLKT82GH47P"),
        ("driving licence number: AB1204587", "AB1204587"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("license_number", value)]);
    }
    assert_eq!(scored("DL D4829173")[0].3, RiskLevel::High);
    for text in [
        "Bring your driver's license and insurance card to check-in",
        "Driver's license renewal fair this Saturday",
        "Fasting glucose 126 mg/dL 2 hours after breakfast",
        "Glucose 180 mg/dL 4829173",
        "DL 0000000 is our sample card",
        "New DL rules in 2024 for seniors",
        "driver's license, 2 forms of ID and your card",
    ] {
        assert_none_of(text, "license_number");
    }
}

/// Professional licences and certificates after their label; severity medium.
#[test]
fn professional_licences() {
    let cases: &[(&str, &str)] = &[
        ("RN license #RN482917 posted on her badge", "RN482917"),
        (
            "Medical license G48291 is on the framed certificate",
            "G48291",
        ),
        ("Lic. No. 0101284736", "0101284736"),
        ("Board certification number: 48291736", "48291736"),
        ("License #: MD 204817", "MD 204817"),
        ("cédula profesional 10482917", "10482917"),
        ("Certificate number 7730215", "7730215"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("license_number", value)]);
    }
    // A professional licence is usually a clinician's: low on its own (the risk model raises it
    // when it is tied to a patient).
    assert_eq!(scored("RN license #RN482917")[0].3, RiskLevel::Low);
    // A driver's licence label wins over the generic "license #".
    assert_eq!(
        found_rules("driver's license #D4829173"),
        vec![("hipaa.license.drivers".to_owned(), "D4829173".to_owned())]
    );
    for text in [
        "MIT License 2024",
        "License plate 7ABC123 in the parking lot",
        "Certificate of Excellence 2024 for our nursing team",
        "RN license renewal season: 3 CE hours left",
        "license # 1234567 is the example on the state form",
        "Our license #1 priority is you",
        "Licensed in 48 states since 1998",
    ] {
        assert_none_of(text, "license_number");
    }
}

/// DEA numbers need the word DEA and a correct check digit.
#[test]
fn dea_numbers() {
    assert_found(
        "DEA# BJ4829175 printed on the prescription pad in the photo",
        &[("license_number", "BJ4829175")],
    );
    assert_found(
        "Dr. Ortiz (DEA FM1592636) signed the order",
        &[("license_number", "FM1592636")],
    );
    assert_found(
        "Alt text: script with DEA number AR7304188 and the clinic logo",
        &[("license_number", "AR7304188")],
    );
    for text in [
        "DEA# BJ4829174 fails its check digit",
        "Order BJ4829175 shipped",
        "DEA take-back day is Saturday, drop off at door 4",
        "Tracking BK2048177 arrives Monday",
        "DEA bj4829175 typed in lower case",
    ] {
        assert_none_of(text, "license_number");
    }
}

/// NPIs need an NPI label and a valid check digit; they are public provider numbers (low).
#[test]
fn npi_numbers() {
    assert_found("NPI: 1902847361", &[("license_number", "1902847361")]);
    assert_found(
        "Welcome Dr. Alma Reyes (NPI 1482917360) to our family medicine team!",
        &[("license_number", "1482917360")],
    );
    assert_found(
        "National Provider Identifier 2953018472 on the referral form",
        &[("license_number", "2953018472")],
    );
    assert_eq!(scored("NPI 1902847361")[0].3, RiskLevel::Low);
    for text in [
        "Our NPI is listed on our website",
        "NPI 1902847362 fails the check digit",
        "Order 1205739182 shipped today",
        "We have served 1630472813 meals",
    ] {
        assert_none_of(text, "license_number");
    }
}
