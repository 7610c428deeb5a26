//! [`Memo<T>`]: the slot a getter view keeps its value in.

use std::fmt;
use std::sync::OnceLock;

/// The declared slot of a getter view: computed on first access, then read for
/// free (no allocation, no recomputation).
///
/// Declare one per getter with `#[model(view = path::to::compute)]`; the derive
/// adds a method of the field's name that returns the memoized value:
///
/// ```
/// use sapwood::tree::{Memo, Model};
///
/// #[derive(Model)]
/// struct Person {
///     first: String,
///     last: String,
///     #[model(view = Person::compute_full_name)]
///     full_name: Memo<String>,
/// }
///
/// impl Person {
///     fn compute_full_name(&self) -> String {
///         format!("{} {}", self.first, self.last)
///     }
/// }
///
/// let p = Person::from_json_str(r#"{"first": "Ada", "last": "Lovelace"}"#).unwrap();
/// assert_eq!(p.full_name(), "Ada Lovelace");
/// ```
///
/// A memo is not part of the model's data: it is never in a snapshot, and two
/// memos always compare equal.
pub struct Memo<T>(OnceLock<T>);

impl<T> Memo<T> {
    /// An empty slot.
    pub const fn new() -> Self {
        Memo(OnceLock::new())
    }

    /// The value, computed by `f` on first access.
    #[inline]
    pub fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(f)
    }

    /// The value, if it was computed already.
    pub fn get(&self) -> Option<&T> {
        self.0.get()
    }
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for Memo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.get() {
            Some(v) => write!(f, "Memo({v:?})"),
            None => f.write_str("Memo(not computed)"),
        }
    }
}

impl<T> PartialEq for Memo<T> {
    /// Always equal: a memo is a cache, not data.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
