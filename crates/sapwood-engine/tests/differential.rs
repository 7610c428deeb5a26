//! Differential property test of the reactive engine against a naive oracle.
//!
//! Proptest generates a random graph — signals holding small `i64`s (so that
//! equal values are common), computeds defined by small expressions over
//! earlier nodes (sums, min/max, modulo for equality cuts, and conditional
//! reads for dynamic dependencies) and effects reading a few nodes (directly,
//! conditionally or untracked) — and a random sequence of steps: `set`,
//! `set_if_changed`, (nested) `batch`es of writes, and direct reads of a
//! computed. The oracle re-evaluates every expression from scratch from the
//! current signal values after each step, and the test checks, against the
//! contract in `notes/engine-api.md`:
//!
//! * values: every computed read returns the oracle's value, and every effect
//!   and computed last saw exactly the oracle's values (no glitches);
//! * effect runs: an effect runs in a step iff, among the nodes it read with
//!   tracking in its previous run, a signal was notified in the step or a
//!   computed's value differs from the one it read; at most once per step,
//!   never inside a batch, never on a plain read, and in creation order;
//! * computeds: lazy (not run by `Computed::new`; in a step, only computeds
//!   reachable from an effect or from the read computed may run); glitch-free
//!   (at most one evaluation per step); never stale (a computed read in a step
//!   re-runs if a source now differs from the value it last read); cached:
//!   - one the test has read does not re-run later in the same step;
//!   - one continuously observed by effects since its last run, through
//!     observers that did not re-run in the step, re-runs only if one of its
//!     sources changed since (a signal written, or a computed re-run to a new
//!     value: equality cut);
//!   - any other one (it may have freed its dependency edges) re-runs only if
//!     some signal changed since it was last read or run.
//!
//! Half of the cases read every computed after every step ("full" mode); the
//! other half leave unread computeds stale across steps and read them only by
//! explicit read steps and at the end ("lazy" mode), which exercises the
//! caching of unobserved computeds.
//!
//! `PROPTEST_CASES` overrides the default of 5000 cases.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use sapwood_engine::{batch, untrack, Computed, Effect, Scope, Signal};

// ---------------------------------------------------------------------------
// Graph description
// ---------------------------------------------------------------------------

/// A node of the graph: `Sig(i)` is the i-th signal, `Comp(j)` the j-th
/// computed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Node {
    Sig(usize),
    Comp(usize),
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Sig(i) => write!(f, "s{i}"),
            Node::Comp(j) => write!(f, "c{j}"),
        }
    }
}

/// An expression; `N` is a raw index while generating, a [`Node`] once
/// resolved.
#[derive(Clone)]
enum Expr<N> {
    Read(N),
    Const(i64),
    Add(Box<Expr<N>>, Box<Expr<N>>),
    Min(Box<Expr<N>>, Box<Expr<N>>),
    Max(Box<Expr<N>>, Box<Expr<N>>),
    /// `a.rem_euclid(k)`.
    Mod(Box<Expr<N>>, i64),
    /// `if a is even { b } else { c }`: reads only the branch taken.
    If(Box<Expr<N>>, Box<Expr<N>>, Box<Expr<N>>),
}

impl<N: Copy> Expr<N> {
    fn map<M>(&self, f: &impl Fn(N) -> M) -> Expr<M> {
        let b = |e: &Expr<N>| Box::new(e.map(f));
        match self {
            Expr::Read(n) => Expr::Read(f(*n)),
            Expr::Const(k) => Expr::Const(*k),
            Expr::Add(x, y) => Expr::Add(b(x), b(y)),
            Expr::Min(x, y) => Expr::Min(b(x), b(y)),
            Expr::Max(x, y) => Expr::Max(b(x), b(y)),
            Expr::Mod(x, k) => Expr::Mod(b(x), *k),
            Expr::If(c, x, y) => Expr::If(b(c), b(x), b(y)),
        }
    }
}

impl<N: fmt::Debug> fmt::Debug for Expr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Read(n) => write!(f, "{n:?}"),
            Expr::Const(k) => write!(f, "{k}"),
            Expr::Add(x, y) => write!(f, "({x:?} + {y:?})"),
            Expr::Min(x, y) => write!(f, "min({x:?}, {y:?})"),
            Expr::Max(x, y) => write!(f, "max({x:?}, {y:?})"),
            Expr::Mod(x, k) => write!(f, "({x:?} % {k})"),
            Expr::If(c, x, y) => write!(f, "(if even({c:?}) {{ {x:?} }} else {{ {y:?} }})"),
        }
    }
}

