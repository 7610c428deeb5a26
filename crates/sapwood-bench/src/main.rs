//! Sapwood's analysis report: exact memory per object and the speed suites, for
//! Sapwood and every Rust peer, side by side in one process and one run.
//!
//! ```text
//! cargo run --release -p sapwood-bench                 # the full report
//! cargo run --release -p sapwood-bench -- --quick      # reduced, in seconds (CI)
//! cargo run --release -p sapwood-bench -- --filter kairo --json out.json --svg charts/
//! ```
//!
//! Tables go to stdout as Markdown, progress to stderr (one line per case).

mod charts;
mod framework;
mod memory;
mod report;
mod speed;
mod systems;
mod tree;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;

use memory::{Figure, Row};
use report::{MemoryCell, Report, SpeedCell};
use systems::System;

#[global_allocator]
static ALLOC: sapwood_meter::CountingAlloc = sapwood_meter::CountingAlloc;

/// The analysis report: memory per object and speed, Sapwood beside its peers.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Reduced run for CI: fewer objects, quick cases only, one short round.
    #[arg(long)]
    quick: bool,
    /// Only the rows and cases whose name contains this text.
    #[arg(long, value_name = "NAME")]
    filter: Option<String>,
    /// Also write every figure as JSON to this file.
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,
    /// Also draw one SVG bar chart per table into this directory.
    #[arg(long, value_name = "DIR")]
    svg: Option<PathBuf>,
    /// Fewest rounds of the speed suite (systems interleaved within each
    /// round; short cases run more, shorter rounds).
    #[arg(long, value_name = "N")]
    rounds: Option<u32>,
    /// Profiling mode: each speed case runs exactly N iterations (after one
    /// warm-up) in a single round, so that the work done does not depend on
    /// the clock. Under callgrind, the difference between two counts (N and
    /// 2N) is the instructions of N iterations; see `callgrind.sh`.
    #[arg(long, value_name = "N")]
    iterations: Option<u64>,
    /// Only these systems in the speed cases (comma-separated names, e.g.
    /// `sapwood,alien_signals_rs,floor`).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    system: Vec<String>,
}

