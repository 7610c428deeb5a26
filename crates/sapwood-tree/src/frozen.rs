//! [`Frozen`]: any JSON, kept as its text.

use std::borrow::Cow;
use std::fmt;

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::build::Build;
use crate::value::TreeValue;
use crate::False;

/// An opaque JSON value (MobX-State-Tree's `frozen`): kept exactly as the
/// snapshot wrote it, never validated beyond being JSON, written back as is.
///
/// It is stored as its JSON text in one allocation, which is both smaller and
/// faster to build than a parsed `serde_json::Value`; [`Frozen::to_value`]
/// parses it when needed.
///
/// ```
/// use sapwood::tree::{Frozen, Model};
///
/// #[derive(Model)]
/// struct Settings { extra: Frozen }
///
/// let s = Settings::from_json_str(r#"{"extra": {"theme": "dark", "sizes": [1, 2]}}"#).unwrap();
/// assert_eq!(s.extra.json(), r#"{"theme": "dark", "sizes": [1, 2]}"#);
/// assert_eq!(s.extra.to_value()["theme"], "dark");
/// ```
pub struct Frozen(Box<RawValue>);

impl Frozen {
    /// The JSON text.
    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// The value, parsed.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).expect("frozen text is valid JSON")
    }

    /// The value, parsed into `T`.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> serde_json::Result<T> {
        serde_json::from_str(self.0.get())
    }
}

impl fmt::Debug for Frozen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Frozen({})", self.0.get())
    }
}

impl PartialEq for Frozen {
    /// Equal JSON values (whatever the spacing or key order of the text).
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get() || self.to_value() == other.to_value()
    }
}

// SAFETY: a leaf holds no references or models.
unsafe impl TreeValue for Frozen {
    type Links = False;
    const MODELS: bool = false;

    fn describe() -> Cow<'static, str> {
        Cow::Borrowed("any JSON value")
    }

    #[inline]
    fn build<'de, D: Deserializer<'de>>(d: D, _: &mut Build) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(d).map(Frozen)
    }

    #[inline]
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}