/// Evaluates `e`, reading nodes through `read` in evaluation order.
fn eval(e: &Expr<Node>, read: &mut dyn FnMut(Node) -> i64) -> i64 {
    match e {
        Expr::Read(n) => read(*n),
        Expr::Const(k) => *k,
        Expr::Add(x, y) => {
            let x = eval(x, read);
            x.wrapping_add(eval(y, read))
        }
        Expr::Min(x, y) => {
            let x = eval(x, read);
            x.min(eval(y, read))
        }
        Expr::Max(x, y) => {
            let x = eval(x, read);
            x.max(eval(y, read))
        }
        Expr::Mod(x, k) => eval(x, read).rem_euclid(*k),
        Expr::If(c, x, y) => {
            if eval(c, read).rem_euclid(2) == 0 {
                eval(x, read)
            } else {
                eval(y, read)
            }
        }
    }
}

/// One read an effect makes.
#[derive(Clone, Copy)]
enum EffRead<N> {
    /// A tracked read.
    Track(N),
    /// Tracked reads of `a`, then of `b` if `a` is even, else of `c`.
    Cond(N, N, N),
    /// An untracked read: through `untrack(|| x.get())` if the flag is set,
    /// else through `get_untracked()`.
    Untracked(N, bool),
}

impl<N: Copy> EffRead<N> {
    fn map<M>(&self, f: &impl Fn(N) -> M) -> EffRead<M> {
        match *self {
            EffRead::Track(n) => EffRead::Track(f(n)),
            EffRead::Cond(a, b, c) => EffRead::Cond(f(a), f(b), f(c)),
            EffRead::Untracked(n, via) => EffRead::Untracked(f(n), via),
        }
    }
}

impl<N: fmt::Debug> fmt::Debug for EffRead<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EffRead::Track(n) => write!(f, "{n:?}"),
            EffRead::Cond(a, b, c) => write!(f, "if even({a:?}) {{ {b:?} }} else {{ {c:?} }}"),
            EffRead::Untracked(n, true) => write!(f, "untrack({n:?})"),
            EffRead::Untracked(n, false) => write!(f, "{n:?}.get_untracked()"),
        }
    }
}

/// What an effect read: the node, the value, whether the read was tracked.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Seen {
    node: Node,
    value: i64,
    tracked: bool,
}

impl fmt::Debug for Seen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = if self.tracked { "" } else { " (untracked)" };
        write!(f, "{:?}={}{u}", self.node, self.value)
    }
}

/// Performs an effect's reads: `tracked` for tracked reads, `untracked(node,
/// via_untrack)` for untracked ones.
fn eval_effect(
    reads: &[EffRead<Node>],
    tracked: &mut dyn FnMut(Node) -> i64,
    untracked: &mut dyn FnMut(Node, bool) -> i64,
) -> Vec<Seen> {
    let mut seen = Vec::new();
    let mut track = |node: Node, seen: &mut Vec<Seen>| {
        let value = tracked(node);
        seen.push(Seen {
            node,
            value,
            tracked: true,
        });
        value
    };
    for r in reads {
        match *r {
            EffRead::Track(n) => {
                track(n, &mut seen);
            }
            EffRead::Cond(a, b, c) => {
                let va = track(a, &mut seen);
                track(if va.rem_euclid(2) == 0 { b } else { c }, &mut seen);
            }
            EffRead::Untracked(n, via) => {
                let value = untracked(n, via);
                seen.push(Seen {
                    node: n,
                    value,
                    tracked: false,
                });
            }
        }
    }
    seen
}

#[derive(Clone, Copy)]
struct Write {
    sig: usize,
    value: i64,
    if_changed: bool,
}

impl fmt::Debug for Write {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = if self.if_changed {
            "set_if_changed"
        } else {
            "set"
        };
        write!(f, "s{}.{m}({})", self.sig, self.value)
    }
}

#[derive(Clone)]
enum BatchOp {
    Write(Write),
    Nested(Vec<Write>),
}

impl fmt::Debug for BatchOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchOp::Write(w) => write!(f, "{w:?}"),
            BatchOp::Nested(ws) => write!(f, "batch{ws:?}"),
        }
    }
}

/// A step; signal and computed indices are raw while generating.
#[derive(Clone)]
enum Step {
    Write(Write),
    Batch(Vec<BatchOp>),
    Read(usize),
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Write(w) => write!(f, "{w:?}"),
            Step::Batch(ops) => write!(f, "batch{ops:?}"),
            Step::Read(c) => write!(f, "c{c}.get()"),
        }
    }
}

