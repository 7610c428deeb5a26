//! The scratch state of one build, reused by the next build on the same
//! thread: the identifiers read so far, the references waiting for their
//! target, and the registry of models already at their final address.
//!
//! **Addresses are known early.** A value inside a `Vec`, a [`Map`](crate::Map)
//! or a `Box` never moves once its container is complete (the heap block
//! stays put when the container itself moves), so each container, as it
//! completes, registers the identified models and references of its elements
//! while they are still in the cache (`link.rs`); the root's own fields are
//! registered once the root is in place. A reference whose target is already
//! registered is resolved there and then; one that points forward waits in
//! `pending` and is resolved at the end. Identifiers are kept as compact
//! copies with their hashes, so that nothing has to read a model again to
//! compare or hash its identifier: the final index is made from this table.

use std::any::TypeId;
use std::cell::Cell;

use hashbrown::HashTable;

use crate::index::KeyOf;
use crate::reference::Link;

/// A model type seen by a build.
pub(crate) struct TypeEntry {
    pub(crate) id: TypeId,
    pub(crate) name: &'static str,
    /// Reads the identifier of a model of this type (set once one is
    /// registered).
    pub(crate) key_of: Option<KeyOf>,
}

/// An identifier of a model type: named by a reference, and/or held by a
/// registered model.
pub(crate) struct Slot {
    pub(crate) hash: u64,
    start: u32,
    len: u32,
    pub(crate) ty: u16,
    /// The registered model with this identifier (0: none yet).
    pub(crate) addr: usize,
}

pub(crate) struct Scratch {
    /// Model types seen, by index.
    pub(crate) types: Vec<TypeEntry>,
    last_type: Option<(TypeId, u16)>,
    /// Every identifier seen, once per type.
    pub(crate) slots: Vec<Slot>,
    table: HashTable<u32>,
    /// The identifiers of `slots`, one after the other.
    keys: String,
    /// Seeds the identifiers' hashes (the final index hashes with it too).
    pub(crate) hasher: foldhash::fast::RandomState,
    /// References registered before their target: (link, safe).
    pub(crate) pending: Vec<(*const Link, bool)>,
}

thread_local! {
    /// The scratch of the last build on this thread, emptied, kept for the next.
    static SPARE: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

/// A spare scratch holding more identifiers than this is freed, not kept.
const KEEP_SLOTS: usize = 8192;

impl Scratch {
    fn new() -> Self {
        Scratch {
            types: Vec::new(),
            last_type: None,
            slots: Vec::new(),
            table: HashTable::new(),
            keys: String::new(),
            hasher: foldhash::fast::RandomState::default(),
            pending: Vec::new(),
        }
    }

    /// An empty scratch: this thread's spare one, or a new one; sized for
    /// JSON text of `input_len` bytes (0: unknown).
    pub(crate) fn take(input_len: usize) -> Box<Scratch> {
        let mut s = SPARE
            .try_with(|s| s.take())
            .ok()
            .flatten()
            .unwrap_or_else(|| Box::new(Scratch::new()));
        // LargeRoot has an identifier per 780 bytes of text, 40 bytes long:
        // reserving for one per kilobyte spares a large tree most of the
        // table's growth, and costs a small one nothing it would not grow to.
        let ids = input_len / 1024;
        if ids > s.slots.capacity() {
            let Scratch {
                slots, table, keys, ..
            } = &mut *s;
            slots.reserve(ids);
            table.reserve(ids, |&i| slots[i as usize].hash);
            keys.reserve(ids * 40);
        }
        s
    }

    /// Empties `scratch` and keeps it for the next build (unless it grew large).
    pub(crate) fn give_back(mut scratch: Box<Scratch>) {
        if scratch.slots.capacity() > KEEP_SLOTS {
            return;
        }
        scratch.types.clear();
        scratch.last_type = None;
        scratch.slots.clear();
        scratch.table.clear();
        scratch.keys.clear();
        scratch.pending.clear();
        let _ = SPARE.try_with(|s| s.set(Some(scratch)));
    }

    /// The index of model type `id` (registered on first sight).
    #[inline]
    pub(crate) fn type_index(&mut self, id: TypeId, name: &'static str) -> u16 {
        if let Some((t, i)) = self.last_type {
            if t == id {
                return i;
            }
        }
        let i = match self.types.iter().position(|t| t.id == id) {
            Some(i) => i as u16,
            None => {
                self.types.push(TypeEntry {
                    id,
                    name,
                    key_of: None,
                });
                (self.types.len() - 1) as u16
            }
        };
        self.last_type = Some((id, i));
        i
    }

    /// The hash of an identifier, as the final index hashes it.
    #[inline]
    pub(crate) fn hash(&self, key: &str) -> u64 {
        crate::index::hash_key(&self.hasher, key)
    }

    /// The slot of (`ty`, `key`), created if new.
    #[inline]
    pub(crate) fn slot(&mut self, ty: u16, key: &str) -> u32 {
        let hash = self.hash(key) ^ ty as u64;
        let Scratch {
            slots, table, keys, ..
        } = self;
        let found = table.find(hash, |&s| {
            let sl = &slots[s as usize];
            // The full hash first: the table compares only 7 of its bits.
            sl.hash == hash
                && sl.ty == ty
                && &keys.as_bytes()[sl.start as usize..(sl.start + sl.len) as usize]
                    == key.as_bytes()
        });
        if let Some(&s) = found {
            return s;
        }
        let s = slots.len() as u32;
        let start = keys.len() as u32;
        keys.push_str(key);
        slots.push(Slot {
            hash,
            start,
            len: key.len() as u32,
            ty,
            addr: 0,
        });
        table.insert_unique(hash, s, |&i| slots[i as usize].hash);
        s
    }

    /// A slot's identifier.
    pub(crate) fn key(&self, slot: u32) -> &str {
        let s = &self.slots[slot as usize];
        &self.keys[s.start as usize..(s.start + s.len) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_scoped_by_type() {
        let mut s = Scratch::new();
        let a = s.type_index(TypeId::of::<u8>(), "A");
        let b = s.type_index(TypeId::of::<u16>(), "B");
        assert_eq!(s.type_index(TypeId::of::<u8>(), "A"), a);
        let x = s.slot(a, "x");
        assert_eq!(s.slot(a, "x"), x, "the same slot again");
        let bx = s.slot(b, "x");
        assert_ne!(bx, x, "another type may share the identifier");
        let later = s.slot(a, "later");
        assert_eq!(s.key(later), "later");
        assert_eq!(
            (s.slots[bx as usize].ty, s.slots[later as usize].addr),
            (b, 0)
        );
        assert_eq!(s.types[a as usize].name, "A");
    }
}
