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
//! for the engine's limit of 33,554,430 live nodes and as many edges per thread.
//! Every peer spends 21 to 87 bytes on an edge.

use std::cell::Cell;

use crate::arena::Slot;
use crate::node::NONE;

const BITS: u32 = 25;
const MASK: u128 = (1 << BITS) - 1;
const DEP: u32 = 0;
const SUB: u32 = BITS;
const PREV_SUB: u32 = 2 * BITS;
const NEXT_SUB: u32 = 3 * BITS;
const NEXT_DEP: u32 = 4 * BITS;
const PARITY: u32 = 5 * BITS;

pub(crate) struct Edge(Cell<u128>);

impl Default for Edge {
    fn default() -> Self {
        Edge(Cell::new(u128::MAX >> 3))
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
    ($get:ident, $set:ident, $shift:expr) => {
        #[inline]
        pub(crate) fn $get(&self) -> u32 {
            ((self.0.get() >> $shift) & MASK) as u32
        }
        #[inline]
        #[allow(dead_code)]
        pub(crate) fn $set(&self, v: u32) {
            debug_assert!(v as u128 <= MASK);
            let w = self.0.get() & !(MASK << $shift);
            self.0.set(w | ((v as u128) << $shift));
        }
    };
}

impl Edge {
    field!(dep, set_dep, DEP);
    field!(sub, set_sub, SUB);
    field!(prev_sub, set_prev_sub, PREV_SUB);
    field!(next_sub, set_next_sub, NEXT_SUB);
    field!(next_dep, set_next_dep, NEXT_DEP);

    #[inline]
    pub(crate) fn parity(&self) -> bool {
        (self.0.get() >> PARITY) & 1 == 1
    }
    #[inline]
    pub(crate) fn flip_parity(&self) {
        self.0.set(self.0.get() ^ (1 << PARITY));
    }

    /// Writes every field at once (a new edge).
    #[inline]
    pub(crate) fn init(&self, dep: u32, sub: u32, next_sub: u32, next_dep: u32, parity: bool) {
        let w = (dep as u128)
            | ((sub as u128) << SUB)
            | ((NONE as u128) << PREV_SUB)
            | ((next_sub as u128) << NEXT_SUB)
            | ((next_dep as u128) << NEXT_DEP)
            | ((parity as u128) << PARITY);
        self.0.set(w);
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
    fn record_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Edge>(), 16);
        assert_eq!(std::mem::size_of::<crate::node::Node>(), 24);
    }
}
