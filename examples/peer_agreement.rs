//! Agreement with a peer: runs Presidio's recognizer test cases (MIT, shipped beside the project
//! in `shared/data/peers/presidio/`) through phiguard's built-in packs and prints, per category,
//! how often phiguard finds exactly the spans Presidio's tests expect.
//!
//! ```sh
//! cargo run --release --example peer_agreement -- ../shared/data/peers/presidio/presidio_recognizer_cases.jsonl
//! cargo run --release --example peer_agreement -- --details FILE   # also list every disagreement
//! ```
//!
//! Our own tests stay hand-written; this measures agreement, it does not define correctness.
//! The figures and every deliberate disagreement are recorded in `docs/ACCURACY.md`.

use std::collections::BTreeMap;

use phiguard::app::PackSelection;
use phiguard::category::Category;
use phiguard::detect::{Engine, RuleInfo};
use serde_json::Value;

/// A Presidio test file, the label we report it under, and which of our findings count.
struct Peer {
    file: &'static str,
    label: &'static str,
    counts: fn(&RuleInfo) -> bool,
}

const PEERS: &[Peer] = &[
    Peer {
        file: "test_us_ssn_recognizer.py",
        label: "SSN",
        counts: |r| r.category == Category::Ssn && !r.id.contains("itin"),
    },
    Peer {
        file: "test_us_itin_recognizer.py",
        label: "ITIN",
        counts: |r| r.id.contains("itin"),
    },
    Peer {
        file: "test_us_npi_recognizer.py",
        label: "NPI",
        counts: |r| r.id.contains("npi"),
    },
    Peer {
        file: "test_us_mbi_recognizer.py",
        label: "MBI",
        counts: |r| r.id.contains("mbi"),
    },
    Peer {
        file: "test_certificate_number_recognizer.py",
        label: "DEA / medical licence",
        counts: |r| r.category == Category::LicenseNumber && !r.id.contains("driver"),
    },
    Peer {
        file: "test_us_driver_license_recognizer.py",
        label: "driver's licence",
        counts: |r| r.id.contains("driver"),
    },
    Peer {
        file: "test_phone_recognizer.py",
        label: "phone",
        counts: |r| matches!(r.category, Category::Phone | Category::Fax),
    },
    Peer {
        file: "test_email_recognizer.py",
        label: "email",
        counts: |r| r.category == Category::Email,
    },
    Peer {
        file: "test_ip_recognizer.py",
        label: "IP address",
        counts: |r| r.category == Category::IpAddress,
    },
    Peer {
        file: "test_url_recognizer.py",
        label: "URL",
        counts: |r| r.category == Category::Url,
    },
    Peer {
        file: "test_date_recognizer.py",
        label: "date",
        counts: |r| r.category == Category::Date,
    },
    Peer {
        file: "test_credit_card_recognizer.py",
        label: "credit card",
        counts: |r| r.category == Category::AccountNumber && r.id.contains("card"),
    },
];

#[derive(Default)]
struct Tally {
    cases: usize,
    exact: usize,
    disagreements: Vec<String>,
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let details = if let Some(i) = args.iter().position(|a| a == "--details") {
        args.remove(i);
        true
    } else {
        false
    };
    let path = args.first().cloned().unwrap_or_else(|| {
        "../shared/data/peers/presidio/presidio_recognizer_cases.jsonl".to_owned()
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2);
    });
    let (engine, _) = PackSelection::default()
        .engine()
        .expect("built-in packs compile");

    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("one JSON object per line");
        let file = case["file"].as_str().unwrap_or_default();
        let Some(peer) = PEERS.iter().find(|p| p.file == file) else {
            *skipped.entry(file.to_owned()).or_default() += 1;
            continue;
        };
        let args = &case["args"];
        let Some(input) = args["text"].as_str() else {
            continue;
        };
        let expected = spans(args.get("expected_positions").or(args.get("expected_res")));
        let ours = our_spans(&engine, input, peer);
        let t = tallies.entry(peer.label).or_default();
        t.cases += 1;
        if ours == expected {
            t.exact += 1;
        } else {
            t.disagreements.push(format!(
                "{input:?}: Presidio expects {expected:?}, phiguard finds {ours:?}"
            ));
        }
    }

    println!("| category | cases | phiguard agrees | agreement |");
    println!("| --- | ---: | ---: | ---: |");
    let (mut all, mut agree) = (0, 0);
    for peer in PEERS {
        if let Some(t) = tallies.get(peer.label) {
            all += t.cases;
            agree += t.exact;
            println!(
                "| {} | {} | {} | {:.0}% |",
                peer.label,
                t.cases,
                t.exact,
                100.0 * t.exact as f64 / t.cases as f64
            );
        }
    }
    println!(
        "| **all** | {all} | {agree} | {:.0}% |",
        100.0 * agree as f64 / all.max(1) as f64
    );
    let others: Vec<String> = skipped.iter().map(|(f, n)| format!("{f} ({n})")).collect();
    println!(
        "\nNot compared (categories phiguard does not cover): {}",
        others.join(", ")
    );
    if details {
        for peer in PEERS {
            if let Some(t) = tallies.get(peer.label)
                && !t.disagreements.is_empty()
            {
                println!("\n## {}", peer.label);
                for d in &t.disagreements {
                    println!("- {d}");
                }
            }
        }
    }
}

/// Presidio's expected spans, as `[start, end)` in characters.
fn spans(v: Option<&Value>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = v
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    let p = p.as_array()?;
                    Some((p.first()?.as_u64()? as usize, p.get(1)?.as_u64()? as usize))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_unstable();
    out
}

/// Our findings that count for this peer, as `[start, end)` in characters.
fn our_spans(engine: &Engine, text: &str, peer: &Peer) -> Vec<(usize, usize)> {
    let chars = |byte: usize| text[..byte].chars().count();
    let mut out: Vec<(usize, usize)> = engine
        .scan(text)
        .into_iter()
        .filter(|m| (peer.counts)(engine.rule(m.rule)))
        .map(|m| (chars(m.range.start), chars(m.range.end)))
        .collect();
    out.sort_unstable();
    out
}
