use sapwood_engine::*;
use std::cell::Cell;
use std::rc::Rc;

#[test]
fn repro() {
    let n: Rc<Vec<Cell<u32>>> = Rc::new((0..5).map(|_| Cell::new(0)).collect());
    let s0 = Signal::new(0i64);
    let s1 = Signal::new(1i64);
    let s2 = Signal::new(0i64);
    let k = n.clone();
    let c0 = Computed::new(move || {
        k[0].set(k[0].get() + 1);
        s2.get()
    });
    let k = n.clone();
    let c1 = Computed::new(move || {
        k[1].set(k[1].get() + 1);
        if s2.get() % 2 == 0 {
            s0.get()
        } else {
            c0.get().min(s1.get())
        }
    });
    let k = n.clone();
    let c2 = Computed::new(move || {
        k[2].set(k[2].get() + 1);
        if s0.get() % 2 == 0 {
            1
        } else {
            s0.get()
        }
    });
    let k = n.clone();
    let c3 = Computed::new(move || {
        k[3].set(k[3].get() + 1);
        c2.get()
    });
    let k = n.clone();
    let c4 = Computed::new(move || {
        k[4].set(k[4].get() + 1);
        c2.get()
    });
    Effect::new(move || {
        if s1.get() % 2 == 0 {
            c2.get();
        } else {
            c1.get();
        }
    });
    let all = [c0, c1, c2, c3, c4];
    let snap = |n: &Vec<Cell<u32>>| n.iter().map(|c| c.get()).collect::<Vec<_>>();
    for c in &all {
        c.get();
    }
    println!("init {:?}", snap(&n));
    s2.set(1);
    println!("step1 write {:?}", snap(&n));
    for c in &all {
        c.get();
    }
    println!("step1 reads {:?}", snap(&n));
    s1.set(0);
    println!("step2 write {:?}", snap(&n));
    for (i, c) in all.iter().enumerate() {
        c.get();
        println!("  after read c{i}: {:?}", snap(&n));
    }
}
