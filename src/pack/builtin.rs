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
];
