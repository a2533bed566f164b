//! Table tests for the `hipaa-contact` pack: phone and fax numbers, email addresses, web
//! addresses and IP addresses, in the ways people type them in posts, and the look-alikes
//! (times, prices, counts, ranges, dates, ZIP+4, SSNs, NPIs, versions) that must stay quiet.

use crate::util::{assert_found, assert_none_of, found_rules};

/// North American numbers with separators, in every common writing, with and without +1/1.
#[test]
fn phone_nanp_formats() {
    let cases: &[(&str, &str)] = &[
        ("Questions? Call us at (555) 555-0142.", "(555) 555-0142"),
        ("Book online or call (555)555-0142 today", "(555)555-0142"),
        ("Front desk: 555-555-0142", "555-555-0142"),
        ("📞 555.555.0142", "555.555.0142"),
        ("📞555.555.0142", "555.555.0142"),
        ("Tel. 555 555 0142", "555 555 0142"),
        ("Mixed: 555 555-0142 works too", "555 555-0142"),
        ("Toll-free 1-800-555-0199!", "1-800-555-0199"),
        ("From abroad: +1 555 555 0142", "+1 555 555 0142"),
        ("+1-555-555-0142 (cell)", "+1-555-555-0142"),
        ("Dial 1 (555) 555-0142 from Canada", "1 (555) 555-0142"),
        ("Or 1.800.555.0199 after hours", "1.800.555.0199"),
        ("#CallUs 555-555-0100 to book your flu shot", "555-555-0100"),
        ("Phone:\n555-555-0142", "555-555-0142"),
        ("Tel.555-555-0142", "555-555-0142"),
        ("Line (555) 555-0142; ask for Ana", "(555) 555-0142"),
        ("Pharmacy Rx line: 555-555-0142", "555-555-0142"),
        (
            "Flu shots Friday!\n#CallUs #FluSeason 555-555-0188",
            "555-555-0188",
        ),
    ];
    for (text, value) in cases {
        assert_found(text, &[("phone", value)]);
    }
}

/// Extensions stay outside the value: the value is the number the validator checks.
#[test]
fn phone_extensions_are_not_part_of_the_value() {
    assert_found(
        "Direct line 555-555-0142 x12, ask for the charge nurse",
        &[("phone", "555-555-0142")],
    );
    assert_found("Call 555-555-0142 ext. 204", &[("phone", "555-555-0142")]);
    assert_found("Call 555-555-0142ext204", &[("phone", "555-555-0142")]);
    assert_found("Call (555) 555-0142x7", &[("phone", "(555) 555-0142")]);
}

/// Bare ten digits and seven-digit local numbers need phone words nearby.
#[test]
fn phone_bare_and_local_need_context() {
    assert_found(
        "Text 5555550142 to confirm your appointment",
        &[("phone", "5555550142")],
    );
    assert_found("tel:+15555550142", &[("phone", "+15555550142")]);
    assert_found(
        "Her daughter's cell: 5555550147",
        &[("phone", "5555550147")],
    );
    assert_found("Text 555-0199 to RSVP", &[("phone", "555-0199")]);
    assert_found(
        "Please reach Mrs. Lee's daughter at 555-0147.",
        &[("phone", "555-0147")],
    );
    assert_found("Front desk phone 555.0142", &[("phone", "555.0142")]);
    assert_found(
        "call 555-0142/555-0143",
        &[("phone", "555-0142"), ("phone", "555-0143")],
    );
    // A dashed local number is also taken on its own, at low confidence.
    assert_found("Questions? 555-0142", &[("phone", "555-0142")]);
    // Without any phone word, bare digits are not phones.
    assert_none_of("Our step challenge raised 5555550142 cents", "phone");
    assert_none_of("5555550142", "phone");
    assert_none_of("Front desk 555.0142", "phone");
}

/// Spanish posts: llame al, teléfono, celular, tel.
#[test]
fn phone_spanish_context() {
    assert_found(
        "Llame al (555) 555-0142 para más información.",
        &[("phone", "(555) 555-0142")],
    );
    assert_found(
        "Teléfono: (555) 555-0142, celular 555 555 0143",
        &[("phone", "(555) 555-0142"), ("phone", "555 555 0143")],
    );
    assert_found("Teléfono 5555550199", &[("phone", "5555550199")]);
    assert_found("Llame al 555-0188 mañana", &[("phone", "555-0188")]);
    assert_found("Celular: 555.555.0142", &[("phone", "555.555.0142")]);
}

