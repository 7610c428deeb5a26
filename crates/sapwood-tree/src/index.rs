//! The identifier index of a tree: for each identified model type, a table of
//! the addresses of its models, found by identifier in O(1).
//!
//! A table stores only node addresses (8 bytes each); a key is read from the
//! node itself through the type's `key_of` function. A type with at most
//! [`SMALL`] models has an exact-size list, scanned (a constant bound); larger
//! ones an open-addressing table at most 3/4 full, probed linearly.

use std::any::TypeId;
use std::hash::BuildHasher;

use crate::ids::TypeEntry;
use crate::value::{Identified, IdentifierValue, KeyBuf};

/// Reads the identifier of the model at an address.
pub(crate) type KeyOf = for<'a> unsafe fn(usize, &'a mut KeyBuf) -> &'a str;

/// The [`KeyOf`] of model type `M`.
///
/// # Safety
/// `addr` is the address of a live `M`, which outlives the returned borrow.
pub(crate) unsafe fn key_of<M: Identified>(addr: usize, buf: &mut KeyBuf) -> &str {
    // SAFETY: the function's contract.
    unsafe { (*(addr as *const M)).identifier().key(buf) }
}

/// Types with at most this many models are scanned, not hashed.
const SMALL: usize = 8;

struct TypeIndex {
    ty: TypeId,
    key_of: KeyOf,
    /// Addresses; 0 is an empty bucket (hashed tables only).
    slots: Box<[usize]>,
}

pub(crate) struct Index {
    hasher: foldhash::fast::RandomState,
    tables: Box<[TypeIndex]>,
}

// SAFETY: the index holds addresses of models inside the tree that owns it,
// and only ever reads through them; the tree is `Send`/`Sync` only when its
// models are.
unsafe impl Send for Index {}
// SAFETY: as above.
unsafe impl Sync for Index {}

/// The bucket of `hash` in a table of `len` buckets.
#[inline]
fn bucket(hash: u64, len: usize) -> usize {
    ((hash as u128 * len as u128) >> 64) as usize
}

impl Index {
    /// An index of the models `found` (type index into `types`, address);
    /// sorts `found`.
    ///
    /// # Safety
    /// Every address is a live model of its type, in the tree that will own
    /// the index, and stays so while the index lives; the type of every entry
    /// of `found` has its `key_of`.
    pub(crate) unsafe fn new(types: &[TypeEntry], found: &mut [(u16, usize)]) -> Index {
        let hasher = foldhash::fast::RandomState::default();
        found.sort_unstable_by_key(|&(ty, _)| ty);
        let groups = found.chunk_by(|a, b| a.0 == b.0);
        let mut tables = Vec::with_capacity(groups.clone().count());
        for group in groups {
            let entry = &types[group[0].0 as usize];
            let key_of = entry.key_of.expect("a linked type has its key reader");
            let n = group.len();
            let slots = if n <= SMALL {
                group.iter().map(|&(_, a)| a).collect()
            } else {
                let len = n + n / 3 + 1;
                let mut slots = vec![0usize; len].into_boxed_slice();
                let mut buf = KeyBuf::new();
                for &(_, a) in group {
                    // SAFETY: the function's contract.
                    let key = unsafe { key_of(a, &mut buf) };
                    let mut i = bucket(hasher.hash_one(key), len);
                    while slots[i] != 0 {
                        i = if i + 1 == len { 0 } else { i + 1 };
                    }
                    slots[i] = a;
                }
                slots
            };
            tables.push(TypeIndex {
                ty: entry.id,
                key_of,
                slots,
            });
        }
        Index {
            hasher,
            tables: tables.into_boxed_slice(),
        }
    }

    /// The address of the model of type `ty` identified by `key`.
    pub(crate) fn get(&self, ty: TypeId, key: &str) -> Option<usize> {
        let t = self.tables.iter().find(|t| t.ty == ty)?;
        let mut buf = KeyBuf::new();
        // SAFETY (both reads below): the addresses are live models of type
        // `t.ty` (see `new`), and the index is borrowed from their tree.
        let is = |a: usize, buf: &mut KeyBuf| unsafe { (t.key_of)(a, buf) } == key;
        if t.slots.len() <= SMALL {
            return t.slots.iter().copied().find(|&a| is(a, &mut buf));
        }
        let len = t.slots.len();
        let mut i = bucket(self.hasher.hash_one(key), len);
        loop {
            let a = t.slots[i];
            if a == 0 {
                return None;
            }
            if is(a, &mut buf) {
                return Some(a);
            }
            i = if i + 1 == len { 0 } else { i + 1 };
        }
    }

    /// Models indexed, and bytes the index holds on the heap.
    pub(crate) fn footprint(&self) -> (usize, usize) {
        let models = self
            .tables
            .iter()
            .map(|t| t.slots.iter().filter(|&&a| a != 0).count())
            .sum();
        let bytes = self.tables.len() * std::mem::size_of::<TypeIndex>()
            + self
                .tables
                .iter()
                .map(|t| t.slots.len() * std::mem::size_of::<usize>())
                .sum::<usize>();
        (models, bytes)
    }
}
