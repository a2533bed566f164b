//! Table tests for the `hipaa-vehicles-devices` pack: VINs, licence plates, device serial
//! numbers, IMEIs and UDIs, and the codes that only look like them.

use crate::util::{assert_found, assert_none_of, found_rules};

/// VINs: upper-case, VIN-shaped codes with a correct check digit are found on their own; any
/// case near the word VIN.
#[test]
fn vins() {
    let cases: &[(&str, &str)] = &[
        (
            "Her car 3FAKE7BC3RA482913 was left in the ER lot overnight.",
            "3FAKE7BC3RA482913",
        ),
        (
            "Towed: 1GTHK2ZWXCF530719, please call security",
            "1GTHK2ZWXCF530719",
        ),
        ("(JM7TEST26NW660142)", "JM7TEST26NW660142"),
        (
            "VIN: 5nvet3kx2pb204817 (from the insurance card)",
            "5nvet3kx2pb204817",
        ),
        (
            "Vehicle identification number 1FTEX1CM9HKD40527",
            "1FTEX1CM9HKD40527",
        ),
        ("VIN#2PXRTR4D3LM017736", "2PXRTR4D3LM017736"),
        ("Número de bastidor WDDXY4HB4KA902318", "WDDXY4HB4KA902318"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("vehicle_id", value)]);
    }
    // Near the word VIN the labelled rule (more confident) is the one that reports it.
    let rules = found_rules("VIN 4VRNX9WW2SA118273");
    assert_eq!(
        rules,
        vec![(
            "hipaa.vehicle.vin-labelled".to_owned(),
            "4VRNX9WW2SA118273".to_owned()
        )]
    );
}

/// 17-character codes that are not VINs: bad check digit, URL paths, lower-case hashes, all
/// digits, letters at the end.
#[test]
fn vin_look_alikes() {
    let texts = [
        "Tracking code 3FAKE7BC4RA482913 is not a valid VIN",
        "VIN: 5NVET3KX3PB204817 has a bad check digit",
        "https://example.org/track/3FAKE7BC3RA482913",
        "?ref=3FAKE7BC3RA482913",
        "Build id 12345678901234567 shipped",
        "Hash 3fake7bc3ra482913 in lower case",
        "Code ABCDEFGH5JKLMNPRS passes the check digit but ends in letters",
        "Ticket 3FAKE7BC3RA48291 has only 16 characters",
    ];
    for text in texts {
        assert_none_of(text, "vehicle_id");
    }
}

/// Licence plates right after their label, English and Spanish.
#[test]
fn licence_plates() {
    let cases: &[(&str, &str)] = &[
        (
            "Family member's truck, plate ABC-1234, is blocking the ambulance bay",
            "ABC-1234",
        ),
        ("License plate: 7ABC123 (white sedan)", "7ABC123"),
        ("Her plate number is 7ABC124.", "7ABC124"),
        ("Texas plates NY ABC 123 seen at the door", "ABC 123"),
        ("plates reading XYZ 789 in lot C", "XYZ 789"),
        ("Tag number XYZ 5678 please move your car", "XYZ 5678"),
        ("Auto con placas 123-ABC en el estacionamiento", "123-ABC"),
        ("Matrícula: ABC1D23", "ABC1D23"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("vehicle_id", value)]);
    }
    let texts = [
        "Our license plate recognition starts in ICU 200 next week",
        "Tag a friend who needs a flu shot! ABC-1234",
        "Plate of fruit for the staff room",
        "Plates are not allowed in room 2B",
        "Free parking: ABC-1234 is the lot code",
    ];
    for text in texts {
        assert_none_of(text, "vehicle_id");
    }
}

