//! The state-tree sections of the report, in Markdown and JSON.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::report::{fmt_bytes, fmt_ns, JsonFailure, JsonMemory, JsonSpeed, Report, SpeedCell};
use crate::systems::System;
use crate::tree::memory::budget;
use crate::tree::scale::ScaleFigure;
use crate::tree::{TreeFigure, TreeRow};

/// Target: instantiating LargeRoot costs at most this multiple of
/// `serde_plain`'s time.
const INSTANTIATE_TARGET: f64 = 1.2;
/// Target: writing LargeRoot's snapshot costs at most this multiple of
/// instantiating it.
const SNAPSHOT_TARGET: f64 = 1.0;
/// Sapwood's time per model relative to `serde_plain` at the largest scale
/// within this multiple of the same ratio at the smallest counts as the same
/// cost per model (the machine's caches slow any builder of a large tree:
/// comparing with plain serde measured in the same rounds takes that out).
const SCALE_TOLERANCE: f64 = 1.25;

/// A scale figure in the JSON.
#[derive(Serialize)]
pub(crate) struct JsonScale {
    system: &'static str,
    copies: usize,
    models: usize,
    ns_per_model: f64,
    bytes_per_model: f64,
}

impl Report {
    /// The measured tree figure of a row and system, if any.
    pub fn tree_figure(&self, row: TreeRow, system: System) -> Option<TreeFigure> {
        self.tree_memory.iter().find_map(|(r, s, c)| match c {
            Ok(f) if *r == row && *s == system => Some(*f),
            _ => None,
        })
    }

    /// The valid median of a tree case and system, if any.
    pub fn tree_ns(&self, case: &str, system: System) -> Option<f64> {
        self.tree_speed.iter().find_map(|(c, s, cell)| match cell {
            SpeedCell::Measured(ns) if *c == case && *s == system => Some(*ns),
            _ => None,
        })
    }

    fn tree_rows(&self) -> Vec<TreeRow> {
        let mut v = Vec::new();
        for (r, _, _) in &self.tree_memory {
            if !v.contains(r) {
                v.push(*r);
            }
        }
        v
    }

    fn tree_cases(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        for (c, _, _) in &self.tree_speed {
            if !v.contains(c) {
                v.push(*c);
            }
        }
        v
    }

    /// The state-tree sections.
    pub(crate) fn tree_markdown(&self, out: &mut String) {
        self.tree_memory_markdown(out);
        self.tree_speed_markdown(out);
        self.tree_scale_markdown(out);
    }

