//! The built-in packs, embedded in the binary so `phiguard scan` needs no configuration.
//!
//! An explicit table (not a directory macro): adding a pack means adding a line here, and
//! cargo rebuilds whenever one of these files changes.

/// `(file name under patterns/, TOML text)` for every built-in pack, in load order.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "government-ids.toml",
        include_str!("../../patterns/government-ids.toml"),
    ),
    (
        "health-ids.toml",
        include_str!("../../patterns/health-ids.toml"),
    ),
    ("contact.toml", include_str!("../../patterns/contact.toml")),
    ("dates.toml", include_str!("../../patterns/dates.toml")),
    ("places.toml", include_str!("../../patterns/places.toml")),
    (
        "vehicles-devices.toml",
        include_str!("../../patterns/vehicles-devices.toml"),
    ),
    ("names.toml", include_str!("../../patterns/names.toml")),
    ("context.toml", include_str!("../../patterns/context.toml")),
];

/// `(path under patterns/, text)` of every word list the built-in packs name.
pub const BUILTIN_DATA: &[(&str, &str)] = &[
    (
        "data/first-names.txt",
        include_str!("../../patterns/data/first-names.txt"),
    ),
    (
        "data/surnames.txt",
        include_str!("../../patterns/data/surnames.txt"),
    ),
    (
        "data/name-words.txt",
        include_str!("../../patterns/data/name-words.txt"),
    ),
    (
        "data/context/credentials.txt",
        include_str!("../../patterns/data/context/credentials.txt"),
    ),
    (
        "data/context/health-conditions.txt",
        include_str!("../../patterns/data/context/health-conditions.txt"),
    ),
    (
        "data/context/health-medications.txt",
        include_str!("../../patterns/data/context/health-medications.txt"),
    ),
    (
        "data/context/health-settings.txt",
        include_str!("../../patterns/data/context/health-settings.txt"),
    ),
    (
        "data/context/health-treatments.txt",
        include_str!("../../patterns/data/context/health-treatments.txt"),
    ),
    (
        "data/context/honorifics.txt",
        include_str!("../../patterns/data/context/honorifics.txt"),
    ),
    (
        "data/context/mitigation.txt",
        include_str!("../../patterns/data/context/mitigation.txt"),
    ),
    (
        "data/context/patient-linkage.txt",
        include_str!("../../patterns/data/context/patient-linkage.txt"),
    ),
    (
        "data/context/public-figures.txt",
        include_str!("../../patterns/data/context/public-figures.txt"),
    ),
    (
        "data/context/staff-context.txt",
        include_str!("../../patterns/data/context/staff-context.txt"),
    ),
    (
        "data/context/staff-titles.txt",
        include_str!("../../patterns/data/context/staff-titles.txt"),
    ),
];
