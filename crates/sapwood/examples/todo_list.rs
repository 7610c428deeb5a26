//! A small to-do list: signals for the state, computeds for derived counts, an
//! effect that "renders", a scope per item so that removing an item releases
//! everything it created, and the exact memory all of it costs.
//!
//! Run with `cargo run -p sapwood --example todo_list`.

use std::cell::RefCell;
use std::rc::Rc;

use sapwood::prelude::*;
use sapwood::stats;

/// One item: its own signals, owned by its own scope.
#[derive(Clone, Copy)]
struct Item {
    scope: Scope,
    title: Signal<&'static str>,
    done: Signal<bool>,
}

fn main() {
    let items: Signal<Vec<Item>> = Signal::new(Vec::new());
    let remaining = Computed::new(move || {
        items.with(|list| list.iter().filter(|item| !item.done.get()).count())
    });
    let rendered = Rc::new(RefCell::new(Vec::new()));

    let out = rendered.clone();
    Effect::new(move || {
        let lines: Vec<String> = items.with(|list| {
            list.iter()
                .map(|item| {
                    format!(
                        "[{}] {}",
                        if item.done.get() { "x" } else { " " },
                        item.title.get()
                    )
                })
                .collect()
        });
        out.borrow_mut()
            .push(format!("{} left: {}", remaining.get(), lines.join(", ")));
    });

    let add = |title: &'static str| {
        let mut item = None;
        let scope = Scope::new(|| {
            item = Some((Signal::new(title), Signal::new(false)));
        });
        let (title, done) = item.expect("scope ran");
        items.update(|list| list.push(Item { scope, title, done }));
    };

    batch(|| {
        add("write the engine");
        add("measure it");
        add("write the state tree");
    });
    items.with(|list| list[0].done.set(true));
    let first = items.with(|list| list[0]);
    items.update(|list| {
        list.remove(0);
    });
    first.scope.dispose();

    for line in rendered.borrow().iter() {
        println!("{line}");
    }
    let s = stats();
    println!(
        "live: {} nodes, {} edges; arenas hold {} bytes ({} node slots, {} edge slots)",
        s.nodes, s.edges, s.arena_bytes, s.node_slots, s.edge_slots
    );
    assert_eq!(remaining.get(), 2);
    assert!(first.title.is_disposed());
}
