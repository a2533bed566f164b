//! Health and financial record identifiers (`patterns/health-ids.toml`): medical record and NHS
//! numbers, encounter numbers, health-plan IDs (member IDs, MBIs, HICNs, Medicaid), account and
//! payment-card numbers, in realistic post sentences and alt text.

use phiguard::category::RiskLevel;

use crate::util::{assert_found, assert_none_of, found_rules, scored};

/// Medical record numbers after their many labels, with separators, brackets and line breaks.
#[test]
fn medical_record_numbers() {
    let cases: &[(&str, &str)] = &[
        (
            "Alt text: photo of a wristband reading MRN 00482913",
            "00482913",
        ),
        ("Jane Doe (MRN 00482913) was discharged today", "00482913"),
        ("Jane Doe (MRN: 00482913) #NICU 💙", "00482913"),
        ("MRN-4829173 on the chart in the background", "4829173"),
        ("MRN#00482913.", "00482913"),
        ("MRN00482913", "00482913"),
        ("Medical record number: A1234567", "A1234567"),
        ("Medical record no.:  00482913", "00482913"),
        ("MRN:\n00482913", "00482913"),
        ("chart # 4829-173, please blur", "4829-173"),
        ("MR# 7730215.", "7730215"),
        ("MR # 7730215", "7730215"),
        ("med rec no. 0482", "0482"),
        ("Patient ID: PT-004829 on the whiteboard 🙈", "PT-004829"),
        ("Pt. ID 48291", "48291"),
        ("Hospital number 4829173", "4829173"),
        ("Número de expediente: 00482913", "00482913"),
        ("historia clínica n.º 4829173", "4829173"),
        ("Historia clínica: HC-4829173", "HC-4829173"),
        ("ID del paciente: 00482913", "00482913"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("medical_record_number", value)]);
    }
    assert_eq!(scored("MRN 00482913")[0].3, RiskLevel::High);
}

/// Record-ish words without a record number, placeholders and counts.
#[test]
fn medical_record_hard_negatives() {
    for text in [
        "Patient ID bracelets are scanned at every dose",
        "MRN 000000 is the test patient in our training video",
        "MRN 123456 is our demo chart",
        "Patient ID 1234 is the placeholder in the EHR demo",
        "MRN XXXXXXX",
        "Medical records 2024 review is complete",
        "medical record 2024 audit passed",
        "Chart 2024: patient satisfaction up 12%",
        "Hospital #1 in the state for cardiac care!",
        "Mr. Ortiz 4829173",
        "MRI 00482913",
        "ID badge required, Room 412",
        "Patient #1 in our hearts",
        "patient #2024 this year!",
        "Celebrating our milestone: patient #100000!",
        "Patient satisfaction 98%",
        "Patient ID 2024",
    ] {
        assert_none_of(text, "medical_record_number");
    }
}

/// Weaker labels ("patient #", "patient number") need six or more characters.
#[test]
fn patient_numbers() {
    assert_found(
        "Patient # 00482913 in the photo",
        &[("medical_record_number", "00482913")],
    );
    assert_found(
        "patient number 4829173, please blur",
        &[("medical_record_number", "4829173")],
    );
    assert_found("Pt #: 482-9173", &[("medical_record_number", "482-9173")]);
    assert_found(
        "número de paciente 7730215",
        &[("medical_record_number", "7730215")],
    );
    assert_none_of("Patient # 48291 is a short code", "medical_record_number");
}

/// UK NHS numbers: next to "NHS", with a valid mod-11 check digit.
#[test]
fn nhs_numbers() {
    assert_found(
        "NHS number: 485 777 3457",
        &[("medical_record_number", "485 777 3457")],
    );
    assert_found(
        "Alt text: hospital letter showing NHS No. 6120493875",
        &[("medical_record_number", "6120493875")],
    );
    assert_found(
        "NHS 708-254-6130 on the wristband",
        &[("medical_record_number", "708-254-6130")],
    );
    // A valid NHS number wins over the phone rule that also fits 3-3-4.
    assert_eq!(
        found_rules("NHS number 485 777 3457"),
        vec![("hipaa.mrn.nhs-number".to_owned(), "485 777 3457".to_owned())]
    );
    assert_none_of("NHS number 485 777 3458", "medical_record_number");
    assert_none_of("NHS number 222 222 2222", "medical_record_number");
    assert_none_of("NHS 111 or call 0300 123 4567", "medical_record_number");
    assert_none_of("4857773457 without any label", "medical_record_number");
}

