//! A deterministic corpus of invented social-media posts for benchmarks.
//!
//! ```sh
//! cargo run --release --example corpus -- --mb 100 --out /tmp/corpus.txt           # one text
//! cargo run --release --example corpus -- --mb 100 --out /tmp/corpus.jsonl         # one export
//! cargo run --release --example corpus -- --mb 100 --out /tmp/corpus --files       # many files
//! ```
//!
//! The same arguments always write the same bytes (a fixed seed). Posts look like a health
//! organisation's feed: most are clean (events, tips, hours, thanks), about one in six names a
//! person, and some carry dates, phone numbers, emails, record or member numbers; lengths run
//! from a reply to a long story; some are in Spanish and many carry emoji. Every value is
//! invented: 555-01xx phones, example.com addresses, numbers no one holds.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

const SEED: u64 = 0x5048_4947_5541_5244; // "PHIGUARD"

const CLEAN: &[&str] = &[
    "Flu shots are here! Walk in any weekday from 9 to 5 at our main clinic. No appointment needed.",
    "Thank you to everyone who came out for our community health fair this weekend.",
    "Reminder: our pharmacy hours change for the holiday. We open at 10 and close at 4.",
    "Heart health tip: a 20-minute walk after dinner helps keep blood sugar steady.",
    "We're hiring nurses for our new cardiac unit. Join a team that cares.",
    "Our volunteers logged 1,250 hours this quarter. We could not do it without you!",
    "Free blood pressure checks in the lobby every Tuesday morning.",
    "Did you know? Washing your hands for 20 seconds stops most common colds.",
    "The new parking garage opens Monday; follow the blue signs to the main entrance.",
    "Congratulations to our emergency department team on their national award!",
    "Our teddy bear clinic helps kids feel at home before a hospital visit.",
    "¡Vacunas contra la gripe disponibles! Visítenos de lunes a viernes de 9 a 5.",
    "Gracias a todos los voluntarios que hicieron posible la feria de salud.",
    "Consejo de salud: beba agua y camine 30 minutos al día.",
    "Join us for a free diabetes prevention class on Thursday evening in the education center.",
    "Our maternity ward was renovated with help from the community foundation.",
];

const STORY: &[&str] = &[
    "{name} rang the bell today after finishing chemo. We're so proud of you!",
    "Happy 100th birthday to our resident {name}! Born {date}, still the life of the party.",
    "Welcome home, baby {first}! After 41 days in our NICU, {first} went home today.",
    "Please keep {name} in your thoughts as she recovers from surgery in room {room}.",
    "Our patient {name} walked again for the first time after his stroke.",
    "Reply to {name}: we're sorry about your wait. Call us at {phone} and ask for billing.",
    "Thank you {name} for the kind words about our nurses!",
    "Felicidades a {name}, nuestra paciente, por terminar su tratamiento.",
    "Screenshot of the portal: {name}, DOB {date}, MRN {mrn}, member ID {member}.",
    "Dr. {surname} and the cardiology team celebrate 10 years of care.",
    "Questions? Email {email} or call {phone}.",
    "{name} was discharged {date} and wanted to thank the 4 West team.",
];

const EMOJI: &[&str] = &["🎉", "💙", "🩺", "🏥", "🙏", "👶", "🌸", "💪", "✨", "❤️"];
const TAGS: &[&str] = &[
    "#FluSeason",
    "#NICUgrad",
    "#HeartHealth",
    "#NursesWeek",
    "#CommunityHealth",
    "#SaludParaTodos",
];

