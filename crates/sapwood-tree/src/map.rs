//! [`Map<T>`]: a string-keyed map that keeps its snapshot's order.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};

use crate::build::{duplicate_key, refuse_scalars, render_seq, Build, OwnedKey, Seed};
use crate::link;
use crate::snapshot::Snapshot;
use crate::value::{Segment, TreeValue, Walk};

/// The hasher of every [`Map`]: fast, and seeded at random per map.
pub type MapHasher = foldhash::fast::RandomState;

/// A JSON object of `T`s, read-only, in the order of its snapshot.
///
/// Absent from a snapshot, a map is empty. A key need not equal the identifier of the model it holds. The same key
/// twice in one snapshot object is an error
/// ([`DuplicateKey`](crate::ErrorKind::DuplicateKey)).
///
/// ```
/// use sapwood::tree::{Map, Model};
///
/// #[derive(Model)]
/// struct Shelf { items: Map<u32> }
///
/// let shelf = Shelf::from_json_str(r#"{"items": {"b": 2, "a": 1}}"#).unwrap();
/// assert_eq!(shelf.items.get("a"), Some(&1));
/// assert_eq!(shelf.items.keys().collect::<Vec<_>>(), ["b", "a"]);
/// ```
pub struct Map<T>(IndexMap<String, T, MapHasher>);

impl<T> Map<T> {
    /// The value at `key`.
    #[inline]
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.get(key)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// The entry at position `i` (snapshot order).
    pub fn get_index(&self, i: usize) -> Option<(&str, &T)> {
        self.0.get_index(i).map(|(k, v)| (k.as_str(), v))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in snapshot order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &T)> + '_ {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Keys in snapshot order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.0.keys().map(String::as_str)
    }

    /// Values in snapshot order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &T> + '_ {
        self.0.values()
    }
}

impl<T> std::ops::Index<&str> for Map<T> {
    type Output = T;
    /// The value at `key`; panics if there is none.
    fn index(&self, key: &str) -> &T {
        match self.0.get(key) {
            Some(v) => v,
            None => panic!("sapwood: no key {key:?} in this map"),
        }
    }
}

impl<'a, T> IntoIterator for &'a Map<T> {
    type Item = (&'a str, &'a T);
    type IntoIter = std::iter::Map<
        indexmap::map::Iter<'a, String, T>,
        fn((&'a String, &'a T)) -> (&'a str, &'a T),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<T: fmt::Debug> fmt::Debug for Map<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for Map<T> {
    /// Same entries in the same order.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

// SAFETY: builds and walks its values through `T`.
unsafe impl<T: TreeValue> TreeValue for Map<T> {
    type Links = T::Links;
    const MODELS: bool = T::MODELS;

    fn describe() -> Cow<'static, str> {
        Cow::Owned(format!("map of {}", T::describe()))
    }

    /// An absent map is empty (as in MobX-State-Tree).
    fn absent() -> Option<Self> {
        Some(Map(IndexMap::with_hasher(MapHasher::default())))
    }

    #[inline]
    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        d.deserialize_any(MapVisitor::<T> {
            cx,
            _t: PhantomData,
        })
    }

    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, &Snapshot(v))?;
        }
        map.end()
    }

    fn walk<'t, W: Walk<'t>>(&'t self, w: &mut W) {
        if !W::CONTAINERS {
            return;
        }
        for (k, v) in &self.0 {
            w.enter(Segment::Key(k));
            v.walk(w);
            w.leave();
        }
    }
}

struct MapVisitor<'a, T> {
    cx: &'a mut Build,
    _t: PhantomData<fn() -> T>,
}

impl<'de, T: TreeValue> Visitor<'de> for MapVisitor<'_, T> {
    type Value = Map<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    refuse_scalars!(Map::<T>::describe());
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let found = render_seq(seq)?;
        Err(self.cx.wrong_type(Map::<T>::describe(), found))
    }
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let cx = self.cx;
        cx.descend()?;
        // As serde does for an `IndexMap`: trust the size hint up to 1 MiB.
        let cap = access
            .size_hint()
            .unwrap_or(0)
            .min((1 << 20) / std::mem::size_of::<(String, T)>().max(1));
        let mut map = IndexMap::with_capacity_and_hasher(cap, MapHasher::default());
        while let Some(key) = access.next_key_seed(OwnedKey)? {
            let value = match access.next_value_seed(Seed::<T>::new(cx)) {
                Ok(v) => v,
                Err(e) => return Err(cx.at(Segment::Key(&key), e)),
            };
            // One probe for a new key (an entry lookup and then an insert
            // would probe twice); a key seen before is an error anyway, so
            // that the value it replaced is dropped does not matter.
            let (i, replaced) = map.insert_full(key, value);
            if replaced.is_some() {
                let (key, _) = map.get_index(i).expect("just inserted");
                return Err(duplicate_key(cx, key));
            }
        }
        cx.ascend();
        // The entries are where they stay: register them while in cache.
        for (k, v) in &map {
            link::register(cx, v, Some(Segment::Key(k)))?;
        }
        Ok(Map(map))
    }
}