fn main() {
    let args = Args::parse();
    for name in &args.system {
        let known = System::FRAMEWORKS.into_iter().chain([
            System::Floor,
            System::FuturesSignals,
            System::SerdePlain,
        ]);
        if !known.clone().any(|s| s.name() == name) {
            let names: Vec<&str> = known.map(|s| s.name()).collect();
            eprintln!(
                "error: unknown system `{name}` (one of: {})",
                names.join(", ")
            );
            std::process::exit(2);
        }
    }
    let started = Instant::now();
    let matches = |name: &str| args.filter.as_deref().is_none_or(|f| name.contains(f));

    let n = if args.quick { 10_000 } else { 100_000 };
    let mut report = Report::new(args.quick, n);

    for row in Row::ALL.into_iter().filter(|r| matches(r.name())) {
        eprint!("memory {:<14}", row.name());
        for system in System::FRAMEWORKS
            .into_iter()
            .chain([System::FuturesSignals])
        {
            let cell = match memory_on(system, row, n) {
                None => continue,
                Some(Ok(f)) => MemoryCell::Measured(f),
                Some(Err(why)) => MemoryCell::Failed(why),
            };
            if let MemoryCell::Measured(f) = &cell {
                eprint!(" {}={:.1}B", system.name(), f.bytes);
            } else {
                eprint!(" {}=failed", system.name());
            }
            report.memory.push((row, system, cell));
        }
        eprintln!();
    }

    let tree_n = if args.quick { 100 } else { 1_000 };
    report.tree_objects = tree_n;
    for row in tree::TreeRow::ALL.into_iter().filter(|r| matches(r.name())) {
        eprint!("memory {:<26}", row.name());
        for system in tree::speed::SYSTEMS {
            let Some(cell) = tree_memory_on(system, row, tree_n) else {
                continue;
            };
            match &cell {
                Ok(f) => eprint!(" {}={:.1}B", system.name(), f.bytes),
                Err(_) => eprint!(" {}=failed", system.name()),
            }
            report.tree_memory.push((row, system, cell));
        }
        eprintln!();
    }

    let rounds = args.rounds.unwrap_or(if args.quick { 1 } else { 3 });
    let budget = Duration::from_millis(if args.quick { 3 } else { 60 });
    let only = |s: &System| args.system.is_empty() || args.system.iter().any(|n| n == s.name());
    let systems: Vec<System> = System::FRAMEWORKS
        .into_iter()
        .chain([System::Floor])
        .filter(only)
        .collect();
    let tree_systems: Vec<System> = tree::speed::SYSTEMS.into_iter().filter(only).collect();
    let pace = match args.iterations {
        Some(n) => Pace::Fixed(n),
        None => Pace::Timed(budget),
    };
    let selected = |cases: Vec<speed::CaseEntry>| -> Vec<speed::CaseEntry> {
        cases
            .into_iter()
            .filter(|c| matches(c.name) && (!args.quick || c.quick))
            .collect()
    };
    report.speed = run_cases(selected(speed::cases()), &systems, rounds, pace);
    // Tree cases are short: more rounds make their ratios steadier.
    report.tree_speed = run_cases(
        selected(tree::speed::cases()),
        &tree_systems,
        if args.quick { rounds } else { rounds + 2 },
        pace,
    );
    if matches("tree.scale") {
        let copies: &[usize] = if args.quick { &[1, 10] } else { &[1, 100] };
        eprintln!("scale  tree.scale           LargeRoot x{copies:?}");
        report.tree_scale = tree::scale::measure_scales(copies, budget);
    }
    report.elapsed = started.elapsed();

    print!("{}", report.markdown());
    if let Some(path) = &args.json {
        if let Err(e) = std::fs::write(path, report.json()) {
            eprintln!("error: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
        eprintln!("wrote {}", path.display());
    }
    if let Some(dir) = &args.svg {
        match charts::draw(&report, dir) {
            Ok(files) => {
                for f in files {
                    eprintln!("wrote {}", f.display());
                }
            }
            Err(e) => {
                eprintln!("error: cannot draw charts into {}: {e}", dir.display());
                std::process::exit(1);
            }
        }
    }
}

/// How many rounds a short speed case's time per system is split into, for
/// each of the report's `rounds` (see [`run_cases`]). With 6 systems and the
/// default 60 ms per case and round, one rotation of the systems takes about
/// 25 ms. (It was 4, a rotation of about 90 ms: in one full run a burst of
/// noise then put Sapwood 1.34x behind the port on mol, a case it leads by
/// 1.04x in repeated runs and in instruction counts.)
const ROUND_SPLIT: u32 = 16;

/// How long each system runs a case.
#[derive(Clone, Copy)]
enum Pace {
    /// About this much time per case, spread over rounds.
    Timed(Duration),
    /// Exactly this many iterations, in one round.
    Fixed(u64),
}

/// Runs speed `cases` on `systems` in interleaved rounds (the order rotates
/// each round so that drift hits every system alike); a system that fails a
/// case is not run on it again.
///
/// Each system gets `budget` per case spread over at least `rounds` rounds:
/// a short case runs up to [`ROUND_SPLIT`] times as many rounds, each that
/// much shorter, so that a burst of noise on this shared machine (they last
/// tens to hundreds of milliseconds) spans whole rotations of the systems and
/// lands on every system alike, rather than on whichever was running; a long
/// case, whose iterations outlast a round's budget anyway, stops after
/// `rounds`.
fn run_cases(
    cases: Vec<speed::CaseEntry>,
    systems: &[System],
    rounds: u32,
    pace: Pace,
) -> Vec<(&'static str, System, SpeedCell)> {
    let mut out = Vec::new();
    let (rounds, budget) = match pace {
        Pace::Timed(budget) => (rounds.max(1) as usize, budget),
        Pace::Fixed(_) => (1, Duration::ZERO),
    };
    let per_round = budget / ROUND_SPLIT;
    let spend = budget * rounds as u32 * systems.len() as u32;
    for case in cases {
        eprint!("speed  {:<26}", case.name);
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); systems.len()];
        let mut failures: Vec<Option<String>> = vec![None; systems.len()];
        let started = Instant::now();
        let mut round = 0;
        while round < rounds || (round < ROUND_SPLIT as usize * rounds && started.elapsed() < spend)
        {
            for k in 0..systems.len() {
                let i = (k + round) % systems.len();
                if failures[i].is_some() {
                    continue;
                }
                let mut b = match pace {
                    Pace::Timed(_) => speed::Bencher::new(per_round),
                    Pace::Fixed(n) => speed::Bencher::fixed(n),
                };
                let run = case.run;
                let system = systems[i];
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(system, &mut b)));
                match outcome {
                    Ok(Some(Ok(()))) => samples[i].extend(b.samples),
                    Ok(Some(Err(why))) => failures[i] = Some(format!("wrong result: {why}")),
                    Ok(None) => failures[i] = Some("not supported".into()),
                    Err(p) => failures[i] = Some(format!("panicked: {}", panic_text(&*p))),
                }
            }
            round += 1;
        }
        for (i, system) in systems.iter().enumerate() {
            let cell = match failures[i].take() {
                Some(why) => SpeedCell::Failed(why),
                None => SpeedCell::Measured(speed::median(&mut samples[i])),
            };
            match &cell {
                SpeedCell::Measured(ns) => eprint!(" {}={}", system.name(), report::fmt_ns(*ns)),
                SpeedCell::Failed(_) => eprint!(" {}=failed", system.name()),
            }
            out.push((case.name, *system, cell));
        }
        eprintln!(" ({:.1} s)", started.elapsed().as_secs_f64());
    }
    out
}

