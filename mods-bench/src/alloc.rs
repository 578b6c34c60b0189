//! A counting global allocator: allocations made and the peak of live heap bytes.
//!
//! The `mods-bench` binary installs [`CountingAlloc`] as its global allocator; then
//! [`measure`] tells what one call allocated. It counts only inside [`measure`]: elsewhere
//! each call costs one relaxed load more than the system allocator's, so timings and
//! instruction counts are not skewed by the counting. Without it installed the counters
//! stay at zero and [`installed`] says so.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// The system allocator, counting inside [`measure`]. Install it with `#[global_allocator]`.
pub struct CountingAlloc;

// SAFETY: every call is passed on unchanged to the system allocator; the counters are
// atomics updated beside it and never affect what is allocated.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is the one `System.alloc` requires.
        let p = unsafe { System.alloc(layout) };
        if COUNTING.load(Relaxed) && !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if COUNTING.load(Relaxed) && !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator (so by `System`) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(size(layout.size()), Relaxed);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` meets `System.realloc`'s contract.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if COUNTING.load(Relaxed) && !p.is_null() {
            LIVE.fetch_sub(size(layout.size()), Relaxed);
            grew(new_size);
        }
        p
    }
}

fn size(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

fn grew(n: usize) {
    ALLOCATIONS.fetch_add(1, Relaxed);
    let live = LIVE.fetch_add(size(n), Relaxed).saturating_add(size(n));
    PEAK.fetch_max(live, Relaxed);
}

/// Whether [`CountingAlloc`] is the global allocator.
pub fn installed() -> bool {
    measure(|| drop(std::hint::black_box(Vec::<u8>::with_capacity(1))))
        .1
        .allocations
        > 0
}

/// What one call allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Allocations (`alloc`, `alloc_zeroed` and `realloc` calls).
    pub allocations: usize,
    /// The most heap bytes live at once during the call, beyond those live before it.
    pub peak_bytes: usize,
}

/// Run `f` once and tell what it allocated. Counts every thread's allocations: measure
/// with no other thread at work, and not from two threads at once.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Usage) {
    ALLOCATIONS.store(0, Relaxed);
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let r = std::hint::black_box(f());
    COUNTING.store(false, Relaxed);
    let usage = Usage {
        allocations: ALLOCATIONS.load(Relaxed),
        peak_bytes: usize::try_from(PEAK.load(Relaxed)).unwrap_or(0),
    };
    (r, usage)
}