fn main() {
    let mut mb = 10usize;
    let mut out: Option<PathBuf> = None;
    let mut files = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mb" => mb = args.next().and_then(|v| v.parse().ok()).expect("--mb N"),
            "--out" => out = args.next().map(PathBuf::from),
            "--files" => files = true,
            _ => {
                eprintln!("usage: corpus [--mb N] --out PATH [--files]");
                std::process::exit(2);
            }
        }
    }
    let out = out.expect("--out PATH");
    let names = Names::load();
    let mut rng = fastrand::Rng::with_seed(SEED);
    let target = mb << 20;
    let mut written = 0;
    if files {
        fs::create_dir_all(&out).expect("create the folder");
        let mut n = 0;
        while written < target {
            // A few posts a file, as a content repository keeps them.
            let mut text = String::new();
            for _ in 0..rng.usize(1..4) {
                text.push_str(&post(&mut rng, &names));
                text.push_str("\n\n");
            }
            let dir = out.join(format!("{:03}", n / 1000));
            if n % 1000 == 0 {
                fs::create_dir_all(&dir).expect("create a subfolder");
            }
            fs::write(dir.join(format!("post-{n:06}.md")), &text).expect("write a post");
            written += text.len();
            n += 1;
        }
        eprintln!("wrote {n} files, {written} bytes, under {}", out.display());
    } else {
        // A `.jsonl` file is a scheduler's export, a post a line; any other is one text.
        let jsonl = out.extension().is_some_and(|e| e == "jsonl");
        let mut w = BufWriter::new(fs::File::create(&out).expect("create the file"));
        while written < target {
            let p = post(&mut rng, &names);
            let line = if jsonl {
                format!("{}\n", serde_json::json!({ "text": p }))
            } else {
                format!("{p}\n\n")
            };
            w.write_all(line.as_bytes()).expect("write");
            written += line.len();
        }
        w.flush().expect("write");
        eprintln!("wrote {written} bytes to {}", out.display());
    }
}

/// Common first names and surnames from the packs' Census lists.
struct Names {
    first: Vec<String>,
    last: Vec<String>,
}

impl Names {
    fn load() -> Names {
        let read = |file: &str| -> Vec<String> {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("patterns/data")
                .join(file);
            fs::read_to_string(path)
                .expect("the name lists")
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .take(400)
                .map(|l| {
                    let mut c = l.trim().chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                })
                .collect()
        };
        Names {
            first: read("first-names.txt"),
            last: read("surnames.txt"),
        }
    }
}

fn post(rng: &mut fastrand::Rng, names: &Names) -> String {
    let mut text = if rng.usize(0..6) == 0 {
        let first = &names.first[rng.usize(0..names.first.len())];
        let last = &names.last[rng.usize(0..names.last.len())];
        STORY[rng.usize(0..STORY.len())]
            .replace("{name}", &format!("{first} {last}"))
            .replace("{first}", first)
            .replace("{surname}", last)
            .replace(
                "{date}",
                &format!(
                    "{}/{}/{}",
                    rng.u8(1..13),
                    rng.u8(1..29),
                    rng.u16(1925..2025)
                ),
            )
            .replace("{phone}", &format!("(555) 555-01{:02}", rng.u8(0..100)))
            .replace("{room}", &rng.u16(100..999).to_string())
            .replace("{mrn}", &format!("{:08}", rng.u32(10_000_000..99_999_999)))
            .replace("{member}", &format!("XQZ{:09}", rng.u32(0..999_999_999)))
            .replace(
                "{email}",
                &format!(
                    "{}.{}@example.com",
                    first.to_lowercase(),
                    last.to_lowercase()
                ),
            )
    } else {
        CLEAN[rng.usize(0..CLEAN.len())].to_owned()
    };
    // Longer posts: a second or third sentence.
    for _ in 0..rng.usize(0..3) {
        text.push(' ');
        text.push_str(CLEAN[rng.usize(0..CLEAN.len())]);
    }
    if rng.bool() {
        text.push(' ');
        text.push_str(EMOJI[rng.usize(0..EMOJI.len())]);
    }
    if rng.usize(0..3) == 0 {
        text.push(' ');
        text.push_str(TAGS[rng.usize(0..TAGS.len())]);
    }
    text
}
