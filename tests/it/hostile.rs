//! Hostile inputs, end to end: each runs the real binary with its time bounded (assert_cmd's
//! timeout) and its memory bounded (the address space capped with `ulimit -v` in `sh`, which
//! then `exec`s phiguard), and checks a clear message and an exit code that never says clean
//! (0) for what was not checked. Where an input *is* checked in the end (a nested document
//! read as plain text, a post file with NUL bytes), an SSN planted in it must be found (exit 1),
//! which proves it.
//!
//! Every identifier here is invented (SSNs 987-65-432x).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

/// The address space phiguard may use (`ulimit -v`, in KiB): 1 GiB. The scans below need far
/// less; a reader that expands a bomb or recurses without bound would hit it (and fail the
/// test) instead of the machine.
const MEMORY_KIB: u64 = 1 << 20;
/// The wall-clock bound of one run: generous for a debug build on a busy machine.
const TIME: Duration = Duration::from_secs(120);

const SSN: &str = "987-65-4321";
const SSN_MASKED: &str = "***-**-4321";
const POST: &str = "Our patient's SSN is 987-65-4321.";

/// `phiguard ARGS` in `dir`, under the memory and time bounds.
fn bounded(dir: &Path, args: &[&str]) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("phiguard");
    let out = assert_cmd::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(&bin)
        .args(args)
        .current_dir(dir)
        .env_remove("PHIGUARD_CONFIG")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .timeout(TIME)
        .output()
        .unwrap_or_else(|e| panic!("phiguard {args:?} did not finish within {TIME:?}: {e}"));
    // No raw value on any stream: the SSN is always shown masked.
    let all = text(&out);
    assert!(!all.contains(SSN), "a raw value leaked:\n{all}");
    out
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// `scan --format json ARGS` under the bounds: the exit code and the report.
fn scan_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = bounded(dir, &[&["scan", "--format", "json"][..], args].concat());
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}):\n{}", text(&out)));
    (out.status.code().expect("exited, not killed"), report)
}

/// `(source, kind, message)` of every note.
fn notes(report: &Value) -> Vec<(String, String, String)> {
    report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["source"].as_str().unwrap().to_owned(),
                n["kind"].as_str().unwrap().to_owned(),
                n["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn note(source: &str, kind: &str, message: &str) -> (String, String, String) {
    (source.into(), kind.into(), message.into())
}

/// `(source, rule, masked value)` of every finding.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for p in report["posts"].as_array().unwrap() {
        for f in p["findings"].as_array().unwrap() {
            out.push((
                p["source"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap().to_owned(),
            ));
        }
    }
    out
}