/// International numbers with + and a country code, and toll-free vanity numbers.
#[test]
fn phone_international_and_vanity() {
    assert_found(
        "UK families can call +44 20 7946 0958.",
        &[("phone", "+44 20 7946 0958")],
    );
    assert_found(
        "Desde México: +52 55 1234 5678",
        &[("phone", "+52 55 1234 5678")],
    );
    assert_found(
        "Teléfono en Madrid +34 912 345 678",
        &[("phone", "+34 912 345 678")],
    );
    assert_found(
        "WhatsApp +44 (0)20 7946 0958 anytime",
        &[("phone", "+44 (0)20 7946 0958")],
    );
    assert_found(
        "Send a card to a patient: 1-800-EXAMPLE.",
        &[("phone", "1-800-EXAMPLE")],
    );
    assert_found("Nurse line 1-888-555-CARE", &[("phone", "1-888-555-CARE")]);
    assert_none_of("Ratings went up +2.5% this year", "phone");
    assert_none_of("We gained +300 000 000 views across platforms", "phone");
    assert_none_of("Take 800 MG TABLETS twice a day", "phone");
}

/// Numbers that only look like phone numbers.
#[test]
fn phone_hard_negatives() {
    let texts = [
        "Clinic hours 10:30-11:45 and 1:00-4:30 on Saturdays",
        "Tickets $555.01 each, final score 3-2",
        "Walked 1,555,014 steps in the 2019-2024 challenge!",
        "Rooms 201-210 are closed; room 305 is open",
        "See ISBN 978-0-306-40615-7 for the guide",
        "Order #555-0142 has shipped",
        "Order #555-555-0142 has shipped",
        "Call us about order 5555550142",
        "Born 05-21-2021 at 7 lb 2 oz",
        "Mail to 12345-6789",
        "Call about NPI 1234567893",
        "Call Dr. Ruiz, NPI 2345678903, about referrals",
        "Area code 155 is not real: 155-555-0142",
        "Recommended dose is 250-1000 mg daily",
        "Between 300-1200 calories burned",
        "We logged 800-1700 hours of volunteer time",
        "Scores ranged from 400-1600 this year",
        "Call us: 1555550142 is not a phone number",
        "Visit example.org/555-0142 for the form",
        "Follow-up visit on 2021-05-21 and 05.21.2021",
        "Rx line 5550142 is not ten digits",
    ];
    for text in texts {
        assert_none_of(text, "phone");
    }
    // A 9-digit SSN is an SSN, never a phone.
    assert_found("SSN 234-56-7890", &[("ssn", "234-56-7890")]);
    assert_none_of("SSN 234567890, call if lost", "phone");
}

/// A labelled fax number is fax; the other numbers in the same post stay phones.
#[test]
fn fax_beats_phone_on_the_labelled_number_only() {
    assert_found(
        "Call (555) 555-0100 or fax (555) 555-0199",
        &[("phone", "(555) 555-0100"), ("fax", "(555) 555-0199")],
    );
    assert_found(
        "Phone: 555-555-0100 | Fax: 555-555-0199",
        &[("phone", "555-555-0100"), ("fax", "555-555-0199")],
    );
    assert_found(
        "P: 555.555.0100 F: 555.555.0199",
        &[("phone", "555.555.0100"), ("fax", "555.555.0199")],
    );
    assert_found(
        "T: 555.555.0100 | F: 555.555.0199",
        &[("phone", "555.555.0100"), ("fax", "555.555.0199")],
    );
    assert_found(
        "T. 555 555 0100 F. 555 555 0199",
        &[("phone", "555 555 0100"), ("fax", "555 555 0199")],
    );
    assert_found(
        "T 555-555-0100\nF 555-555-0101",
        &[("phone", "555-555-0100"), ("fax", "555-555-0101")],
    );
    assert_found(
        "Fax us at 555-555-0199 or call 555-555-0100",
        &[("fax", "555-555-0199"), ("phone", "555-555-0100")],
    );
    assert_found(
        "555-555-0100 (main) / 555-555-0199 (fax)",
        &[("phone", "555-555-0100"), ("fax", "555-555-0199")],
    );
    let rules = found_rules("Call (555) 555-0100 or fax (555) 555-0199");
    assert_eq!(rules[1].0, "hipaa.fax.labelled");
}

