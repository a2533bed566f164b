//! Table tests for the `hipaa-dates` pack: dates in every way posts write them (numeric, ISO,
//! English and Spanish month names, month and year, year-less dates after a cue word), the
//! birth/admission/discharge/death boost, ages over 89, and the look-alikes that must stay
//! quiet (times, fractions, scores, versions, phone numbers, ZIP+4, year ranges, bare years,
//! durations, counts, anniversaries).

use phiguard::category::RiskLevel;

use crate::util::{assert_found, assert_none_of, found_rules, hits};

/// `(value, severity)` of every `date` finding in `text`, in text order.
fn date_severities(text: &str) -> Vec<(String, RiskLevel)> {
    hits(text)
        .into_iter()
        .filter(|h| h.category == "date")
        .map(|h| (h.value, h.severity))
        .collect()
}

/// Numeric dates with a year: US M/D/Y, two-digit years, dashes, D/M/Y when the day is over
/// 12, dotted D.M.YYYY (M.D.YYYY when the day is over 12), with labels, punctuation and emoji around them.
#[test]
fn numeric_dates_with_a_year() {
    let cases: &[(&str, &str)] = &[
        ("Born 3/14/1952 in Tulsa", "3/14/1952"),
        ("DOB: 03/14/52", "03/14/52"),
        ("DOB 03/14/1952.", "03/14/1952"),
        ("Admitted 3-14-1952, home now", "3-14-1952"),
        ("Welcome to the world! 🎉 02/03/2026 💙", "02/03/2026"),
        ("Nació el 14/03/1952", "14/03/1952"),
        ("Fecha de nacimiento: 14.03.1952", "14.03.1952"),
        ("Born 03.14.1952 in Tulsa", "03.14.1952"),
        ("Open house Tuesday 10/12/2024 (all welcome)", "10/12/2024"),
        ("(12/31/2025)", "12/31/2025"),
        ("DOB03/14/1952", "03/14/1952"),
        ("Leap baby: 2/29/2024!", "2/29/2024"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("date", value)]);
    }
    // Two dates in one caption are two findings.
    assert_found(
        "Admitted 1/2/2026, discharged 2/14/2026",
        &[("date", "1/2/2026"), ("date", "2/14/2026")],
    );
}

/// Year-first dates and ISO timestamps: a timestamp written as one token is one value; a time
/// after a space is not part of the date.
#[test]
fn iso_dates_and_timestamps() {
    let cases: &[(&str, &str)] = &[
        ("birth_date: 1952-03-14", "1952-03-14"),
        ("Admitted 2024/3/15 via the ER", "2024/3/15"),
        (
            "posted 2024-03-15T14:30:00Z by the night shift",
            "2024-03-15T14:30:00Z",
        ),
        (
            "timestamp 2024-03-15T14:30:00.250-05:00",
            "2024-03-15T14:30:00.250-05:00",
        ),
        ("Event 2024-03-15 14:30 in the lobby", "2024-03-15"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("date", value)]);
    }
}

/// English month names and abbreviations, any case, with ordinals, commas, weekdays and
/// apostrophe years; "May" only capitalised.
#[test]
fn english_month_names() {
    let cases: &[(&str, &str)] = &[
        ("Born March 14, 1952 in Ohio", "March 14, 1952"),
        ("See you Mar. 14th!", "Mar. 14th"),
        ("Mar. 14th, 1952", "Mar. 14th, 1952"),
        ("MARCH 14, 1952", "MARCH 14, 1952"),
        ("march 14 2024 for the run", "march 14 2024"),
        ("Clinic closed Sept 3 for Labor Day", "Sept 3"),
        ("Join us Saturday, Oct. 12, 10am–2pm!", "Oct. 12"),
        ("Our new clinic opens May 5.", "May 5"),
        ("BORN DEC 25, '52", "DEC 25, '52"),
        ("Dec 25, ’52", "Dec 25, ’52"),
        ("Born 14 March 1952.", "14 March 1952"),
        ("Admitted on the 14th of March", "14th of March"),
        ("Vaccinated 5-May-2021", "5-May-2021"),
        ("DOB 14MAR1952", "14MAR1952"),
        ("Happy 21st May 2021 to you", "21st May 2021"),
        ("Home by January 1st, 2000!", "January 1st, 2000"),
        ("Wednesday, Feb 29, 2024", "Feb 29, 2024"),
        ("Admit date Mar-14-1952", "Mar-14-1952"),
        ("Sunday 12th May", "12th May"),
        ("Home by 12-oct-2024", "12-oct-2024"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("date", value)]);
    }
    // A day before and a time after: the day-first reading wins.
    assert_found("The 5 May 10 am session", &[("date", "5 May")]);
    assert_found(
        "March 14, 1952 and March 15, 1952",
        &[("date", "March 14, 1952"), ("date", "March 15, 1952")],
    );
}

