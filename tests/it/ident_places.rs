//! Table tests for the `hipaa-places` pack: US and Spanish street addresses, PO boxes, ZIP
//! codes next to a state or a ZIP label, restricted ZIP3 areas, and room/bed numbers, with the
//! look-alikes that must stay quiet (counts, drugs, wings, units, routes, years, shared rooms).

use phiguard::category::RiskLevel;

use crate::util::{assert_found, assert_none_of, engine, found_rules};

/// US street addresses: number, optional direction, name, street type, optional unit.
#[test]
fn us_street_addresses() {
    let cases: &[(&str, &str)] = &[
        ("Join us Saturday at 1420 Elm Street!", "1420 Elm Street"),
        ("Visit us at 123 Main St.", "123 Main St"),
        ("Drop-off: 77 Oak Ln #5", "77 Oak Ln #5"),
        (
            "Moved to 3100 North Lakeshore Drive last year",
            "3100 North Lakeshore Drive",
        ),
        ("Shuttle stops at 500 5th Ave.", "500 5th Ave"),
        ("Address: 9 Rosewood Ct, Unit 12", "9 Rosewood Ct, Unit 12"),
        (
            "She lives at 12B Martin Luther King Jr Blvd Apt 4B.",
            "12B Martin Luther King Jr Blvd Apt 4B",
        ),
        (
            "Our office: 1 Medical Plaza, Suite 200",
            "1 Medical Plaza, Suite 200",
        ),
        ("Meet at 7 Maple Court tonight", "7 Maple Court"),
        ("221B Baker Street fans unite", "221B Baker Street"),
        (
            "Tour of 1600 Pennsylvania Avenue NW",
            "1600 Pennsylvania Avenue NW",
        ),
        ("New site: 88 Harbor Pkwy", "88 Harbor Pkwy"),
        ("1420 Elm street, side door", "1420 Elm street"),
        ("Show at 1619 Broadway, 2nd floor", "1619 Broadway"),
        ("45 E 20th St, Apt. 4B", "45 E 20th St, Apt. 4B"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("geographic", value)]);
    }
}

/// A full US address is one finding, from the house number to the ZIP, so that redaction
/// removes all of it; a PO box and the ZIP after it stay separate.
#[test]
fn full_us_address() {
    assert_found(
        "Our new clinic at 250 W. Main St, Suite 300, Springfield, IL 62701 opens May 5",
        &[
            (
                "geographic",
                "250 W. Main St, Suite 300, Springfield, IL 62701",
            ),
            ("date", "May 5"),
        ],
    );
    assert_found(
        "Now open at 4500 S. Congress Ave., Austin, TX 78745",
        &[("geographic", "4500 S. Congress Ave., Austin, TX 78745")],
    );
    assert_found(
        "Mail it to 1420 Elm Street, Apt 4B, Springfield, Illinois 62704-1234 please",
        &[(
            "geographic",
            "1420 Elm Street, Apt 4B, Springfield, Illinois 62704-1234",
        )],
    );
    // A capitalised word after the street that is not followed by a state is not a city.
    assert_found(
        "Meet at 1420 Elm Street, Springfield Clinic lobby",
        &[("geographic", "1420 Elm Street")],
    );
    assert_found(
        "Send cards to P.O. Box 1234, Springfield, IL 62701-4455",
        &[("geographic", "1234"), ("geographic", "62701-4455")],
    );
}

/// Spanish-style street addresses.
#[test]
fn spanish_street_addresses() {
    let cases: &[(&str, &str)] = &[
        ("Vive en Calle 5 #123, colonia Centro", "Calle 5 #123"),
        ("Nueva clínica en Av. Reforma 222", "Av. Reforma 222"),
        ("Estamos en Calle Mayor 12, Madrid", "Calle Mayor 12"),
        ("Carrera 7 # 45-10, Bogotá", "Carrera 7 # 45-10"),
        (
            "Avenida de los Insurgentes 1500",
            "Avenida de los Insurgentes 1500",
        ),
        ("Calle 5 de Mayo 123, Puebla", "Calle 5 de Mayo 123"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("geographic", value)]);
    }
    assert_found(
        "Nueva clínica en Calle 16 de Septiembre 45, Col. Centro, C.P. 72000",
        &[
            ("geographic", "Calle 16 de Septiembre 45"),
            ("geographic", "72000"),
        ],
    );
    assert_found(
        "Av. Reforma 222, CDMX, C.P. 06600",
        &[("geographic", "Av. Reforma 222"), ("geographic", "06600")],
    );
}

/// PO boxes: the value is the box number.
#[test]
fn po_boxes() {
    let cases: &[(&str, &str)] = &[
        ("Send cards to PO Box 1234", "1234"),
        ("Mail: P.O. Box 77", "77"),
        ("P. O. Box 908", "908"),
        ("Post Office Box 4410", "4410"),
        ("Escríbanos al Apartado Postal 45", "45"),
        ("Apdo. 302, San José", "302"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("geographic", value)]);
    }
}

