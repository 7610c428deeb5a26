//! Effects and computeds that write signals, checked against an oracle (the
//! differential test's oracle has no model of a flush that re-runs effects).
//!
//! Proptest generates a graph built in order from: signals; computeds over
//! earlier nodes (sums, modulo for equality cuts, conditional reads for
//! dynamic dependencies); observer effects that evaluate such an expression;
//! and writers: a signal made for the purpose followed by an effect that
//! evaluates an expression over earlier nodes and writes the result into it
//! (`set` or `set_if_changed`; some also read their own signal first, when
//! the value is even, and then write only if it changed). A writer's signal
//! is read only by nodes made after it (and by its own writer), so the writes
//! settle. Computed writers are the same with a computed in the effect's
//! place, which returns the value or only its parity (an equality cut, so
//! that a check that runs it often finds it unchanged), watched by an effect
//! of its own, made last, so that it runs whenever its sources change; the
//! nodes made after it may read its signal before it, so a check that runs
//! it can meet the write after passing the signal. Steps are writes of the plain signals,
//! batches of them, and reads of a computed.
//!
//! After every step (outside any batch), and once more at the end: every
//! computed reads as the oracle says, every writer's signal holds its
//! expression's value, and every effect last saw its expression's value, the
//! oracle evaluating everything from scratch in creation order. Run counts are
//! not checked: a written signal notifies its readers whenever its writer
//! runs, so readers may run more than once in a step.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use sapwood_engine::{batch, Computed, Effect, Signal};

/// An expression over earlier value nodes (by index among them).
#[derive(Clone)]
enum Expr {
    Read(usize),
    Add(Box<Expr>, Box<Expr>),
    /// `a.rem_euclid(k)`.
    Mod(Box<Expr>, i64),
    /// `if a is even { b } else { c }`: reads only the branch taken.
    IfEven(Box<Expr>, Box<Expr>, Box<Expr>),
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Read(n) => write!(f, "v{n}"),
            Expr::Add(a, b) => write!(f, "({a:?} + {b:?})"),
            Expr::Mod(a, k) => write!(f, "({a:?} % {k})"),
            Expr::IfEven(c, a, b) => write!(f, "(if even({c:?}) {{ {a:?} }} else {{ {b:?} }})"),
        }
    }
}

impl Expr {
    /// The expression with every read index taken modulo `n` (`n > 0`): only
    /// earlier value nodes.
    fn bound(&self, n: usize) -> Expr {
        let b = |e: &Expr| Box::new(e.bound(n));
        match self {
            Expr::Read(i) => Expr::Read(i % n),
            Expr::Add(a, c) => Expr::Add(b(a), b(c)),
            Expr::Mod(a, k) => Expr::Mod(b(a), *k),
            Expr::IfEven(c, a, d) => Expr::IfEven(b(c), b(a), b(d)),
        }
    }

    fn eval(&self, read: &dyn Fn(usize) -> i64) -> i64 {
        match self {
            Expr::Read(i) => read(*i),
            Expr::Add(a, b) => a.eval(read).wrapping_add(b.eval(read)),
            Expr::Mod(a, k) => a.eval(read).rem_euclid(*k),
            Expr::IfEven(c, a, b) => {
                if c.eval(read).rem_euclid(2) == 0 {
                    a.eval(read)
                } else {
                    b.eval(read)
                }
            }
        }
    }
}

/// One definition, in creation order. Signals, computeds and writers each add
/// a value node (a writer's is its signal); observers add none.
#[derive(Clone, Debug)]
enum Def {
    Signal(i64),
    Computed(Expr),
    Observer(Expr),
    /// An effect that writes its own signal; `reads_own`: it reads that
    /// signal first when its value is even (and writes only a change).
    Writer {
        expr: Expr,
        if_changed: bool,
        reads_own: bool,
    },
    /// A signal, then a computed that evaluates `expr`, writes the value into
    /// that signal and returns it (or, with `parity`, its parity), and an
    /// effect made after all the other definitions that reads the computed.
    /// Two value nodes: the signal and the computed.
    ComputedWriter {
        expr: Expr,
        if_changed: bool,
        parity: bool,
    },
}

#[derive(Clone, Debug)]
enum Step {
    /// Writes the `i`-th plain signal (modulo their number).
    Set(usize, i64),
    /// The same, with `set_if_changed`.
    SetIfChanged(usize, i64),
    Batch(Vec<(usize, i64)>),
    /// Reads the `i`-th computed (modulo their number).
    Read(usize),
}

