//! Defects already known, each recognised by a precise signature.
//!
//! While a defect is open, fuzzing would meet it again and again and stop there. Each one is
//! therefore recognised precisely (not "any failure of this oracle") and, with
//! [`crate::Config::tolerate_known`], counted instead of reported. Its saved reproducer in
//! `fuzz/regressions/<target>/` is listed in the replay test as known-failing: the replay
//! asserts it still fails with exactly this defect, so the day the fix lands the test says
//! so, and the defect is removed from this list (its reproducer stays, as a plain
//! regression that must pass).

/// A known defect of mods-core. None is open today: each defect fuzzing found is fixed,
/// and its reproducer in `fuzz/regressions/` is a plain regression (docs/fuzzing.md lists
/// them). A new one that cannot be fixed at once is added here as a variant with its
/// signature (an oracle failure recognised precisely in the target that meets it, through
/// `Cx::known`) and its reproducer listed in `KNOWN_FAILING` of the replay test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KnownDefect {}

impl KnownDefect {
    /// Every known defect.
    pub const ALL: [KnownDefect; 0] = [];

    /// A short stable id.
    pub fn id(self) -> &'static str {
        match self {}
    }

    /// One sentence.
    pub fn description(self) -> &'static str {
        match self {}
    }
}
