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

    /// Refuses a value nested deeper than [`DEPTH_LIMIT`](crate::DEPTH_LIMIT)
    /// counting from the snapshot's root, as the rest of a tree is (the
    /// parser skims frozen text without its nesting limit, and
    /// [`Frozen::to_value`] could not parse it back).
    #[inline]
    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        let json = raw.get();
        // Nesting `n` deep takes at least `n` opening brackets: counting them
        // (a vectorised loop) spares the exact scan for nearly all text.
        let room = crate::DEPTH_LIMIT.saturating_sub(cx.depth) as usize;
        if json.len() > room
            && brackets(json) > room
            && cx.depth + nesting(json) > crate::DEPTH_LIMIT
        {
            return Err(cx.fail(crate::ErrorKind::TooDeep {
                limit: crate::DEPTH_LIMIT as usize,
            }));
        }
        Ok(Frozen(raw))
    }

    #[inline]
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// Opening brackets in `json`, strings included: a bound on its nesting.
fn brackets(json: &str) -> usize {
    json.bytes().filter(|&b| b == b'[' || b == b'{').count()
}

/// The deepest nesting of arrays and objects in (valid) JSON text.
fn nesting(json: &str) -> u32 {
    let (mut depth, mut max) = (0u32, 0u32);
    let (mut in_string, mut escaped) = (false, false);
    for &b in json.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    max = max.max(depth);
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::nesting;

    #[test]
    fn brackets_bound_the_nesting() {
        for json in ["1", r#"{"a": [1, {"b": []}]}"#, r#"["[[[", {}]"#] {
            assert!(super::brackets(json) >= nesting(json) as usize, "{json}");
        }
        assert_eq!(super::brackets(r#"["[[[", {}]"#), 5);
    }

    #[test]
    fn nesting_skips_strings() {
        assert_eq!(nesting("1"), 0);
        assert_eq!(nesting(r#"{"a": [1, {"b": []}]}"#), 4);
        assert_eq!(nesting(r#"["[[[", "\\\"{{", {}]"#), 2);
    }
}
