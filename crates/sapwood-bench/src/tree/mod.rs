//! The state-tree tables of the report: memory per read-only instance, speed
//! of instantiation and snapshots, and the cost per model as trees grow, for
//! Sapwood beside `serde_plain` (the same data read by `serde_json` into
//! plain structs: the floor; see `sapwood_fixtures::plain`).

pub mod memory;
pub mod report;
pub mod scale;
pub mod speed;

pub use memory::{measure_tree_row, TreeFigure, TreeRow};
