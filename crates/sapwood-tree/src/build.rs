//! The instantiation context: what a build carries while serde drives it.
//!
//! **Errors cost nothing until they happen.** A visitor that finds a problem
//! stores a typed [`ErrorKind`] here and returns a placeholder serde error;
//! every level the error passes on its way out appends its path segment
//! ([`Build::at`]). Nothing tracks the path while all goes well.
//!
//! **Identifiers and references** are registered as the values holding them
//! reach their final address, and references resolved as soon as their
//! target is known (`link.rs`, `scratch.rs`). A tree that cannot hold them
//! below its root (see [`Model::RootLinks`](crate::Model::RootLinks)) never
//! does either.

use std::any::TypeId;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{quote_str, quote_value, ErrorKind, OwnedSegment};
use crate::scratch::Scratch;
use crate::value::{Identified, Model, Segment, TreeValue};

/// Objects and arrays nested deeper than this are refused (serde_json's own
/// limit for text; ours for values).
pub const DEPTH_LIMIT: u32 = 128;

/// The placeholder message of the serde error that carries a typed error out.
const CARRIER: &str = "sapwood: invalid snapshot";

/// The state of one instantiation.
pub struct Build {
    /// The tree keeps identifiers below its root and references.
    links: bool,
    pub(crate) error: Option<ErrorKind>,
    /// Path segments collected while an error unwinds, innermost first.
    pub(crate) path: Vec<OwnedSegment>,
    /// Objects and arrays entered.
    pub(crate) depth: u32,
    pub(crate) scratch: Option<Box<Scratch>>,
    /// The length of the JSON text being read (0 for a value): sizes the
    /// scratch once, instead of growing it step by step on a large tree.
    pub(crate) input_len: usize,
}

impl Build {
    pub(crate) fn new(links: bool) -> Self {
        Build {
            links,
            error: None,
            path: Vec::new(),
            depth: 0,
            scratch: None,
            input_len: 0,
        }
    }

    /// The build's scratch, taken (and sized for the input) on first use.
    #[inline]
    pub(crate) fn scratch(&mut self) -> &mut Scratch {
        let len = self.input_len;
        self.scratch.get_or_insert_with(|| Scratch::take(len))
    }

    /// Records `kind` as the error and returns the serde error that carries it out.
    #[cold]
    pub fn fail<E: de::Error>(&mut self, kind: ErrorKind) -> E {
        if self.error.is_none() {
            self.error = Some(kind);
        }
        E::custom(CARRIER)
    }

    /// A wrong-type error: `expected`, found `found` (already JSON text).
    #[cold]
    pub fn wrong_type<E: de::Error>(&mut self, expected: Cow<'static, str>, found: String) -> E {
        self.fail(ErrorKind::WrongType {
            expected: expected.into_owned(),
            found,
        })
    }

    /// An invalid-value error.
    #[cold]
    pub fn invalid<E: de::Error>(&mut self, expected: String, found: String) -> E {
        self.fail(ErrorKind::InvalidValue { expected, found })
    }

    /// A missing required field.
    #[cold]
    pub fn missing<E: de::Error>(&mut self, model: &'static str, field: &'static str) -> E {
        self.fail(ErrorKind::MissingField { model, field })
    }

    /// Adds `segment` to the path of an error on its way out.
    #[cold]
    pub fn at<E>(&mut self, segment: Segment<'_>, e: E) -> E {
        self.path.push(segment.into());
        e
    }

    /// Entering an object or array.
    #[inline]
    pub fn descend<E: de::Error>(&mut self) -> Result<(), E> {
        self.depth += 1;
        if self.depth > DEPTH_LIMIT {
            return Err(self.fail(ErrorKind::TooDeep {
                limit: DEPTH_LIMIT as usize,
            }));
        }
        Ok(())
    }

    /// Leaving it.
    #[inline]
    pub fn ascend(&mut self) {
        self.depth -= 1;
    }

    /// Whether the tree keeps identifiers below its root and references.
    #[inline]
    pub(crate) fn links(&self) -> bool {
        self.links
    }

    /// The slot of a reference to the `M` identified by `key`.
    pub(crate) fn refer<M: Identified>(&mut self, key: &str) -> u32 {
        assert!(
            self.links,
            "sapwood: a reference inside a tree without links (derive bug)"
        );
        let scratch = self.scratch();
        let ty = scratch.type_index(TypeId::of::<M>(), M::NAME);
        scratch.slot(ty, key)
    }
}

impl Drop for Build {
    fn drop(&mut self) {
        if let Some(scratch) = self.scratch.take() {
            Scratch::give_back(scratch);
        }
    }
}

/// A [`DeserializeSeed`] that builds a `T` with the context.
pub struct Seed<'a, T> {
    cx: &'a mut Build,
    _t: PhantomData<fn() -> T>,
}

impl<'a, T> Seed<'a, T> {
    /// A seed for one value.
    #[inline]
    pub fn new(cx: &'a mut Build) -> Self {
        Seed {
            cx,
            _t: PhantomData,
        }
    }
}

impl<'de, T: TreeValue> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = T;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::build(d, self.cx)
    }
}

/// Builds the value of the entry whose key was just read, as field `key`.
#[inline]
pub fn next_field<'de, T: TreeValue, A: MapAccess<'de>>(
    map: &mut A,
    cx: &mut Build,
    key: &'static str,
) -> Result<T, A::Error> {
    match map.next_value_seed(Seed::<T>::new(cx)) {
        Ok(v) => Ok(v),
        Err(e) => Err(cx.at(Segment::Field(key), e)),
    }
}

