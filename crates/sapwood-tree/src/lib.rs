//! Sapwood's state trees: typed models built from JSON snapshots.
//!
//! A model is a Rust struct with `#[derive(Model)]` (re-exported by the
//! `sapwood` crate as `sapwood::tree::Model`). From one definition you get:
//!
//! - **Instantiation** from JSON text or a `serde_json::Value`
//!   ([`Tree::from_json_str`], [`Tree::from_json_value`]), validated as it is
//!   read: a wrong type, a missing field, an unknown union tag, a duplicate
//!   identifier or a dangling reference is an [`Error`] naming the JSON path,
//!   what was expected and the offending value (truncated).
//! - **Read-only instances** ([`Tree`]): plain immutable data, as small as the
//!   struct serde would build. References ([`Ref`], [`SafeRef`]) are pointers
//!   to their targets, resolved whatever the order of the snapshot.
//! - **Identifiers** (`#[model(identifier)]`), scoped by model type and found
//!   in O(1) with [`Tree::resolve_identifier`]. A tree without identifiers has
//!   no index and no context at all: it is the bare struct.
//! - **Views**: getter views memoized in a declared [`Memo`] slot (computed
//!   once, then free); method views are plain methods.
//! - **Navigation** ([`Navigator`]): parent, root and JSON path of any model.
//! - **Snapshots out** ([`Tree::to_snapshot`], [`Tree::to_json`]) that
//!   round-trip: defaults filled in, references written as identifiers.
//!
//! ```
//! use sapwood::tree::{Map, Model, Ref, Tree};
//!
//! #[derive(Model)]
//! #[model(rename_all = "camelCase")]
//! struct Author {
//!     #[model(identifier)]
//!     id: String,
//!     full_name: String,
//! }
//!
//! #[derive(Model)]
//! struct Book {
//!     title: String,
//!     author: Ref<Author>,
//!     #[model(default)]
//!     tags: Vec<String>,
//! }
//!
//! #[derive(Model)]
//! struct Library {
//!     books: Vec<Book>,
//!     authors: Map<Author>,
//! }
//!
//! let lib: Tree<Library> = Library::from_json_str(r#"{
//!     "books": [{"title": "Notes", "author": "ada"}],
//!     "authors": {"ada": {"id": "ada", "fullName": "Ada Lovelace"}}
//! }"#).unwrap();
//! assert_eq!(lib.books[0].author.full_name, "Ada Lovelace");
//! assert!(lib.resolve_identifier::<Author>("ada").is_some());
//! assert_eq!(
//!     lib.to_json(),
//!     r#"{"books":[{"title":"Notes","author":"ada","tags":[]}],"authors":{"ada":{"id":"ada","fullName":"Ada Lovelace"}}}"#
//! );
//! ```
//!
//! # Field types
//!
//! `String`, `bool`, `i8`..`u64`, `f32`/`f64`, `Option<T>` (absent or
//! `null`), `Vec<T>`, `Box<T>`, [`Map<T>`] (string keys, snapshot order),
//! nested models, enumerations (a derived enum of unit variants), unions of
//! models told apart by a tag field (a derived enum of one-field variants with
//! `#[model(tag = "type")]`, dispatched in O(1)), literals ([`literal!`]),
//! [`Frozen`] (any JSON, kept as is), [`Date`] (epoch milliseconds), and
//! references. Absent fields take `#[model(default)]` or
//! `#[model(default = expr)]`; unknown fields are ignored.
//!
//! # Threads
//!
//! A tree is `Send` and `Sync` when its field types are: read-only data can be
//! shared between threads (getter views initialise once, whichever thread
//! asks first).

#![warn(missing_docs)]

mod build;
mod containers;
mod date;
mod error;
mod frozen;
mod index;
mod link;
mod literal;
mod map;
mod memo;
mod navigate;
mod primitives;
mod reference;
mod scratch;
mod snapshot;
mod tree;
mod union;
mod value;

pub use date::Date;
pub use error::{Error, ErrorKind, MAX_QUOTED};
pub use frozen::Frozen;
pub use map::{Map, MapHasher};
pub use memo::Memo;
pub use navigate::{Navigator, NodeRef};
pub use reference::{Ref, SafeRef};
pub use tree::Tree;
pub use value::{Identified, IdentifierValue, KeyBuf, Model, Segment, TreeValue};

#[doc(hidden)]
pub use value::{False, Flag, True};

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

/// The nesting limit of objects and arrays in a snapshot.
pub const DEPTH_LIMIT: u32 = build::DEPTH_LIMIT;
