//! The leaf types: strings, booleans, integers and floats.

use std::borrow::Cow;

use serde::de::Deserializer;
use serde::ser::Serializer;

use crate::build::{scalar, Build, Scalar};
use crate::value::{IdentifierValue, KeyBuf, TreeValue};
use crate::False;

// SAFETY: a leaf holds no references or models.
unsafe impl TreeValue for String {
    type Links = False;
    const MODELS: bool = false;

    fn describe() -> Cow<'static, str> {
        Cow::Borrowed("string")
    }

    #[inline]
    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        match scalar(d)? {
            Scalar::Str(s) => Ok(s.into_owned()),
            other => Err(cx.wrong_type(Self::describe(), other.found())),
        }
    }

    #[inline]
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl IdentifierValue for String {
    #[inline]
    fn key<'a>(&'a self, _: &'a mut KeyBuf) -> &'a str {
        self
    }
}

// SAFETY: a leaf holds no references or models.
unsafe impl TreeValue for bool {
    type Links = False;
    const MODELS: bool = false;

    fn describe() -> Cow<'static, str> {
        Cow::Borrowed("boolean")
    }

    #[inline]
    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        match scalar(d)? {
            Scalar::Bool(b) => Ok(b),
            other => Err(cx.wrong_type(Self::describe(), other.found())),
        }
    }

    #[inline]
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*self)
    }
}

/// Largest integer an `f64` holds exactly (2^53).
const EXACT: f64 = 9_007_199_254_740_992.0;

macro_rules! integer {
    ($($t:ty),*) => {$(
        // SAFETY: a leaf holds no references or models.
        unsafe impl TreeValue for $t {
            type Links = False;
            const MODELS: bool = false;

            fn describe() -> Cow<'static, str> {
                Cow::Borrowed("integer")
            }

            /// Accepts integers in range, and numbers with a zero fraction
            /// (`5.0`: JSON does not tell them apart).
            #[inline]
            fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
                let s = scalar(d)?;
                let fits = match &s {
                    Scalar::U64(n) => <$t>::try_from(*n).ok(),
                    Scalar::I64(n) => <$t>::try_from(*n).ok(),
                    Scalar::F64(x) if x.fract() == 0.0 && x.abs() <= EXACT => {
                        <$t>::try_from(*x as i128).ok()
                    }
                    Scalar::F64(_) => {
                        return Err(cx.wrong_type(Self::describe(), s.found()));
                    }
                    other => return Err(cx.wrong_type(Self::describe(), other.found())),
                };
                match fits {
                    Some(v) => Ok(v),
                    None => Err(cx.invalid(
                        format!("integer from {} to {}", <$t>::MIN, <$t>::MAX),
                        s.found(),
                    )),
                }
            }

            #[inline]
            fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(self, s)
            }
        }

        impl IdentifierValue for $t {
            #[inline]
            fn key<'a>(&'a self, buf: &'a mut KeyBuf) -> &'a str {
                buf.0.format(*self)
            }
        }
    )*};
}

integer!(i8, i16, i32, i64, u8, u16, u32, u64);

/// Writes a number the way JSON (and JavaScript) writes it: `3` for an
/// integral value, `2.5` otherwise.
#[inline]
pub(crate) fn write_number<S: Serializer>(x: f64, s: S) -> Result<S::Ok, S::Error> {
    if x.fract() == 0.0 && x.abs() < EXACT {
        s.serialize_i64(x as i64)
    } else {
        s.serialize_f64(x)
    }
}

macro_rules! float {
    ($($t:ty),*) => {$(
        // SAFETY: a leaf holds no references or models.
        unsafe impl TreeValue for $t {
            type Links = False;
            const MODELS: bool = false;

            fn describe() -> Cow<'static, str> {
                Cow::Borrowed("number")
            }

            /// Accepts any JSON number the type can hold: one beyond an
            /// `f32`'s range is refused (it would become infinite, which JSON
            /// cannot write back).
            #[inline]
            fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
                let s = scalar(d)?;
                let x = match &s {
                    Scalar::U64(n) => *n as $t,
                    Scalar::I64(n) => *n as $t,
                    Scalar::F64(x) => *x as $t,
                    other => return Err(cx.wrong_type(Self::describe(), other.found())),
                };
                if x.is_finite() {
                    Ok(x)
                } else {
                    Err(cx.invalid(
                        format!("number from {:e} to {:e}", <$t>::MIN, <$t>::MAX),
                        s.found(),
                    ))
                }
            }

            #[inline]
            fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                write_number(*self as f64, s)
            }
        }
    )*};
}

float!(f32, f64);
