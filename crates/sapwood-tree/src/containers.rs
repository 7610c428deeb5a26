//! `Option<T>` (absent or `null`), `Vec<T>` (an array, empty when absent)
//! and `Box<T>` (for recursive models).
//!
//! Each builds what serde builds for the same type, except that a `Vec` is
//! shrunk to its length once read (serde leaves the doubling's spare room), so
//! a tree's containers cost at most what plain data's do.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};

use crate::build::{refuse_scalars, render_map, Build, Seed};
use crate::link;
use crate::snapshot::Snapshot;
use crate::value::{Segment, TreeValue, Walk};

// SAFETY: builds and walks its contents through `T`.
unsafe impl<T: TreeValue> TreeValue for Option<T> {
    type Links = T::Links;
    const MODELS: bool = T::MODELS;

    fn describe() -> Cow<'static, str> {
        Cow::Owned(format!("{} or null", T::describe()))
    }

    /// An absent field is `None`.
    fn absent() -> Option<Self> {
        Some(None)
    }

    #[inline]
    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor::<T> {
            cx,
            _t: PhantomData,
        })
    }

    #[inline]
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => v.write(s),
            None => s.serialize_unit(),
        }
    }

    #[inline]
    fn walk<'t, W: Walk<'t>>(&'t self, w: &mut W) {
        if let Some(v) = self {
            v.walk(w);
        }
    }
}

struct OptionVisitor<'a, T> {
    cx: &'a mut Build,
    _t: PhantomData<fn() -> T>,
}

impl<'de, T: TreeValue> Visitor<'de> for OptionVisitor<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::build(d, self.cx).map(Some)
    }
}

// SAFETY: builds and walks its elements through `T`.
unsafe impl<T: TreeValue> TreeValue for Vec<T> {
    type Links = T::Links;
    const MODELS: bool = T::MODELS;

    fn describe() -> Cow<'static, str> {
        Cow::Owned(format!("array of {}", T::describe()))
    }

    /// An absent array is empty (as in MobX-State-Tree).
    fn absent() -> Option<Self> {
        Some(Vec::new())
    }

    #[inline]
    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        d.deserialize_any(VecVisitor::<T> {
            cx,
            _t: PhantomData,
        })
    }

    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for v in self {
            seq.serialize_element(&Snapshot(v))?;
        }
        seq.end()
    }

    fn walk<'t, W: Walk<'t>>(&'t self, w: &mut W) {
        if !W::CONTAINERS {
            return;
        }
        for (i, v) in self.iter().enumerate() {
            w.enter(Segment::Index(i));
            v.walk(w);
            w.leave();
        }
    }
}

struct VecVisitor<'a, T> {
    cx: &'a mut Build,
    _t: PhantomData<fn() -> T>,
}

impl<'de, T: TreeValue> Visitor<'de> for VecVisitor<'_, T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    refuse_scalars!(Vec::<T>::describe());
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let found = render_map(map)?;
        Err(self.cx.wrong_type(Vec::<T>::describe(), found))
    }
    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let cx = self.cx;
        cx.descend()?;
        // As serde does: trust the size hint only up to 1 MiB of elements.
        let cap = seq
            .size_hint()
            .unwrap_or(0)
            .min((1 << 20) / std::mem::size_of::<T>().max(1));
        let mut out = Vec::with_capacity(cap);
        loop {
            match seq.next_element_seed(Seed::<T>::new(cx)) {
                Ok(Some(v)) => out.push(v),
                Ok(None) => break,
                Err(e) => return Err(cx.at(Segment::Index(out.len()), e)),
            }
        }
        cx.ascend();
        // Unlike serde, give back what doubling left unused: a tree is never
        // appended to, and allocators usually shrink in place.
        out.shrink_to_fit();
        // The elements are where they stay: register them while in cache.
        for (i, v) in out.iter().enumerate() {
            link::register(cx, v, Some(Segment::Index(i)))?;
        }
        Ok(out)
    }
}

// SAFETY: builds and walks its content through `T`.
unsafe impl<T: TreeValue> TreeValue for Box<T> {
    type Links = T::Links;
    const MODELS: bool = T::MODELS;

    fn describe() -> Cow<'static, str> {
        T::describe()
    }

    fn absent() -> Option<Self> {
        T::absent().map(Box::new)
    }

    #[inline]
    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        let boxed = Box::new(T::build(d, cx)?);
        link::register(cx, &*boxed, None)?;
        Ok(boxed)
    }

    #[inline]
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).write(s)
    }

    #[inline]
    fn walk<'t, W: Walk<'t>>(&'t self, w: &mut W) {
        if W::CONTAINERS {
            (**self).walk(w)
        }
    }
}
