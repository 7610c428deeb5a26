//! The effect queue: the effects a write reached, run in tree order (an owner
//! before what it owns, siblings in creation order), whatever order the
//! propagation found them in.
//!
//! Ordering is the queue's only real cost. A write that reaches thousands of
//! effects (cellx) queues them in depth-first order, far from creation order,
//! so the queue is sorted before it runs. Each entry carries its effect's
//! creation sequence number, and the queue knows whether all its effects
//! have the same owner (the usual case: the effects of one component, or all
//! at top level): then the sort is a plain sort by that number. Only a queue
//! mixing owners falls back to comparing ownership paths.

use std::cmp::Ordering;

use crate::erased;
use crate::node::*;
use crate::runtime::Runtime;

/// Effect runs in one flush beyond which effects are taken to be re-triggering
/// each other forever.
const MAX_RUNS_PER_FLUSH: u64 = 10_000_000;

/// The runtime's `queue_owner` before anything is queued.
pub(crate) const NO_OWNER_YET: u32 = u32::MAX;
/// The runtime's `queue_owner` when the queued effects have different owners.
const MIXED_OWNERS: u32 = u32::MAX - 1;

/// The creation number of a queued effect not read yet (creation numbers
/// start at 1).
const UNREAD: u64 = 0;

/// A queued effect.
#[derive(Clone, Copy)]
pub(crate) struct Queued {
    /// Its creation sequence number (or `UNREAD`).
    seq: u64,
    idx: u32,
    /// The generation it was queued with: a disposed effect is skipped.
    gen: u16,
}

impl Runtime {
    /// Queues effect `idx` (record `n`, its flags `f` before propagation
    /// reached it) and marks it pending, with one write of its flags.
    #[inline]
    pub(crate) fn enqueue_pending(&self, idx: u32, n: &Node, f: u32) {
        if f & QUEUED == 0 {
            n.set_flags(f | PENDING | QUEUED);
            // The creation number matters only to a sort, so not to an effect
            // alone in the queue (`sort_queue` reads it if another follows).
            let seq = if self.queue.len() == self.queue_head.get() {
                UNREAD
            } else {
                // SAFETY: propagation reaches effects that are live or disposed
                // but not yet freed: their payload is still their `EffectCell`.
                unsafe { erased::effect_seq(n.ptr()) }
            };
            self.queue.push(Queued {
                seq,
                idx,
                gen: n.generation(),
            });
            let (owner, mine) = (self.queue_owner.get(), n.subs.get());
            if owner != mine && owner != MIXED_OWNERS {
                self.queue_owner.set(if owner == NO_OWNER_YET {
                    mine
                } else {
                    MIXED_OWNERS
                });
            }
        } else {
            n.set_flags(f | PENDING);
        }
    }

    /// Runs the queued effects, outer before inner and siblings in creation
    /// order, unless a batch is open or a flush is already running (it will
    /// pick up what was queued), or a computed is being evaluated: an effect
    /// run now could read it mid-run, so the outermost read of a computed
    /// flushes once the computeds it ran are done.
    #[inline]
    pub(crate) fn flush(&self) {
        if self.batch_depth.get() == 0
            && self.eval_depth.get() == 0
            && !self.flushing.get()
            && self.queue.len() != self.queue_head.get()
        {
            self.run_queue();
        }
    }

    fn run_queue(&self) {
        self.flushing.set(true);
        let _guard = FlushGuard { rt: self };
        let mut runs = 0u64;
        loop {
            let head = self.queue_head.get();
            if self.queue_sorted_to.get() < self.queue.len() && self.queue.len() - head > 1 {
                self.sort_queue(head);
            }
            let len = self.queue.len();
            if head == len {
                break;
            }
            self.queue_sorted_to.set(len);
            let q = self.queue.get(head);
            self.queue_head.set(head + 1);
            let n = self.node(q.idx);
            if !is_live_as_queued(n, &q) {
                continue;
            }
            n.remove(QUEUED);
            if self.needs_run(q.idx, n) {
                runs += 1;
                if runs > MAX_RUNS_PER_FLUSH {
                    self.runaway(n);
                }
                self.run_effect(q.idx, n);
            }
        }
        self.queue.truncate(0);
        self.queue_head.set(0);
        self.queue_sorted_to.set(0);
        self.queue_owner.set(NO_OWNER_YET);
    }

    /// The panic for effects that keep re-triggering each other; `n` is the
    /// last one's record.
    #[cold]
    #[inline(never)]
    fn runaway(&self, n: &Node) -> ! {
        let site = self.sites.get(n.site.get());
        panic!(
            "sapwood: effects ran {MAX_RUNS_PER_FLUSH} times in one flush; effects that \
             write what they read are re-triggering each other forever (last: {} created at {})",
            site.describe(),
            site.location
        );
    }

    #[inline]
    fn is_queued_live(&self, q: &Queued) -> bool {
        is_live_as_queued(self.node(q.idx), q)
    }

