//! Runs one state-tree workload a number of times, for instruction counts
//! that repeat on a noisy machine:
//!
//! ```text
//! cargo build --release -p sapwood-bench --example tree_callgrind
//! valgrind --tool=callgrind target/release/examples/tree_callgrind sapwood large_root 20
//! valgrind --tool=callgrind target/release/examples/tree_callgrind serde_plain large_root 20
//! ```
//!
//! Workloads: `large_root`, `large_root_x10`, `large_root_x100`, `state`, `name_example`,
//! `fruit_aisle`, `snapshot`. Instantiation workloads count building only:
//! the trees are leaked, not dropped (set `DROP=1` to count dropping too).

use std::hint::black_box;

use sapwood::tree::Model;
use sapwood_fixtures::{fruit_aisle, large_root, name_example, plain, scale, state};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (system, work, n) = match args.as_slice() {
        [_, s, w, n] => (s.as_str(), w.as_str(), n.parse::<usize>().unwrap_or(10)),
        _ => {
            eprintln!("usage: tree_callgrind sapwood|serde_plain WORKLOAD ITERATIONS");
            std::process::exit(2);
        }
    };
    let x10;
    let text: &str = match work {
        "large_root" | "snapshot" => sapwood_fixtures::LARGE_ROOT_JSON,
        "large_root_x100" => {
            x10 = scale::large_root_times(100);
            &x10
        }
        "large_root_x10" => {
            x10 = scale::large_root_times(10);
            &x10
        }
        "state" => state::JSON,
        "name_example" => name_example::JSON,
        "fruit_aisle" => sapwood_fixtures::FRUIT_AISLE_JSON,
        other => {
            eprintln!("unknown workload {other}");
            std::process::exit(2);
        }
    };
    let sapwood = match system {
        "sapwood" => true,
        "serde_plain" => false,
        other => {
            eprintln!("unknown system {other}");
            std::process::exit(2);
        }
    };
    if work == "snapshot" {
        let t = large_root::LargeRoot::from_json_str(text).expect("valid");
        let p: plain::LargeRoot = serde_json::from_str(text).expect("valid");
        for _ in 0..n {
            if sapwood {
                black_box(t.to_json());
            } else {
                black_box(serde_json::to_string(&p).expect("serializes"));
            }
        }
        return;
    }
    let keep = std::env::var_os("DROP").is_none();
    let done = |v: Box<dyn std::any::Any>| {
        if keep {
            std::mem::forget(v);
        }
    };
    for _ in 0..n {
        match (sapwood, work) {
            (true, "large_root" | "large_root_x10" | "large_root_x100") => {
                done(Box::new(black_box(
                    large_root::LargeRoot::from_json_str(text).expect("valid"),
                )));
            }
            (false, "large_root" | "large_root_x10" | "large_root_x100") => {
                done(Box::new(black_box(
                    serde_json::from_str::<plain::LargeRoot>(text).expect("valid"),
                )));
            }
            (true, "state") => {
                done(Box::new(black_box(
                    state::State::from_json_str(text).expect("valid"),
                )));
            }
            (false, "state") => {
                done(Box::new(black_box(
                    serde_json::from_str::<plain::State>(text).expect("valid"),
                )));
            }
            (true, "name_example") => {
                done(Box::new(black_box(
                    name_example::NameExample::from_json_str(text).expect("valid"),
                )));
            }
            (false, "name_example") => {
                done(Box::new(black_box(
                    serde_json::from_str::<plain::NameExample>(text).expect("valid"),
                )));
            }
            (true, _) => {
                done(Box::new(black_box(
                    fruit_aisle::FruitAisle::from_json_str(text).expect("valid"),
                )));
            }
            (false, _) => {
                done(Box::new(black_box(
                    serde_json::from_str::<plain::FruitAisle>(text).expect("valid"),
                )));
            }
        }
    }
}
