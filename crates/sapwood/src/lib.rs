//! Sapwood: reactive state for Rust.
//!
//! This facade re-exports the layers a user depends on:
//!
//! - the reactive engine ([`sapwood_engine`]): signals, computed values,
//!   effects and scopes, with exact memory accounting of every node;
//! - state trees ([`tree`]): typed models built from JSON snapshots, with
//!   identifiers, references, views and snapshots out.
//!
//! ```
//! use sapwood::prelude::*;
//!
//! let count = Signal::new(1);
//! let doubled = Computed::new(move || count.get() * 2);
//! count.set(21);
//! assert_eq!(doubled.get(), 42);
//! ```

#![warn(missing_docs)]

// The README's example is compiled and run as a test.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

pub use sapwood_engine::{
    batch, on_cleanup, stats, untrack, Computed, Effect, Error, NodeKind, Scope, Signal, Stats,
};

/// State trees: typed models from JSON snapshots (see [`sapwood_tree`]).
///
/// `#[derive(Model)]` (from `sapwood-derive`) generates code that refers to
/// this module, so depend on `sapwood` to use it.
pub mod tree {
    pub use sapwood_derive::Model;
    pub use sapwood_tree::*;
}

/// Everything needed to write reactive code: `use sapwood::prelude::*;`.
pub mod prelude {
    pub use sapwood_engine::{batch, on_cleanup, untrack, Computed, Effect, Scope, Signal};
}
