//! The dynamic-graph cases of js-reactivity-benchmark (after Reactively's
//! benchmark): `src/benches/reactively/dependencyGraph.ts` (`makeGraph`,
//! `runGraph`), `src/benches/reactively/dynamicBench.ts`, the `perfTests` of
//! `src/config.ts`, and the seeded generator of `src/util/pseudoRandom.ts`.
//!
//! A rectangular graph: `width` source signals (`0..width`), then
//! `total_layers - 1` layers of `width` computeds; node `j` of a layer reads
//! nodes `j, j + 1, …, j + n_sources - 1` (mod `width`) of the layer above and
//! sums them. A node is static with probability `static_fraction`; a dynamic
//! node reads its first source, and if that value is odd skips one of the
//! others (the one at `value % (n_sources - 1)`). Of the last layer, a
//! `read_fraction` of the leaves are read (the others are removed at random).
//! One run: `iterations` times, write source `i % width` to `i + i % width`
//! (in a batch) and read every read leaf; then sum the read leaves. One
//! [`Bencher::iter`] call is one run, as one timed sample of the original.
//!
//! The generator (`pseudoRandom("seed")`: xmur3a hashing into sfc32) is
//! ported bit for bit, so the graph, and which leaves are read, are the
//! original's: the floor reproduces every `expected` sum and count of
//! js-reactivity-benchmark's `perfTests` (`src/config.ts`) that `i64` can
//! hold (all but the 3-5x500 sum, ~3e241).
//!
//! Checks, on the last timed call (the original checks its timed run, the
//! fourth, after three warm-up runs; the first run also evaluates the graph
//! for the first time, so it evaluates more): the sum of the read leaves and
//! the number of computed evaluations in the run, both against the floor's
//! (computed untimed, see [`floor_reference`]). The floor's own run is checked against the
//! original's `expected` values (see [`DynConfig::js_sum`]) and its sum
//! against a plain evaluation of the final state. The evaluation count is
//! checked for every system (the original checks it for systems marked
//! `testPullCounts`, the lazy ones, and for every system when all leaves
//! are read): a system that evaluates more than a lazy one needs is
//! reported.
//!
//! Deviation: values are `i64` with wrapping sums where the original has
//! doubles. They agree (exactly, checked) for every configuration but the
//! 500 layers of `dyn.3-5x500`, whose values leave both `i64` and the
//! doubles' exact range: there the sum is checked against the floor's only
//! (the evaluation count still against the original's). Only static nodes
//! live there, so the wrapped values decide nothing.
//!
//! Addition: an untimed pre-flight (see [`preflight_depths`] and
//! [`preflight`]) fails the case, instead of running it, for a system that
//! is not glitch-free on the graph or whose run would take longer than the
//! report can wait (some peers are exponential in depth here).

use std::cell::Cell;
use std::hint::black_box;
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::kairo::Node;
use super::{Bencher, CaseResult, SpeedCase};
use crate::framework::Framework;

/// One configuration of the original's `perfTests`.
#[derive(Clone, Copy)]
pub struct DynConfig {
    /// Sources, and computeds per layer.
    width: usize,
    /// Layers, the source layer included.
    total_layers: usize,
    /// Probability of a computed being static.
    static_fraction: f64,
    /// Nodes of the layer above that each computed reads.
    n_sources: usize,
    /// Fraction of the leaves read.
    read_fraction: f64,
    /// Writes per run.
    iterations: usize,
    /// The original's expected sum (`None`: out of `i64`'s range).
    js_sum: Option<i64>,
    /// The original's expected evaluation count in a timed run.
    js_count: Option<u64>,
}

impl DynConfig {
    /// The same graph kind, cut down for unit tests (an unoptimised build
    /// runs the full configurations for seconds): at most 100 wide, at most
    /// 5 writes per source per run (so that each run still changes every
    /// written source), without the original's expected values.
    #[cfg(test)]
    fn small(&self) -> DynConfig {
        let width = self.width.min(100);
        DynConfig {
            width,
            iterations: self.iterations.min(5 * width),
            js_sum: None,
            js_count: None,
            ..*self
        }
    }
}

/// `pseudoRandom(seed)` of the original: the xmur3a string hash seeds sfc32.
/// Every operation is the original's 32-bit one.
struct PseudoRandom {
    a: u32,
    b: u32,
    c: u32,
    d: u32,
}