fn ssn_in(source: &str) -> (String, String, String) {
    (source.into(), "hipaa.ssn.dashed".into(), SSN_MASKED.into())
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

// ---- packs -----------------------------------------------------------------------------------

#[test]
fn a_pack_with_a_huge_counted_repetition_is_rejected_naming_file_line_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "greedy.toml",
        "[pack]\nid = \"greedy\"\ndescription = \"x\"\n\n[[rule]]\nid = \"greedy.huge\"\n\
         category = \"other_id\"\nregex = '(\\w{1000}){1000}'\n",
    );
    write(dir.path(), "post.md", POST);
    let want = "greedy.toml:8: error: rule `greedy.huge`: regex is too large once compiled (over \
                2097152 bytes); reduce counted repetitions like {1,500} or large Unicode classes";
    let out = bounded(dir.path(), &["scan", "--pack", "greedy.toml", "post.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains(want), "{}", text(&out));
    assert!(
        out.stdout.is_empty(),
        "no report for a scan that did not run"
    );
    let out = bounded(dir.path(), &["packs", "check", "greedy.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains(want), "{}", text(&out));
}

// ---- nesting -----------------------------------------------------------------------------------

#[test]
fn json_and_yaml_nested_a_hundred_thousand_deep_are_read_as_plain_text() {
    const DEEP: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let quoted = format!("\"{POST}\"");
    write(
        dir.path(),
        "arrays.json",
        format!("{}{quoted}{}", "[".repeat(DEEP), "]".repeat(DEEP)),
    );
    write(
        dir.path(),
        "objects.json",
        format!("{}{quoted}{}", "{\"a\":".repeat(DEEP), "}".repeat(DEEP)),
    );
    write(
        dir.path(),
        "flow.yaml",
        format!("{}{quoted}{}", "[".repeat(DEEP), "]".repeat(DEEP)),
    );
    write(
        dir.path(),
        "block.yaml",
        format!("{}{POST}\n", "- ".repeat(DEEP)),
    );
    let files = ["arrays.json", "block.yaml", "flow.yaml", "objects.json"];
    let (code, report) = scan_json(dir.path(), &files);
    // Every file was checked (as plain text), and the SSN inside was found.
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        files.iter().map(|f| ssn_in(f)).collect::<Vec<_>>()
    );
    assert_eq!(
        notes(&report),
        vec![
            note(
                "arrays.json",
                "info",
                "not valid JSON (Maximum nesting depth exceeded on line 1 column 513); scanned \
                 as plain text"
            ),
            note(
                "block.yaml",
                "info",
                "not valid YAML (nested deeper than 256 levels at line 1); scanned as plain text"
            ),
            note(
                "flow.yaml",
                "info",
                "not valid YAML (recursion limit exceeded at line 1, column 256); scanned as \
                 plain text"
            ),
            note(
                "objects.json",
                "info",
                "not valid JSON (Maximum nesting depth exceeded on line 1 column 1282); scanned \
                 as plain text"
            ),
        ]
    );
}

#[test]
fn html_markdown_and_front_matter_nested_a_hundred_thousand_deep_are_checked() {
    const DEEP: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "divs.html",
        format!("{}{POST}{}", "<div>".repeat(DEEP), "</div>".repeat(DEEP)),
    );
    write(
        dir.path(),
        "quotes.md",
        format!("{} {POST}\n", ">".repeat(DEEP)),
    );
    let flow = format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP));
    write(
        dir.path(),
        "yaml-front.md",
        format!("---\nx: {flow}\n---\n{POST}\n"),
    );
    write(
        dir.path(),
        "toml-front.md",
        format!("+++\nx = {flow}\n+++\n{POST}\n"),
    );
    let files = ["divs.html", "quotes.md", "toml-front.md", "yaml-front.md"];
    let (code, report) = scan_json(dir.path(), &files);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        files.iter().map(|f| ssn_in(f)).collect::<Vec<_>>()
    );
    assert_eq!(
        notes(&report),
        vec![
            note(
                "toml-front.md",
                "info",
                "front matter is not valid TOML (cannot recurse further; max recursion depth met \
                 at line 2); scanned as plain text"
            ),
            note(
                "yaml-front.md",
                "info",
                "front matter is not valid YAML (recursion limit exceeded at line 2, column \
                 259); scanned as plain text"
            ),
        ]
    );
}

// ---- tables ------------------------------------------------------------------------------------

#[test]
fn a_csv_row_of_a_million_columns_is_checked_to_its_last_cell() {
    const COLUMNS: usize = 1_000_000;
    let dir = tempfile::tempdir().unwrap();
    let mut row = "x,".repeat(COLUMNS - 1);
    row.push_str(POST);
    row.push('\n');
    write(dir.path(), "wide.csv", &row);
    let (code, report) = scan_json(dir.path(), &["wide.csv"]);
    assert_eq!(code, 1);
    let post = &report["posts"][0];
    assert_eq!(post["locator"], "row 1");
    let f = &post["findings"][0];
    assert_eq!(f["locator"], "column 1000000");
    assert_eq!(f["value"], SSN_MASKED);
    // Two bytes per earlier cell, then "Our patient's SSN is ".
    assert_eq!(f["column"], 2 * (COLUMNS - 1) + 22);
    assert_eq!(notes(&report), vec![]);
}

// ---- Word documents ----------------------------------------------------------------------------