    fn tree_memory_markdown(&self, out: &mut String) {
        let rows = self.tree_rows();
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(out, "## State trees: memory per read-only instance\n");
        let _ = writeln!(
            out,
            "Bytes retained per instance (heap, amortised over {} instances kept alive, {} for \
             LargeRoot, plus the instance's own `size_of`) and allocations made per instance \
             while building it. `serde_plain` is the floor: the same JSON read by `serde_json` \
             into plain structs (references left as identifier strings). Budget: the \
             `serde_plain` bytes plus 16 bytes per identified model. The mobx-quick-tree column \
             is its read-only figure on Node 20 as given in `fixtures/README.md`, not measured \
             by this run.\n",
            self.tree_objects,
            (self.tree_objects / 50).max(2)
        );
        let _ = writeln!(
            out,
            "| model | sapwood | serde_plain | identified models | budget | within budget | mobx-quick-tree |"
        );
        let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: | --- | ---: |");
        let mut notes = Vec::new();
        let (mut within, mut budgeted) = (0, 0);
        let mut misses = Vec::new();
        for row in rows.iter().filter(|r| r.has_budget()) {
            let ours = self.tree_figure(*row, System::Sapwood);
            let theirs = self.tree_figure(*row, System::SerdePlain);
            let cell = |f: Option<TreeFigure>, s: System, notes: &mut Vec<String>| match f {
                Some(f) => format!("{} / {:.1} alloc", fmt_bytes(f.bytes), f.allocs),
                None => match self
                    .tree_memory
                    .iter()
                    .find(|(r, sys, _)| r == row && *sys == s)
                {
                    Some((_, _, Err(why))) => {
                        notes.push(format!("{} on {}: {why}", s.name(), row.name()));
                        format!("failed[^t{}]", notes.len())
                    }
                    _ => "–".into(),
                },
            };
            let a = cell(ours, System::Sapwood, &mut notes);
            let b = cell(theirs, System::SerdePlain, &mut notes);
            let ids = ours.and_then(|f| f.identified);
            let (budget_cell, verdict) = match (ours, theirs, ids) {
                (Some(o), Some(p), Some(n)) => {
                    let limit = budget(p.bytes, n);
                    budgeted += 1;
                    let ok = o.bytes <= limit;
                    if ok {
                        within += 1;
                    } else {
                        misses.push(format!(
                            "{} ({} over)",
                            row.label(),
                            fmt_bytes(o.bytes - limit)
                        ));
                    }
                    (
                        fmt_bytes(limit),
                        if ok {
                            format!("yes ({:+.1} B vs plain)", o.bytes - p.bytes)
                        } else {
                            format!("**no** ({:+.1} B vs plain)", o.bytes - p.bytes)
                        },
                    )
                }
                _ => ("–".into(), "–".into()),
            };
            let _ = writeln!(
                out,
                "| {} | {a} | {b} | {} | {budget_cell} | {verdict} | {} |",
                row.label(),
                ids.map_or("–".into(), |n| n.to_string()),
                row.mobx_quick_tree().unwrap_or("–"),
            );
        }
        for (i, n) in notes.iter().enumerate() {
            let _ = writeln!(out, "\n[^t{}]: {n}", i + 1);
        }
        let _ = writeln!(out);
        let pair = |row: TreeRow| {
            let cell = |s: System| {
                self.tree_figure(row, s).map_or("–".to_string(), |f| {
                    format!("{} / {:.3} alloc", fmt_bytes(f.bytes), f.allocs)
                })
            };
            (cell(System::Sapwood), cell(System::SerdePlain))
        };
        let (a, b) = pair(TreeRow::ContextEmpty);
        let _ = writeln!(
            out,
            "- {} (`tree.context_empty`: a tree of a model with one `i64` field, less the \
             8 bytes of the `i64`): sapwood {a}, serde_plain {b}.",
            TreeRow::ContextEmpty.label(),
        );
        let (a, b) = pair(TreeRow::ViewAccess);
        let _ = writeln!(
            out,
            "- {} (`tree.view_access`: LargeRoot's getters `car_count`, `part_count`, \
             `dealerships_count` and each salesperson's `name`, once computed; plain data \
             computes them at each access): sapwood {a}, serde_plain {b} per access.",
            TreeRow::ViewAccess.label(),
        );
        let _ = writeln!(out, "\n**Verdict (tree memory).**");
        let _ = writeln!(
            out,
            "- Sapwood is within budget on {within} of {budgeted} models{}.",
            if misses.is_empty() {
                String::new()
            } else {
                format!("; over on {}", misses.join(", "))
            }
        );
        if let (Some(o), Some(p)) = (
            self.tree_figure(TreeRow::LargeRoot, System::Sapwood),
            self.tree_figure(TreeRow::LargeRoot, System::SerdePlain),
        ) {
            let _ = writeln!(
                out,
                "- LargeRoot: {} against {} for plain serde ({:.0}% of it: a reference is one \
                 pointer, not a copy of its target's identifier).",
                fmt_bytes(o.bytes),
                fmt_bytes(p.bytes),
                100.0 * o.bytes / p.bytes
            );
        }
        for row in rows.iter().filter(|r| r.has_budget()) {
            if let Some(TreeFigure {
                index_bytes: Some(b),
                identified: Some(n),
                ..
            }) = self.tree_figure(*row, System::Sapwood)
            {
                if *row == TreeRow::LargeRoot {
                    let _ = writeln!(
                        out,
                        "- The identifier index (made while building, included above): for \
                         LargeRoot, {} for {n} identified models ({:.1} B each).",
                        fmt_bytes(b as f64),
                        b as f64 / n as f64
                    );
                }
            }
        }
        if let Some(f) = self.tree_figure(TreeRow::ContextEmpty, System::Sapwood) {
            let _ = writeln!(
                out,
                "- Tree context without identifiers: {} (target: 0 B) — {}.",
                fmt_bytes(f.bytes),
                if f.bytes == 0.0 && f.allocs == 0.0 {
                    "met"
                } else {
                    "**not met**"
                }
            );
        }
        if let Some(f) = self.tree_figure(TreeRow::ViewAccess, System::Sapwood) {
            let _ = writeln!(
                out,
                "- Repeated getter-view access: {:.3} allocations (target: 0) — {}.",
                f.allocs,
                if f.allocs == 0.0 {
                    "met"
                } else {
                    "**not met**"
                }
            );
        }
        out.push('\n');
    }