impl PseudoRandom {
    /// The generator for `seed` (the original always uses `"seed"`).
    fn new(seed: &str) -> Self {
        // xmur3a: MurmurHash3's mixing over the UTF-16 code units.
        let mut h: u32 = 2_166_136_261;
        let units: Vec<u16> = seed.encode_utf16().collect();
        for &u in &units {
            let k = u32::from(u).wrapping_mul(3_432_918_353).rotate_left(15);
            h ^= k.wrapping_mul(461_845_907);
            h = h.rotate_left(13);
            h = h.wrapping_mul(5).wrapping_add(3_864_292_196);
        }
        h ^= units.len() as u32;
        let mut next = || {
            h ^= h >> 16;
            h = h.wrapping_mul(2_246_822_507);
            h ^= h >> 13;
            h = h.wrapping_mul(3_266_489_909);
            h ^= h >> 16;
            h
        };
        PseudoRandom {
            a: next(),
            b: next(),
            c: next(),
            d: next(),
        }
    }

    /// sfc32's next value, in `[0, 1)`.
    fn next(&mut self) -> f64 {
        let mut t = self.a.wrapping_add(self.b);
        self.a = self.b ^ (self.b >> 9);
        self.b = self.c.wrapping_add(self.c << 3);
        self.c = self.c.rotate_left(21);
        self.d = self.d.wrapping_add(1);
        t = t.wrapping_add(self.d);
        self.c = self.c.wrapping_add(t);
        f64::from(t) / 4_294_967_296.0
    }
}

/// The random choices of a graph: which computeds are dynamic, which leaves
/// are read. Shared by every system and the floor.
struct Shape {
    /// `dynamic[(layer - 1) * width + j]`: computed `j` of `layer` is dynamic.
    dynamic: Vec<bool>,
    /// The columns of the read leaves, in the original's order.
    read_leaves: Vec<usize>,
}

impl Shape {
    /// Draws the choices as `makeGraph` and `runGraph` do, each with its own
    /// generator.
    fn new(cfg: &DynConfig) -> Self {
        let mut random = PseudoRandom::new("seed");
        let computeds = (cfg.total_layers - 1) * cfg.width;
        let dynamic = (0..computeds)
            .map(|_| random.next() >= cfg.static_fraction)
            .collect();
        let mut rand = PseudoRandom::new("seed");
        // JS's Math.round (halves up) of a non-negative number.
        let skip = (cfg.width as f64 * (1.0 - cfg.read_fraction) + 0.5).floor() as usize;
        let mut read_leaves: Vec<usize> = (0..cfg.width).collect();
        for _ in 0..skip {
            let at = (rand.next() * read_leaves.len() as f64).floor() as usize;
            read_leaves.remove(at);
        }
        Shape {
            dynamic,
            read_leaves,
        }
    }
}

/// The value a computed returns, given its sources' values in order: the
/// original's static and dynamic node bodies. `read(k)` reads source `k`.
#[inline]
fn node_value(dynamic: bool, n_sources: usize, mut read: impl FnMut(usize) -> i64) -> i64 {
    if !dynamic {
        let mut sum = 0i64;
        for k in 0..n_sources {
            sum = sum.wrapping_add(read(k));
        }
        sum
    } else {
        let mut sum = read(0);
        let tail = n_sources - 1;
        let should_drop = sum & 1 != 0;
        let drop_dex = sum.rem_euclid(tail as i64) as usize;
        for i in 0..tail {
            if should_drop && i == drop_dex {
                continue;
            }
            sum = sum.wrapping_add(read(i + 1));
        }
        sum
    }
}

/// Builds the graph of `cfg` (inside the caller's [`Framework::build`]): the
/// sources and the read leaves. Every computed evaluation counts in
/// `evaluations` (the original's `counter`).
fn build<F: Framework>(
    cfg: &DynConfig,
    shape: &Shape,
    evaluations: &Rc<Cell<u64>>,
) -> (Vec<F::Signal>, Vec<Node<F>>) {
    let sources: Vec<F::Signal> = (0..cfg.width).map(|i| F::signal(i as i64)).collect();
    let mut prev: Vec<Node<F>> = sources.iter().cloned().map(Node::Signal).collect();
    for layer in 0..cfg.total_layers - 1 {
        let row: Vec<Node<F>> = (0..cfg.width)
            .map(|j| {
                let mine: Vec<Node<F>> = (0..cfg.n_sources)
                    .map(|k| prev[(j + k) % cfg.width].clone())
                    .collect();
                let dynamic = shape.dynamic[layer * cfg.width + j];
                let (n, evaluations) = (cfg.n_sources, evaluations.clone());
                Node::Computed(F::computed(move || {
                    evaluations.set(evaluations.get() + 1);
                    node_value(dynamic, n, |k| mine[k].read())
                }))
            })
            .collect();
        prev = row;
    }
    let read_leaves = shape.read_leaves.iter().map(|&j| prev[j].clone()).collect();
    (sources, read_leaves)
}