/// A zip package of `entries`, deflated.
fn zip_package(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

#[test]
fn a_docx_zip_bomb_is_not_checked_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    // 80 MiB of spaces in the text of a paragraph, after an SSN: deflated to well under 1 MiB.
    let mut xml = format!("<w:document {W_NS}><w:body><w:p><w:r><w:t>{POST}").into_bytes();
    xml.resize(xml.len() + (80 << 20), b' ');
    xml.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    let bomb = zip_package(&[("word/document.xml", &xml)]);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    write(dir.path(), "bomb.docx", &bomb);
    // The same bomb with its sizes declared as 100 bytes in the zip headers.
    let mut liar = bomb.clone();
    for (signature, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        let at = liar.windows(4).position(|w| w == signature).unwrap() + offset;
        liar[at..at + 4].copy_from_slice(&100u32.to_le_bytes());
    }
    write(dir.path(), "liar.docx", &liar);
    let (code, report) = scan_json(dir.path(), &["bomb.docx", "liar.docx"]);
    assert_eq!(code, 2);
    assert_eq!(report["summary"]["errors"], 2);
    let why = "could not be checked: word/document.xml expands beyond the 64 MiB limit for a \
               Word document's text";
    assert_eq!(
        notes(&report),
        vec![
            note("bomb.docx", "error", why),
            note("liar.docx", "error", why)
        ]
    );
    // The human report says the result is incomplete.
    let out = bounded(dir.path(), &["scan", "bomb.docx"]);
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out);
    assert!(said.contains(&format!("error: bomb.docx: {why}")), "{said}");
    assert!(
        said.contains("1 path could not be checked: the result is incomplete."),
        "{said}"
    );
}

// ---- images ------------------------------------------------------------------------------------

/// A little-endian TIFF structure: the header, then one IFD at offset 8 with `entries`
/// (`(tag, type, count, 4 value bytes)`) and the offset of the next IFD.
fn tiff(entries: &[(u16, u16, u32, [u8; 4])], next: u32) -> Vec<u8> {
    let mut b = b"II*\0".to_vec();
    b.extend_from_slice(&8u32.to_le_bytes());
    b.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, ty, count, value) in entries {
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&ty.to_le_bytes());
        b.extend_from_slice(&count.to_le_bytes());
        b.extend_from_slice(value);
    }
    b.extend_from_slice(&next.to_le_bytes());
    b
}

/// A JPEG whose `APP1 Exif` segment holds `tiff`, then a minimal scan.
fn jpeg_with_exif(tiff: &[u8]) -> Vec<u8> {
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(tiff);
    let mut b = b"\xFF\xD8\xFF\xE1".to_vec();
    b.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    b.extend_from_slice(&app1);
    b.extend_from_slice(b"\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00");
    b.extend_from_slice(&[0; 10]);
    b.extend_from_slice(b"\xFF\xD9");
    b
}

#[test]
fn malformed_exif_is_not_checked_and_says_why() {
    const DESCRIPTION: (u16, u16, u32, [u8; 4]) = (0x010E, 2, 4, *b"abc\0");
    // The next IFD is the same IFD again.
    let looping = tiff(&[DESCRIPTION], 8);
    // The EXIF sub-IFD pointer points back at IFD0.
    let looping_sub = tiff(&[DESCRIPTION, (0x8769, 4, 1, 8u32.to_le_bytes())], 0);
    // 50 entries announced, 20 bytes there.
    let mut truncated = b"II*\0\x08\0\0\0".to_vec();
    truncated.extend_from_slice(&50u16.to_le_bytes());
    truncated.extend_from_slice(&[0; 20]);
    // IFD0 far past the end.
    let mut outside = b"II*\0".to_vec();
    outside.extend_from_slice(&0xFFFF_FFF0u32.to_le_bytes());

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "loop.tif", &looping);
    write(dir.path(), "loop.jpg", jpeg_with_exif(&looping));
    write(dir.path(), "loop-sub.jpg", jpeg_with_exif(&looping_sub));
    write(dir.path(), "truncated.jpg", jpeg_with_exif(&truncated));
    write(dir.path(), "outside.jpg", jpeg_with_exif(&outside));
    let files = [
        "loop-sub.jpg",
        "loop.jpg",
        "loop.tif",
        "outside.jpg",
        "truncated.jpg",
    ];
    let (code, report) = scan_json(dir.path(), &files);
    assert_eq!(code, 2);
    let why = |kind: &str, reason: &str| {
        format!("not a readable {kind} image: {reason}; it was not checked")
    };
    assert_eq!(
        notes(&report),
        vec![
            note(
                "loop-sub.jpg",
                "error",
                &why("JPEG", "broken EXIF block (Already visited IFD detected)")
            ),
            note(
                "loop.jpg",
                "error",
                &why("JPEG", "broken EXIF block (Already visited IFD detected)")
            ),
            note(
                "loop.tif",
                "error",
                &why("TIFF", "Already visited IFD detected")
            ),
            note(
                "outside.jpg",
                "error",
                &why("JPEG", "broken EXIF block (Truncated IFD count)")
            ),
            note(
                "truncated.jpg",
                "error",
                &why("JPEG", "broken EXIF block (Truncated IFD)")
            ),
        ]
    );
}

