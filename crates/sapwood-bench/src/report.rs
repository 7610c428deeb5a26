//! The report's figures, and their Markdown and JSON forms.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use serde::Serialize;

use crate::memory::{Figure, Row};
use crate::systems::System;
use crate::tree::scale::ScaleFigure;
use crate::tree::{TreeFigure, TreeRow};

/// A memory figure, or why there is none.
#[derive(Debug, Clone)]
pub enum MemoryCell {
    /// Measured.
    Measured(Figure),
    /// The system failed this row.
    Failed(String),
}

/// A speed figure (median ns per iteration), or why there is none.
#[derive(Debug, Clone)]
pub enum SpeedCell {
    /// Measured, and the case's checks passed.
    Measured(f64),
    /// Wrong result, panic, or not supported: not comparable.
    Failed(String),
}

/// Everything measured in one run.
pub struct Report {
    /// Reduced run.
    pub quick: bool,
    /// Objects per memory row.
    pub objects: usize,
    /// Memory rows, in measurement order.
    pub memory: Vec<(Row, System, MemoryCell)>,
    /// Speed cells, in measurement order.
    pub speed: Vec<(&'static str, System, SpeedCell)>,
    /// Tree memory rows, in measurement order.
    pub tree_memory: Vec<(TreeRow, System, Result<TreeFigure, String>)>,
    /// Instances per tree memory row (LargeRoot: a fiftieth).
    pub tree_objects: usize,
    /// Tree speed cells, in measurement order.
    pub tree_speed: Vec<(&'static str, System, SpeedCell)>,
    /// Cost per model at growing sizes, or why it could not be measured.
    pub tree_scale: Result<Vec<ScaleFigure>, String>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

/// Nanoseconds, readably.
pub fn fmt_ns(ns: f64) -> String {
    if ns < 10.0 {
        return format!("{ns:.2} ns");
    }
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

pub(crate) fn fmt_bytes(b: f64) -> String {
    if b.abs() >= 1e6 {
        format!("{:.2} MB", b / 1e6)
    } else if b.abs() >= 10_000.0 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{b:.1} B")
    }
}

/// What the speed target asks of this run's figures
/// ([`Report::speed_ceiling`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Ceiling {
    /// Sapwood's geometric-mean lead over the fastest peer if it ran at the
    /// floor on every case.
    pub at_floor: f64,
    /// Cases with both a fastest peer and a floor.
    pub cases: usize,
    /// The cases where the fastest peer is within 3x of the floor, with that
    /// ratio (the most Sapwood can lead by there).
    pub capped: Vec<(&'static str, f64)>,
    /// The geometric-mean lead the uncapped cases need for 3x overall when
    /// the capped ones reach their cap; `None` if every case is capped.
    pub need: Option<f64>,
}

/// See [`Report::fastest_peer_overall`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverallPeer {
    /// The peer.
    pub system: System,
    /// Its geometric-mean ratio to the floor.
    pub vs_floor: f64,
    /// Sapwood's geometric-mean lead over it.
    pub lead: f64,
    /// The cases counted.
    pub cases: usize,
}

pub(crate) fn geomean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    (xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp()
}

#[derive(Serialize)]
pub(crate) struct JsonMemory {
    pub(crate) system: &'static str,
    pub(crate) object: &'static str,
    pub(crate) bytes: f64,
    pub(crate) allocs: f64,
}

#[derive(Serialize)]
pub(crate) struct JsonSpeed {
    pub(crate) case: &'static str,
    pub(crate) system: &'static str,
    pub(crate) ns: f64,
}

#[derive(Serialize)]
pub(crate) struct JsonFailure {
    pub(crate) row: &'static str,
    pub(crate) system: &'static str,
    pub(crate) reason: String,
}

#[derive(Serialize)]
struct JsonReport {
    schema: u32,
    memory: Vec<JsonMemory>,
    speed: Vec<JsonSpeed>,
    /// Rows a system ran but failed (wrong result or panic): left out of
    /// `memory` and `speed`, listed here with the reason.
    failures: Vec<JsonFailure>,
    /// State trees: cost per model at growing sizes.
    tree_scale: Vec<crate::tree::report::JsonScale>,
}

impl Report {
    /// An empty report.
    pub fn new(quick: bool, objects: usize) -> Self {
        Report {
            quick,
            objects,
            memory: Vec::new(),
            speed: Vec::new(),
            tree_memory: Vec::new(),
            tree_objects: 0,
            tree_speed: Vec::new(),
            tree_scale: Ok(Vec::new()),
            elapsed: Duration::ZERO,
        }
    }

    fn memory_systems(&self) -> Vec<System> {
        let mut v: Vec<System> = self.memory.iter().map(|(_, s, _)| *s).collect();
        v.sort();
        v.dedup();
        v
    }

    fn speed_systems(&self) -> Vec<System> {
        let mut v: Vec<System> = self.speed.iter().map(|(_, s, _)| *s).collect();
        v.sort();
        v.dedup();
        v
    }

    fn speed_cases(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Vec::new();
        for (c, _, _) in &self.speed {
            if !v.contains(c) {
                v.push(c);
            }
        }
        v
    }

    fn memory_rows(&self) -> Vec<Row> {
        let mut v: Vec<Row> = Vec::new();
        for (r, _, _) in &self.memory {
            if !v.contains(r) {
                v.push(*r);
            }
        }
        v
    }

    /// The measured memory figure of a row and system, if any.
    pub fn memory_figure(&self, row: Row, system: System) -> Option<Figure> {
        self.memory.iter().find_map(|(r, s, c)| match c {
            MemoryCell::Measured(f) if *r == row && *s == system => Some(*f),
            _ => None,
        })
    }

    /// The valid median of a case and system, if any.
    pub fn speed_ns(&self, case: &str, system: System) -> Option<f64> {
        self.speed.iter().find_map(|(c, s, cell)| match cell {
            SpeedCell::Measured(ns) if *c == case && *s == system => Some(*ns),
            _ => None,
        })
    }

    /// The fastest peer with a valid result on `case`: (system, ns).
    pub fn fastest_peer(&self, case: &str) -> Option<(System, f64)> {
        self.speed_systems()
            .into_iter()
            .filter(|s| !matches!(s, System::Sapwood | System::Floor))
            .filter_map(|s| self.speed_ns(case, s).map(|ns| (s, ns)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The target read against one peer instead of each case's fastest: the
    /// peer that runs every one of `cases` Sapwood ran correctly and is the
    /// fastest of those in the geometric mean of its ratios to the floor (the
    /// issue names it "the fastest Rust peer"). Returns (that peer, its
    /// geometric mean to the floor, Sapwood's geometric-mean lead over it,
    /// the cases counted); `None` if no peer runs them all.
    pub fn fastest_peer_overall(&self, cases: &[&'static str]) -> Option<OverallPeer> {
        let ours: Vec<(&'static str, f64, f64)> = cases
            .iter()
            .filter_map(|c| {
                Some((
                    *c,
                    self.speed_ns(c, System::Sapwood)?,
                    self.speed_ns(c, System::Floor)?,
                ))
            })
            .collect();
        if ours.is_empty() {
            return None;
        }
        self.speed_systems()
            .into_iter()
            .filter(|s| !matches!(s, System::Sapwood | System::Floor))
            .filter_map(|s| {
                let mut to_floor = Vec::with_capacity(ours.len());
                let mut lead = Vec::with_capacity(ours.len());
                for (c, o, f) in &ours {
                    let p = self.speed_ns(c, s)?;
                    to_floor.push(p / f);
                    lead.push(p / o);
                }
                Some(OverallPeer {
                    system: s,
                    vs_floor: geomean(&to_floor),
                    lead: geomean(&lead),
                    cases: ours.len(),
                })
            })
            .min_by(|a, b| a.vs_floor.total_cmp(&b.vs_floor))
    }

    /// The whole report as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Sapwood analysis report\n");
        let _ = writeln!(
            out,
            "{} run, {} objects per memory row, {:.0} s in all. Every system runs in this process; \
             memory is counted exactly by `sapwood-meter` (requested bytes), speed is the median \
             time per iteration over interleaved rounds.\n",
            if self.quick { "Quick" } else { "Full" },
            self.objects,
            self.elapsed.as_secs_f64()
        );
        let _ = writeln!(out, "Systems:");
        let mut all = self.memory_systems();
        all.extend(self.speed_systems());
        all.extend(self.tree_memory.iter().map(|(_, s, _)| *s));
        all.sort();
        all.dedup();
        for s in all {
            let _ = writeln!(out, "- `{}`: {}", s.name(), s.crate_version());
        }
        out.push('\n');
        self.memory_markdown(&mut out);
        self.speed_markdown(&mut out);
        self.tree_markdown(&mut out);
        out
    }

    fn memory_markdown(&self, out: &mut String) {
        let rows = self.memory_rows();
        if rows.is_empty() {
            return;
        }
        let systems = self.memory_systems();
        let _ = writeln!(out, "## Memory per object\n");
        let _ = writeln!(
            out,
            "Bytes retained and allocations, amortised over {} objects kept alive (arena growth \
             included), each row on a fresh thread.\n",
            self.objects
        );
        let _ = write!(out, "| row | unit |");
        for s in &systems {
            let _ = write!(out, " {} |", s.name());
        }
        let _ = write!(out, "\n| --- | --- |");
        for _ in &systems {
            let _ = write!(out, " ---: |");
        }
        out.push('\n');
        let mut notes = Vec::new();
        for row in &rows {
            let _ = write!(out, "| {} | {} |", row.label(), row.unit());
            for s in &systems {
                let cell = self
                    .memory
                    .iter()
                    .find(|(r, sys, _)| r == row && sys == s)
                    .map(|(_, _, c)| c);
                match cell {
                    Some(MemoryCell::Measured(f)) => {
                        let _ = write!(out, " {} / {:.3} alloc |", fmt_bytes(f.bytes), f.allocs);
                    }
                    Some(MemoryCell::Failed(why)) => {
                        let _ = write!(out, " failed[^m{}] |", notes.len() + 1);
                        notes.push(format!("{} on {}: {why}", s.name(), row.name()));
                    }
                    None => {
                        let _ = write!(out, " – |");
                    }
                }
            }
            out.push('\n');
        }
        for (i, n) in notes.iter().enumerate() {
            let _ = writeln!(out, "\n[^m{}]: {n}", i + 1);
        }
        if systems.contains(&System::FuturesSignals) {
            let _ = writeln!(
                out,
                "\n`futures_signals` has only the signal row: its derived values and effects are \
                 asynchronous streams, not synchronous computeds and effects.",
            );
        }

        // One-time costs, apart.
        let _ = writeln!(out, "\n### One-time costs\n");
        let _ = writeln!(
            out,
            "Bytes retained by the very first object on a fresh thread: runtime start-up, first \
             arena chunk, first use of a type. Not part of the per-object figures above.\n"
        );
        let _ = write!(out, "| first object |");
        for s in &systems {
            let _ = write!(out, " {} |", s.name());
        }
        let _ = write!(out, "\n| --- |");
        for _ in &systems {
            let _ = write!(out, " ---: |");
        }
        out.push('\n');
        for row in rows
            .iter()
            .filter(|r| matches!(r, Row::Signal | Row::Computed | Row::Effect | Row::Diamond))
        {
            let _ = write!(out, "| {} |", row.label());
            for s in &systems {
                match self.memory_figure(*row, *s).and_then(|f| f.first_bytes) {
                    Some(b) => {
                        let _ = write!(out, " {} |", fmt_bytes(b));
                    }
                    None => {
                        let _ = write!(out, " – |");
                    }
                }
            }
            out.push('\n');
        }

        // Verdict.
        let _ = writeln!(out, "\n**Verdict (memory).** ");
        let mut lead = 0;
        let mut total = 0;
        for row in &rows {
            let Some(ours) = self.memory_figure(*row, System::Sapwood) else {
                continue;
            };
            let best = systems
                .iter()
                .filter(|s| **s != System::Sapwood)
                .filter_map(|s| self.memory_figure(*row, *s).map(|f| (*s, f)))
                .min_by(|a, b| a.1.bytes.total_cmp(&b.1.bytes));
            let Some((peer, theirs)) = best else { continue };
            total += 1;
            let line = if ours.bytes < theirs.bytes || (ours.bytes == 0.0 && theirs.bytes == 0.0) {
                lead += 1;
                let ratio = if ours.bytes > 0.0 {
                    theirs.bytes / ours.bytes
                } else {
                    f64::INFINITY
                };
                format!(
                    "- {}: Sapwood {} vs the leanest peer ({}) {} — {}.",
                    row.label(),
                    fmt_bytes(ours.bytes),
                    peer.name(),
                    fmt_bytes(theirs.bytes),
                    if ratio.is_finite() {
                        format!("{ratio:.1}x less")
                    } else {
                        "none at all".into()
                    }
                )
            } else {
                format!(
                    "- {}: **Sapwood does not lead**: {} vs {} for {} ({:.2}x more).",
                    row.label(),
                    fmt_bytes(ours.bytes),
                    fmt_bytes(theirs.bytes),
                    peer.name(),
                    ours.bytes / theirs.bytes.max(f64::MIN_POSITIVE)
                )
            };
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "\nSapwood is the leanest on {lead} of {total} rows.\n");
    }

    /// What the 3x target asks, from this run's own figures: Sapwood can be no
    /// faster than the floor, so a case's lead over its fastest peer is capped
    /// at that peer's ratio to the floor. Returns (the geometric mean of the
    /// caps, the cases whose cap is under 3x, the geometric-mean lead the other
    /// cases would need for 3x overall with the capped ones at their cap).
    pub fn speed_ceiling(&self, cases: &[&'static str]) -> Option<Ceiling> {
        let caps: Vec<(&'static str, f64)> = cases
            .iter()
            .filter_map(|c| {
                let (_, p) = self.fastest_peer(c)?;
                Some((*c, p / self.speed_ns(c, System::Floor)?))
            })
            .collect();
        if caps.is_empty() {
            return None;
        }
        let all: Vec<f64> = caps.iter().map(|(_, r)| *r).collect();
        let capped: Vec<(&'static str, f64)> =
            caps.iter().copied().filter(|(_, r)| *r < 3.0).collect();
        let free = caps.len() - capped.len();
        // 3^n = prod(capped caps) * need^free.
        let need = (free > 0).then(|| {
            let ln_capped: f64 = capped.iter().map(|(_, r)| r.ln()).sum();
            ((caps.len() as f64 * 3f64.ln() - ln_capped) / free as f64).exp()
        });
        Some(Ceiling {
            at_floor: geomean(&all),
            cases: caps.len(),
            capped,
            need,
        })
    }

    /// The verdict's lines on [`Report::speed_ceiling`].
    fn ceiling_markdown(&self, cases: &[&'static str], vs_floor: f64, out: &mut String) {
        let Some(c) = self.speed_ceiling(cases) else {
            return;
        };
        let _ = writeln!(
            out,
            "- The ceiling: the floor does a case's work without a reactive system, so Sapwood \
             can at best match it, and its lead on a case is then the fastest peer's ratio to \
             the floor; at the floor on all {} cases it would lead by {:.1}x in the geometric \
             mean, so 3x asks for {:.1}x the floor or less in the geometric mean, against \
             {vs_floor:.1}x in this run.",
            c.cases,
            c.at_floor,
            c.at_floor / 3.0
        );
        let under: Vec<String> = cases
            .iter()
            .filter_map(|case| {
                let r =
                    self.speed_ns(case, System::Sapwood)? / self.speed_ns(case, System::Floor)?;
                (r < 1.0).then(|| format!("{case} {r:.2}x"))
            })
            .collect();
        if !under.is_empty() {
            let why = if under.iter().all(|c| c.starts_with("dyn.")) {
                "the floor of the dynamic graphs is a lazy pull of its own (staleness marks and \
                 clocks over plain arrays), close to the engine's work"
            } else {
                "the floor's own work is close to the engine's there"
            };
            let _ =
                writeln!(
                out,
                "- Sapwood ran faster than the floor in this run on {} ({}): {why}, so a single \
                 run can fall on either side of it.",
                if under.len() == 1 { "one case" } else { "some cases" },
                under.join(", ")
            );
        }
        if !c.capped.is_empty() {
            let list: Vec<String> = c
                .capped
                .iter()
                .map(|(case, r)| format!("{case} {r:.2}x"))
                .collect();
            let need = match c.need {
                Some(n) => format!(
                    "even at the floor there, the other {} cases would need a {n:.1}x lead each \
                     in the geometric mean",
                    c.cases - c.capped.len()
                ),
                None => "no case is left to make up for them".to_string(),
            };
            let _ = writeln!(
                out,
                "- On {} {} the fastest peer is already within 3x of the floor, which caps \
                 the lead there below 3x ({}): {need}.",
                c.capped.len(),
                if c.capped.len() == 1 { "case" } else { "cases" },
                list.join(", ")
            );
        }
    }

    fn speed_markdown(&self, out: &mut String) {
        let cases = self.speed_cases();
        if cases.is_empty() {
            return;
        }
        let systems = self.speed_systems();
        let _ = writeln!(out, "## Speed\n");
        let _ = writeln!(
            out,
            "Median time per iteration (an iteration that takes over a second is timed once per \
             round). Each case checks its results (values, effect runs, evaluations where the \
             original checks them); a system that fails a check is marked and its time is not \
             comparable. `floor` is a hand-written non-reactive version of the same work.\n"
        );
        let _ = write!(out, "| case |");
        for s in &systems {
            let _ = write!(out, " {} |", s.name());
        }
        let _ = writeln!(out, " sapwood vs fastest peer | sapwood vs floor |");
        let _ = write!(out, "| --- |");
        for _ in 0..systems.len() + 2 {
            let _ = write!(out, " ---: |");
        }
        out.push('\n');
        let mut notes = Vec::new();
        let (mut vs_peer, mut vs_floor) = (Vec::new(), Vec::new());
        let mut behind = Vec::new();
        for case in &cases {
            let _ = write!(out, "| {case} |");
            for s in &systems {
                let cell = self
                    .speed
                    .iter()
                    .find(|(c, sys, _)| c == case && sys == s)
                    .map(|(_, _, c)| c);
                match cell {
                    Some(SpeedCell::Measured(ns)) => {
                        let _ = write!(out, " {} |", fmt_ns(*ns));
                    }
                    Some(SpeedCell::Failed(why)) => {
                        notes.push(format!("{} on {case}: {why}", s.name()));
                        let _ = write!(out, " not comparable[^s{}] |", notes.len());
                    }
                    None => {
                        let _ = write!(out, " – |");
                    }
                }
            }
            let ours = self.speed_ns(case, System::Sapwood);
            match (ours, self.fastest_peer(case)) {
                (Some(o), Some((peer, p))) => {
                    let r = p / o;
                    vs_peer.push(r);
                    if r < 1.0 {
                        behind.push(format!(
                            "{case} ({:.2}x slower than {})",
                            1.0 / r,
                            peer.name()
                        ));
                        let _ = write!(out, " {:.2}x slower than {} |", 1.0 / r, peer.name());
                    } else {
                        let _ = write!(out, " {r:.2}x faster than {} |", peer.name());
                    }
                }
                _ => {
                    let _ = write!(out, " – |");
                }
            }
            match (ours, self.speed_ns(case, System::Floor)) {
                (Some(o), Some(f)) => {
                    let r = o / f;
                    vs_floor.push(r);
                    let _ = write!(out, " {r:.1}x the floor |");
                }
                _ => {
                    let _ = write!(out, " – |");
                }
            }
            out.push('\n');
        }
        for (i, n) in notes.iter().enumerate() {
            let _ = writeln!(out, "\n[^s{}]: {n}", i + 1);
        }
        let gp = geomean(&vs_peer);
        let gf = geomean(&vs_floor);
        let _ = writeln!(out, "\n**Verdict (speed).**");
        let _ = writeln!(
            out,
            "- Sapwood is faster than every peer on {} of {} cases{}.",
            vs_peer.iter().filter(|r| **r >= 1.0).count(),
            vs_peer.len(),
            if behind.is_empty() {
                String::new()
            } else {
                format!("; behind on {}", behind.join(", "))
            }
        );
        let _ = writeln!(
            out,
            "- Geometric mean: {gp:.2}x faster than the fastest peer of each case (target: at least 3x) — {}.",
            if gp >= 3.0 { "met" } else { "**not met**" }
        );
        if let Some(p) = self.fastest_peer_overall(&cases) {
            let _ = writeln!(
                out,
                "- Read against one peer (the fastest overall, as the target's own figures name \
                 it: {}, {:.0}x the floor in the geometric mean of the {} cases): {:.2}x faster \
                 in the geometric mean (target: at least 3x) — {}.",
                p.system.name(),
                p.vs_floor,
                p.cases,
                p.lead,
                if p.lead >= 3.0 { "met" } else { "**not met**" }
            );
        }
        let _ = writeln!(
            out,
            "- Geometric mean: {gf:.1}x the floor (target: within 25x) — {}.",
            if gf <= 25.0 { "met" } else { "**not met**" }
        );
        if gp < 3.0 {
            self.ceiling_markdown(&cases, gf, out);
        }
        for s in systems
            .iter()
            .filter(|s| !matches!(s, System::Sapwood | System::Floor))
        {
            let rs: Vec<f64> = cases
                .iter()
                .filter_map(|c| Some(self.speed_ns(c, *s)? / self.speed_ns(c, System::Floor)?))
                .collect();
            if !rs.is_empty() {
                let _ = writeln!(
                    out,
                    "- {}: {:.0}x the floor in the geometric mean of the {} cases it runs correctly.",
                    s.name(),
                    geomean(&rs),
                    rs.len()
                );
            }
        }
        out.push('\n');
    }

    /// Every figure as JSON (the stable contract: `schema`, `memory`, `speed`).
    pub fn json(&self) -> String {
        let mut failures = Vec::new();
        let memory = self
            .memory
            .iter()
            .filter_map(|(row, s, cell)| match cell {
                MemoryCell::Measured(f) => Some(JsonMemory {
                    system: s.name(),
                    object: row.name(),
                    bytes: f.bytes,
                    allocs: f.allocs,
                }),
                MemoryCell::Failed(why) => {
                    failures.push(JsonFailure {
                        row: row.name(),
                        system: s.name(),
                        reason: why.clone(),
                    });
                    None
                }
            })
            .collect();
        let speed = self
            .speed
            .iter()
            .filter_map(|(case, s, cell)| match cell {
                SpeedCell::Measured(ns) => Some(JsonSpeed {
                    case,
                    system: s.name(),
                    ns: *ns,
                }),
                SpeedCell::Failed(why) => {
                    failures.push(JsonFailure {
                        row: case,
                        system: s.name(),
                        reason: why.clone(),
                    });
                    None
                }
            })
            .collect();
        let mut memory: Vec<JsonMemory> = memory;
        let mut speed: Vec<JsonSpeed> = speed;
        let tree_scale = self.tree_json(&mut memory, &mut speed, &mut failures);
        let r = JsonReport {
            schema: 1,
            memory,
            speed,
            failures,
            tree_scale,
        };
        serde_json::to_string_pretty(&r).expect("serializable")
    }

    /// Figures grouped for charts: table rows × systems.
    pub fn memory_series(&self) -> (Vec<String>, BTreeMap<System, Vec<Option<f64>>>) {
        let rows = self.memory_rows();
        let mut series = BTreeMap::new();
        for s in self.memory_systems() {
            series.insert(
                s,
                rows.iter()
                    .map(|r| self.memory_figure(*r, s).map(|f| f.bytes))
                    .collect(),
            );
        }
        (rows.iter().map(|r| r.name().to_string()).collect(), series)
    }

    /// Speed ratios to the floor for charts: cases × systems.
    pub fn speed_series(&self) -> (Vec<String>, BTreeMap<System, Vec<Option<f64>>>) {
        let cases = self.speed_cases();
        let mut series = BTreeMap::new();
        for s in self
            .speed_systems()
            .into_iter()
            .filter(|s| *s != System::Floor)
        {
            series.insert(
                s,
                cases
                    .iter()
                    .map(|c| Some(self.speed_ns(c, s)? / self.speed_ns(c, System::Floor)?))
                    .collect(),
            );
        }
        (cases.iter().map(|c| c.to_string()).collect(), series)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of speed cells only: (case, system, ns).
    fn speed_report(cells: &[(&'static str, System, f64)]) -> Report {
        let mut r = Report::new(true, 1);
        r.speed = cells
            .iter()
            .map(|(c, s, ns)| (*c, *s, SpeedCell::Measured(*ns)))
            .collect();
        r
    }

    #[test]
    fn the_ceiling_is_each_fastest_peers_ratio_to_the_floor() {
        use System::*;
        let r = speed_report(&[
            // Capped: the fastest peer (alien, 150) is 1.5x the floor.
            ("a", Sapwood, 120.0),
            ("a", AlienSignalsRs, 150.0),
            ("a", SycamoreReactive, 900.0),
            ("a", Floor, 100.0),
            // Uncapped: the fastest peer (sycamore, 40) is 40x the floor.
            ("b", Sapwood, 10.0),
            ("b", AlienSignalsRs, 80.0),
            ("b", SycamoreReactive, 40.0),
            ("b", Floor, 1.0),
            // No floor: left out.
            ("c", Sapwood, 1.0),
            ("c", AlienSignalsRs, 2.0),
        ]);
        let c = r.speed_ceiling(&["a", "b", "c"]).expect("two cases count");
        assert_eq!(c.cases, 2);
        assert!((c.at_floor - (1.5f64 * 40.0).sqrt()).abs() < 1e-9);
        assert_eq!(c.capped, vec![("a", 1.5)]);
        // 3^2 = 1.5 * need.
        assert!((c.need.expect("one case is free") - 6.0).abs() < 1e-9);
        let mut md = String::new();
        r.ceiling_markdown(&["a", "b", "c"], 5.0, &mut md);
        assert!(
            md.contains("at the floor on all 2 cases it would lead by 7.7x"),
            "{md}"
        );
        assert!(md.contains("On 1 case the fastest peer"), "{md}");
        assert!(md.contains("a 1.50x"), "{md}");
        assert!(md.contains("a 6.0x lead"), "{md}");
        assert!(!md.contains("faster than the floor"), "{md}");
    }

    #[test]
    fn a_run_under_the_floor_is_named_and_explained() {
        use System::*;
        let r = speed_report(&[
            ("dyn.x", Sapwood, 90.0),
            ("dyn.x", AlienSignalsRs, 250.0),
            ("dyn.x", Floor, 100.0),
            ("kairo.y", Sapwood, 20.0),
            ("kairo.y", AlienSignalsRs, 40.0),
            ("kairo.y", Floor, 1.0),
        ]);
        let mut md = String::new();
        r.ceiling_markdown(&["dyn.x", "kairo.y"], 4.2, &mut md);
        assert!(
            md.contains("faster than the floor in this run on one case (dyn.x 0.90x)"),
            "{md}"
        );
        assert!(md.contains("the floor of the dynamic graphs"), "{md}");
        assert!(!md.contains("kairo.y 20"), "{md}");
    }

    #[test]
    fn the_fastest_peer_overall_runs_every_case_and_is_fastest_to_the_floor() {
        use System::*;
        let r = speed_report(&[
            ("a", Sapwood, 10.0),
            ("a", AlienSignalsRs, 40.0),
            ("a", SycamoreReactive, 20.0),
            ("a", ReactiveGraph, 5.0),
            ("a", Floor, 1.0),
            ("b", Sapwood, 10.0),
            ("b", AlienSignalsRs, 10.0),
            ("b", SycamoreReactive, 80.0),
            ("b", Floor, 2.0),
        ]);
        // reactive_graph is fastest on `a` but does not run `b`; sycamore
        // (20x, 40x: 28.3x) is slower to the floor than alien (40x, 5x: 14.1x).
        let p = r
            .fastest_peer_overall(&["a", "b"])
            .expect("two peers run both");
        assert_eq!((p.system, p.cases), (AlienSignalsRs, 2));
        assert!((p.vs_floor - 200f64.sqrt()).abs() < 1e-9);
        assert!((p.lead - 2.0).abs() < 1e-9);
        assert!(r.fastest_peer_overall(&["x"]).is_none());
        let md = r.markdown();
        assert!(
            md.contains("alien_signals_rs, 14x the floor in the geometric mean of the 2 cases): 2.00x faster"),
            "{md}"
        );
    }

    #[test]
    fn every_case_capped_leaves_no_case_to_make_up() {
        use System::*;
        let r = speed_report(&[
            ("a", Sapwood, 1.0),
            ("a", AlienSignalsRs, 2.0),
            ("a", Floor, 1.0),
        ]);
        let c = r.speed_ceiling(&["a"]).expect("one case counts");
        assert_eq!(c.need, None);
        assert!(r.speed_ceiling(&["x"]).is_none());
    }
}