/// Spanish month names: day-first with "de", month-first, abbreviations and ordinals.
#[test]
fn spanish_month_names() {
    let cases: &[(&str, &str)] = &[
        ("Nació el 14 de marzo de 1952", "14 de marzo de 1952"),
        (
            "Ingresó el 3 de septiembre del 2021",
            "3 de septiembre del 2021",
        ),
        ("¡Feliz 1º de mayo!", "1º de mayo"),
        ("Cerrado el 1 de enero", "1 de enero"),
        ("Llegó a casa marzo 14 🎉", "marzo 14"),
        ("Dado de alta el 3 de ago. de 2021", "3 de ago. de 2021"),
        ("Cita: 29 febrero 2000", "29 febrero 2000"),
        ("Vacunación el 5 de Mayo", "5 de Mayo"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("date", value)]);
    }
}

/// A month with a year but no day is still a date element (lower confidence).
#[test]
fn month_and_year() {
    let cases: &[(&str, &str)] = &[
        ("Our new wing opens March 2024", "March 2024"),
        ("Born in May 1931, she loves bingo", "May 1931"),
        ("Ingresó en marzo de 2024", "marzo de 2024"),
        ("Since Sept. '19 we have grown", "Sept. '19"),
        ("Newsletter — November, 2024", "November, 2024"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("date", value)]);
    }
    let rules = found_rules("Our new wing opens March 2024");
    assert_eq!(rules[0].0, "hipaa.date.month-year");
}

/// Numeric dates without a year only count right after a date cue word.
#[test]
fn yearless_numeric_dates_need_a_cue() {
    let cases: &[(&str, &str)] = &[
        ("See you on 5/21!", "5/21"),
        ("DOB: 3/14", "3/14"),
        ("born 2/29 (leap baby!)", "2/29"),
        ("Lo operaron el 14/3 y salió bien", "14/3"),
        ("RSVP by 6/1.", "6/1"),
        ("RSVP by Friday, 3/1", "3/1"),
        ("Vaccine clinic Sat 10/5, 9-noon", "10/5"),
        ("Home since 05/2021", "05/2021"),
        ("Discharged 6/2 after 3 weeks", "6/2"),
        ("Surgery: 11/30", "11/30"),
        ("DOB 3-14", "3-14"),
        ("Nació el 14-3 a las 2 a.m.", "14-3"),
        ("Week of 3/18 and beyond", "3/18"),
        ("Vacunación el próximo 14/11", "14/11"),
        ("Lunes 4/11: vacunación gratuita", "4/11"),
        ("#TBT to 10/12 when we opened 🎉", "10/12"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("date", value)]);
    }
    // A range: the second date is cued by the dash or "to".
    assert_found("Nurses Week 5/6 – 5/12", &[("date", "5/12")]);
    assert_found(
        "Visiting from 5/6 to 5/12",
        &[("date", "5/6"), ("date", "5/12")],
    );
    for text in [
        "Add 1/2 cup of love",
        "Mix 1/2 and 3/4 cups",
        "3/4 of our nurses got the flu shot",
        "Open 24/7 for emergencies",
        "We're on 24/7 for you",
        "Pain went from 7/10 to 2/10",
        "Rated on 5/10 pain scale",
        "Mix on 3/4 of the tray",
        "born 3-4 weeks early",
        "Admitted 2-3 days",
        "Flu clinic 10/15 - 10/20",
        "Open since 2/30 never happened",
        "el 3/4 de los pacientes",
    ] {
        assert_none_of(text, "date");
    }
}

