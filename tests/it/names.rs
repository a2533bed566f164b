//! Names and the verdicts they lead to, on hand-written posts: who is a patient, who is staff
//! or a public figure, who a reply speaks to, and what the post's risk is. Every post is
//! invented.

use phiguard::assess::RiskModel;
use phiguard::category::RiskLevel;
use phiguard::config::Config;
use phiguard::detect::Engine;
use phiguard::extract::Document;
use phiguard::scan::{PostResult, Scanner};

use crate::util::engine;

fn scan_with(engine: &Engine, model: &RiskModel, text: &str) -> PostResult {
    let scanner = Scanner { engine, model };
    let doc = Document::single_post(
        "post",
        text.as_bytes().to_vec(),
        phiguard::text::decode_utf8(text.as_bytes()),
    );
    scanner.scan_document(&doc).pop().expect("one post")
}

/// The post's risk and its names as `(role, name)`, role being the rule id without
/// `hipaa.name.` (`patient`, `person`, `staff`, `public-figure`, `addressee`).
fn names_and_risk(text: &str) -> (RiskLevel, Vec<(String, String)>) {
    let r = scan_with(engine(), &RiskModel::default(), text);
    let names = r
        .findings
        .iter()
        .filter(|f| f.rule.person.is_some())
        .map(|f| {
            let role = f.rule.id.rsplit('.').next().unwrap_or("").to_owned();
            (role, f.value.clone())
        })
        .collect();
    (r.assessment.risk, names)
}

#[track_caller]
fn check(text: &str, risk: RiskLevel, names: &[(&str, &str)]) {
    let (got_risk, got) = names_and_risk(text);
    let want: Vec<(String, String)> = names
        .iter()
        .map(|(r, n)| ((*r).to_owned(), (*n).to_owned()))
        .collect();
    assert_eq!(got, want, "names in {text:?}");
    assert_eq!(got_risk, risk, "risk of {text:?}");
}

use RiskLevel::{High, Low, Medium, None as Clean};

#[test]
fn patients_named_with_their_care_are_high() {
    check(
        "Jaylen Brooks rang the bell today after his last round of chemo! 🔔",
        High,
        &[("patient", "Jaylen Brooks")],
    );
    check(
        "Our patient Rosalind Vey was discharged from the cardiac ICU this morning.",
        High,
        &[("patient", "Rosalind Vey")],
    );
    check(
        "Nuestra paciente Xiomara Tello terminó su quimioterapia hoy. ¡Felicidades!",
        High,
        &[("patient", "Xiomara Tello")],
    );
    // A name that is also a word needs a cue, and a cue is enough.
    check(
        "Meet Grace! She was born at 27 weeks and our NICU team adores her.",
        High,
        &[("patient", "Grace")],
    );
    check(
        "Welcome home, baby liam! 💙 22 days in the NICU and now you're off to meet your big sister.",
        High,
        &[("patient", "liam")],
    );
}

#[test]
fn a_patient_cue_without_a_condition_is_medium_and_a_bare_name_low() {
    check(
        "Our patient Gerald Moss stopped by with cookies for the front desk. Thanks, Gerald!",
        Medium,
        &[("patient", "Gerald Moss"), ("patient", "Gerald")],
    );
    check(
        "Thank you Tomasz Wierzbicki for the flowers you left at reception!",
        Low,
        &[("person", "Tomasz Wierzbicki")],
    );
    // A verb that opens the sentence is not part of the name, even when it is a surname too.
    check(
        "Call Dana at the front desk to book your flu shot.",
        Low,
        &[("person", "Dana")],
    );
}

#[test]
fn names_in_hashtags_registration_style_and_capitals() {
    check(
        "Keep fighting, little one. #PrayForJaylenBrooks 🙏 pediatric oncology family",
        High,
        &[("patient", "JaylenBrooks")],
    );
    check(
        "[screenshot] 8:00 Abernathy, C. — MRI brain · 8:45 Soto, R. — MRI lumbar spine",
        High,
        &[("person", "Abernathy, C"), ("person", "Soto, R")],
    );
    check(
        "CONGRATS TERRENCE ON BEATING COVID AND GETTING OFF THE VENT!!!",
        High,
        &[("person", "TERRENCE")],
    );
}

