//! Threads: read-only trees are `Send` and `Sync`, and a tree shared by
//! several threads answers every one of them the same (the identifier index
//! and getter views are made once, whichever thread asks first).

use std::collections::HashMap;
use std::thread;

use sapwood::tree::{Model, Tree};
use sapwood_fixtures::fruit_aisle::FruitAisle;
use sapwood_fixtures::large_root::{Car, Component, Customer, LargeRoot, Part, Salesperson};
use sapwood_fixtures::name_example::NameExample;
use sapwood_fixtures::state::{self, State};
use sapwood_fixtures::test_class_model::{self, NamedThing, TestClassModel};
use sapwood_fixtures::LARGE_ROOT_JSON;

const fn send_sync<T: Send + Sync>() {}

const _: () = {
    send_sync::<Tree<NameExample>>();
    send_sync::<Tree<TestClassModel>>();
    send_sync::<Tree<State>>();
    send_sync::<Tree<LargeRoot>>();
    send_sync::<Tree<FruitAisle>>();
    send_sync::<sapwood::tree::Error>();
};

const THREADS: usize = 8;

/// Everything a thread can ask of a LargeRoot, as plain values: the address
/// `resolve_identifier` gives for each identifier, each component's cost,
/// each salesperson's name (and where the memoized name lives), the counts.
#[derive(Debug, PartialEq)]
struct Answers {
    resolved: Vec<usize>,
    costs: Vec<(String, f64)>,
    names: Vec<(String, usize)>,
    counts: (usize, usize, usize),
    models: usize,
}

