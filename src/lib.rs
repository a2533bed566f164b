//! phiguard keeps protected health information (PHI) out of social-media posts.
//!
//! It reads drafted posts, captions and alt text, finds likely PHI with TOML pattern packs (the
//! 18 Safe Harbor identifier classes), and says how risky each post is and why.
//!
//! The work flows through one module per stage:
//!
//! ```text
//! source ──► extract ──► detect ──► assess ──► report
//! ```
//!
//! - [`source`] turns paths into inputs (walking folders, `.gitignore` respected);
//! - [`extract`] turns an input's bytes into posts of segments, each with a map back to the bytes;
//! - [`detect`] runs the compiled [`pack`]s over a segment (two phases: keywords and a regex set
//!   decide which rules can match; only those run) and [`validate`] checks candidates;
//! - [`assess`] turns a post's findings into a risk level with reasons;
//! - [`report`] renders results (masking values with [`mask`]) and decides the exit code.
//!
//! [`scan`] wires the stages together and [`app`] holds the commands.
//!
//! ```
//! use phiguard::{app::PackSelection, assess::RiskModel, extract, scan::Scanner};
//!
//! let (engine, _warnings) = PackSelection::default().engine().unwrap();
//! let model = RiskModel::default();
//! let scanner = Scanner { engine: &engine, model: &model };
//! let extract::Extracted::Document(doc, _) =
//!     extract::extract("post.txt", b"Her SSN is 987-65-4321.".to_vec(), true)
//! else {
//!     unreachable!()
//! };
//! let posts = scanner.scan_document(&doc);
//! assert_eq!(posts[0].findings[0].category().as_str(), "ssn");
//! assert_eq!(posts[0].assessment.risk, phiguard::category::RiskLevel::High);
//! ```

pub mod allow;
pub mod app;
pub mod assess;
pub mod baseline;
pub mod category;
pub mod config;
pub mod detect;
pub mod error;
pub mod eval;
pub mod explain;
pub mod extract;
pub mod failsafe;
pub mod finding;
pub mod git;
pub mod hook;
/// Checks shared by the fuzz targets and their stable replay (not part of the API).
#[doc(hidden)]
pub mod invariants;
pub mod mask;
pub mod normalize;
pub mod pack;
pub mod redact;
pub mod report;
pub mod scan;
pub mod source;
pub mod text;
pub mod validate;

pub use error::Error;