/// A fax mentioned shortly before a number makes it a fax, unless a phone word labels it.
#[test]
fn fax_from_nearby_context() {
    assert_found(
        "I faxed my referral from Dr. Lee's office to (555) 555-0188 on Monday.",
        &[("fax", "(555) 555-0188")],
    );
    assert_found(
        "Fax numbers have changed! 📠 Main: (555) 555-0191 · Radiology: 555.555.0192",
        &[("fax", "(555) 555-0191"), ("fax", "555.555.0192")],
    );
    assert_found(
        "Ya mandé el fax con los papeles al 555-555-0193.",
        &[("fax", "555-555-0193")],
    );
    assert_found(
        "Fax: 555-555-0199, phone: 555-555-0100",
        &[("fax", "555-555-0199"), ("phone", "555-555-0100")],
    );
    assert_found(
        "We faxed it twice, then called 555-555-0142",
        &[("phone", "555-555-0142")],
    );
    assert_found(
        "Please don't fax. Text 555-0142 instead",
        &[("phone", "555-0142")],
    );
}

/// Fax labels in their other forms, Spanish included.
#[test]
fn fax_labels() {
    let cases: &[(&str, &str)] = &[
        ("Fax number: 5555550188", "5555550188"),
        ("FAX: (555) 555-0199", "(555) 555-0199"),
        ("fax number (555)555-0199", "(555)555-0199"),
        (
            "Please fax the form to (555) 555-0177 by Friday",
            "(555) 555-0177",
        ),
        ("Records can be faxed to 555-555-0166", "555-555-0166"),
        ("Facsimile: 555.555.0155", "555.555.0155"),
        ("Phone/Fax: 555-555-0142", "555-555-0142"),
        ("Fax - 555-555-0144", "555-555-0144"),
        ("Envíe el formulario por fax al 555-0199", "555-0199"),
        ("Número de fax: 555 555 0133", "555 555 0133"),
        ("Send records to 555.0199 [Fax]", "555.0199"),
        ("London office fax: +44 20 7946 0958", "+44 20 7946 0958"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("fax", value)]);
    }
    assert_none_of("Call (555) 555-0100 for a fax cover sheet", "fax");
    assert_none_of("Faxes are no longer accepted; call 555-555-0142", "fax");
    assert_none_of("Fax: coming soon", "fax");
}

/// Email addresses: plus-tags, dots, hyphens, subdomains, IDN, upper case; brackets, quotes and
/// trailing punctuation stay outside the value.
#[test]
fn email_addresses() {
    let cases: &[(&str, &str)] = &[
        ("email jane.doe@example.com", "jane.doe@example.com"),
        (
            "Questions? Email jane.doe@example.com.",
            "jane.doe@example.com",
        ),
        (
            "Send photos to <jane+nicu-2024@mail.example.org>!",
            "jane+nicu-2024@mail.example.org",
        ),
        ("(JOSE.RUIZ@EXAMPLE.COM)", "JOSE.RUIZ@EXAMPLE.COM"),
        ("\"o'brien_k@example.co.uk\"", "o'brien_k@example.co.uk"),
        (
            "Email: front-desk@clinic-north.example.org;",
            "front-desk@clinic-north.example.org",
        ),
        (
            "Escriba a maría.lópez@clínica.example, por favor",
            "maría.lópez@clínica.example",
        ),
        (
            "user@xn--bcher-kva.example is an IDN",
            "user@xn--bcher-kva.example",
        ),
        (
            "<a href=\"mailto:jane@example.com\">mail</a>",
            "jane@example.com",
        ),
        (
            "Reach her at jane.doe [at] example [dot] com",
            "jane.doe [at] example [dot] com",
        ),
        (
            "Email jdoe(at)example.org for records",
            "jdoe(at)example.org",
        ),
    ];
    for (text, value) in cases {
        assert_found(text, &[("email", value)]);
    }
    assert_none_of("Follow us @example on every platform", "email");
    assert_none_of("Upload logo@2x.png and banner@3x.jpg", "email");
    assert_none_of("Email test@example.c is incomplete", "email");
    assert_none_of("Join us [at] the clinic on Friday", "email");
}

