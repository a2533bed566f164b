//! Integration tests: one test binary. `util` holds the shared helpers; each module is one area.

mod util;

mod baseline;
mod cli;
mod config;
mod docx;
mod eval;
mod evasion;
mod explain;
mod formats;
mod fuzz_corpus;
mod git;
mod hostile;
mod html;
mod ident_contact;
mod ident_dates;
mod ident_government;
mod ident_health;
mod ident_places;
mod ident_vehicles_devices;
mod images;
mod markdown;
mod name_lists;
mod names;
mod outputs;
mod packs;
mod properties;
mod redact;
mod yaml;
