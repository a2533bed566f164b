//! Images end to end: the photos in fixtures/formats (written by
//! scripts/gen_image_fixtures.py) are scanned by the binary; each finding is pinned to the
//! metadata field it is in, and each photo's risk.

use serde_json::Value;

use crate::util::phiguard;

/// `(finding locator, rule, value)`.
type Row = (String, String, String);

/// The JSON report of a scan with values shown, and the exit code.
fn report(args: &[&str]) -> (Value, i32) {
    let out = phiguard()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "--format", "json", "--show-values"])
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).expect("a JSON report");
    (report, out.status.code().unwrap())
}

/// The one post of an image: its risk and findings as [`Row`]s.
fn scan_image(path: &str) -> (String, Vec<Row>) {
    let (report, code) = report(&[path]);
    // Exit code 1: a post at or above the failing risk.
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["notes"], Value::Array(Vec::new()), "{path}");
    let posts = report["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 1, "{path}: {report}");
    let post = &posts[0];
    // The whole image is one post: no locator of its own, each finding names its field.
    assert_eq!(post["locator"], Value::Null);
    let rows = post["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["locator"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (post["risk"].as_str().unwrap().to_owned(), rows)
}

fn row(at: &str, rule: &str, value: &str) -> Row {
    (at.into(), rule.into(), value.into())
}

#[test]
fn jpeg_exif_gps_and_xmp() {
    let (risk, got) = scan_image("fixtures/formats/photo-phi.jpg");
    assert_eq!(risk, "high");
    assert_eq!(
        got,
        vec![
            row(
                "EXIF ImageDescription",
                "hipaa.name.patient",
                "Rosalind Whitfield"
            ),
            row("EXIF ImageDescription", "hipaa.room.number", "412"),
            // The staff photographer: a name the engine cannot place.
            row("EXIF Artist", "hipaa.name.person", "Kenji Ashdown"),
            row("EXIF UserComment", "hipaa.mrn.labelled", "40417722"),
            row(
                "EXIF GPS position",
                "hipaa.geo.coordinates",
                "40.712800, -74.006000"
            ),
            row(
                "XMP dc:description",
                "hipaa.name.patient",
                "Rosalind Whitfield"
            ),
            row("XMP dc:subject", "hipaa.name.person", "Rosalind Whitfield"),
            row(
                "XMP Iptc4xmpExt:PersonInImage",
                "hipaa.name.person",
                "Rosalind Whitfield"
            ),
        ]
    );
}

#[test]
fn png_text_chunks_and_xmp() {
    let (risk, got) = scan_image("fixtures/formats/photo-phi.png");
    assert_eq!(risk, "high");
    assert_eq!(
        got,
        vec![
            row("XMP dc:title", "hipaa.name.patient", "Harlan"),
            row(
                "PNG text \"Description\"",
                "hipaa.name.patient",
                "Harlan Beckwith"
            ),
            row("PNG text \"Comment\"", "hipaa.phone.nanp", "(217) 555-0142"),
        ]
    );
}

#[test]
fn webp_exif_gps_and_face_region() {
    let (risk, got) = scan_image("fixtures/formats/photo-phi.webp");
    assert_eq!(risk, "high");
    assert_eq!(
        got,
        vec![
            row(
                "EXIF ImageDescription",
                "hipaa.name.person",
                "Augustina Pell"
            ),
            row("EXIF ImageDescription", "hipaa.age.apposition", "93"),
            row(
                "EXIF GPS position",
                "hipaa.geo.coordinates",
                "41.878100, -87.629800"
            ),
            row("XMP mwg-rs:Name", "hipaa.name.person", "Augustina Pell"),
        ]
    );
}

#[test]
fn tiff_tags_and_xmp() {
    let (risk, got) = scan_image("fixtures/formats/photo-phi.tif");
    assert_eq!(risk, "high");
    assert_eq!(
        got,
        vec![
            row(
                "EXIF ImageDescription",
                "hipaa.name.patient",
                "Odalys Brennan"
            ),
            row("EXIF ImageDescription", "hipaa.room.number", "7"),
            row("EXIF Artist", "hipaa.name.person", "Kenji Ashdown"),
            row(
                "XMP Iptc4xmpCore:AltTextAccessibility",
                "hipaa.name.person",
                "Odalys Brennan"
            ),
            row(
                "XMP Iptc4xmpCore:AltTextAccessibility",
                "hipaa.date.numeric",
                "07/22/1951"
            ),
        ]
    );
}

#[test]
fn gps_position_is_geographic_and_located_in_the_extracted_text() {
    let (report, _) = report(&["fixtures/formats/photo-phi.jpg"]);
    let findings = report["posts"][0]["findings"].as_array().unwrap();
    let gps = findings
        .iter()
        .find(|f| f["rule"] == "hipaa.geo.coordinates")
        .expect("a GPS finding");
    assert_eq!(gps["category"], "geographic");
    assert_eq!(gps["locator"], "EXIF GPS position");
    // Lines count the extracted fields, one a line: the position is the fifth.
    assert_eq!(
        (gps["line"].as_u64(), gps["column"].as_u64()),
        (Some(5), Some(1))
    );
}

#[test]
fn clean_photo_has_no_findings() {
    let (report, code) = report(&["fixtures/formats/photo-clean.jpg"]);
    assert_eq!(code, 0);
    assert_eq!(report["posts"], Value::Array(Vec::new()));
    assert_eq!(report["notes"], Value::Array(Vec::new()));
    assert_eq!(report["summary"]["sources"], 1);
    assert_eq!(report["summary"]["posts"], 1);
    assert_eq!(report["summary"]["findings"], 0);
}

#[test]
fn folder_walk_reads_images_and_reports_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    let formats = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats");
    for name in ["photo-phi.png", "photo-clean.jpg"] {
        std::fs::copy(formats.join(name), dir.path().join(name)).unwrap();
    }
    let dir_arg = dir.path().to_str().unwrap();
    let (walked, code) = report(&[dir_arg]);
    assert_eq!(code, 1, "{walked}");
    assert_eq!(walked["summary"]["sources"], 2);
    assert_eq!(walked["summary"]["skipped"], 0);
    assert_eq!(walked["summary"]["findings"], 3);
    // A truncated photo found by the walk is an error, never a clean pass.
    let png = std::fs::read(formats.join("photo-phi.png")).unwrap();
    std::fs::write(dir.path().join("cut.png"), &png[..60]).unwrap();
    let (walked, code) = report(&[dir_arg]);
    assert_eq!(code, 2, "{walked}");
    assert_eq!(walked["summary"]["errors"], 1);
    let note = &walked["notes"][0];
    assert_eq!(note["kind"], "error");
    let message = note["message"].as_str().unwrap();
    assert!(
        message.starts_with("not a readable PNG image: ")
            && message.ends_with("; it was not checked"),
        "{message}"
    );
}

#[test]
fn input_format_image_reads_stdin() {
    let jpeg = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats/photo-phi.jpg"),
    )
    .unwrap();
    let out = phiguard()
        .args(["scan", "--format", "json", "--input-format", "image", "-"])
        .write_stdin(jpeg)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["findings"], 8);
    assert_eq!(report["posts"][0]["risk"], "high");
}