/// Web addresses: schemes, www., bare domains with a path or after "visit"; trailing
/// punctuation and closing brackets excluded.
#[test]
fn urls() {
    let cases: &[(&str, &str)] = &[
        ("Visit www.example.org/flu", "www.example.org/flu"),
        ("More at WWW.EXAMPLE.COM.", "WWW.EXAMPLE.COM"),
        (
            "alt text: Screenshot of a patient portal at https://portal.example.com/chart?id=...",
            "https://portal.example.com/chart?id=",
        ),
        (
            "Read more (https://example.org/news/flu-2024).",
            "https://example.org/news/flu-2024",
        ),
        ("[link](https://example.org/a/b)", "https://example.org/a/b"),
        (
            "Visit https://example.org/flu?x=1&y=2#top.",
            "https://example.org/flu?x=1&y=2#top",
        ),
        (
            "Files: ftp://files.example.org/forms/intake.pdf",
            "ftp://files.example.org/forms/intake.pdf",
        ),
        (
            "Donate at example.org/patients/jane-doe.",
            "example.org/patients/jane-doe",
        ),
        ("Short link bit.ly/3xYz9Q!", "bit.ly/3xYz9Q"),
        ("Visit example.org to book", "example.org"),
        ("The example.org team says hi", "example.org"),
        (
            "the patient portal (portal.example.org) will be unavailable",
            "portal.example.org",
        ),
        (
            "Más información en nuestro sitio web: clinica.example.com.",
            "clinica.example.com",
        ),
    ];
    for (text, value) in cases {
        assert_found(text, &[("url", value)]);
    }
    assert_none_of("Bring your ID and/or insurance card", "url");
    assert_none_of("Use the Node.js/React stack", "url");
    assert_none_of("Thanks to our staff.Us too!", "url");
    assert_none_of("Built on ASP.NET", "url");
    assert_none_of("Visit us at the Node.js meetup", "url");
    assert_none_of("Go to www.microsoft for details", "url");
}

/// Emails, URLs and IPs overlapping each other: one finding, the right one.
#[test]
fn email_url_ip_overlaps() {
    // An email is never also a URL.
    assert_found(
        "Send to jane@www.example.org",
        &[("email", "jane@www.example.org")],
    );
    assert_found("Visit jane@example.org", &[("email", "jane@example.org")]);
    assert_found("jane@example.com/foo", &[("email", "jane@example.com")]);
    // A URL that contains an email or an IP address is the URL.
    assert_found(
        "https://example.com/contact?email=jane@example.com",
        &[("url", "https://example.com/contact?email=jane@example.com")],
    );
    assert_found(
        "Logs at http://192.0.2.15:8080/admin",
        &[("url", "http://192.0.2.15:8080/admin")],
    );
    assert_found(
        "http://[2001:db8::1]:8080/x",
        &[("url", "http://[2001:db8::1]:8080/x")],
    );
    // A phone number inside a URL is part of the URL.
    assert_found(
        "https://example.org/call/555-555-0142",
        &[("url", "https://example.org/call/555-555-0142")],
    );
    assert_found(
        "Call us: 555-555-0142 or email info@example.org or visit example.org/contact.",
        &[
            ("phone", "555-555-0142"),
            ("email", "info@example.org"),
            ("url", "example.org/contact"),
        ],
    );
}

/// IPv4 and IPv6 addresses, and the version, section, time and MAC look-alikes.
#[test]
fn ip_addresses() {
    let cases: &[(&str, &str)] = &[
        (
            "Portal logins from 203.0.113.42 were blocked",
            "203.0.113.42",
        ),
        ("IP:198.51.100.7.", "198.51.100.7"),
        ("Guest Wi-Fi subnet is 192.168.10.0/24", "192.168.10.0/24"),
        ("Prefix: 2001:db8::/32.", "2001:db8::/32"),
        ("(10.0.0.25)", "10.0.0.25"),
        (
            "Blocked 2001:db8:85a3::8a2e:370:7334 after three tries",
            "2001:db8:85a3::8a2e:370:7334",
        ),
        (
            "Full form 2001:0db8:85a3:0000:0000:8a2e:0370:7334.",
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        ),
        ("Link-local fe80::1%eth0 on the kiosk", "fe80::1%eth0"),
        ("Server [2001:db8::1] is down", "2001:db8::1"),
        ("Mapped ::ffff:192.0.2.128 seen", "::ffff:192.0.2.128"),
        ("IPv6:2001:db8::1 again", "2001:db8::1"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("ip_address", value)]);
    }
    // Glued to a word, an address is not read from its middle.
    assert_none_of("text2001:db8::1", "ip_address");
    assert_none_of("fe80::1text", "ip_address");
    assert_found("foo2001:db8::10.0.0.1", &[("ip_address", "10.0.0.1")]);
    assert_found(
        "IPs 10.0.0.1,10.0.0.2",
        &[("ip_address", "10.0.0.1"), ("ip_address", "10.0.0.2")],
    );
    let texts = [
        "Update to v1.2.3.4 today",
        "Running version 10.2.0.1 on all kiosks",
        "See section 1.2.3.4 of the policy",
        "Dates like 12.05.2021 are not addresses",
        "Build 256.1.1.1 is not an address",
        "Shift change at 12:30 and 18:45:30",
        "Device MAC 00:1A:2B:3C:4D:5E registered",
        "Timestamps 00:00:12:30:45",
        "Clinic hours 10:30-11:45",
    ];
    for text in texts {
        assert_none_of(text, "ip_address");
    }
}