/// A resolved test case.
#[derive(Clone)]
struct Case {
    /// Read every computed after every step (else only by read steps and at
    /// the end).
    full: bool,
    signals: Vec<i64>,
    computeds: Vec<Expr<Node>>,
    effects: Vec<Vec<EffRead<Node>>>,
    steps: Vec<Step>,
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = if self.full { "full" } else { "lazy" };
        writeln!(f, "Case ({mode} mode) {{")?;
        for (i, v) in self.signals.iter().enumerate() {
            writeln!(f, "    s{i} = Signal::new({v})")?;
        }
        for (j, e) in self.computeds.iter().enumerate() {
            writeln!(f, "    c{j} = Computed({e:?})")?;
        }
        for (k, e) in self.effects.iter().enumerate() {
            writeln!(f, "    e{k} = Effect reading {e:?}")?;
        }
        for (t, s) in self.steps.iter().enumerate() {
            writeln!(f, "    step {}: {s:?}", t + 1)?;
        }
        write!(f, "}}")
    }
}

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

const VALUES: std::ops::Range<i64> = 0..4;

fn raw_expr() -> impl Strategy<Value = Expr<usize>> {
    let leaf = prop_oneof![
        5 => any::<u16>().prop_map(|n| Expr::Read(n.into())),
        1 => VALUES.prop_map(Expr::Const),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            1 => (inner.clone(), inner.clone())
                .prop_map(|(x, y)| Expr::Add(Box::new(x), Box::new(y))),
            1 => (inner.clone(), inner.clone())
                .prop_map(|(x, y)| Expr::Min(Box::new(x), Box::new(y))),
            1 => (inner.clone(), inner.clone())
                .prop_map(|(x, y)| Expr::Max(Box::new(x), Box::new(y))),
            1 => (inner.clone(), 2..4i64).prop_map(|(x, k)| Expr::Mod(Box::new(x), k)),
            2 => (inner.clone(), inner.clone(), inner)
                .prop_map(|(c, x, y)| Expr::If(Box::new(c), Box::new(x), Box::new(y))),
        ]
    })
}

fn raw_effect() -> impl Strategy<Value = Vec<EffRead<usize>>> {
    let raw = || any::<u16>().prop_map(usize::from);
    let read = prop_oneof![
        3 => raw().prop_map(EffRead::Track),
        2 => (raw(), raw(), raw()).prop_map(|(a, b, c)| EffRead::Cond(a, b, c)),
        1 => (raw(), any::<bool>()).prop_map(|(n, via)| EffRead::Untracked(n, via)),
    ];
    vec(read, 1..=3)
}

fn raw_write() -> impl Strategy<Value = Write> {
    (any::<u16>(), VALUES, any::<bool>()).prop_map(|(sig, value, if_changed)| Write {
        sig: sig.into(),
        value,
        if_changed,
    })
}

fn raw_step() -> impl Strategy<Value = Step> {
    let op = prop_oneof![
        4 => raw_write().prop_map(BatchOp::Write),
        1 => vec(raw_write(), 0..=3).prop_map(BatchOp::Nested),
    ];
    prop_oneof![
        6 => raw_write().prop_map(Step::Write),
        3 => vec(op, 0..=5).prop_map(Step::Batch),
        2 => any::<u16>().prop_map(|c| Step::Read(c.into())),
    ]
}

/// Maps raw index `raw` to one of `sigs` signals and `comps` computeds.
fn node(raw: usize, sigs: usize, comps: usize) -> Node {
    let k = raw % (sigs + comps);
    if k < sigs {
        Node::Sig(k)
    } else {
        Node::Comp(k - sigs)
    }
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        vec(VALUES, 1..=5),
        vec(raw_expr(), 0..=10),
        vec(raw_effect(), 0..=6),
        vec(raw_step(), 1..=24),
    )
        .prop_map(|(full, signals, raw_comps, raw_effects, raw_steps)| {
            let n = signals.len();
            let m = raw_comps.len();
            let computeds = raw_comps
                .iter()
                .enumerate()
                .map(|(j, e)| e.map(&|r| node(r, n, j)))
                .collect();
            let effects = raw_effects
                .iter()
                .map(|e| e.iter().map(|r| r.map(&|r| node(r, n, m))).collect())
                .collect();
            let fix = |w: Write| Write {
                sig: w.sig % n,
                ..w
            };
            let steps = raw_steps
                .into_iter()
                .map(|s| match s {
                    Step::Write(w) => Step::Write(fix(w)),
                    Step::Batch(ops) => Step::Batch(
                        ops.into_iter()
                            .map(|op| match op {
                                BatchOp::Write(w) => BatchOp::Write(fix(w)),
                                BatchOp::Nested(ws) => {
                                    BatchOp::Nested(ws.into_iter().map(fix).collect())
                                }
                            })
                            .collect(),
                    ),
                    // Without computeds, a read step becomes an empty batch.
                    Step::Read(_) if m == 0 => Step::Batch(Vec::new()),
                    Step::Read(c) => Step::Read(c % m),
                })
                .collect();
            Case {
                full,
                signals,
                computeds,
                effects,
                steps,
            }
        })
}