/// Step `i` of a run: write source `i % width` (in a batch, as the
/// original), then read every read leaf.
#[inline]
fn step<F: Framework>(cfg: &DynConfig, sources: &[F::Signal], read_leaves: &[Node<F>], i: usize) {
    F::batch(|| {
        let k = i % cfg.width;
        F::set(&sources[k], (i + k) as i64);
    });
    for leaf in read_leaves {
        black_box(leaf.read());
    }
}

/// Steps the pre-flight on the full graph may make (the first of a run).
const PREFLIGHT_STEPS: usize = 50;
/// Time after which the pre-flight stops early.
const PREFLIGHT_TIME: Duration = Duration::from_secs(1);
/// The longest run the report waits for: the bencher makes at least five
/// calls per round, and the report runs three rounds.
const MAX_RUN: Duration = Duration::from_secs(10);

/// The error for a write that evaluated computeds more times than the graph
/// has computeds, if it did.
fn glitch_check(cfg: &DynConfig, step: usize, evaluations: u64) -> CaseResult {
    let computeds = ((cfg.total_layers - 1) * cfg.width) as u64;
    if evaluations <= computeds {
        return Ok(());
    }
    Err(format!(
        "not run: write {step} of a run on {} layers evaluated computeds {evaluations} times, \
         and that graph has {computeds} (not glitch-free: computeds ran more than once for one \
         write)",
        cfg.total_layers
    ))
}

/// The time of one step the report can wait for: [`MAX_RUN`] over the run.
fn step_budget(cfg: &DynConfig) -> Duration {
    MAX_RUN / cfg.iterations as u32
}

/// Pre-flight, untimed, before the graph is built: the same configuration
/// at 4, 6, 9, 13, 19, … total layers (each ~1.4 times the last) below the
/// full depth, a few steps each.
///
/// Some systems take time exponential in depth on these graphs (or, not
/// glitch-free, evaluations exponential in depth), so that a single step of
/// a deep configuration would never end; this finds it on shallow copies. A
/// step is slower on a deeper graph, so the best time of a step at a depth
/// that already exceeds [`step_budget`] means the full run would too; the
/// case then fails with the reason. Each copy is released at once.
///
/// Untimed (`by_clock` false: a fixed number of iterations, for instruction
/// counts), only the glitch check can fail, so that the work done does not
/// depend on the clock.
fn preflight_depths<F: Framework>(cfg: &DynConfig, by_clock: bool) -> CaseResult {
    let budget = step_budget(cfg);
    let mut depth = 4;
    while depth < cfg.total_layers {
        let shallow = DynConfig {
            total_layers: depth,
            ..*cfg
        };
        let shape = Shape::new(&shallow);
        let evaluations = Rc::new(Cell::new(0u64));
        let (sources, leaves) = F::build(|| build::<F>(&shallow, &shape, &evaluations));
        let mut best = Duration::MAX;
        let mut outcome = Ok(());
        for i in 0..4.min(cfg.iterations) {
            evaluations.set(0);
            let t = Instant::now();
            step::<F>(&shallow, &sources, &leaves, i);
            let took = t.elapsed();
            // Step 0 also evaluates the graph for the first time.
            if i > 0 {
                best = best.min(took);
                outcome = glitch_check(&shallow, i, evaluations.get());
                if outcome.is_err() {
                    break;
                }
            }
        }
        F::cleanup();
        outcome?;
        if by_clock && best > budget {
            return Err(format!(
                "not run: one write and read takes {best:.1?} already on {depth} of the {} \
                 layers, so a run of {} writes would take over the {MAX_RUN:?} the report \
                 waits for",
                cfg.total_layers, cfg.iterations
            ));
        }
        depth = (depth * 7).div_ceil(5);
    }
    Ok(())
}