    fn tree_speed_markdown(&self, out: &mut String) {
        let cases = self.tree_cases();
        if cases.is_empty() {
            return;
        }
        let _ = writeln!(out, "## State trees: speed\n");
        let _ = writeln!(
            out,
            "Median time per iteration: instantiating from JSON text (parse, validation and \
             reference resolution included), or writing the snapshot as JSON text. Each case \
             checks what it built (e.g. all 943 part lines of LargeRoot resolve to their part).\n"
        );
        let _ = writeln!(
            out,
            "| case | sapwood | serde_plain | sapwood / serde_plain |"
        );
        let _ = writeln!(out, "| --- | ---: | ---: | ---: |");
        let mut notes = Vec::new();
        for case in &cases {
            let _ = write!(out, "| {case} |");
            for s in [System::Sapwood, System::SerdePlain] {
                match self
                    .tree_speed
                    .iter()
                    .find(|(c, sys, _)| c == case && *sys == s)
                    .map(|(_, _, c)| c)
                {
                    Some(SpeedCell::Measured(ns)) => {
                        let _ = write!(out, " {} |", fmt_ns(*ns));
                    }
                    Some(SpeedCell::Failed(why)) => {
                        notes.push(format!("{} on {case}: {why}", s.name()));
                        let _ = write!(out, " not comparable[^u{}] |", notes.len());
                    }
                    None => {
                        let _ = write!(out, " – |");
                    }
                }
            }
            match (
                self.tree_ns(case, System::Sapwood),
                self.tree_ns(case, System::SerdePlain),
            ) {
                (Some(o), Some(p)) => {
                    let _ = writeln!(out, " {:.2}x |", o / p);
                }
                _ => {
                    let _ = writeln!(out, " – |");
                }
            }
        }
        for (i, n) in notes.iter().enumerate() {
            let _ = writeln!(out, "\n[^u{}]: {n}", i + 1);
        }
        let _ = writeln!(out, "\n**Verdict (tree speed).**");
        if let (Some(o), Some(p)) = (
            self.tree_ns("tree.large_root", System::Sapwood),
            self.tree_ns("tree.large_root", System::SerdePlain),
        ) {
            let r = o / p;
            let _ = writeln!(
                out,
                "- Instantiating LargeRoot: {r:.2}x `serde_plain`'s time (target: at most \
                 {INSTANTIATE_TARGET}x) — {}.",
                if r <= INSTANTIATE_TARGET {
                    "met"
                } else {
                    "**not met**"
                }
            );
        }
        if let (Some(snap), Some(inst)) = (
            self.tree_ns("tree.large_root.snapshot", System::Sapwood),
            self.tree_ns("tree.large_root", System::Sapwood),
        ) {
            let r = snap / inst;
            let _ = writeln!(
                out,
                "- Writing LargeRoot's snapshot: {r:.2}x its instantiation (target: at most \
                 {SNAPSHOT_TARGET}x; mobx-quick-tree pays 4.8x) — {}.",
                if r <= SNAPSHOT_TARGET {
                    "met"
                } else {
                    "**not met**"
                }
            );
        }
        for case in cases.iter().filter(|c| **c != "tree.large_root") {
            if let (Some(o), Some(p)) = (
                self.tree_ns(case, System::Sapwood),
                self.tree_ns(case, System::SerdePlain),
            ) {
                let _ = writeln!(out, "- {case}: {:.2}x `serde_plain`.", o / p);
            }
        }
        out.push('\n');
    }