/// Measures one tree memory row for one system on a fresh thread.
fn tree_memory_on(
    system: System,
    row: tree::TreeRow,
    n: usize,
) -> Option<Result<tree::TreeFigure, String>> {
    let joined = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || tree::measure_tree_row(row, system, n))
        .expect("spawn")
        .join();
    match joined {
        Ok(cell) => cell,
        Err(p) => Some(Err(format!("panicked: {}", panic_text(&*p)))),
    }
}

/// Measures one memory row for one system on a fresh thread (`None`: the
/// system has no such row).
fn memory_on(system: System, row: Row, n: usize) -> Option<Result<Figure, String>> {
    use systems::*;
    let job: Box<dyn FnOnce() -> Option<Figure> + Send> = match system {
        System::Sapwood => Box::new(move || Some(memory::measure_row::<sapwood::Sapwood>(row, n))),
        System::ReactiveGraph => {
            Box::new(move || Some(memory::measure_row::<reactive_graph::ReactiveGraph>(row, n)))
        }
        System::SycamoreReactive => Box::new(move || {
            Some(memory::measure_row::<sycamore_reactive::SycamoreReactive>(
                row, n,
            ))
        }),
        System::FloemReactive => {
            Box::new(move || Some(memory::measure_row::<floem_reactive::FloemReactive>(row, n)))
        }
        System::AlienSignalsRs => Box::new(move || {
            Some(memory::measure_row::<alien_signals_rs::AlienSignalsRs>(
                row, n,
            ))
        }),
        System::FuturesSignals if row == Row::Signal => Box::new(move || {
            futures_signals::measure_signals(n).map(|m| Figure {
                bytes: m.bytes_retained as f64 / n as f64,
                allocs: m.allocations as f64 / n as f64,
                first_bytes: None,
            })
        }),
        System::FuturesSignals | System::SerdePlain | System::Floor => return None,
    };
    let joined = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(job)
        .expect("spawn")
        .join();
    match joined {
        Ok(Some(f)) => Some(Ok(f)),
        Ok(None) => None,
        Err(p) => Some(Err(format!("panicked: {}", panic_text(&*p)))),
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    let s = if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-text panic".to_string()
    };
    s.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(160)
        .collect()
}
