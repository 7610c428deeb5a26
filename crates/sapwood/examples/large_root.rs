//! A read-only state tree: mobx-quick-tree's LargeRoot fixture (1,436 models,
//! 1,183 references, most pointing forward) built from its JSON, then used:
//! references followed, views computed, identifiers resolved, a model
//! located, the snapshot written back, and a corrupted copy refused with the
//! path of the problem.
//!
//! Run with `cargo run --release -p sapwood --example large_root`.

use sapwood::tree::{ErrorKind, Model};
use sapwood_fixtures::large_root::{Car, LargeRoot, Part};
use sapwood_fixtures::LARGE_ROOT_JSON;

fn main() {
    let started = std::time::Instant::now();
    let root = LargeRoot::from_json_str(LARGE_ROOT_JSON).expect("the fixture is valid");
    println!(
        "built {} cars, {} parts, {} orders from {} KB of JSON in {:?}",
        root.car_count(),
        root.part_count(),
        root.orders.len(),
        LARGE_ROOT_JSON.len() / 1000,
        started.elapsed()
    );

    // References are pointers: following one costs a load.
    let car = root.first_car().expect("the fixture has cars");
    println!("first car: {}", car.descriptor());
    for component in car.components.values().take(3) {
        println!(
            "  component {:?}: {} part lines, cost {}",
            component.name,
            component.parts.len(),
            component.cost()
        );
    }
    let order = root.orders.values().next().expect("orders");
    println!(
        "an order at {} sold by {} to {} {}, {} cars",
        order.dealership.descriptor(),
        order.salesperson.name(),
        order.customer.first_name,
        order.customer.last_name,
        order.line_items.len()
    );

    // Identifiers are scoped by type and found in O(1).
    let key = root.parts.keys().next().expect("parts");
    let part = root
        .resolve_identifier::<Part>(key)
        .expect("a part by its key");
    println!("part {key}: {:?}", part.name);
    assert!(root.resolve_identifier::<Car>(key).is_none());

    // Where a model is: its parent and JSON path.
    let nav = root.navigator();
    let line = car
        .components
        .values()
        .next()
        .and_then(|c| c.parts.values().next())
        .expect("a part line");
    println!("a part line is at {}", nav.path(line).expect("in the tree"));
    println!(
        "its parent is a {}",
        nav.parent(line).expect("not the root").type_name()
    );

    // Snapshots out round-trip.
    let text = root.to_json();
    let again = LargeRoot::from_json_str(&text).expect("its own snapshot");
    assert_eq!(*again, *root);
    println!(
        "snapshot: {} KB of compact JSON, read back equal",
        text.len() / 1000
    );

    // A dangling reference, deep inside, is refused with its path.
    let some_part = root.parts.keys().nth(2).expect("parts");
    let broken = LARGE_ROOT_JSON.replacen(
        &format!("\"part\": \"{some_part}\""),
        "\"part\": \"no-such-part\"",
        1,
    );
    let err = LargeRoot::from_json_str(&broken).expect_err("a dangling reference");
    assert!(matches!(err.kind(), ErrorKind::DanglingReference { .. }));
    println!("corrupted copy: {err}");
}