#[derive(Clone, Debug)]
struct Case {
    defs: Vec<Def>,
    steps: Vec<Step>,
    /// Read every computed after every step, or only at the end.
    read_all: bool,
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = (0..64usize).prop_map(Expr::Read);
    leaf.prop_recursive(3, 8, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Add(Box::new(a), Box::new(b))),
            (inner.clone(), 2..5i64).prop_map(|(a, k)| Expr::Mod(Box::new(a), k)),
            (inner.clone(), inner.clone(), inner).prop_map(|(c, a, b)| Expr::IfEven(
                Box::new(c),
                Box::new(a),
                Box::new(b)
            )),
        ]
    })
}

fn def() -> impl Strategy<Value = Def> {
    prop_oneof![
        2 => (0..4i64).prop_map(Def::Signal),
        3 => expr().prop_map(Def::Computed),
        2 => expr().prop_map(Def::Observer),
        2 => (expr(), any::<bool>(), any::<bool>()).prop_map(|(expr, if_changed, reads_own)| {
            Def::Writer { expr, if_changed, reads_own }
        }),
        2 => (expr(), any::<bool>(), any::<bool>()).prop_map(|(expr, if_changed, parity)| {
            Def::ComputedWriter { expr, if_changed, parity }
        }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..64usize, 0..4i64).prop_map(|(i, v)| Step::Set(i, v)),
        2 => (0..64usize, 0..4i64).prop_map(|(i, v)| Step::SetIfChanged(i, v)),
        2 => vec((0..64usize, 0..4i64), 1..4).prop_map(Step::Batch),
        1 => (0..64usize).prop_map(Step::Read),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    // The first definition is a signal, so that every expression has a node to read.
    (
        (0..4i64),
        vec(def(), 1..14),
        vec(step(), 1..12),
        any::<bool>(),
    )
        .prop_map(|(first, rest, steps, read_all)| {
            let mut defs = vec![Def::Signal(first)];
            let mut values = 1;
            for d in rest {
                let bound = |e: &Expr| e.bound(values);
                defs.push(match d {
                    Def::Signal(v) => Def::Signal(v),
                    Def::Computed(e) => Def::Computed(bound(&e)),
                    Def::Observer(e) => Def::Observer(bound(&e)),
                    Def::Writer {
                        expr,
                        if_changed,
                        reads_own,
                    } => Def::Writer {
                        expr: bound(&expr),
                        if_changed,
                        reads_own,
                    },
                    Def::ComputedWriter {
                        expr,
                        if_changed,
                        parity,
                    } => Def::ComputedWriter {
                        expr: bound(&expr),
                        if_changed,
                        parity,
                    },
                });
                values += match defs.last() {
                    Some(Def::Observer(_)) => 0,
                    Some(Def::ComputedWriter { .. }) => 2,
                    _ => 1,
                };
            }
            Case {
                defs,
                steps,
                read_all,
            }
        })
}

/// A value node as built: a signal (plain or a writer's) or a computed.
#[derive(Clone, Copy)]
enum Value {
    Signal(Signal<i64>),
    Computed(Computed<i64>),
}

impl Value {
    fn get(&self) -> i64 {
        match self {
            Value::Signal(s) => s.get(),
            Value::Computed(c) => c.get(),
        }
    }
}

/// The graph as built, with what each effect last saw.
struct Built {
    values: Vec<Value>,
    plain: Vec<Signal<i64>>,
    computeds: Vec<Computed<i64>>,
    /// Each effect's expression and last seen value.
    effects: Vec<(Expr, Rc<Cell<i64>>)>,
}

fn build(defs: &[Def]) -> Built {
    let mut b = Built {
        values: Vec::new(),
        plain: Vec::new(),
        computeds: Vec::new(),
        effects: Vec::new(),
    };
    let mut watched = Vec::new();
    for d in defs {
        // What an expression defined here may read: the nodes made so far.
        let earlier: Rc<[Value]> = b.values.iter().copied().collect();
        match d {
            Def::Signal(v) => {
                let s = Signal::new(*v);
                b.plain.push(s);
                b.values.push(Value::Signal(s));
            }
            Def::Computed(e) => {
                let e = e.clone();
                let c = Computed::new(move || e.eval(&|i| earlier[i].get()));
                b.computeds.push(c);
                b.values.push(Value::Computed(c));
            }
            Def::Observer(e) => {
                let seen = Rc::new(Cell::new(i64::MIN));
                let (ex, sink) = (e.clone(), seen.clone());
                Effect::new(move || {
                    sink.set(ex.eval(&|i| earlier[i].get()));
                });
                b.effects.push((e.clone(), seen));
            }
            Def::Writer {
                expr,
                if_changed,
                reads_own,
            } => {
                let target = Signal::new(-1i64);
                let seen = Rc::new(Cell::new(i64::MIN));
                let (ex, sink, if_changed, reads_own) =
                    (expr.clone(), seen.clone(), *if_changed, *reads_own);
                Effect::new(move || {
                    let v = ex.eval(&|i| earlier[i].get());
                    sink.set(v);
                    if reads_own && v.rem_euclid(2) == 0 {
                        target.get();
                        target.set_if_changed(v);
                    } else if if_changed {
                        target.set_if_changed(v);
                    } else {
                        target.set(v);
                    }
                });
                b.effects.push((expr.clone(), seen));
                b.values.push(Value::Signal(target));
            }
            Def::ComputedWriter {
                expr,
                if_changed,
                parity,
            } => {
                let target = Signal::new(-1i64);
                let (ex, if_changed, parity) = (expr.clone(), *if_changed, *parity);
                let c = Computed::new(move || {
                    let v = ex.eval(&|i| earlier[i].get());
                    if if_changed {
                        target.set_if_changed(v);
                    } else {
                        target.set(v);
                    }
                    if parity {
                        v.rem_euclid(2)
                    } else {
                        v
                    }
                });
                b.values.push(Value::Signal(target));
                watched.push((b.values.len(), c));
                b.computeds.push(c);
                b.values.push(Value::Computed(c));
            }
        }
    }
    // The computed writers' watchers come last, so that the effects made
    // before them run (and check) first.
    for (n, c) in watched {
        let seen = Rc::new(Cell::new(i64::MIN));
        let sink = seen.clone();
        Effect::new(move || sink.set(c.get()));
        b.effects.push((Expr::Read(n), seen));
    }
    b
}

/// The oracle: every value node's value from the plain signals' values, in
/// creation order.
fn oracle(defs: &[Def], plain: &[i64]) -> Vec<i64> {
    let mut values: Vec<i64> = Vec::new();
    let mut next_plain = 0;
    for d in defs {
        let v = match d {
            Def::Signal(_) => {
                next_plain += 1;
                plain[next_plain - 1]
            }
            Def::Computed(e) | Def::Writer { expr: e, .. } => e.eval(&|i| values[i]),
            Def::ComputedWriter { expr, parity, .. } => {
                let v = expr.eval(&|i| values[i]);
                values.push(v);
                if *parity {
                    v.rem_euclid(2)
                } else {
                    v
                }
            }
            Def::Observer(_) => continue,
        };
        values.push(v);
    }
    values
}

fn check(case: &Case, b: &Built, plain: &[i64], at: &str, read: bool) -> Result<(), TestCaseError> {
    let want = oracle(&case.defs, plain);
    let mut k = 0;
    for (n, v) in b.values.iter().enumerate() {
        let is_computed = matches!(v, Value::Computed(_));
        if !is_computed || read {
            prop_assert_eq!(v.get(), want[n], "{}: value node v{}", at, n);
        }
        if is_computed {
            k += 1;
        }
    }
    prop_assert_eq!(k, b.computeds.len());
    for (j, (e, seen)) in b.effects.iter().enumerate() {
        let expected = e.eval(&|i| want[i]);
        prop_assert_eq!(seen.get(), expected, "{}: effect {} ({:?})", at, j, e);
    }
    Ok(())
}

fn run(case: &Case) -> Result<(), TestCaseError> {
    let b = build(&case.defs);
    let mut plain: Vec<i64> = case
        .defs
        .iter()
        .filter_map(|d| match d {
            Def::Signal(v) => Some(*v),
            _ => None,
        })
        .collect();
    check(case, &b, &plain, "after building", case.read_all)?;
    let n = plain.len();
    for (t, s) in case.steps.iter().enumerate() {
        match s {
            Step::Set(i, v) => {
                plain[i % n] = *v;
                b.plain[i % n].set(*v);
            }
            Step::SetIfChanged(i, v) => {
                plain[i % n] = *v;
                b.plain[i % n].set_if_changed(*v);
            }
            Step::Batch(writes) => batch(|| {
                for (i, v) in writes {
                    plain[i % n] = *v;
                    b.plain[i % n].set(*v);
                }
            }),
            Step::Read(i) => {
                if !b.computeds.is_empty() {
                    b.computeds[i % b.computeds.len()].get();
                }
            }
        }
        check(
            case,
            &b,
            &plain,
            &format!("after step {t} ({s:?})"),
            case.read_all,
        )?;
    }
    check(case, &b, &plain, "at the end", true)
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn effects_that_write_settle_to_the_oracle_s_values(case in case()) {
        run(&case)?;
    }
}