// ---------------------------------------------------------------------------
// Oracle
// ---------------------------------------------------------------------------

/// Every computed's value and reads, recomputed from scratch.
struct Oracle {
    values: Vec<i64>,
    reads: Vec<Vec<(Node, i64)>>,
    effects: Vec<Vec<Seen>>,
}

impl Oracle {
    fn new(case: &Case, sigs: &[i64]) -> Oracle {
        let mut values: Vec<i64> = Vec::new();
        let mut reads = Vec::new();
        for e in &case.computeds {
            let mut r = Vec::new();
            let v = eval(e, &mut |n| {
                let v = match n {
                    Node::Sig(i) => sigs[i],
                    Node::Comp(j) => values[j],
                };
                r.push((n, v));
                v
            });
            values.push(v);
            reads.push(r);
        }
        let value = |n: Node| match n {
            Node::Sig(i) => sigs[i],
            Node::Comp(j) => values[j],
        };
        let effects = case
            .effects
            .iter()
            .map(|e| eval_effect(e, &mut |n| value(n), &mut |n, _| value(n)))
            .collect();
        Oracle {
            values,
            reads,
            effects,
        }
    }

    fn value(&self, sigs: &[i64], n: Node) -> i64 {
        match n {
            Node::Sig(i) => sigs[i],
            Node::Comp(j) => self.values[j],
        }
    }
}

// ---------------------------------------------------------------------------
// The engine side
// ---------------------------------------------------------------------------

/// Written by a computed's closure at each evaluation.
#[derive(Default)]
struct CompLog {
    evals: u64,
    reads: Vec<(Node, i64)>,
    value: Option<i64>,
}

/// Written by an effect's closure at each run.
#[derive(Default)]
struct EffLog {
    runs: u64,
    seen: Vec<Seen>,
}

#[derive(Clone, Copy)]
struct Handles<'a> {
    sigs: &'a [Signal<i64>],
    comps: &'a [Computed<i64>],
}

impl Handles<'_> {
    fn get(&self, n: Node) -> i64 {
        match n {
            Node::Sig(i) => self.sigs[i].get(),
            Node::Comp(j) => self.comps[j].get(),
        }
    }

    fn get_untracked(&self, n: Node) -> i64 {
        match n {
            Node::Sig(i) => self.sigs[i].get_untracked(),
            Node::Comp(j) => self.comps[j].get_untracked(),
        }
    }
}

/// Snapshot of the closures' logs before a step.
struct Before {
    evals: Vec<u64>,
    reads: Vec<Vec<(Node, i64)>>,
    values: Vec<Option<i64>>,
    runs: Vec<u64>,
    seen: Vec<Vec<Seen>>,
}

/// What a step did to the signals, by the contract.
struct Writes {
    /// Notified: effects reading the signal directly re-run.
    notified: Vec<bool>,
    /// Possibly changed at some point: a computed reading it may re-run.
    touched: Vec<bool>,
    /// For each computed the test read directly in this step, its number of
    /// evaluations right after the read: it must not re-run later in the step.
    read_at: Vec<Option<u64>>,
}

struct Harness<'c> {
    case: &'c Case,
    sigs: Vec<Signal<i64>>,
    comps: Vec<Computed<i64>>,
    effects: Vec<Effect>,
    comp_logs: Vec<Rc<RefCell<CompLog>>>,
    eff_logs: Vec<Rc<RefCell<EffLog>>>,
    /// Effects in the order they ran, since it was last cleared.
    order: Rc<RefCell<Vec<usize>>>,
    /// The oracle's signal values.
    values: Vec<i64>,
    /// Last step each signal / computed was touched in.
    sig_touched: Vec<Option<usize>>,
    comp_touched: Vec<Option<usize>>,
    /// Last step each computed was evaluated in.
    comp_evaluated: Vec<Option<usize>>,
    /// Last step each computed was read or evaluated in.
    comp_fresh: Vec<Option<usize>>,
    /// First step since the end of which each computed has been observed by
    /// an effect at the end of every step.
    observed_since: Vec<Option<usize>>,
}

type Check = Result<(), TestCaseError>;