// ---- size --------------------------------------------------------------------------------------

#[test]
fn a_one_gigabyte_single_line_file_is_refused_by_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse: a gigabyte of NUL bytes that takes no room on disk, and one line.
    let file = std::fs::File::create(dir.path().join("huge.txt")).unwrap();
    file.set_len(1 << 30).unwrap();
    drop(file);
    write(dir.path(), "post.md", POST);
    let (code, report) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 2);
    assert_eq!(findings(&report), vec![ssn_in("./post.md")]);
    assert_eq!(
        notes(&report),
        vec![note(
            "./huge.txt",
            "error",
            "cannot read: larger than the 256 MiB limit (raise [input] max-file-size or \
             --max-file-size to check it)"
        )]
    );
    // A lower limit of the user's says its own size.
    let (code, report) = scan_json(dir.path(), &["--max-file-size", "1MiB", "huge.txt"]);
    assert_eq!(code, 2);
    assert_eq!(
        notes(&report),
        vec![note(
            "huge.txt",
            "error",
            "cannot read: larger than the 1 MiB limit (raise [input] max-file-size or \
             --max-file-size to check it)"
        )]
    );
}

// ---- bytes that are not text -----------------------------------------------------------------

#[test]
fn invalid_utf8_and_nul_bytes_do_not_hide_a_post() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\0\0draft\xFF\xFE ".to_vec();
    bytes.extend_from_slice(POST.as_bytes());
    // Found by a walk, named like a post: scanned, not skipped as binary.
    write(dir.path(), "post.md", &bytes);
    write(dir.path(), "notes.txt", &bytes);
    let (code, report) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        vec![ssn_in("./notes.txt"), ssn_in("./post.md")]
    );
    let lossy = "not valid text in its encoding: invalid bytes were read as U+FFFD; locations \
                 still point at the original bytes";
    let nul = "holds NUL bytes; scanned as text because its name (or --input-format) says it is \
               text";
    assert_eq!(
        notes(&report),
        vec![
            note("./notes.txt", "info", nul),
            note("./notes.txt", "info", lossy),
            note("./post.md", "info", nul),
            note("./post.md", "info", lossy),
        ]
    );
    // The finding points at the original bytes: 10 bytes before the post, then 21 more.
    let f = &report["posts"][0]["findings"][0];
    assert_eq!(
        (f["byte_start"].as_u64(), f["byte_end"].as_u64()),
        (Some(31), Some(42))
    );
    // Stdin too.
    let out = assert_cmd::Command::cargo_bin("phiguard")
        .unwrap()
        .args(["scan", "-"])
        .env("NO_COLOR", "1")
        .write_stdin(bytes)
        .timeout(TIME)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains(SSN_MASKED), "{}", text(&out));
}

// ---- file system -------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn symbolic_link_loops_end_and_are_noted() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("sub")).unwrap();
    symlink("..", root.join("sub/up")).unwrap();
    symlink("b", root.join("a")).unwrap();
    symlink("a", root.join("b")).unwrap();
    symlink("self", root.join("self")).unwrap();
    write(root, "post.md", POST);
    let (code, report) = scan_json(root, &["."]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report), vec![ssn_in("./post.md")]);
    let link = "symbolic link not followed (name its target to scan it)";
    assert_eq!(
        notes(&report),
        vec![
            note("./a", "skipped", link),
            note("./b", "skipped", link),
            note("./self", "skipped", link),
            note("./sub/up", "skipped", link),
        ]
    );
    // Named, a loop cannot be read: not checked, exit 2.
    let (code, report) = scan_json(root, &["a", "post.md"]);
    assert_eq!(code, 2);
    assert_eq!(findings(&report), vec![ssn_in("post.md")]);
    let n = notes(&report);
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!((n[0].0.as_str(), n[0].1.as_str()), ("a", "error"));
    assert!(n[0].2.starts_with("cannot read: "), "{n:?}");
    // A walk from inside the loop ends too.
    let (code, _) = scan_json(root, &["sub/up"]);
    assert_eq!(code, 1);
}