/// Things with digits and separators that are not dates.
#[test]
fn not_dates() {
    for text in [
        "Meet at 10:30 or 14:30:00",
        "We won 3-2 on penalties",
        "Staff ratio 1:4 on nights",
        "Upgrade to version 2.1.24 today",
        "We were 2019-2024 champions!",
        "Served the valley 2019-2024",
        "ZIP 62701-1234",
        "Call 555-0142 or (555) 555-0199",
        "in 2024 we grew",
        "Class of 1999 reunion",
        "Born 1931",
        "Flu shots every Tuesday in November",
        "May is mental health awareness month",
        "You may 2x your steps this week",
        "Kids 5 may join the walk",
        "three weeks ago 14 nurses joined",
        "Financing at APR 3.9% available",
        "Financing at 2.9 APR for 12 months",
        "We march 5 miles for babies",
        "BP 120/80, HR 72",
        "Order 20240315 shipped",
        "Ticket 2024-13-45 is closed",
        "March Madness bracket: 64 teams",
        "1,200 steps today",
    ] {
        assert_none_of(text, "date");
    }
}

/// Birth, admission, discharge and death wording raises a date to medium severity; an event
/// date stays low.
#[test]
fn birth_admission_discharge_death_boost() {
    let medium: &[(&str, &str)] = &[
        ("Born 3/14/2026 at 2:14 a.m., 7 lbs 2 oz", "3/14/2026"),
        ("Discharged June 3 after 41 days in the NICU", "June 3"),
        ("DOB: 03/14/1952", "03/14/1952"),
        ("D.O.B. 1952-03-14", "1952-03-14"),
        ("Date of birth 14 March 1952", "14 March 1952"),
        ("She was admitted on 5/21", "5/21"),
        ("Mr. Diaz passed away Jan 5, 2024", "Jan 5, 2024"),
        ("Nació el 14 de marzo de 1952", "14 de marzo de 1952"),
        ("Dado de alta el 3 de junio", "3 de junio"),
        ("Falleció el 2/3/2024", "2/3/2024"),
        ("Happy birthday to our nurse Kim, May 5!", "May 5"),
        ("Welcome baby girl, 02/03/2026", "02/03/2026"),
    ];
    for (text, value) in medium {
        assert_eq!(
            date_severities(text),
            vec![((*value).to_owned(), RiskLevel::Medium)],
            "scanning {text:?}"
        );
    }
    let low: &[(&str, &str)] = &[
        ("Join us Saturday, Oct. 12, 10am–2pm", "Oct. 12"),
        ("Flu shots start 10/1/2025", "10/1/2025"),
        ("Our new clinic opens May 5", "May 5"),
        ("Newsletter: March 2024", "March 2024"),
        ("Free admission Oct 12, 10am-2pm", "Oct 12"),
        ("Ingreso libre el 5 de mayo", "5 de mayo"),
    ];
    for (text, value) in low {
        assert_eq!(
            date_severities(text),
            vec![((*value).to_owned(), RiskLevel::Low)],
            "scanning {text:?}"
        );
    }
}

/// Ages of 90 and over written with digits and "years old" or a short form.
#[test]
fn ages_with_years_old() {
    let cases: &[(&str, &str)] = &[
        ("Our 93-year-old patient rang the bell today!", "93"),
        ("She is 101 years old and still knits", "101"),
        ("A 93 year old veteran", "93"),
        ("Mr. Lee, 93 yrs, loves jazz", "93"),
        ("Pt is a 95 y/o female", "95"),
        ("92yo veteran visited", "92"),
        ("94 y.o. grandma", "94"),
        ("He turned 100 years young!", "100"),
        ("90 years of age", "90"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("age_over_89", value)]);
    }
}