/// Serial numbers and device IDs right after their label; a device word raises confidence.
#[test]
fn device_serials() {
    let cases: &[(&str, &str)] = &[
        (
            "Mr. Ortiz's pacemaker serial no. PM4471-2208 was read in clinic",
            "PM4471-2208",
        ),
        ("pacemaker serial # PM-4471-2208 checked", "PM-4471-2208"),
        (
            "Found a hearing aid, S/N: HA20931X, at the front desk",
            "HA20931X",
        ),
        ("CPAP SN:58201Q77 returned", "58201Q77"),
        ("Patient's CPAP (serial 88213-B) was returned", "88213-B"),
        (
            "Device ID 4B7C-99D2-0417 paired with the portal",
            "4B7C-99D2-0417",
        ),
        ("Insulin pump serial number is IP830174", "IP830174"),
        ("Bomba de insulina, número de serie IP-830174", "IP-830174"),
        ("Serial #: 20481736", "20481736"),
        ("My CPAP # 22181033454 is under recall", "22181033454"),
        ("Her pacemaker no. PM-4471-2209 was checked", "PM-4471-2209"),
        ("Lost hearing aid #HA20931Y at the 5K", "HA20931Y"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("device_id", value)]);
    }
    let e = crate::util::engine();
    let m = e.scan("pacemaker serial # PM-4471-2208 checked");
    assert!(
        m[0].confidence > 0.8,
        "a pacemaker serial is more confident than a bare serial"
    );
    let texts = [
        "Serial number is printed on the back of the box",
        "Calle Juárez S/N 06600 Ciudad de México",
        "Serial killers podcast, episode 12345",
        "SN: AAAA-AAAA",
        "Model CPAP-300 is back in stock",
        "Model no. 4471, serial no. 2208",
        "S/N 12345",
        "sn 2024",
        "CPAP #1 tip: clean the mask daily",
        "Pacemaker no. 5 on the list",
    ];
    for text in texts {
        assert_none_of(text, "device_id");
    }
}

/// A serial range in a recall notice: both ends are device identifiers.
#[test]
fn serial_ranges() {
    assert_found(
        "If your glucose meter has a serial number from GM-448100 to GM-448399, please call us.",
        &[("device_id", "GM-448100"), ("device_id", "GM-448399")],
    );
    assert_found(
        "Serial numbers PX-20417 through PX-20499 are recalled",
        &[("device_id", "PX-20417"), ("device_id", "PX-20499")],
    );
    assert_none_of(
        "The serial number is on the back; model XR-5000 is fine",
        "device_id",
    );
}

/// IMEIs need the word IMEI nearby and a correct Luhn check.
#[test]
fn imeis() {
    let cases: &[(&str, &str)] = &[
        (
            "Lost phone, IMEI: 358219074610324, please return to the nurses' station",
            "358219074610324",
        ),
        ("IMEI 86-473104-829315-8", "86-473104-829315-8"),
        (
            "The tablet's IMEI number is 356782 119023 847.",
            "356782 119023 847",
        ),
        ("IMEI/serial 990017248561371", "990017248561371"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("device_id", value)]);
    }
    let texts = [
        "IMEI: 358219074610325 fails the check",
        "Order 358219074610324 shipped (no IMEI here)",
        "358219074610324",
        "IMEI 35-821907 461032-4 mixes separators",
    ];
    for text in texts {
        assert_none_of(text, "device_id");
    }
    // A card number next to an IMEI stays a card number.
    assert_found(
        "IMEI: 358219074610324 and card 378282246310005",
        &[
            ("device_id", "358219074610324"),
            ("account_number", "378282246310005"),
        ],
    );
}

/// UDIs: the GS1 form with parentheses anywhere, any form after "UDI".
#[test]
fn udis() {
    let cases: &[(&str, &str)] = &[
        (
            "Implant label: (01)00844588003288(17)141120(10)7654321D(21)10.",
            "(01)00844588003288(17)141120(10)7654321D(21)10",
        ),
        (
            "Scan (01)10884521062856(21)X4482 for the pump",
            "(01)10884521062856(21)X4482",
        ),
        (
            "UDI: (01)00844588003288(17)141120(10)7654321D(21)10",
            "(01)00844588003288(17)141120(10)7654321D(21)10",
        ),
        (
            "UDI-DI 00844588003288 on the insulin pump box",
            "00844588003288",
        ),
        (
            "UDI +H123PUMP71920/$$3231231BC3 printed on the label",
            "+H123PUMP71920/$$3231231BC3",
        ),
    ];
    for (text, value) in cases {
        assert_found(text, &[("device_id", value)]);
    }
    let texts = [
        "Step (01) of 10 in the checklist",
        "(01)00844588003288 alone is only the product code",
        "UDI: not available yet",
        "The FDA's UDI system helps recalls",
    ];
    for text in texts {
        assert_none_of(text, "device_id");
    }
}