fn ask(t: &Tree<LargeRoot>, ids: &[(&'static str, String)]) -> Answers {
    let addr = |p: Option<*const ()>| p.map_or(0, |p| p as usize);
    let resolved = ids
        .iter()
        .map(|(ty, id)| match *ty {
            "Part" => addr(t.resolve_identifier::<Part>(id).map(|m| m as *const _ as _)),
            "Car" => addr(t.resolve_identifier::<Car>(id).map(|m| m as *const _ as _)),
            "Component" => addr(
                t.resolve_identifier::<Component>(id)
                    .map(|m| m as *const _ as _),
            ),
            "Customer" => addr(
                t.resolve_identifier::<Customer>(id)
                    .map(|m| m as *const _ as _),
            ),
            _ => addr(
                t.resolve_identifier::<Salesperson>(id)
                    .map(|m| m as *const _ as _),
            ),
        })
        .collect();
    let costs = t
        .cars
        .values()
        .flat_map(|c| c.components.values())
        .map(|c| (c.key.clone(), c.cost()))
        .collect();
    let names = t
        .salespeople
        .values()
        .map(|s| (s.name().clone(), s.name() as *const String as usize))
        .collect();
    Answers {
        resolved,
        costs,
        names,
        counts: (*t.car_count(), *t.part_count(), *t.dealerships_count()),
        models: t.navigator().len(),
    }
}

/// Identifiers to look up: every part, car, component, customer and
/// salesperson, plus some that name nothing.
fn identifiers(t: &LargeRoot) -> Vec<(&'static str, String)> {
    let mut ids = Vec::new();
    ids.extend(t.parts.values().map(|p| ("Part", p.key.clone())));
    ids.extend(t.cars.values().map(|c| ("Car", c.key.clone())));
    for car in t.cars.values() {
        ids.extend(
            car.components
                .values()
                .map(|c| ("Component", c.key.clone())),
        );
    }
    ids.extend(t.customers.values().map(|c| ("Customer", c.key.clone())));
    ids.extend(
        t.salespeople
            .values()
            .map(|s| ("Salesperson", s.key.clone())),
    );
    ids.push(("Car", "nobody".into()));
    // A part's identifier asked as a car's: not found.
    ids.push(("Car", t.parts.values().next().unwrap().key.clone()));
    ids
}

#[test]
fn a_shared_tree_answers_every_thread_alike() {
    let tree = LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap();
    let ids = identifiers(&tree);
    // The index was made while building; the threads race to make the views.
    assert_eq!(tree.identifier_index_footprint().map(|f| f.0), Some(492));
    let answers: Vec<Answers> = thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS).map(|_| s.spawn(|| ask(&tree, &ids))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let first = &answers[0];
    for other in &answers[1..] {
        assert_eq!(other, first);
    }
    // And what they agree on is right: the same as asked on one thread,
    // with addresses into this tree.
    let alone = ask(&tree, &ids);
    assert_eq!(&alone, first);
    assert_eq!(first.models, 1_436);
    assert_eq!(first.counts, (30, 30, 10));
    assert_eq!(first.resolved.iter().filter(|&&a| a == 0).count(), 2);
    let part = tree.parts.values().next().unwrap();
    assert_eq!(first.resolved[0], part as *const Part as usize);
    assert_eq!(tree.identifier_index_footprint().map(|f| f.0), Some(492));
    // Each component's cost, recomputed here from the parts' costs.
    let expected: HashMap<&str, f64> = tree
        .cars
        .values()
        .flat_map(|c| c.components.values())
        .map(|c| {
            let cost = c
                .parts
                .values()
                .map(|l| tree.parts[&*l.part.key].cost * l.quantity)
                .sum();
            (c.key.as_str(), cost)
        })
        .collect();
    for (key, cost) in &first.costs {
        assert_eq!(expected[key.as_str()], *cost, "{key}");
    }
}

#[test]
fn threads_resolve_references_of_a_shared_state_tree() {
    let tree = State::from_json_str(state::DEEP_JSON).unwrap();
    let wanted = ["a1y", "b1x", "c2", "root"];
    let answers: Vec<(Vec<String>, usize)> = thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|i| {
                let tree = &tree;
                s.spawn(move || {
                    // Follow the initial children down from the root.
                    let mut chain = Vec::new();
                    let mut at: &State = tree;
                    while let Some(next) = &at.initial_child_state {
                        chain.push(next.id.clone());
                        at = next;
                    }
                    let found = tree.resolve_identifier::<State>(wanted[i % 4]).unwrap();
                    (chain, found as *const State as usize)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let a1y = &tree.child_states[0].child_states[0].child_states[1];
    let b1x = &tree.child_states[1].child_states[0].child_states[0];
    let c2 = &tree.child_states[2].child_states[1];
    let nodes: [&State; 4] = [a1y, b1x, c2, &tree];
    for (i, (chain, found)) in answers.into_iter().enumerate() {
        assert_eq!(chain, ["b", "b1", "b1x"]);
        assert_eq!(found, nodes[i % 4] as *const State as usize);
        assert_eq!(nodes[i % 4].id, wanted[i % 4]);
    }
    assert_eq!(tree.identifier_index_footprint().map(|f| f.0), Some(17));
}

#[test]
fn trees_move_between_threads() {
    // Built on one thread, used and dropped on another.
    let tree = thread::spawn(|| TestClassModel::from_json_str(test_class_model::BIG_JSON).unwrap())
        .join()
        .unwrap();
    let found = thread::spawn(move || {
        let e = tree
            .resolve_identifier::<NamedThing>("e")
            .map(|t| t.name.clone());
        (e, *tree.array_length(), tree.to_json())
    })
    .join()
    .unwrap();
    assert_eq!(found.0.as_deref(), Some("Map Item E"));
    assert_eq!(found.1, 5);
    let again = TestClassModel::from_json_str(&found.2).unwrap();
    assert_eq!(again.map["d"].key, "e");
}

#[test]
fn parallel_builds_are_independent() {
    // Each build uses its thread's scratch table; none sees another's.
    let trees: Vec<Tree<LargeRoot>> = thread::scope(|s| {
        (0..4)
            .map(|_| s.spawn(|| LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap()))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect()
    });
    for t in &trees[1..] {
        assert_eq!(**t, *trees[0]);
    }
    for t in &trees {
        let car = t.cars.values().next().unwrap();
        let line = car
            .components
            .values()
            .next()
            .unwrap()
            .parts
            .values()
            .next()
            .unwrap();
        // References point into their own tree.
        assert!(std::ptr::eq(&*line.part, &t.parts[&*line.part.key]));
    }
}