/// Pre-flight, untimed, on the graph itself (after [`preflight_depths`]):
/// the first steps of a run, one at a time, for up to
/// [`PREFLIGHT_STEPS`] steps or [`PREFLIGHT_TIME`]. The timed calls that
/// follow start with a warm-up run, so the steady state they are checked in
/// is the same.
///
/// Some systems would hold up the whole report here for hours, so the case
/// fails, with the reason, instead of running: when a write evaluates
/// computeds more times than the graph has computeds (not glitch-free;
/// deterministic), or when the steps project a run longer than
/// [`MAX_RUN`]. Step 0 is left out of both: it also evaluates the graph for
/// the first time. Untimed, it always takes [`PREFLIGHT_STEPS`] steps and only
/// the glitch check can fail.
fn preflight<F: Framework>(
    by_clock: bool,
    cfg: &DynConfig,
    sources: &[F::Signal],
    read_leaves: &[Node<F>],
    evaluations: &Cell<u64>,
) -> CaseResult {
    let started = Instant::now();
    let (mut timed_steps, mut timed) = (0u32, Duration::ZERO);
    for i in 0..cfg.iterations.min(PREFLIGHT_STEPS) {
        evaluations.set(0);
        let t = Instant::now();
        step::<F>(cfg, sources, read_leaves, i);
        let took = t.elapsed();
        // Step 0 also evaluates the graph for the first time, which a system
        // may do in more than one pass (Sapwood does, past some depth): the
        // check starts at step 1, the first plain write.
        if i > 0 {
            glitch_check(cfg, i, evaluations.get())?;
            timed_steps += 1;
            timed += took;
        }
        if by_clock && started.elapsed() > PREFLIGHT_TIME {
            break;
        }
    }
    if by_clock && timed_steps > 0 {
        let projected = timed / timed_steps * cfg.iterations as u32;
        if projected > MAX_RUN {
            return Err(format!(
                "not run: one run ({} writes) would take about {:.0?} (projected from \
                 {timed_steps} writes), over the {MAX_RUN:?} the report waits for",
                cfg.iterations, projected
            ));
        }
    }
    Ok(())
}

/// Runs the graph of `cfg` on `F`.
fn run<F: Framework>(b: &mut Bencher, cfg: &DynConfig) -> CaseResult {
    let shape = Shape::new(cfg);
    let (want_sum, want_count) = floor_reference(cfg, &shape);
    let by_clock = !b.is_fixed();
    preflight_depths::<F>(cfg, by_clock)?;
    let evaluations = Rc::new(Cell::new(0u64));
    let (sources, read_leaves) = F::build(|| build::<F>(cfg, &shape, &evaluations));
    if let Err(e) = preflight::<F>(by_clock, cfg, &sources, &read_leaves, &evaluations) {
        F::cleanup();
        return Err(e);
    }
    let last = Cell::new((0i64, 0u64));
    b.iter(|| {
        evaluations.set(0);
        for i in 0..cfg.iterations {
            step::<F>(cfg, &sources, &read_leaves, i);
        }
        let sum = read_leaves
            .iter()
            .fold(0i64, |sum, leaf| sum.wrapping_add(leaf.read()));
        last.set((sum, evaluations.get()));
    });
    F::cleanup();
    let (sum, count) = last.get();
    if sum != want_sum {
        return Err(format!(
            "sum of the read leaves: expected {want_sum}, got {sum}"
        ));
    }
    if count != want_count {
        return Err(format!(
            "computed evaluations in a run: expected {want_count}, got {count}"
        ));
    }
    Ok(())
}

/// One node of the floor: its value and what a lazy evaluation needs.
#[derive(Clone, Copy)]
struct FloorNode {
    /// Cached value.
    value: i64,
    /// Clock when it last ran (0: never).
    ran_at: u64,
    /// Clock when its value last changed.
    changed_at: u64,
    /// For a dynamic node, the skipped source (its index, 0 = none: the
    /// first source is never skipped).
    skipped: usize,
    /// A source above it may have changed since it was last brought up to date.
    stale: bool,
    /// A dynamic node.
    dynamic: bool,
}