    fn tree_scale_markdown(&self, out: &mut String) {
        let figures = match &self.tree_scale {
            Ok(f) if f.is_empty() => return,
            Ok(f) => f,
            Err(why) => {
                let _ = writeln!(
                    out,
                    "## State trees: cost per model as the tree grows\n\nNot measured: {why}\n"
                );
                return;
            }
        };
        let _ = writeln!(out, "## State trees: cost per model as the tree grows\n");
        let _ = writeln!(
            out,
            "LargeRoot's contents repeated (identifiers renamed per copy), instantiated from \
             JSON text: median time and bytes retained per model.\n"
        );
        let _ = writeln!(
            out,
            "| copies | models | sapwood time | serde_plain time | sapwood bytes | serde_plain bytes |"
        );
        let _ = writeln!(out, "| ---: | ---: | ---: | ---: | ---: | ---: |");
        let mut copies: Vec<usize> = figures.iter().map(|f| f.copies).collect();
        copies.dedup();
        let get = |k: usize, s: System| figures.iter().find(|f| f.copies == k && f.system == s);
        for &k in &copies {
            let (Some(o), Some(p)) = (get(k, System::Sapwood), get(k, System::SerdePlain)) else {
                continue;
            };
            let _ = writeln!(
                out,
                "| {k}x | {} | {} | {} | {:.1} B | {:.1} B |",
                o.models,
                fmt_ns(o.ns_per_model),
                fmt_ns(p.ns_per_model),
                o.bytes_per_model,
                p.bytes_per_model
            );
        }
        if let (Some(&lo), Some(&hi)) = (copies.first(), copies.last()) {
            if let (Some(a), Some(b), Some(pa), Some(pb)) = (
                get(lo, System::Sapwood),
                get(hi, System::Sapwood),
                get(lo, System::SerdePlain),
                get(hi, System::SerdePlain),
            ) {
                let t = b.ns_per_model / a.ns_per_model;
                let m = b.bytes_per_model / a.bytes_per_model;
                let (r_lo, r_hi) = (
                    a.ns_per_model / pa.ns_per_model,
                    b.ns_per_model / pb.ns_per_model,
                );
                let growth = r_hi / r_lo;
                let _ = writeln!(out, "\n**Verdict (tree scale).**");
                let _ = writeln!(
                    out,
                    "- Sapwood per model at {hi}x against {lo}x: {t:.2}x the time and {m:.3}x \
                     the bytes; `serde_plain`, in the same rounds: {:.2}x the time (a tree of \
                     this size no longer fits the caches, whoever builds it).",
                    pb.ns_per_model / pa.ns_per_model,
                );
                let _ = writeln!(
                    out,
                    "- Sapwood's time per model relative to `serde_plain`: {r_lo:.2}x at {lo}x, \
                     {r_hi:.2}x at {hi}x. The same cost per model (Sapwood's own cost growing \
                     at most {SCALE_TOLERANCE}x beyond what the machine adds to plain serde, \
                     bytes within 5%) — {}.",
                    if growth <= SCALE_TOLERANCE && m <= 1.05 {
                        "met"
                    } else {
                        "**not met**"
                    }
                );
            }
        }
        out.push('\n');
    }

    /// Appends the tree figures to the JSON arrays; returns the scale figures.
    pub(crate) fn tree_json(
        &self,
        memory: &mut Vec<JsonMemory>,
        speed: &mut Vec<JsonSpeed>,
        failures: &mut Vec<JsonFailure>,
    ) -> Vec<JsonScale> {
        for (row, s, cell) in &self.tree_memory {
            match cell {
                Ok(f) => memory.push(JsonMemory {
                    system: s.name(),
                    object: row.name(),
                    bytes: f.bytes,
                    allocs: f.allocs,
                }),
                Err(why) => failures.push(JsonFailure {
                    row: row.name(),
                    system: s.name(),
                    reason: why.clone(),
                }),
            }
        }
        for (case, s, cell) in &self.tree_speed {
            match cell {
                SpeedCell::Measured(ns) => speed.push(JsonSpeed {
                    case,
                    system: s.name(),
                    ns: *ns,
                }),
                SpeedCell::Failed(why) => failures.push(JsonFailure {
                    row: case,
                    system: s.name(),
                    reason: why.clone(),
                }),
            }
        }
        match &self.tree_scale {
            Ok(figures) => figures
                .iter()
                .map(|f: &ScaleFigure| JsonScale {
                    system: f.system.name(),
                    copies: f.copies,
                    models: f.models,
                    ns_per_model: f.ns_per_model,
                    bytes_per_model: f.bytes_per_model,
                })
                .collect(),
            Err(why) => {
                failures.push(JsonFailure {
                    row: "tree.scale",
                    system: System::Sapwood.name(),
                    reason: why.clone(),
                });
                Vec::new()
            }
        }
    }

    /// Tree memory for charts: rows with a budget × systems (bytes).
    pub fn tree_memory_series(&self) -> (Vec<String>, BTreeMap<System, Vec<Option<f64>>>) {
        let rows: Vec<TreeRow> = self
            .tree_rows()
            .into_iter()
            .filter(|r| r.has_budget())
            .collect();
        let mut series = BTreeMap::new();
        for s in [System::Sapwood, System::SerdePlain] {
            series.insert(
                s,
                rows.iter()
                    .map(|r| self.tree_figure(*r, s).map(|f| f.bytes))
                    .collect(),
            );
        }
        (rows.iter().map(|r| r.name().to_string()).collect(), series)
    }

    /// Tree speed for charts: cases × systems (ns).
    pub fn tree_speed_series(&self) -> (Vec<String>, BTreeMap<System, Vec<Option<f64>>>) {
        let cases = self.tree_cases();
        let mut series = BTreeMap::new();
        for s in [System::Sapwood, System::SerdePlain] {
            series.insert(s, cases.iter().map(|c| self.tree_ns(c, s)).collect());
        }
        (cases.iter().map(|c| c.to_string()).collect(), series)
    }
}