/// Ages after a cue, ordinal birthdays, decades, spelled-out ages, Spanish and age words.
#[test]
fn ages_with_cues_and_words() {
    let cases: &[(&str, &str)] = &[
        ("age 93, loves gardening", "93"),
        ("Aged 102 and sharp as ever", "102"),
        ("Grandma Rose is turning 100 this week!", "100"),
        ("Mr. Alvarez turned 101 on Sunday", "101"),
        ("she is 93 and still volunteers", "93"),
        ("Our oldest volunteer is 96", "96"),
        ("He's 96!", "96"),
        ("Edad: 94", "94"),
        ("She passed at the age of 97", "97"),
        ("Grandpa Joe turned ninety-five!", "ninety-five"),
        ("Mi abuela cumple cien", "cien"),
        ("Mrs. Gold celebrated her 100th with cake!", "100th"),
        ("At 93, she still walks every day", "93"),
        ("She celebrates her 102nd birthday today", "102nd"),
        ("100th birthday cake 🎂", "100th"),
        ("A patient in her 90s shared her story", "90s"),
        ("in his mid-nineties and still farming", "nineties"),
        ("our ninety-three-year-old friend", "ninety-three"),
        ("one hundred and four years old!", "one hundred and four"),
        ("Doña Rosa tiene noventa y tres años", "noventa y tres"),
        ("Paciente de 97 años dado de alta", "97"),
        ("Doña Carmen cumple 100 años hoy", "100"),
        ("Meet our resident centenarian!", "centenarian"),
        ("A supercentenarian visited", "supercentenarian"),
        ("Our nonagenarian volunteers", "nonagenarian"),
        ("Congratulations to Rose Alvarez, 102, on her award", "102"),
        ("Ruth Kim (95) with her great-grandson", "95"),
        ("Mrs. K, 101, loves bingo", "101"),
        ("Don Jorge, de 94 años, celebró con nosotros", "94"),
    ];
    for (text, value) in cases {
        assert_found(text, &[("age_over_89", value)]);
    }
}

/// Numbers of 90 and over that are not ages, ages under 90, and anniversaries.
#[test]
fn not_ages_over_89() {
    for text in [
        "Our 89-year-old volunteer Maria",
        "A 30-year-old nurse",
        "90 minutes of yoga",
        "100 days without a fall",
        "Celebrating 100 years of service",
        "120 years strong!",
        "95% of patients recommend us",
        "Route 93 is closed",
        "room 100 is ready",
        "100 volunteers joined",
        "over 90 staff attended",
        "Our 100-year-old hospital building gets a facelift",
        "The 150 year old oak tree",
        "St. Mary's Hospital turns 100 this year!",
        "The hospital celebrates its 100th birthday",
        "Our 100th anniversary gala",
        "aged 90 days in oak barrels",
        "He is 100 miles away",
        "She is 95% recovered",
        "in her 80s",
        "Music from the 90s",
        "Celebramos 100 años de servicio",
        "Hace 100 años abrimos la clínica",
        "Celebrating our centennial year",
        "Rooms 101, 102, 103 are ready",
        "Thanks, 100 volunteers, for your help",
        "At 89, she still walks",
        "She turned eighty-nine",
        "Dr. Kim celebrated his 100th robotic surgery",
        "Nurse Ana celebrates her 100th baby delivered",
    ] {
        assert_none_of(text, "age_over_89");
    }
}

/// Whole captions mixing dates, ages, addresses and rooms.
#[test]
fn realistic_posts() {
    assert_found(
        "Happy 100th birthday to Mrs. Alvarez in Room 214!",
        &[("age_over_89", "100th"), ("other_id", "214")],
    );
    assert_found(
        "Born 3/14/2026 at 2:14 a.m., 7 lbs 2 oz",
        &[("date", "3/14/2026")],
    );
    assert_found(
        "Discharged June 3 after 41 days in the NICU 💙",
        &[("date", "June 3")],
    );
    assert_found(
        "Llegó el 14 de marzo; 93 años y muy feliz",
        &[("date", "14 de marzo"), ("age_over_89", "93")],
    );
    assert_found(
        "In loving memory of John, March 3, 1930 – Jan 5, 2024",
        &[("date", "March 3, 1930"), ("date", "Jan 5, 2024")],
    );
    assert_found(
        "Our 93-year-old patient went home Tuesday, Oct. 8",
        &[("age_over_89", "93"), ("date", "Oct. 8")],
    );
    assert_found(
        "Happy 95th birthday, Mr. Okafor! 🎂🎈 #Room312",
        &[("age_over_89", "95th"), ("other_id", "312")],
    );
    assert_found(
        "¡Bienvenida al mundo, bebé Sofía! Nació el 3 de marzo a las 4:12 a.m. 👶",
        &[("date", "3 de marzo")],
    );
    assert_found("Flu shots every Tuesday in November", &[]);
}