/// The dynamic graph without a reactive system: the values in one array and
/// the structure given by arithmetic (node `j` reads `j + k` of the layer
/// above), so no edge is stored. A write marks what may have changed below
/// it, stopping where a node is already marked (the static readers, a
/// superset of the dynamic ones); reading a leaf brings the marked nodes it
/// depends on up to date, the way a lazy system must: a node re-runs only if
/// a source it read last time changed since, and sources are checked in the
/// order it read them, so that a re-run that no longer reads a source does
/// not bring that one up to date. This evaluates exactly the nodes a
/// (glitch-free, lazy) system evaluates, and nothing more.
struct Floor {
    width: usize,
    n_sources: usize,
    /// The last layer's number (the leaves).
    leaf_layer: usize,
    /// `nodes[layer * width + j]`, sources first.
    nodes: Vec<FloorNode>,
    /// The read leaves, as positions in the leaf layer.
    read_leaves: Vec<usize>,
    /// Advanced on each write.
    clock: u64,
    /// Computed evaluations.
    evaluations: u64,
}

impl Floor {
    /// The graph after creation: the sources set, nothing computed yet.
    fn new(cfg: &DynConfig, shape: &Shape) -> Self {
        let w = cfg.width;
        // A reader's sources wrap around the layer at most once.
        assert!(
            cfg.n_sources <= w,
            "more sources per node than nodes per layer"
        );
        let mut nodes = Vec::with_capacity(cfg.total_layers * w);
        for j in 0..w {
            let node = FloorNode {
                value: j as i64,
                ran_at: 0,
                changed_at: 0,
                skipped: 0,
                stale: false,
                dynamic: false,
            };
            nodes.push(node);
        }
        for &dynamic in &shape.dynamic {
            let node = FloorNode {
                value: 0,
                ran_at: 0,
                changed_at: 0,
                skipped: 0,
                stale: true,
                dynamic,
            };
            nodes.push(node);
        }
        Floor {
            width: w,
            n_sources: cfg.n_sources,
            leaf_layer: cfg.total_layers - 1,
            nodes,
            read_leaves: shape.read_leaves.clone(),
            clock: 1,
            evaluations: 0,
        }
    }

    /// The index in `nodes` of node `j` of `layer`.
    #[inline]
    fn at(&self, layer: usize, j: usize) -> usize {
        layer * self.width + j
    }

    /// `x mod width`, for `x < 2 * width`: a compare, where `%` would be a
    /// division on every step of the walk.
    #[inline]
    fn wrap(&self, x: usize) -> usize {
        if x >= self.width {
            x - self.width
        } else {
            x
        }
    }

    /// Writes source `k` (an equal value notifies no one).
    fn write(&mut self, k: usize, v: i64) {
        self.clock += 1;
        if self.nodes[k].value == v {
            return;
        }
        self.nodes[k].value = v;
        self.nodes[k].changed_at = self.clock;
        self.mark_readers(0, k);
    }

    /// Marks the static readers of node `j` of `layer` stale, and theirs,
    /// stopping at nodes already marked (whatever is below them is marked too).
    fn mark_readers(&mut self, layer: usize, j: usize) {
        if layer == self.leaf_layer {
            return;
        }
        for k in 0..self.n_sources {
            let r = self.wrap(j + self.width - k);
            let idx = self.at(layer + 1, r);
            if !self.nodes[idx].stale {
                self.nodes[idx].stale = true;
                self.mark_readers(layer + 1, r);
            }
        }
    }

    /// Brings node `j` of `layer` up to date (a read without its value).
    fn update(&mut self, layer: usize, j: usize) {
        let idx = self.at(layer, j);
        if !self.nodes[idx].stale {
            return;
        }
        let node = self.nodes[idx];
        let mut run = node.ran_at == 0;
        if !run {
            // The sources it read last time, in order; re-run at the first
            // that changed since.
            for k in 0..self.n_sources {
                if node.dynamic && k != 0 && k == node.skipped {
                    continue;
                }
                let s = self.wrap(j + k);
                self.update(layer - 1, s);
                if self.nodes[self.at(layer - 1, s)].changed_at > node.ran_at {
                    run = true;
                    break;
                }
            }
        }
        if run {
            self.evaluate(layer, j);
        }
        self.nodes[idx].stale = false;
    }