/// Encounter, visit and CSN/FIN numbers are the hospital account a stay is billed under:
/// `account_number`, high severity.
#[test]
fn encounter_numbers() {
    assert_found(
        "Encounter #: 48291736 is visible on the label",
        &[("account_number", "48291736")],
    );
    assert_found(
        "CSN 7730215048 on the discharge paperwork",
        &[("account_number", "7730215048")],
    );
    assert_found("visit number V-0482917", &[("account_number", "V-0482917")]);
    assert_found("FIN# 20481736", &[("account_number", "20481736")]);
    assert_eq!(scored("CSN 7730215048")[0].3, RiskLevel::High);
    for text in [
        "Visit #3 of her PT series went great",
        "visit number 2024 this year",
        "Episode 104 of our podcast is live",
        "Admission is free this weekend",
    ] {
        assert_none_of(text, "account_number");
    }
}

/// Member, subscriber and insurance IDs after their label.
#[test]
fn member_ids() {
    let cases: &[(&str, &str)] = &[
        ("Screenshot shows Member ID: XWB123456789", "XWB123456789"),
        ("Subscriber # 004829173-01 on the card", "004829173-01"),
        ("Insurance ID is ZGP4829173, can you blur it?", "ZGP4829173"),
        ("member id (H48291736)", "H48291736"),
        ("Member #: 004829173", "004829173"),
        ("ID de miembro: MX0048291", "MX0048291"),
        ("número de afiliado 482917365", "482917365"),
        ("Member ID\nJQX 482917365", "JQX 482917365"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("health_plan_id", value)]);
    }
    for text in [
        "Please bring your insurance card (member ID) to the clinic",
        "Member since 2019 and loving it",
        "Member #1 of our patient advisory council",
        "Member ID cards are mailed in 7-10 days",
        "member number 123456 is the sample on our flyer",
        "Subscriber #48291 milestone reached on our channel",
        "Our members saved 4829173 dollars",
    ] {
        assert_none_of(text, "health_plan_id");
    }
}

/// Policy and group numbers count only after their label in a post about insurance.
#[test]
fn policy_and_group_numbers() {
    assert_found(
        "Alt text: insurance card with Group # 004829 and the plan logo",
        &[("health_plan_id", "004829")],
    );
    assert_found(
        "Policy number H4829173605 is on the insurance card in this photo",
        &[("health_plan_id", "H4829173605")],
    );
    assert_found(
        "Número de póliza: PX-48291736 (seguro dental)",
        &[("health_plan_id", "PX-48291736")],
    );
    assert_found(
        "Screenshot of an insurance card: Member ID: XWB482913075, Group # 80417",
        &[
            ("health_plan_id", "XWB482913075"),
            ("health_plan_id", "80417"),
        ],
    );
    for text in [
        "Our policy on visitors has changed",
        "Support group #3 meets Tuesday; bring your insurance questions",
        "Group 3 walkers start at 9",
        "Per hospital policy #2024-15, masks are required",
        "Policy #48291736 was updated by our compliance team",
        "Group number 12345 is printed on the sample insurance card",
    ] {
        assert_none_of(text, "health_plan_id");
    }
}

/// Medicare MBIs anywhere (strict format), lower case only with a Medicare label.
#[test]
fn medicare_mbi() {
    assert_found(
        "Medicare card 1EG4-TE5-MK73 visible in the photo",
        &[("health_plan_id", "1EG4-TE5-MK73")],
    );
    assert_found("MBI: 3QW7HN2XP48", &[("health_plan_id", "3QW7HN2XP48")]);
    assert_found(
        "Alt text: card on the table reads 5KD9-R83-XC12 under her name",
        &[("health_plan_id", "5KD9-R83-XC12")],
    );
    assert_found(
        "her medicare number is 1eg4-te5-mk73",
        &[("health_plan_id", "1eg4-te5-mk73")],
    );
    let boosted = scored("Medicare card 1EG4-TE5-MK73");
    assert_eq!(boosted[0].2, 0.97);
    assert_eq!(scored("card reads 1EG4TE5MK73")[0].2, 0.9);
    for text in [
        "Medicare card 1EG4-TE5MK73 with mixed dashes",
        "Use code 1SL4TE5MK73 at checkout",
        "Our wifi is 2024HEALTHY",
        "#Team2024 ready for the 5K!",
        "Order 1EG4TE5MK7 shipped",
        "tracking 1eg4te5mk73 arrives Monday",
        "Medicare Part B covers 80%",
    ] {
        assert_none_of(text, "health_plan_id");
    }
}

/// Old Medicare HICNs (nine digits and a letter code) need a Medicare label.
#[test]
fn medicare_hicn() {
    assert_found(
        "Old Medicare card with number 987654326A in the photo",
        &[("health_plan_id", "987654326A")],
    );
    assert_found(
        "HICN: 987-65-4327-B1",
        &[("health_plan_id", "987-65-4327-B1")],
    );
    assert_none_of("Order 987654326A shipped today", "health_plan_id");
    assert_none_of("Medicare open enrollment ends soon", "health_plan_id");
    assert_none_of("Medicare seminar, room 412B", "health_plan_id");
}

