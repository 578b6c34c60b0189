//! The counting allocator counts what a call allocates, and only inside `measure`.

use mods_bench::alloc::{self, CountingAlloc};
use std::hint::black_box;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[test]
fn counts_allocations_and_the_peak_of_one_call() {
    assert!(alloc::installed());
    let (_, u) = alloc::measure(|| {
        let a = black_box(vec![0u8; 10_000]);
        let b = black_box(vec![0u8; 5_000]);
        drop(a);
        let c = black_box(vec![0u8; 1_000]);
        (b.len(), c.len())
    });
    assert_eq!(u.allocations, 3);
    // at most a and b live at once (the test harness's other threads may add a little)
    assert!((15_000..16_000).contains(&u.peak_bytes), "{u:?}");
    // a realloc counts, and the peak follows the new size
    let (_, u) = alloc::measure(|| {
        let mut v: Vec<u8> = Vec::with_capacity(100);
        v.reserve_exact(50_000);
        black_box(v.capacity())
    });
    assert_eq!(u.allocations, 2);
    assert!((50_000..51_000).contains(&u.peak_bytes), "{u:?}");
    // nothing allocated, nothing counted
    let (_, u) = alloc::measure(|| black_box(1 + 1));
    assert_eq!(u.allocations, 0);
    assert_eq!(u.peak_bytes, 0);
}