    /// Runs the body of node `j` of `layer`, reading (and so updating) its
    /// sources.
    fn evaluate(&mut self, layer: usize, j: usize) {
        self.evaluations += 1;
        let idx = self.at(layer, j);
        let node = self.nodes[idx];
        let mut skipped = 0;
        let value = node_value(node.dynamic, self.n_sources, |k| {
            let s = self.wrap(j + k);
            self.update(layer - 1, s);
            self.nodes[self.at(layer - 1, s)].value
        });
        if node.dynamic {
            // Which source the body skipped: derived as the body did.
            let first = self.nodes[self.at(layer - 1, j)].value;
            let tail = self.n_sources - 1;
            if first & 1 != 0 {
                skipped = first.rem_euclid(tail as i64) as usize + 1;
            }
        }
        let n = &mut self.nodes[idx];
        n.skipped = skipped;
        if n.ran_at == 0 || n.value != value {
            n.value = value;
            n.changed_at = self.clock;
        }
        n.ran_at = self.clock;
    }

    /// The value of leaf `j`, brought up to date.
    #[inline]
    fn read_leaf(&mut self, j: usize) -> i64 {
        self.update(self.leaf_layer, j);
        self.nodes[self.at(self.leaf_layer, j)].value
    }

    /// One run of the original: `(sum of the read leaves, evaluations)`.
    fn run(&mut self, iterations: usize) -> (i64, u64) {
        self.evaluations = 0;
        let mut k = 0;
        for i in 0..iterations {
            self.write(k, (i + k) as i64);
            for l in 0..self.read_leaves.len() {
                black_box(self.read_leaf(self.read_leaves[l]));
            }
            k = self.wrap(k + 1);
        }
        let mut sum = 0i64;
        for l in 0..self.read_leaves.len() {
            sum = sum.wrapping_add(self.read_leaf(self.read_leaves[l]));
        }
        (sum, self.evaluations)
    }
}

/// The floor's `(sum, evaluations)` of a timed run: its second run. The
/// original times its fourth, after three warm-ups; every run after the
/// first starts from the state the one before left (the sources hold the
/// same values, every read leaf is up to date) and evaluates the same, which
/// the floor case checks (its last call, at least the fifth, must give this).
fn floor_reference(cfg: &DynConfig, shape: &Shape) -> (i64, u64) {
    let mut g = Floor::new(cfg, shape);
    g.run(cfg.iterations);
    g.run(cfg.iterations)
}

/// The sum of the read leaves after a run, computed plainly: the sources'
/// final values, then every layer in full. A node's value is a function of
/// the current values above it, whatever the history, so this is what any
/// correct system must read at the end of a run.
fn plain_sum(cfg: &DynConfig, shape: &Shape) -> i64 {
    let w = cfg.width;
    let mut row: Vec<i64> = (0..w as i64).collect();
    for i in 0..cfg.iterations {
        let k = i % w;
        row[k] = (i + k) as i64;
    }
    for layer in 0..cfg.total_layers - 1 {
        row = (0..w)
            .map(|j| {
                node_value(shape.dynamic[layer * w + j], cfg.n_sources, |k| {
                    row[(j + k) % w]
                })
            })
            .collect();
    }
    shape
        .read_leaves
        .iter()
        .fold(0i64, |s, &j| s.wrapping_add(row[j]))
}

/// Runs the floor of the graph of `cfg`.
fn floor(b: &mut Bencher, cfg: &DynConfig) -> CaseResult {
    let shape = Shape::new(cfg);
    let plain = plain_sum(cfg, &shape);
    let mut g = Floor::new(cfg, &shape);
    let mut last = (0, 0);
    b.iter(|| last = g.run(black_box(cfg.iterations)));
    let (sum, count) = last;
    if sum != plain {
        return Err(format!(
            "sum of the read leaves: expected {plain}, got {sum}"
        ));
    }
    let reference = floor_reference(cfg, &shape);
    if last != reference {
        return Err(format!(
            "(sum, evaluations) of a run: expected {reference:?} (second run), got {last:?}"
        ));
    }
    if let Some(js_sum) = cfg.js_sum {
        if sum != js_sum {
            return Err(format!(
                "sum: expected {js_sum} (the original's), got {sum}"
            ));
        }
    }
    if let Some(js_count) = cfg.js_count {
        if count != js_count {
            return Err(format!(
                "evaluations: expected {js_count} (the original's), got {count}"
            ));
        }
    }
    Ok(())
}

