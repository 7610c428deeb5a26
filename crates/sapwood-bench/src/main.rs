//! The analysis report (placeholder main; the harness is being written).

mod framework;
mod speed;
mod systems;

#[global_allocator]
static ALLOC: sapwood_meter::CountingAlloc = sapwood_meter::CountingAlloc;

fn main() {
    let cases = speed::cases();
    for case in &cases {
        for system in systems::System::FRAMEWORKS.into_iter().chain([systems::System::Floor]) {
            let mut b = speed::Bencher::new(std::time::Duration::from_millis(5));
            let r = (case.run)(system, &mut b);
            let ns = speed::median(&mut b.samples);
            println!("{} {} {:?} {ns:.1} ns", case.name, system.name(), r);
        }
    }
}