    /// Puts the entries from `from` on in tree order. Siblings are sorted by
    /// creation number, entries of disposed effects included (they are
    /// skipped when their turn comes). Otherwise, those entries are dropped
    /// first: their slots may hold other kinds of node by now, whose records
    /// say nothing about ownership.
    #[inline(never)]
    fn sort_queue(&self, from: usize) {
        let first = self.queue.get(from);
        if first.seq == UNREAD && self.is_queued_live(&first) {
            // SAFETY: a live effect's payload is an `EffectCell`.
            let seq = unsafe { erased::effect_seq(self.node(first.idx).ptr()) };
            self.queue.set(from, Queued { seq, ..first });
        }
        if self.queue_owner.get() != MIXED_OWNERS {
            let mut scratch = self.queue_scratch.borrow_mut();
            self.queue.with_tail(from, |q| sort_by_seq(q, &mut scratch));
        } else {
            self.queue.retain_from(from, |q| self.is_queued_live(q));
            self.queue.sort_from(from, |a, b| self.queue_order(a, b));
        }
    }

    /// Tree order of two live queued effects.
    fn queue_order(&self, a: &Queued, b: &Queued) -> Ordering {
        if self.parent(a.idx) == self.parent(b.idx) {
            a.seq.cmp(&b.seq)
        } else {
            self.tree_order(a.idx, b.idx)
        }
    }

    /// The nearest effect or scope that owns `idx`, or `NONE`.
    #[inline]
    fn parent(&self, idx: u32) -> u32 {
        self.node(idx).subs.get()
    }

    fn seq_of(&self, idx: u32) -> u64 {
        let n = self.node(idx);
        if n.kind() == EFFECT {
            // SAFETY: a live effect's payload is an `EffectCell`.
            unsafe { erased::effect_seq(n.ptr()) }
        } else {
            n.seq()
        }
    }

    fn owner_depth(&self, mut idx: u32) -> u32 {
        let mut d = 0;
        while self.parent(idx) != NONE {
            idx = self.parent(idx);
            d += 1;
        }
        d
    }

    /// Tree order of two live effects with different owners: a pre-order walk
    /// of the ownership tree.
    fn tree_order(&self, a: u32, b: u32) -> Ordering {
        let (mut a, mut b) = (a, b);
        let (mut da, mut db) = (self.owner_depth(a), self.owner_depth(b));
        while da > db {
            a = self.parent(a);
            da -= 1;
        }
        if a == b {
            return Ordering::Greater;
        }
        while db > da {
            b = self.parent(b);
            db -= 1;
        }
        if a == b {
            return Ordering::Less;
        }
        while self.parent(a) != self.parent(b) {
            a = self.parent(a);
            b = self.parent(b);
        }
        self.seq_of(a).cmp(&self.seq_of(b))
    }

    /// The owner recorded as an effect's or scope's parent: the current owner if
    /// it is an effect or scope (computeds do not take part in effect order).
    pub(crate) fn ordering_parent(&self) -> u32 {
        let o = self.owner().get();
        if o != NONE && matches!(self.node(o).kind(), EFFECT | SCOPE) {
            o
        } else {
            NONE
        }
    }
}

/// Whether the effect queued as `q` (whose record is `n`) is still the live
/// effect it was when queued.
#[inline]
fn is_live_as_queued(n: &Node, q: &Queued) -> bool {
    n.generation() == q.gen && n.flags() & (FREE | ZOMBIE) == 0
}

/// Sorts queued siblings by creation number, in time linear in their number.
///
/// A write's propagation finds effects in an order of its own: a source's
/// newest subscriber comes first in its list, so a fan-out (kairo.broad, mux)
/// queues its effects exactly in reverse, and a deep graph written at several
/// sources (cellx: 4,000 effects) queues one nearly reversed run per source,
/// interleaved. A reversed queue is reversed; what is unsorted is put in
/// order by placing each entry at its number's offset from the smallest
/// when the numbers are packed closely ([`place_by_seq`]: cellx, whose
/// effects were made together), else by an LSD radix sort on those offsets,
/// which beat a comparison sort by six times on cellx (placing is 6% fewer
/// instructions of the whole case again). Short queues use insertion sort.
fn sort_by_seq(q: &mut [Queued], scratch: &mut Vec<Queued>) {
    let n = q.len();
    if n < 2 {
        return;
    }
    if q.windows(2).all(|w| w[0].seq > w[1].seq) {
        q.reverse();
        return;
    }
    if q.windows(2).all(|w| w[0].seq < w[1].seq) {
        return;
    }
    if n <= 32 {
        if q[0].seq > q[n - 1].seq {
            q.reverse();
        }
        for i in 1..n {
            let item = q[i];
            let mut j = i;
            while j > 0 && q[j - 1].seq > item.seq {
                q[j] = q[j - 1];
                j -= 1;
            }
            q[j] = item;
        }
        return;
    }
    let (mut min, mut max) = (u64::MAX, 0);
    for e in q.iter() {
        min = min.min(e.seq);
        max = max.max(e.seq);
    }
    let range = max - min;
    if range < 4 * n as u64 && place_by_seq(q, scratch, min, range as usize + 1) {
        return;
    }
    let passes = (u64::BITS - range.leading_zeros()).div_ceil(8) as usize;
    // Every pass's bucket sizes, counted in one sweep.
    let mut count = [[0u32; 256]; 8];
    for e in q.iter() {
        let mut off = e.seq - min;
        for c in count.iter_mut().take(passes) {
            c[(off & 0xFF) as usize] += 1;
            off >>= 8;
        }
    }
    scratch.clear();
    scratch.extend_from_slice(q);
    // Each pass moves the entries from one buffer into the other; `in_q` says
    // which holds them now.
    let mut in_q = true;
    for (pass, c) in count.iter().take(passes).enumerate() {
        if c.contains(&(n as u32)) {
            // One digit for all: this pass would move nothing.
            continue;
        }
        let (src, dst): (&[Queued], &mut [Queued]) = if in_q { (q, scratch) } else { (scratch, q) };
        let mut start = [0usize; 256];
        let mut sum = 0;
        for (s, &k) in start.iter_mut().zip(c.iter()) {
            *s = sum;
            sum += k as usize;
        }
        let shift = 8 * pass;
        for e in src {
            let d = ((e.seq - min) >> shift) as usize & 0xFF;
            dst[start[d]] = *e;
            start[d] += 1;
        }
        in_q = !in_q;
    }
    if !in_q {
        q.copy_from_slice(scratch);
    }
}