/// Skips the value of an entry the model does not know.
#[inline]
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// Reads a map key and names it with `index_of` (the derive's field matcher;
/// `u16::MAX` for a key the model does not know).
pub struct FieldKey(pub fn(&str) -> u16);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = u16;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u16, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldKey {
    type Value = u16;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, s: &str) -> Result<u16, E> {
        Ok((self.0)(s))
    }
}

/// Reads a map key as an owned string.
pub(crate) struct OwnedKey;

impl<'de> DeserializeSeed<'de> for OwnedKey {
    type Value = String;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_string(self)
    }
}

impl<'de> Visitor<'de> for OwnedKey {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map key")
    }
    #[inline]
    fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }
    #[inline]
    fn visit_string<E: de::Error>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
}

/// A leaf value as the input gave it: what the primitive types convert from.
/// Arrays and objects are kept only as text, for the error that refuses them.
pub enum Scalar<'de> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A non-negative integer.
    U64(u64),
    /// A negative integer.
    I64(i64),
    /// A number with a fraction or exponent.
    F64(f64),
    /// A string.
    Str(Cow<'de, str>),
    /// An array or object, as (truncated) JSON text.
    Other(String),
}

impl Scalar<'_> {
    /// The value as JSON text, truncated, for an error.
    #[cold]
    pub fn found(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::U64(n) => n.to_string(),
            Scalar::I64(n) => n.to_string(),
            Scalar::F64(x) => quote_value(&serde_json::Value::from(*x)),
            Scalar::Str(s) => quote_str(s),
            Scalar::Other(text) => text.clone(),
        }
    }
}

/// Reads one leaf value.
#[inline]
pub fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar<'de>, D::Error> {
    d.deserialize_any(ScalarVisitor)
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: ::serde::de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(if n >= 0 {
            Scalar::U64(n as u64)
        } else {
            Scalar::I64(n)
        })
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Scalar::U64(n))
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Self::Value, E> {
        Ok(Scalar::F64(x))
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(s)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        scalar(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok(Scalar::Other(render_seq(seq)?))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(Scalar::Other(render_map(map)?))
    }
}

/// An array being refused, as truncated JSON text.
#[cold]
pub fn render_seq<'de, A: SeqAccess<'de>>(seq: A) -> Result<String, A::Error> {
    use serde::Deserialize;
    let v = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
    Ok(quote_value(&v))
}

/// An object being refused, as truncated JSON text.
#[cold]
pub fn render_map<'de, A: MapAccess<'de>>(map: A) -> Result<String, A::Error> {
    use serde::Deserialize;
    let v = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
    Ok(quote_value(&v))
}

/// Visitor methods that refuse every scalar with a wrong-type error naming
/// `$expected` (an expression of type `Cow<'static, str>` built from `self`).
macro_rules! refuse_scalars {
    ($expected:expr) => {
        fn visit_bool<E: ::serde::de::Error>(self, b: bool) -> Result<Self::Value, E> {
            let found = b.to_string();
            Err(self.cx.wrong_type($expected, found))
        }
        fn visit_i64<E: ::serde::de::Error>(self, n: i64) -> Result<Self::Value, E> {
            Err(self.cx.wrong_type($expected, n.to_string()))
        }
        fn visit_u64<E: ::serde::de::Error>(self, n: u64) -> Result<Self::Value, E> {
            Err(self.cx.wrong_type($expected, n.to_string()))
        }
        fn visit_f64<E: ::serde::de::Error>(self, x: f64) -> Result<Self::Value, E> {
            let found = $crate::build::Scalar::F64(x).found();
            Err(self.cx.wrong_type($expected, found))
        }
        fn visit_str<E: ::serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            Err(self.cx.wrong_type($expected, $crate::error::quote_str(s)))
        }
        fn visit_unit<E: ::serde::de::Error>(self) -> Result<Self::Value, E> {
            Err(self.cx.wrong_type($expected, "null".into()))
        }
        fn visit_none<E: ::serde::de::Error>(self) -> Result<Self::Value, E> {
            Err(self.cx.wrong_type($expected, "null".into()))
        }
    };
}
pub(crate) use refuse_scalars;

/// Builds a model from an object (anything else is a wrong-type error).
#[inline]
pub fn build_model<'de, M: Model, D: Deserializer<'de>>(
    d: D,
    cx: &mut Build,
) -> Result<M, D::Error> {
    d.deserialize_any(ModelVisitor::<M> {
        cx,
        _m: PhantomData,
    })
}

struct ModelVisitor<'a, M> {
    cx: &'a mut Build,
    _m: PhantomData<fn() -> M>,
}

impl<'de, M: Model> Visitor<'de> for ModelVisitor<'_, M> {
    type Value = M;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(M::NAME)
    }
    refuse_scalars!(M::describe());
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<M, A::Error> {
        let found = render_seq(seq)?;
        Err(self.cx.wrong_type(M::describe(), found))
    }
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<M, A::Error> {
        self.cx.descend()?;
        let out = M::build_fields(map, self.cx);
        self.cx.ascend();
        out
    }
}

/// A key seen twice in one object.
#[cold]
pub fn duplicate_key<E: de::Error>(cx: &mut Build, key: &str) -> E {
    cx.fail(ErrorKind::DuplicateKey {
        key: crate::error::truncate(key),
    })
}