/// Medicaid and state programme IDs after their label.
#[test]
fn medicaid_ids() {
    let cases: &[(&str, &str)] = &[
        ("Medicaid ID: 48291736", "48291736"),
        ("Medi-Cal BIC # 91234567A01", "91234567A01"),
        ("MassHealth member ID 100482917365", "100482917365"),
        ("número de Medicaid: AB48291C", "AB48291C"),
        (
            "Medicaid card no. TX 482917365 on the counter",
            "TX 482917365",
        ),
    ];
    for (text, value) in cases {
        assert_found(text, &[("health_plan_id", value)]);
    }
    for text in [
        "Medicaid covers 1500000 kids in our state",
        "Medicaid ID cards arrive in 2 weeks",
        "Medicaid expansion 2024: what it means for you",
        "Medicaid ID 123456 is the sample on our poster",
    ] {
        assert_none_of(text, "health_plan_id");
    }
}

/// Account numbers right after an account label; phone numbers never become accounts.
#[test]
fn account_numbers() {
    let cases: &[(&str, &str)] = &[
        (
            "Patient account #: 4829173650 visible on the billing screen",
            "4829173650",
        ),
        ("Acct. 00482917", "00482917"),
        ("Acct#4829173650", "4829173650"),
        ("billing account number is 4829-1736-02", "4829-1736-02"),
        ("Número de cuenta: 004829173", "004829173"),
        (
            "account ID HB-7730215048 in the screenshot",
            "HB-7730215048",
        ),
        (
            "@dana_r I looked up account #40918273 and the payment went through",
            "40918273",
        ),
    ];
    for (text, value) in cases {
        assert_found(text, &[("account_number", value)]);
    }
    for text in [
        "call 555-0142 about your account",
        "Questions about your account? 555-0199",
        "Account: (555) 555-0142",
        "Account # 555-0142",
        "account number (555) 228-0142",
        "These cases account for 30% of visits",
        "Account 2024 summary is ready",
        "account # 123456 is the sample on our statement",
        "Follow our account, 125000 followers and counting!",
        "cuenta con 150000 pacientes",
        "Order #48291736 confirmation 4829173650",
    ] {
        assert_none_of(text, "account_number");
    }
}

/// Payment cards: grouped forms anywhere, bare forms only with a brand prefix; Luhn always.
#[test]
fn payment_cards() {
    let cases: &[(&str, &str)] = &[
        (
            "Alt text: her credit card 4532 0147 8291 7363 on the counter",
            "4532 0147 8291 7363",
        ),
        ("card: 5425-2334-3010-9903", "5425-2334-3010-9903"),
        (
            "Amex 3782 822463 10005 visible in the screenshot",
            "3782 822463 10005",
        ),
        (
            "paid with 4024 0071 7894 2107 yesterday",
            "4024 0071 7894 2107",
        ),
        ("Visa 4532014782917363 in the photo", "4532014782917363"),
        ("cc# 5222482917364052", "5222482917364052"),
        ("receipt showing 378282246310005", "378282246310005"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("account_number", value)]);
    }
    assert_eq!(scored("4532 0147 8291 7363")[0].2, 0.9);
    assert_eq!(scored("4532014782917363")[0].2, 0.8);
    for text in [
        "card 4532 0147 8291 7364 fails the check",
        "Gift card 1234 5678 9012 3456",
        "card 4532-0147 8291-7363 has mixed separators",
        "4444 4444 4444 4444 is not a real card",
        "Order 4532014782917363 shipped",
        "Tracking 4000123412341234 arrives Monday",
        "ID 1234567890123456 on the badge",
        "card ending in 7363",
    ] {
        assert_none_of(text, "account_number");
    }
}

/// Realistic posts with no identifier value at all: nothing high-severity is found.
#[test]
fn posts_without_values() {
    for text in [
        "Please bring your insurance card (member ID) to the clinic",
        "Our NPI is listed on our website",
        "Group 3 walkers meet by the fountain at 9am!",
        "Don't forget your ID badge, team. Room 412 is the new break room.",
        "Patient ID bracelets are scanned before every medication.",
        "Member since 2019 and still loving our Tuesday yoga class",
        "Our policy on visitors has changed: two per patient.",
        "Falls account for 30% of ER visits in adults over 65.",
        "Happy 2024! #Team2024 hit 1,250 steps before lunch.",
        "App update v2.14.3 fixes the portal login bug.",
        "Invoice questions? Total due was $1,250.00.",
        "Your confirmation number is 4829173; tracking 1Z999AA10123456784.",
        "Case #2024-0042 was closed by the ethics committee.",
    ] {
        for category in [
            "ssn",
            "medical_record_number",
            "health_plan_id",
            "account_number",
        ] {
            assert_none_of(text, category);
        }
    }
}