/// Sorts `q` by putting each entry at its number's offset from `min` in a
/// scratch array of `span` slots, then reading them back in order: one pass
/// each way, where the radix sort makes three. For numbers packed closely
/// (`span` a few times the entries: effects made together, cellx), and
/// unique, as the numbers of the entries still to run are (an effect is
/// queued once until its turn comes). Returns false, with `q` as it was, if
/// two entries share a number.
fn place_by_seq(q: &mut [Queued], scratch: &mut Vec<Queued>, min: u64, span: usize) -> bool {
    const EMPTY: Queued = Queued {
        seq: 0,
        idx: u32::MAX,
        gen: 0,
    };
    scratch.clear();
    scratch.resize(span, EMPTY);
    for e in q.iter() {
        let slot = &mut scratch[(e.seq - min) as usize];
        if slot.idx != EMPTY.idx {
            return false;
        }
        *slot = *e;
    }
    let mut k = 0;
    for e in scratch.iter() {
        if e.idx != EMPTY.idx {
            q[k] = *e;
            k += 1;
        }
    }
    debug_assert_eq!(k, q.len());
    true
}

struct FlushGuard<'a> {
    rt: &'a Runtime,
}

impl Drop for FlushGuard<'_> {
    fn drop(&mut self) {
        // On a panic, the effects still queued run at the next flush.
        self.rt.flushing.set(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic shuffle (xorshift), so that failures repeat.
    fn shuffle(items: &mut [Queued], mut state: u64) {
        for i in (1..items.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            items.swap(i, (state % (i as u64 + 1)) as usize);
        }
    }

    fn entries(seqs: impl Iterator<Item = u64>) -> Vec<Queued> {
        seqs.map(|seq| Queued {
            seq,
            idx: seq as u32,
            gen: 0,
        })
        .collect()
    }

    /// Numbers packed closely go through `place_by_seq`; if two entries
    /// share one (not the case in a real queue), the radix sort takes over.
    #[test]
    fn close_numbers_are_placed_and_shared_ones_still_sort() {
        let mut scratch = Vec::new();
        let mut q = entries((0..1000).map(|i| 50 + (i * 7919) % 1000));
        sort_by_seq(&mut q, &mut scratch);
        assert!(q.iter().map(|e| e.seq).eq(50..1050));
        assert!(q.iter().all(|e| e.idx == e.seq as u32));
        let mut q = entries((0..1000).map(|i| 50 + (i * 7919) % 500));
        let mut want: Vec<u64> = q.iter().map(|e| e.seq).collect();
        want.sort();
        let mut copy = q.clone();
        assert!(!place_by_seq(&mut copy, &mut scratch, 50, 500));
        assert!(copy
            .iter()
            .zip(&q)
            .all(|(a, b)| a.seq == b.seq && a.idx == b.idx));
        sort_by_seq(&mut q, &mut scratch);
        let got: Vec<u64> = q.iter().map(|e| e.seq).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn sorts_any_order_of_any_length_and_spread() {
        let mut scratch = Vec::new();
        for len in (0..70).chain([500, 4000]) {
            // Dense numbers, gaps wider than a radix digit, and a spread that
            // needs every pass.
            for stride in [1u64, 300, 1 << 40] {
                for round in 0..4 {
                    let base = 7 + round * 1000;
                    let mut q = entries((0..len).map(|i| base + i * stride));
                    let sorted: Vec<u64> = q.iter().map(|e| e.seq).collect();
                    match round {
                        0 => q.reverse(),
                        1 => {}
                        _ => shuffle(&mut q, round * 7919 + len),
                    }
                    sort_by_seq(&mut q, &mut scratch);
                    let got: Vec<u64> = q.iter().map(|e| e.seq).collect();
                    assert_eq!(got, sorted, "len {len}, stride {stride}, round {round}");
                    assert!(q.iter().all(|e| e.idx == e.seq as u32));
                }
            }
        }
    }
}
