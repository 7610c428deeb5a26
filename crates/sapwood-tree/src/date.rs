//! [`Date`]: a point in time, as epoch milliseconds.

use std::borrow::Cow;

use serde::de::Deserializer;
use serde::ser::Serializer;

use crate::build::{scalar, Build, Scalar};
use crate::value::TreeValue;
use crate::False;

/// A date, stored and written in snapshots as milliseconds since the Unix
/// epoch (MobX-State-Tree's `types.Date`). A snapshot may give any number; a
/// fraction of a millisecond is dropped, as JavaScript's `Date` drops it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

impl Date {
    /// The date `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: i64) -> Self {
        Date(ms)
    }

    /// Milliseconds after the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// Now, by the system clock.
    pub fn now() -> Self {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Date(since.as_millis() as i64)
    }
}

// SAFETY: a leaf holds no references or models.
unsafe impl TreeValue for Date {
    type Links = False;
    const MODELS: bool = false;

    fn describe() -> Cow<'static, str> {
        Cow::Borrowed("date (epoch milliseconds)")
    }

    #[inline]
    fn build<'de, D: Deserializer<'de>>(d: D, cx: &mut Build) -> Result<Self, D::Error> {
        match scalar(d)? {
            Scalar::U64(n) if n <= i64::MAX as u64 => Ok(Date(n as i64)),
            Scalar::I64(n) => Ok(Date(n)),
            Scalar::F64(x) if x.is_finite() && x.abs() < 9.2e18 => Ok(Date(x.trunc() as i64)),
            other => Err(cx.wrong_type(Self::describe(), other.found())),
        }
    }

    #[inline]
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}
