//! Unions: one of several models, told apart by a tag field, dispatched in
//! O(1).
//!
//! The derive gives each union a perfect hash of its tags, computed at compile
//! time with [`tag_hash`]: reading a tag costs one hash of its bytes and one
//! string comparison, however many variants the union has. When the tag is
//! the object's first key (as snapshots write it) the variant is built
//! straight from the input; otherwise the object's entries are first read as
//! JSON text ([`Buffered`], in their order, duplicates kept) to find its tag.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::MapDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::build::{scalar, Build, Scalar};
use crate::error::{quote_str, quote_value, ErrorKind};
use crate::value::Segment;

/// FNV-1a over `bytes`, from a seed: the hash of union tags. The derive
/// computes the same function at compile time (keep the two identical).
pub const fn tag_hash(bytes: &[u8], seed: u32) -> u32 {
    let mut h = 0x811c_9dc5u32 ^ seed;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u32;
        h = h.wrapping_mul(0x0100_0193);
        i += 1;
    }
    h ^ (h >> 15)
}

/// How a union's object begins.
pub enum UnionStart {
    /// The tag came first: build variant `.0` from the rest of the map.
    Tagged(u16),
    /// The tag came later: build variant `.1` from the whole object, read.
    Buffered(Buffered, u16),
}

/// A union's object whose tag did not come first: its entries as JSON text,
/// in snapshot order (a `serde_json::Value` would sort the keys of every
/// object in it and drop duplicate keys). A [`Deserializer`] of that object,
/// by reference.
pub struct Buffered(Vec<(String, Box<RawValue>)>);

impl<'de> Deserializer<'de> for &'de Buffered {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let entries = self.0.iter().map(|(k, v)| (k.as_str(), &**v));
        let mut map = MapDeserializer::new(entries);
        let value = visitor.visit_map(&mut map)?;
        map.end()?;
        Ok(value)
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'de>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A map key, borrowed from the input when it can be.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

/// A union's description, as the derive gives it.
pub struct UnionInfo {
    /// The union's name.
    pub name: &'static str,
    /// The tag field's key.
    pub tag_field: &'static str,
    /// The tags, by variant.
    pub tags: &'static [&'static str],
    /// The perfect-hash lookup of a tag.
    pub index_of: fn(&str) -> Option<u16>,
}

/// Reads the start of a union's object and finds its variant.
pub fn build_union<'de, A: MapAccess<'de>>(
    map: &mut A,
    cx: &mut Build,
    info: &UnionInfo,
) -> Result<UnionStart, A::Error> {
    let Some(first) = map.next_key_seed(KeySeed)? else {
        return Err(cx.missing(info.name, info.tag_field));
    };
    if first == info.tag_field {
        let tag = match map.next_value_seed(TagSeed { cx, info }) {
            Ok(i) => i,
            Err(e) => return Err(cx.at(Segment::Field(info.tag_field), e)),
        };
        return Ok(UnionStart::Tagged(tag));
    }
    let mut entries = vec![(first.into_owned(), map.next_value::<Box<RawValue>>()?)];
    while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
        entries.push(entry);
    }
    let Some((_, tag)) = entries.iter().find(|(k, _)| k == info.tag_field) else {
        return Err(cx.missing(info.name, info.tag_field));
    };
    let tag: serde_json::Value =
        serde_json::from_str(tag.get()).map_err(<A::Error as de::Error>::custom)?;
    let i = match &tag {
        serde_json::Value::String(s) => match (info.index_of)(s) {
            Some(i) => i,
            None => {
                let found = quote_str(s);
                let e = unknown_tag(cx, info, found);
                return Err(cx.at(Segment::Field(info.tag_field), e));
            }
        },
        other => {
            let found = quote_value(other);
            let e = cx.wrong_type("tag string".into(), found);
            return Err(cx.at(Segment::Field(info.tag_field), e));
        }
    };
    Ok(UnionStart::Buffered(Buffered(entries), i))
}

#[cold]
fn unknown_tag<E: de::Error>(cx: &mut Build, info: &UnionInfo, found: String) -> E {
    cx.fail(ErrorKind::UnknownTag {
        union: info.name,
        tag_field: info.tag_field,
        found,
        expected: info.tags,
    })
}

struct TagSeed<'a, 'i> {
    cx: &'a mut Build,
    info: &'i UnionInfo,
}

impl<'de> DeserializeSeed<'de> for TagSeed<'_, '_> {
    type Value = u16;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u16, D::Error> {
        match scalar(d)? {
            Scalar::Str(s) => match (self.info.index_of)(&s) {
                Some(i) => Ok(i),
                None => Err(unknown_tag(self.cx, self.info, quote_str(&s))),
            },
            other => Err(self.cx.wrong_type("tag string".into(), other.found())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tag_hash;

    /// The derive's copy of `tag_hash` is tested against the same values.
    #[test]
    fn tag_hash_is_stable() {
        assert_eq!(tag_hash(b"", 0), 0x811c_9dc5 ^ (0x811c_9dc5 >> 15));
        assert_eq!(tag_hash(b"Apple", 0), 0xb677_9c5f ^ (0xb677_9c5f >> 15));
        assert_eq!(tag_hash(b"Apple", 7), tag_hash(b"Apple", 7));
        assert_ne!(tag_hash(b"Apple", 0), tag_hash(b"Apple", 1));
    }
}
