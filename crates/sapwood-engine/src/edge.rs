//! The edge record: one dependency between a source (`dep`) and a subscriber
//! (`sub`), in two intrusive lists at once.
//!
//! - the source's subscriber list, doubly linked (`prev_sub`, `next_sub`) so that a
//!   subscriber can leave it in O(1) from anywhere;
//! - the subscriber's dependency list, singly linked (`next_dep`): it is only ever
//!   walked forward (re-tracking with a cursor, dirty checking, purging), so a
//!   back link would be 4 bytes per edge for nothing.
//!
//! Five indices of 25 bits and one parity bit packed into 16 bytes: the reason
//! for the engine's limits of 11,184,810 live nodes and 16,777,216 live edges per
//! thread (an index counts the 8-byte words before its record: see `arena`).
//! Every peer spends 21 to 87 bytes on an edge.

use std::cell::Cell;

use crate::arena::Slot;
use crate::node::NONE;

const BITS: u32 = 25;
const MASK: u64 = (1 << BITS) - 1;

// Two words. The four fields every walk reads (`dep`, `sub`, `next_dep`,
// `next_sub`) sit at the bottom or the top of a word, so that reading one
// is a single `and` or shift: a walk is a chain of such reads, and each
// operation in it is latency. `prev_sub`, read only when an edge leaves a
// list, is split over the two middles, with the parity bit.
//
// word 0: dep 0..25, prev_sub's low 14 bits 25..39, sub 39..64
// word 1: next_dep 0..25, prev_sub's high 11 bits 25..36, parity 38,
//         next_sub 39..64
const LOW: u32 = 0;
const HIGH: u32 = 64 - BITS;
const PREV_SHIFT: u32 = BITS;
const PREV_LOW_BITS: u32 = 14;
const PREV_LOW_MASK: u64 = (1 << PREV_LOW_BITS) - 1;
const PREV_HIGH_MASK: u64 = (1 << (BITS - PREV_LOW_BITS)) - 1;
const PARITY: u64 = 1 << 38;

pub(crate) struct Edge {
    w0: Cell<u64>,
    w1: Cell<u64>,
}

impl Default for Edge {
    fn default() -> Self {
        // Every index `NONE`, parity clear.
        Edge {
            w0: Cell::new(u64::MAX),
            w1: Cell::new(!PARITY),
        }
    }
}

impl Slot for Edge {
    fn next_free(&self) -> u32 {
        self.next_dep()
    }
    fn set_next_free(&self, next: u32) {
        self.set_next_dep(next)
    }
}

macro_rules! field {
    ($get:ident, $set:ident, $word:ident, $shift:expr) => {
        #[inline]
        pub(crate) fn $get(&self) -> u32 {
            ((self.$word.get() >> $shift) & MASK) as u32
        }
        #[inline]
        #[allow(dead_code)]
        pub(crate) fn $set(&self, v: u32) {
            debug_assert!(v as u64 <= MASK);
            let w = self.$word.get() & !(MASK << $shift);
            self.$word.set(w | ((v as u64) << $shift));
        }
    };
}

impl Edge {
    field!(dep, set_dep, w0, LOW);
    field!(sub, set_sub, w0, HIGH);
    field!(next_dep, set_next_dep, w1, LOW);
    field!(next_sub, set_next_sub, w1, HIGH);

    #[inline]
    pub(crate) fn prev_sub(&self) -> u32 {
        let low = (self.w0.get() >> PREV_SHIFT) & PREV_LOW_MASK;
        let high = (self.w1.get() >> PREV_SHIFT) & PREV_HIGH_MASK;
        (low | (high << PREV_LOW_BITS)) as u32
    }

    #[inline]
    pub(crate) fn set_prev_sub(&self, v: u32) {
        debug_assert!(v as u64 <= MASK);
        let v = v as u64;
        let w0 = self.w0.get() & !(PREV_LOW_MASK << PREV_SHIFT);
        self.w0.set(w0 | ((v & PREV_LOW_MASK) << PREV_SHIFT));
        let w1 = self.w1.get() & !(PREV_HIGH_MASK << PREV_SHIFT);
        self.w1
            .set(w1 | (((v >> PREV_LOW_BITS) & PREV_HIGH_MASK) << PREV_SHIFT));
    }

    #[inline]
    pub(crate) fn parity(&self) -> bool {
        self.w1.get() & PARITY != 0
    }
    #[inline]
    pub(crate) fn flip_parity(&self) {
        self.w1.set(self.w1.get() ^ PARITY);
    }

    /// Writes every field at once (a new edge).
    #[inline]
    pub(crate) fn init(&self, dep: u32, sub: u32, next_sub: u32, next_dep: u32, parity: bool) {
        let prev = NONE as u64;
        self.w0
            .set((dep as u64) | ((prev & PREV_LOW_MASK) << PREV_SHIFT) | ((sub as u64) << HIGH));
        self.w1.set(
            (next_dep as u64)
                | (((prev >> PREV_LOW_BITS) & PREV_HIGH_MASK) << PREV_SHIFT)
                | if parity { PARITY } else { 0 }
                | ((next_sub as u64) << HIGH),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_independent() {
        let e = Edge::default();
        e.init(1, 2, 3, 4, true);
        e.set_prev_sub(NONE - 1);
        assert_eq!(
            (
                e.dep(),
                e.sub(),
                e.prev_sub(),
                e.next_sub(),
                e.next_dep(),
                e.parity()
            ),
            (1, 2, NONE - 1, 3, 4, true)
        );
        e.set_dep(NONE);
        e.flip_parity();
        e.set_next_dep(0);
        assert_eq!(
            (
                e.dep(),
                e.sub(),
                e.prev_sub(),
                e.next_sub(),
                e.next_dep(),
                e.parity()
            ),
            (NONE, 2, NONE - 1, 3, 0, false)
        );
    }

    #[test]
    fn every_field_holds_every_index_whatever_its_neighbours_hold() {
        let values = [0, 1, 0x3FFF, 0x4000, 0x12_3456, NONE - 1, NONE];
        for (i, &a) in values.iter().enumerate() {
            for &b in &values[i..] {
                let e = Edge::default();
                e.init(a, b, a, b, true);
                e.set_prev_sub(b);
                assert_eq!((e.dep(), e.sub(), e.next_sub(), e.next_dep()), (a, b, a, b));
                assert_eq!((e.prev_sub(), e.parity()), (b, true));
                e.set_prev_sub(a);
                e.set_sub(a);
                e.set_next_dep(a);
                e.flip_parity();
                assert_eq!((e.dep(), e.sub(), e.next_sub(), e.next_dep()), (a, a, a, a));
                assert_eq!((e.prev_sub(), e.parity()), (a, false));
            }
        }
        let fresh = Edge::default();
        assert_eq!(
            (
                fresh.dep(),
                fresh.sub(),
                fresh.prev_sub(),
                fresh.next_sub(),
                fresh.next_dep()
            ),
            (NONE, NONE, NONE, NONE, NONE)
        );
        assert!(!fresh.parity());
    }

    #[test]
    fn record_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Edge>(), 16);
        assert_eq!(std::mem::size_of::<crate::node::Node>(), 24);
    }
}
