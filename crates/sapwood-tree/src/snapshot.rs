//! Snapshots out: every tree value writes itself through serde, so one
//! definition serves JSON text, `serde_json::Value` and any other format.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::value::{Model, TreeValue};

/// A tree value as a `serde::Serialize`.
pub struct Snapshot<'a, T>(pub &'a T);

impl<T: TreeValue> Serialize for Snapshot<'_, T> {
    #[inline]
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.write(s)
    }
}

/// Writes a model as a map of its fields.
#[inline]
pub fn write_model<M: Model, S: Serializer>(m: &M, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    m.write_fields(&mut map)?;
    map.end()
}

/// Writes one field.
#[inline]
pub fn write_field<T: TreeValue, M: SerializeMap>(
    map: &mut M,
    key: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    map.serialize_entry(key, &Snapshot(value))
}
