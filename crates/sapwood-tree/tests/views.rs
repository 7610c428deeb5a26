//! Views: a getter view is computed once per instance, on first access, and
//! then costs nothing (no allocation, no recomputation: counted); a method
//! view runs each time; a volatile on a read-only instance is its initial
//! value.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use sapwood::tree::{Memo, Model};
use sapwood_fixtures::large_root::LargeRoot;
use sapwood_fixtures::name_example::NameExample;
use sapwood_fixtures::test_class_model::TestClassModel;
use sapwood_fixtures::LARGE_ROOT_JSON;
use sapwood_meter::{measure, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

// One counter per test that counts runs (tests run in parallel).
static TITLE_RUNS: AtomicUsize = AtomicUsize::new(0);
static WORDS_RUNS: AtomicUsize = AtomicUsize::new(0);
static RACED_RUNS: AtomicUsize = AtomicUsize::new(0);

#[derive(Model)]
#[model(volatile(selected: bool = false, label: String = format!("#{}", 7)))]
struct Doc {
    text: String,
    #[model(view = Doc::compute_title)]
    title: Memo<String>,
    #[model(view = |d: &Doc| d.text.len())]
    length: Memo<usize>,
}

impl Doc {
    fn compute_title(&self) -> String {
        if self.text.starts_with("count:") {
            TITLE_RUNS.fetch_add(1, Relaxed);
        }
        self.text.lines().next().unwrap_or("").to_uppercase()
    }

    /// A method view: runs at each call.
    fn words(&self) -> usize {
        WORDS_RUNS.fetch_add(1, Relaxed);
        self.text.split_whitespace().count()
    }
}

#[test]
fn a_getter_view_runs_once_per_instance_on_first_access() {
    let a = Doc::from_json_str(r#"{"text": "count: hello\nbody"}"#).unwrap();
    let b = Doc::from_json_str(r#"{"text": "count: other"}"#).unwrap();
    assert_eq!(TITLE_RUNS.load(Relaxed), 0, "not computed at build");
    assert_eq!(a.title(), "COUNT: HELLO");
    assert_eq!(a.title(), "COUNT: HELLO");
    assert_eq!(TITLE_RUNS.load(Relaxed), 1, "computed once for `a`");
    assert_eq!(b.title(), "COUNT: OTHER");
    assert_eq!(TITLE_RUNS.load(Relaxed), 2, "and once for `b`");
    assert_eq!(a.length(), &17);
}

#[test]
fn a_computed_getter_view_costs_nothing_to_read_again() {
    let d = Doc::from_json_str(r#"{"text": "a title\nand more"}"#).unwrap();
    let (_, first) = measure(|| d.title().len());
    assert_eq!(first.allocations, 1, "the title's string, once");
    let (sum, again) = measure(|| (0..10_000).map(|_| d.title().len()).sum::<usize>());
    assert_eq!(sum, 70_000);
    assert_eq!(
        (again.allocations, again.bytes_allocated),
        (0, 0),
        "0 allocations per repeated access"
    );
}

#[test]
fn method_views_run_every_time() {
    let d = Doc::from_json_str(r#"{"text": "one two three"}"#).unwrap();
    assert_eq!(d.words(), 3);
    assert_eq!(d.words(), 3);
    assert_eq!(WORDS_RUNS.load(Relaxed), 2);
}

#[test]
fn views_are_not_part_of_the_snapshot_or_of_equality_of_data() {
    let d = Doc::from_json_str(r#"{"text": "x"}"#).unwrap();
    assert_eq!(d.title(), "X");
    assert_eq!(d.to_json(), r#"{"text":"x"}"#);
    assert!(d.title.get().is_some());
    let fresh = Doc::from_json_str(r#"{"text": "x"}"#).unwrap();
    assert!(fresh.title.get().is_none());
    assert!(
        d.title == fresh.title,
        "memos compare equal whatever their state"
    );
}

#[test]
fn volatiles_of_a_read_only_instance_are_their_initial_value() {
    let d = Doc::from_json_str(r#"{"text": "x", "selected": true}"#).unwrap();
    assert!(!d.selected(), "a volatile is never read from a snapshot");
    assert_eq!(d.label(), "#7");
    let n = NameExample::from_json_str(sapwood_fixtures::name_example::JSON).unwrap();
    assert_eq!(n.volatile_prop(), "test");
}

#[test]
fn the_fixtures_views() {
    let n = NameExample::from_json_str(r#"{"key": "k", "name": "Hello Big World"}"#).unwrap();
    assert_eq!(n.name_length(), &15);
    assert_eq!(n.slug(), "hello-big-world");

    let t = TestClassModel::from_json_str(sapwood_fixtures::test_class_model::BIG_JSON).unwrap();
    assert!(!t.not_bool());
    assert_eq!(t.array_length(), &5);

    let root = LargeRoot::from_json_str(LARGE_ROOT_JSON).unwrap();
    assert_eq!(
        (
            *root.car_count(),
            *root.part_count(),
            *root.dealerships_count()
        ),
        (30, 30, 10)
    );
    for s in root.salespeople.values() {
        assert_eq!(s.name(), &format!("{} {}", s.first_name, s.last_name));
    }
    // LargeRoot's getters, once computed, read for free.
    let (_, m) = measure(|| {
        for _ in 0..1000 {
            std::hint::black_box(root.car_count());
            for s in root.salespeople.values() {
                std::hint::black_box(s.name());
            }
        }
    });
    assert_eq!(m.allocations, 0);
}

#[derive(Model)]
struct Raced {
    text: String,
    #[model(view = Raced::compute_shout)]
    shout: Memo<String>,
}

impl Raced {
    fn compute_shout(&self) -> String {
        RACED_RUNS.fetch_add(1, Relaxed);
        self.text.to_uppercase()
    }
}

#[test]
fn a_getter_view_is_computed_once_when_threads_race_for_it() {
    let d = Raced::from_json_str(r#"{"text": "shared"}"#).unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(d.shout(), "SHARED"));
        }
    });
    assert_eq!(RACED_RUNS.load(Relaxed), 1);
}