impl<'c> Harness<'c> {
    /// Creates the signals and computeds (not the effects).
    fn new(case: &'c Case) -> Harness<'c> {
        let sigs: Vec<Signal<i64>> = case.signals.iter().map(|&v| Signal::new(v)).collect();
        let mut comps: Vec<Computed<i64>> = Vec::new();
        let mut comp_logs = Vec::new();
        for e in &case.computeds {
            let log = Rc::new(RefCell::new(CompLog::default()));
            let (s, earlier, e, l) = (sigs.clone(), comps.clone(), e.clone(), log.clone());
            comps.push(Computed::new(move || {
                let h = Handles {
                    sigs: &s,
                    comps: &earlier,
                };
                let mut reads = Vec::new();
                let v = eval(&e, &mut |n| {
                    let v = h.get(n);
                    reads.push((n, v));
                    v
                });
                let mut l = l.borrow_mut();
                l.evals += 1;
                l.reads = reads;
                l.value = Some(v);
                v
            }));
            comp_logs.push(log);
        }
        let m = comps.len();
        Harness {
            case,
            sigs,
            comps,
            effects: Vec::new(),
            comp_logs,
            eff_logs: case.effects.iter().map(|_| Rc::default()).collect(),
            order: Rc::default(),
            values: case.signals.clone(),
            sig_touched: vec![None; case.signals.len()],
            comp_touched: vec![None; m],
            comp_evaluated: vec![None; m],
            observed_since: vec![None; m],
            comp_fresh: vec![None; m],
        }
    }

    fn create_effects(&mut self) {
        for (k, e) in self.case.effects.iter().enumerate() {
            let (s, c, e, l, order) = (
                self.sigs.clone(),
                self.comps.clone(),
                e.clone(),
                self.eff_logs[k].clone(),
                self.order.clone(),
            );
            self.effects.push(Effect::new(move || {
                order.borrow_mut().push(k);
                let h = Handles {
                    sigs: &s,
                    comps: &c,
                };
                let seen = eval_effect(&e, &mut |n| h.get(n), &mut |n, via| {
                    if via {
                        untrack(|| h.get(n))
                    } else {
                        h.get_untracked(n)
                    }
                });
                let mut l = l.borrow_mut();
                l.runs += 1;
                l.seen = seen;
            }));
        }
    }

    fn evals(&self) -> Vec<u64> {
        self.comp_logs.iter().map(|l| l.borrow().evals).collect()
    }

    fn runs(&self) -> Vec<u64> {
        self.eff_logs.iter().map(|l| l.borrow().runs).collect()
    }

    /// The computeds an effect depends on, directly or through others, by
    /// what each last read.
    fn observed(&self) -> Vec<bool> {
        let mut observed = vec![false; self.comps.len()];
        let mut stack: Vec<Node> = Vec::new();
        for l in &self.eff_logs {
            stack.extend(l.borrow().seen.iter().filter(|s| s.tracked).map(|s| s.node));
        }
        while let Some(n) = stack.pop() {
            if let Node::Comp(j) = n {
                if !observed[j] {
                    observed[j] = true;
                    stack.extend(self.comp_logs[j].borrow().reads.iter().map(|r| r.0));
                }
            }
        }
        observed
    }

    fn before(&self) -> Before {
        Before {
            evals: self.evals(),
            reads: self
                .comp_logs
                .iter()
                .map(|l| l.borrow().reads.clone())
                .collect(),
            values: self.comp_logs.iter().map(|l| l.borrow().value).collect(),
            runs: self.runs(),
            seen: self
                .eff_logs
                .iter()
                .map(|l| l.borrow().seen.clone())
                .collect(),
        }
    }

    /// Performs step `t` on the engine and on the oracle's signal values.
    fn exec(&mut self, t: usize, step: &Step) -> Result<Writes, TestCaseError> {
        let n = self.sigs.len();
        let mut notified = vec![false; n];
        let mut touched = vec![false; n];
        let mut read_at = vec![None; self.comps.len()];
        match step {
            Step::Write(w) => {
                let old = self.values[w.sig];
                if w.if_changed {
                    let changed = self.sigs[w.sig].set_if_changed(w.value);
                    prop_assert_eq!(
                        changed,
                        w.value != old,
                        "step {}: set_if_changed's result (signal was {})",
                        t,
                        old
                    );
                    notified[w.sig] = w.value != old;
                } else {
                    self.sigs[w.sig].set(w.value);
                    notified[w.sig] = true;
                }
                touched[w.sig] = notified[w.sig];
                self.values[w.sig] = w.value;
            }
            Step::Batch(ops) => {
                let sigs = &self.sigs;
                let order = &self.order;
                let apply = |w: &Write| {
                    if w.if_changed {
                        let _ = sigs[w.sig].set_if_changed(w.value);
                    } else {
                        sigs[w.sig].set(w.value);
                    }
                };
                let ran_inside = Cell::new(false);
                let check_quiet = || ran_inside.set(ran_inside.get() || !order.borrow().is_empty());
                batch(|| {
                    for op in ops {
                        match op {
                            BatchOp::Write(w) => apply(w),
                            BatchOp::Nested(ws) => {
                                batch(|| ws.iter().for_each(&apply));
                                check_quiet();
                            }
                        }
                        check_quiet();
                    }
                });
                prop_assert!(
                    !ran_inside.get(),
                    "step {}: effects ran inside a batch: {:?}",
                    t,
                    self.order.borrow()
                );
                let start = self.values.clone();
                let mut any_set = vec![false; n];
                let mut written = vec![false; n];
                let writes = ops.iter().flat_map(|op| match op {
                    BatchOp::Write(w) => std::slice::from_ref(w),
                    BatchOp::Nested(ws) => ws.as_slice(),
                });
                for w in writes {
                    written[w.sig] = true;
                    any_set[w.sig] |= !w.if_changed;
                    touched[w.sig] |= w.value != start[w.sig];
                    self.values[w.sig] = w.value;
                }
                for i in 0..n {
                    notified[i] = any_set[i] || (written[i] && self.values[i] != start[i]);
                    touched[i] |= notified[i];
                }
            }
            Step::Read(c) => {
                let got = self.comps[*c].get();
                read_at[*c] = Some(self.comp_logs[*c].borrow().evals);
                let want = Oracle::new(self.case, &self.values).values[*c];
                prop_assert_eq!(
                    got,
                    want,
                    "step {}: c{}.get() (left: got, right: oracle)",
                    t,
                    c
                );
            }
        }
        Ok(Writes {
            notified,
            touched,
            read_at,
        })
    }

    /// Checks the engine after step `t` (0 = creation of the effects).
    fn check(
        &mut self,
        t: usize,
        step: Option<&Step>,
        b: &Before,
        w: &mut Writes,
        full: bool,
    ) -> Check {
        let m = self.comps.len();
        let o = Oracle::new(self.case, &self.values);
        let read_target = match step {
            Some(Step::Read(c)) => Some(*c),
            _ => None,
        };

        // Effects: which ran, in which order, and what they saw.
        let runs = self.runs();
        let mut expected_order = Vec::new();
        for (k, old_seen) in b.seen.iter().enumerate() {
            let should_run = t == 0
                || old_seen.iter().any(|s| {
                    s.tracked
                        && match s.node {
                            Node::Sig(i) => w.notified[i],
                            Node::Comp(j) => o.values[j] != s.value,
                        }
                });
            let ran = runs[k] - b.runs[k];
            prop_assert!(
                ran == u64::from(should_run),
                "step {}: effect e{} ran {} times, expected {}: it last saw {:?}, the oracle's \
                 values now {:?}; signals notified in the step: {:?}",
                t,
                k,
                ran,
                u64::from(should_run),
                old_seen,
                o.effects[k],
                w.notified
            );
            if should_run {
                expected_order.push(k);
            }
            let log = self.eff_logs[k].borrow();
            let seen = &log.seen;
            if ran == 1 {
                prop_assert_eq!(
                    seen,
                    &o.effects[k],
                    "step {}: what effect e{} saw (left: got, right: oracle)",
                    t,
                    k
                );
            } else {
                let tracked = |v: &[Seen]| v.iter().filter(|s| s.tracked).copied().collect();
                let (got, want): (Vec<Seen>, Vec<Seen>) = (tracked(seen), tracked(&o.effects[k]));
                prop_assert_eq!(
                    got,
                    want,
                    "step {}: what effect e{} last saw (left: got, right: oracle)",
                    t,
                    k
                );
            }
        }
        prop_assert_eq!(
            &*self.order.borrow(),
            &expected_order,
            "step {}: order in which effects ran (left: got, right: expected)",
            t
        );

        // Laziness: in the step itself (before the check's own reads), only
        // computeds reachable from an effect or the read computed may run.
        let mid = self.evals();
        let mut reachable = vec![false; m];
        let mut stack: Vec<Node> = b
            .seen
            .iter()
            .chain(&o.effects)
            .flatten()
            .map(|s| s.node)
            .collect();
        stack.extend(read_target.map(Node::Comp));
        while let Some(n) = stack.pop() {
            if let Node::Comp(j) = n {
                if !reachable[j] {
                    reachable[j] = true;
                    stack.extend(b.reads[j].iter().chain(&o.reads[j]).map(|r| r.0));
                }
            }
        }
        for j in 0..m {
            prop_assert!(
                mid[j] == b.evals[j] || reachable[j],
                "step {}: laziness: c{} was evaluated although neither an effect nor a read \
                 reaches it",
                t,
                j
            );
        }

        // Read every computed.
        if full {
            for j in 0..m {
                let got = self.comps[j].get();
                w.read_at[j] = Some(self.comp_logs[j].borrow().evals);
                prop_assert_eq!(
                    got,
                    o.values[j],
                    "step {}: c{}.get() in the check (left: got, right: oracle)",
                    t,
                    j
                );
            }
            prop_assert_eq!(&self.runs(), &runs, "step {}: effects ran on reads", t);
            prop_assert_eq!(self.order.borrow().len(), expected_order.len());
        }

        let evals = self.evals();
        let evaluated: Vec<bool> = evals.iter().zip(&b.evals).map(|(n, b)| n > b).collect();
        let effect_ran: Vec<bool> = runs.iter().zip(&b.runs).map(|(n, b)| n > b).collect();
        for (j, (&now, &before)) in evals.iter().zip(&b.evals).enumerate() {
            let n = now - before;
            prop_assert!(
                n <= 1,
                "step {}: glitch: c{} was evaluated {} times in one step",
                t,
                j,
                n
            );
            if n == 1 {
                let l = self.comp_logs[j].borrow();
                prop_assert_eq!(
                    &l.reads,
                    &o.reads[j],
                    "step {}: what c{} read (left: got, right: oracle)",
                    t,
                    j
                );
                prop_assert_eq!(
                    l.value,
                    Some(o.values[j]),
                    "step {}: c{}'s value (left: got, right: oracle)",
                    t,
                    j
                );
            }
        }

        // Update the record of what changed when.
        for (i, &touched) in w.touched.iter().enumerate() {
            if touched {
                self.sig_touched[i] = Some(t);
            }
        }
        for (j, &evaluated) in evaluated.iter().enumerate() {
            if evaluated && b.values[j] != Some(o.values[j]) {
                self.comp_touched[j] = Some(t);
            }
        }

        // Caching. A computed that an effect has observed (directly or through
        // other computeds) ever since its last run, through observers that did
        // not re-run in this step, re-runs only if a source it read last time
        // has changed since (a computed source only counts if it re-ran to a
        // new value: equality cut). Any other computed may have freed its
        // dependency edges: it re-runs only if some signal changed since.
        let mut disturbed = vec![false; m];
        let mut stack: Vec<Node> = Vec::new();
        for (seen, _) in b.seen.iter().zip(&effect_ran).filter(|r| *r.1) {
            stack.extend(seen.iter().filter(|s| s.tracked).map(|s| s.node));
        }
        for (reads, _) in b.reads.iter().zip(&evaluated).filter(|r| *r.1) {
            stack.extend(reads.iter().map(|r| r.0));
        }
        while let Some(n) = stack.pop() {
            if let Node::Comp(j) = n {
                if !disturbed[j] {
                    disturbed[j] = true;
                    stack.extend(b.reads[j].iter().map(|r| r.0));
                }
            }
        }
        for j in 0..m {
            let Some(last) = self.comp_evaluated[j] else {
                continue;
            };
            if !evaluated[j] {
                continue;
            }
            let since = |u: Option<usize>| u.is_some_and(|u| u > last);
            if !disturbed[j] && self.observed_since[j].is_some_and(|s| s <= last) {
                let changed = b.reads[j].iter().any(|&(n, _)| match n {
                    Node::Sig(i) => since(self.sig_touched[i]),
                    Node::Comp(k) => since(self.comp_touched[k]),
                });
                prop_assert!(
                    changed,
                    "step {}: caching: c{}, observed by an effect, re-ran although none of \
                     its sources {:?} changed since its last run (step {})",
                    t,
                    j,
                    b.reads[j],
                    last
                );
            } else {
                let fresh = self.comp_fresh[j].max(Some(last));
                prop_assert!(
                    self.sig_touched.iter().any(|&u| u > fresh),
                    "step {}: caching: c{} re-ran although no signal changed since it was last \
                     read or run (step {:?})",
                    t,
                    j,
                    fresh
                );
            }
        }
        for (j, &read_at) in w.read_at.iter().enumerate() {
            if let Some(n) = read_at {
                prop_assert!(
                    evals[j] == n,
                    "step {}: caching: c{} re-ran after the test had read it in this step, with \
                     no write since",
                    t,
                    j
                );
            }
        }

        // Staleness: a computed read in this step re-runs if a source it read
        // last time now has another value.
        let mut read = vec![full; m];
        let mut stack: Vec<usize> = read_target.into_iter().collect();
        for (seen, _) in o.effects.iter().zip(&effect_ran).filter(|r| *r.1) {
            stack.extend(seen.iter().filter_map(|s| match s.node {
                Node::Comp(j) => Some(j),
                Node::Sig(_) => None,
            }));
        }
        while let Some(j) = stack.pop() {
            if !read[j] {
                read[j] = true;
                if evaluated[j] {
                    stack.extend(o.reads[j].iter().filter_map(|r| match r.0 {
                        Node::Comp(k) => Some(k),
                        Node::Sig(_) => None,
                    }));
                }
            }
        }
        for j in 0..m {
            if !read[j] || evaluated[j] {
                continue;
            }
            prop_assert!(
                self.comp_evaluated[j].is_some(),
                "step {}: c{} was read but never evaluated",
                t,
                j
            );
            let stale = b.reads[j]
                .iter()
                .find(|&&(n, v)| o.value(&self.values, n) != v);
            prop_assert!(
                stale.is_none(),
                "step {}: stale: c{} was read but not re-run although its source {:?} changed \
                 (to {})",
                t,
                j,
                stale,
                stale.map_or(0, |&(n, _)| o.value(&self.values, n))
            );
        }

        for j in 0..m {
            if evaluated[j] {
                self.comp_evaluated[j] = Some(t);
            }
            if read[j] || evaluated[j] {
                self.comp_fresh[j] = Some(t);
            }
        }
        let observed = self.observed();
        for (j, &observed) in observed.iter().enumerate() {
            if !observed {
                self.observed_since[j] = None;
            } else if self.observed_since[j].is_none() {
                self.observed_since[j] = Some(t);
            }
        }
        self.order.borrow_mut().clear();
        Ok(())
    }
}

fn run_case(case: &Case) -> Check {
    let mut harness = None;
    let scope = Scope::new(|| harness = Some(Harness::new(case)));
    let mut h = harness.expect("Scope::new runs its closure");
    let result = catch_unwind(AssertUnwindSafe(|| run_steps(&mut h, scope)))
        .unwrap_or_else(|p| Err(TestCaseError::fail(format!("panicked: {}", message(&*p)))));
    if result.is_ok() {
        scope.dispose();
        let (evals, runs) = (h.evals(), h.runs());
        prop_assert!(scope.is_disposed());
        for s in &h.sigs {
            prop_assert!(
                s.is_disposed() && s.try_get().is_err(),
                "signal not disposed"
            );
        }
        for c in &h.comps {
            prop_assert!(
                c.is_disposed() && c.try_get().is_err(),
                "computed not disposed"
            );
        }
        for e in &h.effects {
            prop_assert!(e.is_disposed(), "effect not disposed");
        }
        prop_assert_eq!(h.evals(), evals, "computeds ran on disposal");
        prop_assert_eq!(h.runs(), runs, "effects ran on disposal");
    } else {
        // Keep failing cases from leaking into the next ones.
        let _ = catch_unwind(AssertUnwindSafe(|| scope.dispose()));
    }
    result
}

fn message(p: &(dyn std::any::Any + Send)) -> &str {
    p.downcast_ref::<&str>()
        .copied()
        .or_else(|| p.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not a string)")
}

fn run_steps(h: &mut Harness<'_>, scope: Scope) -> Check {
    let case = h.case;
    prop_assert!(
        h.evals().iter().all(|&n| n == 0),
        "laziness: Computed::new ran its closure"
    );

    // Step 0: the effects run once each as they are created.
    let b = h.before();
    scope.run(|| h.create_effects());
    let none = || Writes {
        notified: vec![false; case.signals.len()],
        touched: vec![false; case.signals.len()],
        read_at: vec![None; case.computeds.len()],
    };
    h.check(0, None, &b, &mut none(), case.full)?;

    for (i, step) in case.steps.iter().enumerate() {
        let t = i + 1;
        let b = h.before();
        let mut w = h.exec(t, step)?;
        h.check(t, Some(step), &b, &mut w, case.full)?;
    }

    // Finally read everything (nothing is written: no effect may run).
    let b = h.before();
    h.check(case.steps.len() + 1, None, &b, &mut none(), true)
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5000);
    ProptestConfig {
        cases,
        // Only this file may be added to the crate: no regression files.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A tenth of [`config`]'s cases, for the run with moving arenas.
fn moving_config() -> ProptestConfig {
    let base = config();
    ProptestConfig {
        cases: (base.cases / 10).max(1),
        ..base
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn engine_matches_oracle(case in case_strategy()) {
        run_case(&case)?;
    }
}

proptest! {
    #![proptest_config(moving_config())]

    /// The same contract while both arenas move, and their old memory is
    /// overwritten, at every write from outside the engine (see
    /// `tests/relocation.rs`): no reference into them outlives a write.
    #[test]
    fn engine_matches_oracle_while_its_arenas_move(case in case_strategy()) {
        sapwood_engine::testing::relocate_at_every_safe_point(true);
        let result = run_case(&case);
        sapwood_engine::testing::relocate_at_every_safe_point(false);
        result?;
    }
}