/// ZIP and ZIP+4 codes need a state or a ZIP label; the value is the ZIP alone.
#[test]
fn zip_codes_with_context() {
    let cases: &[(&str, &str)] = &[
        ("Springfield, IL 62701", "62701"),
        ("Mail to New York, NY 10001-1234", "10001-1234"),
        ("Springfield IL 62704", "62704"),
        ("Boise, ID 83702", "83702"),
        ("Austin, Texas 78701", "78701"),
        ("Patients from zip code 60614 can enroll", "60614"),
        ("ZIP: 62701", "62701"),
        ("(IL 62701)", "62701"),
        ("Springfield, Illinois 62701", "62701"),
        ("Código postal: 06600", "06600"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("geographic", value)]);
    }
    for text in [
        "Member ID 12345 on file",
        "We logged 12345 steps",
        "Invoice 62701 paid",
        "62701-1234",
        "ZIP 00000 is not real",
    ] {
        assert_none_of(text, "geographic");
    }
}

/// ZIPs in the 17 restricted ZIP3 areas win over the general ZIP rule and are medium severity.
#[test]
fn restricted_zip3_areas() {
    for (text, value) in [
        ("Berlin, NH 03601", "03601"),
        ("Tonopah, Nevada 89301-0001", "89301-0001"),
        ("zip 82190", "82190"),
        ("Norton, VT 05907", "05907"),
    ] {
        assert_eq!(
            found_rules(text),
            vec![("hipaa.zip.restricted-zip3".to_owned(), value.to_owned())],
            "scanning {text:?}"
        );
        let e = engine();
        let m = &e.scan(text)[0];
        assert_eq!(m.severity, RiskLevel::Medium, "scanning {text:?}");
    }
    assert_eq!(
        found_rules("Boston, MA 02115"),
        vec![("hipaa.zip.with-context".to_owned(), "02115".to_owned())]
    );
}

/// Numbers followed by capitalised words that are not addresses.
#[test]
fn not_addresses() {
    for text in [
        "Take 2 Tylenol and rest",
        "Lunch at the 5 Star Drive-in was great",
        "Visit the 3 West wing",
        "Unit 4 nurses rock!",
        "4 East is hiring",
        "Suite 300 staff potluck",
        "We walked 1,200 steps on the road",
        "the 405 freeway is jammed",
        "Route 66 road trip",
        "In 2024 Main Street Clinic opened",
        "Since 1952 Park Avenue Pediatrics has served kids",
        "2024 Best Place to Work award!",
        "Our team won 2 First Place awards",
        "Thanks to 100 United Way volunteers",
        "24 Hour Fitness partnership",
        "Welcome our 3 new Dr. hires",
        "walked 3 miles down the road",
        "Salimos a la calle 3 veces al día",
        "Check the box 3 times",
        "Ver el apartado 3 del reglamento",
    ] {
        assert_none_of(text, "geographic");
    }
}

/// Room, bed, bay, pod and crib numbers, English and Spanish: the value is the number.
#[test]
fn room_and_bed_numbers() {
    let cases: &[(&str, &str)] = &[
        ("Happy birthday to Mrs. Alvarez in Room 214!", "214"),
        ("Bed 14 — pictured with nurse Kim", "14"),
        ("rm. 3B says thank you!", "3B"),
        ("Rm 412 got balloons", "412"),
        ("Bed #2 got a visit from the therapy dog", "2"),
        ("Room No. 5 is all smiles", "5"),
        ("Our NICU pod 4 graduates", "4"),
        ("Isolette 12 is going home!", "12"),
        ("Bay 3 in the ED", "3"),
        ("Crib 7 is ready", "7"),
        ("Paciente en el cuarto 14 del tercer piso", "14"),
        ("Habitación 12 ❤️", "12"),
        ("Doña Luz, cama 4", "4"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("other_id", value)]);
    }
    assert_found(
        "Pedro en la cama 4, habitación 210",
        &[("other_id", "4"), ("other_id", "210")],
    );
}

/// Shared rooms, plural rooms and rooms as a measure are not room numbers.
#[test]
fn not_room_numbers() {
    for text in [
        "Meet in Conference Room 2 at noon",
        "Meeting Room B is booked",
        "Room 101 at the library",
        "We have rooms 100-120 available",
        "Training room 4 at 3pm",
        "Waiting room 4 is closed",
        "Break room 2 has cake",
        "Clean bathroom 3 times a day",
        "3 bed 2 bath house for sale",
        "Room for 100 guests",
        "Unit 4 nurses rock!",
        "Suite 300 staff potluck",
        "Sala de espera 2",
        "Exam Room 3 got a makeover",
    ] {
        assert_none_of(text, "other_id");
    }
}