#[test]
fn clinicians_and_staff_are_not_patients() {
    check(
        "Join us in congratulating Marguerite Osei, RN, on being named Oncology Nurse of the \
         Year! Marguerite has spent 17 years with our infusion patients.",
        Clean,
        &[("staff", "Marguerite Osei"), ("staff", "Marguerite")],
    );
    check(
        "I'm Dr. Pia Lorenz, a family physician, and I want to talk about colon cancer screening.",
        Clean,
        &[("staff", "Pia Lorenz")],
    );
    check(
        "Retirement send-off for Kenny Ramos, our 5 Rehab unit clerk of 22 years — Sept. 21.",
        Low,
        &[("staff", "Kenny Ramos")],
    );
    check(
        "La reumatóloga Marisa Fuentes explica los síntomas del lupus. 🦋",
        Clean,
        &[("staff", "Marisa Fuentes")],
    );
    // A staff member's own care is a patient's story all the same.
    check(
        "Get well soon, Dr. Samir Haddad! Our favorite hospitalist is recovering after his \
         appendectomy.",
        High,
        &[("patient", "Samir Haddad")],
    );
}

#[test]
fn public_and_historical_figures_are_not_patients() {
    check(
        "Today we remember Clara Barton, born December 25, 1821, who founded the American Red \
         Cross.",
        Low,
        &[("public-figure", "Clara Barton")],
    );
    check(
        "The cells of Henrietta Lacks, taken during her cervical cancer treatment, changed \
         research.",
        Clean,
        &[("public-figure", "Henrietta Lacks")],
    );
}

#[test]
fn replies_disclose_only_what_they_tie_to_the_reader() {
    // A general answer to someone.
    check(
        "Hi Marisol! ICU visiting hours are 9am–9pm daily, two visitors at a time.",
        Low,
        &[("addressee", "Marisol")],
    );
    // Their own or their family's care.
    check(
        "Bill, we're glad the new hearing aids are working out for your wife!",
        High,
        &[("patient", "Bill")],
    );
    check(
        "Hola Nayeli, tu cita de ultrasonido con la Dra. Ochoa es el martes.",
        High,
        &[("addressee", "Nayeli"), ("staff", "Ochoa")],
    );
}

#[test]
fn places_organisations_and_eponyms_are_not_people() {
    check(
        "Free flu shots at Lincoln Park this Saturday, sponsored by St. Mary's Hospital.",
        Clean,
        &[],
    );
    check(
        "Our Parkinson's support group meets Tuesdays. Everyone is welcome.",
        Clean,
        &[],
    );
    check(
        "The mammography van will be at 12 Mill Street, Harlow, on Friday.",
        Low,
        &[],
    );
}

#[test]
fn anonymised_stories_are_lowered() {
    check(
        "A patient who asked us not to share her name finished chemo today. We are so proud!",
        Low,
        &[],
    );
}

#[test]
fn the_organisation_s_staff_list_and_risk_settings_apply() {
    let text = "Sarah Quell will lead our diabetes education class on Tuesday.";
    assert_eq!(
        names_and_risk(text).0,
        High,
        "an unknown name beside a condition"
    );

    let config = Config::parse(
        ".phiguard.toml",
        "[organisation]\nstaff-names = [\"Sarah Quell\"]\n",
    )
    .unwrap();
    let (packs, _) = phiguard::app::PackSelection::default().packs().unwrap();
    let with_staff = Engine::build_with(&packs, &config.names).unwrap();
    let r = scan_with(&with_staff, &config.risk, text);
    assert_eq!(r.assessment.risk, Clean);

    // Raising the medium threshold above a name with health context makes it low.
    let config = Config::parse(
        ".phiguard.toml",
        "[risk]\nthreshold-medium = 0.9\nthreshold-high = 0.95\n",
    )
    .unwrap();
    let r = scan_with(engine(), &config.risk, text);
    assert_eq!(r.assessment.risk, Low);
}
