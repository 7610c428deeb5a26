//! What the derive's generated code uses. Not a public API: it may change in
//! any release.

pub use serde;
pub use serde_json;

pub use crate::build::{
    build_model, duplicate_key, next_field, render_map, render_seq, scalar, skip_value, Build,
    FieldKey, Scalar, Seed,
};
pub use crate::memo::Memo;
pub use crate::reference::Link;
pub use crate::snapshot::{write_field, write_model, Snapshot};
pub use crate::tree::{Linked, Plain, Repr};
pub use crate::union::{build_union, tag_hash, Buffered, UnionInfo, UnionStart};
pub use crate::value::{
    False, Flag, Identified, IdentifierValue, KeyBuf, Model, Or, Segment, TreeValue, True, Walk,
};

use serde::de::{self, Deserializer};

use crate::error::quote_str;

/// Reads a literal: exactly `lit`, or an invalid-value error. The string is
/// compared where the parser has it, never copied.
pub fn build_literal<'de, D: Deserializer<'de>>(
    d: D,
    cx: &mut Build,
    lit: &'static str,
) -> Result<(), D::Error> {
    d.deserialize_any(LiteralVisitor { cx, lit })
}

struct LiteralVisitor<'a> {
    cx: &'a mut Build,
    lit: &'static str,
}

impl<'de> de::Visitor<'de> for LiteralVisitor<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.lit)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        if s == self.lit {
            Ok(())
        } else {
            Err(self.cx.invalid(quote_str(self.lit), quote_str(s)))
        }
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<(), E> {
        Err(self
            .cx
            .wrong_type(quote_str(self.lit).into(), b.to_string()))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<(), E> {
        Err(self
            .cx
            .wrong_type(quote_str(self.lit).into(), n.to_string()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<(), E> {
        Err(self
            .cx
            .wrong_type(quote_str(self.lit).into(), n.to_string()))
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<(), E> {
        let found = Scalar::F64(x).found();
        Err(self.cx.wrong_type(quote_str(self.lit).into(), found))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self
            .cx
            .wrong_type(quote_str(self.lit).into(), "null".into()))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(self
            .cx
            .wrong_type(quote_str(self.lit).into(), "null".into()))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let found = render_seq(seq)?;
        Err(self.cx.wrong_type(quote_str(self.lit).into(), found))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let found = render_map(map)?;
        Err(self.cx.wrong_type(quote_str(self.lit).into(), found))
    }
}

/// Reads one of an enumeration's strings: its index in `names`.
pub fn build_enumeration<'de, D: Deserializer<'de>>(
    d: D,
    cx: &mut Build,
    names: &'static [&'static str],
    index_of: fn(&str) -> Option<u16>,
) -> Result<u16, D::Error> {
    match scalar(d)? {
        Scalar::Str(s) => match index_of(&s) {
            Some(i) => Ok(i),
            None => Err(cx.invalid(one_of(names), quote_str(&s))),
        },
        other => Err(cx.wrong_type(one_of(names).into(), other.found())),
    }
}

/// `one of "a", "b", "c"`.
pub fn one_of(names: &[&str]) -> String {
    let mut s = String::from("one of ");
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&quote_str(n));
    }
    s
}

/// The error for a missing required field.
#[cold]
pub fn missing<E: de::Error>(cx: &mut Build, model: &'static str, field: &'static str) -> E {
    cx.missing(model, field)
}