/// Declares a dynamic-graph case: its type, JSON name, `--quick` membership
/// and configuration.
macro_rules! dyn_case {
    ($(#[$doc:meta])* $ty:ident, $name:literal, quick: $quick:literal, $cfg:expr) => {
        $(#[$doc])*
        pub struct $ty;

        impl $ty {
            /// The original's configuration.
            const CONFIG: DynConfig = $cfg;
        }

        impl SpeedCase for $ty {
            const NAME: &'static str = $name;
            const QUICK: bool = $quick;

            fn run<F: Framework>(b: &mut Bencher) -> CaseResult {
                run::<F>(b, &Self::CONFIG)
            }

            fn floor(b: &mut Bencher) -> CaseResult {
                floor(b, &Self::CONFIG)
            }
        }
    };
}

dyn_case!(
    /// `dyn.2-10x5` (the original's "simple component", "2-10x5 - lazy80%"):
    /// width 10, 5 layers, all static, 2 sources each, 20% of the leaves
    /// read, 600 000 writes per run.
    Dyn2x10x5,
    "dyn.2-10x5",
    quick: false,
    DynConfig {
        width: 10,
        total_layers: 5,
        static_fraction: 1.0,
        n_sources: 2,
        read_fraction: 0.2,
        iterations: 600_000,
        js_sum: Some(19_199_968),
        js_count: Some(3_480_000),
    }
);

dyn_case!(
    /// `dyn.6-10x10` ("dynamic component", "6-10x10 - dyn25% - lazy80%"):
    /// width 10, 10 layers, 75% static, 6 sources each, 20% of the leaves
    /// read, 15 000 writes per run.
    Dyn6x10x10,
    "dyn.6-10x10",
    quick: true,
    DynConfig {
        width: 10,
        total_layers: 10,
        static_fraction: 0.75,
        n_sources: 6,
        read_fraction: 0.2,
        iterations: 15_000,
        js_sum: Some(302_310_782_860),
        js_count: Some(1_155_000),
    }
);

dyn_case!(
    /// `dyn.4-1000x12` ("large web app", "4-1000x12 - dyn5%"): width 1000,
    /// 12 layers, 95% static, 4 sources each, every leaf read, 7000 writes.
    Dyn4x1000x12,
    "dyn.4-1000x12",
    quick: false,
    DynConfig {
        width: 1000,
        total_layers: 12,
        static_fraction: 0.95,
        n_sources: 4,
        read_fraction: 1.0,
        iterations: 7000,
        js_sum: Some(29_355_933_696_000),
        js_count: Some(1_463_000),
    }
);

dyn_case!(
    /// `dyn.25-1000x5` ("wide dense", "25-1000x5"): width 1000, 5 layers,
    /// all static, 25 sources each, every leaf read, 3000 writes.
    Dyn25x1000x5,
    "dyn.25-1000x5",
    quick: false,
    DynConfig {
        width: 1000,
        total_layers: 5,
        static_fraction: 1.0,
        n_sources: 25,
        read_fraction: 1.0,
        iterations: 3000,
        js_sum: Some(1_171_484_375_000),
        js_count: Some(732_000),
    }
);

dyn_case!(
    /// `dyn.3-5x500` ("deep", "3-5x500"): width 5, 500 layers, all static,
    /// 3 sources each, every leaf read, 500 writes. The original's sum
    /// (3.0239642676898464e241) is out of `i64`'s range: the sum is checked
    /// against the floor's (wrapping) one; its evaluation count holds.
    Dyn3x5x500,
    "dyn.3-5x500",
    quick: false,
    DynConfig {
        width: 5,
        total_layers: 500,
        static_fraction: 1.0,
        n_sources: 3,
        read_fraction: 1.0,
        iterations: 500,
        js_sum: None,
        js_count: Some(1_246_500),
    }
);

dyn_case!(
    /// `dyn.6-100x15` ("very dynamic", "6-100x15 - dyn50%"): width 100,
    /// 15 layers, 50% static, 6 sources each, every leaf read, 2000 writes.
    /// The sum (15664996402790400) passes 2^53 only at the end; the
    /// original's doubles and `i64` agree on it.
    Dyn6x100x15,
    "dyn.6-100x15",
    quick: false,
    DynConfig {
        width: 100,
        total_layers: 15,
        static_fraction: 0.5,
        n_sources: 6,
        read_fraction: 1.0,
        iterations: 2000,
        js_sum: Some(15_664_996_402_790_400),
        js_count: Some(1_078_000),
    }
);

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::systems::sapwood::Sapwood;

    /// Runs the case of `cfg`, cut down, on Sapwood and on the floor with a
    /// tiny budget; then checks the floor's run of the full configuration
    /// against the original's expected values.
    fn check(cfg: &DynConfig) {
        let small = cfg.small();
        let mut b = Bencher::new(Duration::from_millis(1));
        assert_eq!(floor(&mut b, &small), Ok(()), "floor");
        let mut b = Bencher::new(Duration::from_millis(1));
        assert_eq!(run::<Sapwood>(&mut b, &small), Ok(()), "sapwood");
        let shape = Shape::new(cfg);
        let (sum, count) = floor_reference(cfg, &shape);
        assert_eq!(sum, plain_sum(cfg, &shape), "floor's sum, full size");
        if let Some(js_sum) = cfg.js_sum {
            assert_eq!(sum, js_sum, "floor's sum vs the original's");
        }
        if let Some(js_count) = cfg.js_count {
            assert_eq!(count, js_count, "floor's evaluations vs the original's");
        }
    }

    #[test]
    fn dyn_2_10x5() {
        check(&Dyn2x10x5::CONFIG);
    }
    #[test]
    fn dyn_6_10x10() {
        check(&Dyn6x10x10::CONFIG);
    }
    #[test]
    fn dyn_4_1000x12() {
        check(&Dyn4x1000x12::CONFIG);
    }
    #[test]
    fn dyn_25_1000x5() {
        check(&Dyn25x1000x5::CONFIG);
    }
    #[test]
    fn dyn_3_5x500() {
        check(&Dyn3x5x500::CONFIG);
    }
    #[test]
    fn dyn_6_100x15() {
        check(&Dyn6x100x15::CONFIG);
    }

    /// The generator's choices, pinned: the leaves the lazy configurations
    /// read (the original's expected sums, which the floor reproduces,
    /// depend on them) and the share of dynamic nodes.
    #[test]
    fn generator_choices() {
        let mut r = PseudoRandom::new("seed");
        assert!((0..1000).map(|_| r.next()).all(|d| (0.0..1.0).contains(&d)));
        assert_eq!(Shape::new(&Dyn2x10x5::CONFIG).read_leaves, [1, 4]);
        assert_eq!(Shape::new(&Dyn6x10x10::CONFIG).read_leaves, [1, 4]);
        assert_eq!(Shape::new(&Dyn4x1000x12::CONFIG).read_leaves.len(), 1000);
        let shape = Shape::new(&Dyn6x100x15::CONFIG);
        let dynamic = shape.dynamic.iter().filter(|&&d| d).count();
        assert!((600..800).contains(&dynamic), "{dynamic} of 1400 dynamic");
    }

    /// A "system" that caches nothing: every read re-runs the computed.
    struct Recompute;

    impl Framework for Recompute {
        const NAME: &'static str = "recompute";
        type Signal = Rc<Cell<i64>>;
        type Computed = Rc<dyn Fn() -> i64>;

        fn signal(v: i64) -> Self::Signal {
            Rc::new(Cell::new(v))
        }
        fn get(s: &Self::Signal) -> i64 {
            s.get()
        }
        fn set(s: &Self::Signal, v: i64) {
            s.set(v)
        }
        fn computed(f: impl Fn() -> i64 + 'static) -> Self::Computed {
            Rc::new(f)
        }
        fn read(c: &Self::Computed) -> i64 {
            c()
        }
        fn effect(f: impl Fn() + 'static) {
            f()
        }
        fn batch(f: impl FnOnce()) {
            f()
        }
        fn build<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        fn cleanup() {}
    }

    /// Right values with needless evaluations are reported as an error (not
    /// a panic), naming the count expected and the count seen.
    #[test]
    fn extra_evaluations_are_an_error() {
        let mut b = Bencher::new(Duration::from_millis(1));
        let r = run::<Recompute>(&mut b, &Dyn2x10x5::CONFIG.small());
        let e = r.expect_err("a system without caching evaluates more");
        assert!(
            e.starts_with("computed evaluations in a run: expected "),
            "{e}"
        );
    }
}