/// Whether permissions bind this process: root (or CAP_DAC_OVERRIDE) reads a mode-000 file.
#[cfg(unix)]
fn permissions_bind(locked: &Path) -> bool {
    std::fs::File::open(locked).is_err()
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_not_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "secret.md", POST);
    std::fs::create_dir(root.join("locked")).unwrap();
    write(root, "locked/inside.md", POST);
    write(root, "ok.md", "Flu shots on Saturday.");
    for p in ["secret.md", "locked"] {
        std::fs::set_permissions(root.join(p), std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    if !permissions_bind(&root.join("secret.md")) {
        eprintln!(
            "notice: running as root, where permissions do not bind: skipping the unreadable \
             files test"
        );
        return;
    }
    let (code, report) = scan_json(root, &["."]);
    assert_eq!(code, 2);
    assert_eq!(findings(&report), vec![]);
    assert_eq!(
        notes(&report),
        vec![
            note("./locked", "error", "cannot read: permission denied"),
            note("./secret.md", "error", "cannot read: permission denied"),
        ]
    );
    let (code, _) = scan_json(root, &["secret.md"]);
    assert_eq!(code, 2);
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_names_are_scanned_and_shown_readably() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9-\xFF.md");
    std::fs::write(dir.path().join(name), POST).unwrap();
    // Walked.
    let (code, report) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report), vec![ssn_in("./caf\u{FFFD}-\u{FFFD}.md")]);
    // Named (the argument is not UTF-8 either).
    let bin = assert_cmd::cargo::cargo_bin("phiguard");
    let out = assert_cmd::Command::new(bin)
        .current_dir(dir.path())
        .args(["scan", "--format", "json"])
        .arg(name)
        .timeout(TIME)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings(&report), vec![ssn_in("caf\u{FFFD}-\u{FFFD}.md")]);
}

/// Terminal control sequences in a file's name and in a post's line never reach the terminal
/// raw: not in the human report, nor in an error on stderr.
#[cfg(unix)]
#[test]
fn control_characters_in_file_names_and_lines_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a\x1b[2J\x1b]0;pwned\x07.md",
        format!("Draft \x1b[31m\x1b]0;pwned\x07 {POST}\n"),
    );
    std::os::unix::fs::symlink("nowhere", dir.path().join("b\x1b[2J.md")).unwrap();
    for format in ["human", "github", "json"] {
        let out = bounded(
            dir.path(),
            &[
                "scan",
                "--format",
                format,
                "a\x1b[2J\x1b]0;pwned\x07.md",
                "b\x1b[2J.md",
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(
                !bytes.contains(&0x1b),
                "{format} {stream}: ESC:\n{}",
                text(&out)
            );
            assert!(
                !bytes.contains(&0x07),
                "{format} {stream}: BEL:\n{}",
                text(&out)
            );
        }
        assert!(text(&out).contains(SSN_MASKED), "{}", text(&out));
    }
}

/// A file deleted between the moment phiguard lists it and the moment it reads it. To make
/// that moment deterministic (no sleeping, no racing), phiguard is given stdin first and the
/// file second, on one thread (`-j 1`): it lists both, then blocks reading stdin. The test
/// waits until the kernel shows it blocked in `read(0, ...)` (`/proc/PID/syscall`), deletes
/// the file, and only then closes stdin.
#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
#[test]
fn a_file_deleted_mid_scan_is_not_checked_and_says_so() {
    use std::process::{Command, Stdio};
    const READ: &str = if cfg!(target_arch = "x86_64") {
        "0"
    } else {
        "63"
    };
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "gone.md", POST);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("phiguard"))
        .args(["scan", "-j", "1", "--format", "json", "-", "gone.md"])
        .current_dir(dir.path())
        .env_remove("PHIGUARD_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let syscall = format!("/proc/{}/syscall", child.id());
    let waiting = |s: &str| {
        let mut f = s.split_whitespace();
        f.next() == Some(READ) && f.next() == Some("0x0")
    };
    let start = std::time::Instant::now();
    loop {
        match std::fs::read_to_string(&syscall) {
            Ok(s) if waiting(&s) => break,
            Ok(_) => {}
            // A kernel or sandbox that does not show it: nothing to wait on.
            Err(e) if child.try_wait().unwrap().is_none() => {
                let _ = child.kill();
                let _ = child.wait();
                eprintln!("notice: {syscall} is not readable ({e}); skipping the mid-scan test");
                return;
            }
            Err(e) => panic!("phiguard ended before reading stdin ({e})"),
        }
        assert!(start.elapsed() < TIME, "phiguard never waited on stdin");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::remove_file(dir.path().join("gone.md")).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Flu shots on Saturday.\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        notes(&report),
        vec![note(
            "gone.md",
            "error",
            "cannot read: no such file or folder"
        )]
    );
    assert_eq!(report["summary"]["posts"], 1);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("phiguard: error: gone.md: cannot read: no such file or folder"),
        "{}",
        text(&out)
    );
}

