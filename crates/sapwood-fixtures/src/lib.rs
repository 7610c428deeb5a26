//! The fixture models of mobx-quick-tree (see `fixtures/README.md`), written
//! as Sapwood models, with their JSON inputs; and the same data as plain serde
//! structs ([`plain`]), the floor that Sapwood's read-only trees are measured
//! against.
//!
//! Used by the tree tests, the examples and the analysis report.

#![warn(missing_docs)]

pub mod fruit_aisle;
pub mod large_root;
pub mod name_example;
pub mod plain;
pub mod scale;
pub mod state;
pub mod test_class_model;

/// `fixtures/large-root-snapshot.json`: 1,436 models, 1,183 references.
pub const LARGE_ROOT_JSON: &str = include_str!("../../../fixtures/large-root-snapshot.json");

/// `fixtures/fruit-aisle-snapshot.json`: the union model.
pub const FRUIT_AISLE_JSON: &str = include_str!("../../../fixtures/fruit-aisle-snapshot.json");
