//! Speed of read-only trees: instantiation from JSON text (parse, validation
//! and reference resolution included; dropping the instance is not timed)
//! and snapshots out, Sapwood beside `serde_plain`. Every case checks what it
//! built, so that no time comes from wrong work.

use std::hint::black_box;

use sapwood::tree::Model;
use sapwood_fixtures::{
    fruit_aisle, large_root, name_example, plain, state, test_class_model, FRUIT_AISLE_JSON,
    LARGE_ROOT_JSON,
};

use crate::speed::{Bencher, CaseEntry, CaseResult};
use crate::systems::System;

/// The systems of the tree speed table.
pub const SYSTEMS: [System; 2] = [System::Sapwood, System::SerdePlain];

/// Every tree case, in report order.
pub fn cases() -> Vec<CaseEntry> {
    vec![
        CaseEntry {
            name: "tree.name_example",
            quick: true,
            run: name_example,
        },
        CaseEntry {
            name: "tree.test_class_model_big",
            quick: false,
            run: test_class_model_big,
        },
        CaseEntry {
            name: "tree.state",
            quick: true,
            run: state,
        },
        CaseEntry {
            name: "tree.large_root",
            quick: true,
            run: large_root,
        },
        CaseEntry {
            name: "tree.fruit_aisle",
            quick: false,
            run: fruit_aisle,
        },
        CaseEntry {
            name: "tree.large_root.snapshot",
            quick: true,
            run: large_root_snapshot,
        },
    ]
}

fn expect(what: &str, expected: usize, got: usize) -> CaseResult {
    if expected == got {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected}, got {got}"))
    }
}

/// Times instantiating `json` with `build` (dropping is not timed), then
/// checks one instance with `check`.
fn instantiate<T>(
    b: &mut Bencher,
    build: impl Fn(&str) -> T,
    json: &str,
    check: impl Fn(&T) -> CaseResult,
) -> CaseResult {
    b.iter_build(|| build(black_box(json)));
    check(&build(json))
}

fn name_example(system: System, b: &mut Bencher) -> Option<CaseResult> {
    let json = name_example::JSON;
    Some(match system {
        System::Sapwood => instantiate(
            b,
            |j| name_example::NameExample::from_json_str(j).expect("valid"),
            json,
            |t| expect("name length", 4, t.name.len()),
        ),
        System::SerdePlain => instantiate(
            b,
            |j| serde_json::from_str::<plain::NameExample>(j).expect("valid"),
            json,
            |t| expect("name length", 4, t.name.len()),
        ),
        _ => return None,
    })
}

fn test_class_model_big(system: System, b: &mut Bencher) -> Option<CaseResult> {
    let json = test_class_model::BIG_JSON;
    Some(match system {
        System::Sapwood => instantiate(
            b,
            |j| test_class_model::TestClassModel::from_json_str(j).expect("valid"),
            json,
            |t| expect("array and map entries", 10, t.array.len() + t.map.len()),
        ),
        System::SerdePlain => instantiate(
            b,
            |j| serde_json::from_str::<plain::TestClassModel>(j).expect("valid"),
            json,
            |t| expect("array and map entries", 10, t.array.len() + t.map.len()),
        ),
        _ => return None,
    })
}

fn state(system: System, b: &mut Bencher) -> Option<CaseResult> {
    let json = state::JSON;
    Some(match system {
        System::Sapwood => instantiate(
            b,
            |j| state::State::from_json_str(j).expect("valid"),
            json,
            |t| {
                let initial = t.initial_child_state.as_ref().map(|r| r.id.as_str());
                expect(
                    "initial child is child2",
                    1,
                    (initial == Some("child2")) as usize,
                )
            },
        ),
        System::SerdePlain => instantiate(
            b,
            |j| serde_json::from_str::<plain::State>(j).expect("valid"),
            json,
            |t| expect("children", 3, t.child_states.len()),
        ),
        _ => return None,
    })
}

/// The part lines of a LargeRoot whose part resolves to a part with that
/// key (Sapwood), or names one (plain): all 943.
fn large_root(system: System, b: &mut Bencher) -> Option<CaseResult> {
    Some(match system {
        System::Sapwood => instantiate(
            b,
            |j| large_root::LargeRoot::from_json_str(j).expect("valid"),
            LARGE_ROOT_JSON,
            |t| {
                let lines = t
                    .cars
                    .values()
                    .flat_map(|c| c.components.values())
                    .flat_map(|c| c.parts.values())
                    .filter(|l| {
                        t.parts
                            .get(&l.part.key)
                            .is_some_and(|p| std::ptr::eq(p, l.part.get()))
                    })
                    .count();
                expect("part lines resolved to their part", 943, lines)
            },
        ),
        System::SerdePlain => instantiate(
            b,
            |j| serde_json::from_str::<plain::LargeRoot>(j).expect("valid"),
            LARGE_ROOT_JSON,
            |t| {
                let lines = t
                    .cars
                    .values()
                    .flat_map(|c| c.components.values())
                    .flat_map(|c| c.parts.values())
                    .filter(|l| t.parts.contains_key(&l.part))
                    .count();
                expect("part lines naming a part", 943, lines)
            },
        ),
        _ => return None,
    })
}

fn fruit_aisle(system: System, b: &mut Bencher) -> Option<CaseResult> {
    Some(match system {
        System::Sapwood => instantiate(
            b,
            |j| fruit_aisle::FruitAisle::from_json_str(j).expect("valid"),
            FRUIT_AISLE_JSON,
            |t| {
                let oranges = t
                    .bins
                    .values()
                    .filter(|b| matches!(b.fruit, fruit_aisle::Fruit::Orange(_)))
                    .count();
                expect("orange bins", 3, oranges)
            },
        ),
        System::SerdePlain => instantiate(
            b,
            |j| serde_json::from_str::<plain::FruitAisle>(j).expect("valid"),
            FRUIT_AISLE_JSON,
            |t| {
                let oranges = t
                    .bins
                    .values()
                    .filter(|b| matches!(b.fruit, plain::Fruit::Orange(_)))
                    .count();
                expect("orange bins", 3, oranges)
            },
        ),
        _ => return None,
    })
}

/// Writing LargeRoot's snapshot as JSON text; checked by reading it back.
fn large_root_snapshot(system: System, b: &mut Bencher) -> Option<CaseResult> {
    Some(match system {
        System::Sapwood => {
            let t = large_root::LargeRoot::from_json_str(LARGE_ROOT_JSON).expect("valid");
            b.iter(|| {
                black_box(t.to_json());
            });
            match large_root::LargeRoot::from_json_str(&t.to_json()) {
                Ok(back) if back.to_snapshot() == t.to_snapshot() => Ok(()),
                Ok(_) => Err("the snapshot does not read back equal".into()),
                Err(e) => Err(format!("the snapshot does not read back: {e}")),
            }
        }
        System::SerdePlain => {
            let t: plain::LargeRoot = serde_json::from_str(LARGE_ROOT_JSON).expect("valid");
            b.iter(|| {
                black_box(serde_json::to_string(&t).expect("serializable"));
            });
            let back: Result<plain::LargeRoot, _> =
                serde_json::from_str(&serde_json::to_string(&t).expect("serializable"));
            match back {
                Ok(back) => expect("orders", t.orders.len(), back.orders.len()),
                Err(e) => Err(format!("the snapshot does not read back: {e}")),
            }
        }
        _ => return None,
    })
}