// ---- phiguard's own failure ----------------------------------------------------------------------

/// Set in the copy of this test binary that [`a_panic_exits_2_and_quotes_nothing`] starts.
const CRASH_CHILD: &str = "PHIGUARD_IT_CRASH_CHILD";

/// Run alone in a child process (the panic hook is the whole process's): installs phiguard's
/// panic hook and makes a worker thread panic, as `main` would, with a message that quotes a
/// post (the standard library's own message for slicing a string inside a character). Does
/// nothing in a normal test run.
#[test]
fn crash_child() {
    if std::env::var_os(CRASH_CHILD).is_none() {
        return;
    }
    phiguard::failsafe::install_panic_hook();
    let code = phiguard::failsafe::guarded(|| {
        let post = std::hint::black_box(format!("{POST} Café"));
        std::thread::scope(|s| {
            s.spawn(|| post[..post.len() - 1].len());
        });
        0
    });
    std::process::exit(i32::from(code));
}

#[test]
fn a_panic_exits_2_and_quotes_nothing() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "hostile::crash_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_CHILD, "1")
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("phiguard: internal error (a bug in phiguard at "),
        "{said}"
    );
    assert!(
        said.contains("the check did not run to the end, so nothing was checked; exit code 2."),
        "{said}"
    );
    // Said once, though two threads panicked (the worker, then the scope that joined it).
    assert_eq!(said.matches("internal error").count(), 1, "{said}");
    for quoted in [SSN, "patient", "Café", "char boundary"] {
        assert!(!said.contains(quoted), "{quoted:?} in:\n{said}");
    }
}

// ---- no network --------------------------------------------------------------------------------

/// phiguard has no networking code: no socket type in its source, no networking crate among
/// its dependencies (Cargo.lock, development dependencies included), and the git commands it
/// runs may not fetch missing objects of a partial clone.
#[test]
fn there_is_no_networking_code_or_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("src")];
    let mut sources = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources += 1;
                let code = std::fs::read_to_string(&path).unwrap();
                // std::net's address types (Ipv4Addr, Ipv6Addr) are plain parsers, used by the
                // IP address validator; a socket needs one of these names.
                for api in [
                    "TcpStream",
                    "TcpListener",
                    "UdpSocket",
                    "UnixStream",
                    "UnixListener",
                    "UnixDatagram",
                    "SocketAddr",
                    "ToSocketAddrs",
                    "reqwest",
                    "hyper::",
                    "ureq::",
                    "curl::",
                    "tokio::",
                ] {
                    assert!(!code.contains(api), "{} uses {api}", path.display());
                }
            }
        }
    }
    assert!(sources > 20, "src/ not found ({sources} files)");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let crates: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(crates.contains(&"regex"), "Cargo.lock not read");
    for net in [
        "reqwest",
        "hyper",
        "h2",
        "http",
        "ureq",
        "curl",
        "curl-sys",
        "isahc",
        "attohttpc",
        "surf",
        "tokio",
        "async-std",
        "mio",
        "socket2",
        "rustls",
        "native-tls",
        "openssl",
        "openssl-sys",
        "tungstenite",
    ] {
        assert!(
            !crates.contains(&net),
            "Cargo.lock holds the networking crate {net}"
        );
    }
    let git = std::fs::read_to_string(root.join("src/git.rs")).unwrap();
    assert!(git.contains(".env(\"GIT_NO_LAZY_FETCH\", \"1\")"));
}

/// A scan that stops before checking (a configuration it cannot read) says so, for hooks and
/// CI logs, and exits 2.
#[test]
fn a_configuration_error_says_the_check_did_not_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".phiguard.toml", "[risk]\nno-such-key = 1\n");
    write(dir.path(), "post.md", POST);
    let out = bounded(dir.path(), &["scan", "post.md"]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.starts_with("phiguard: invalid configuration: "),
        "{said}"
    );
    assert!(
        said.ends_with("\nphiguard: the check did not run: nothing was checked.\n"),
        "{said}"
    );
    assert!(out.stdout.is_empty());
}
