//! Small-number suppression of counts, following the NHS England (NHS Digital) disclosure
//! control methodology adopted in September 2018 for Hospital Episode Statistics and the
//! Emergency Care Data Set and since applied to other collections: below national level,
//! counts of 1 to 7 are replaced by `*` and every other count is rounded to the nearest 5.
//!
//! Rounding every shown count is what makes secondary suppression unnecessary: a suppressed
//! cell cannot be recovered by subtracting the other cells from a total, because the total
//! and the other cells are rounded too. Zero is shown as 0 (a count of nobody discloses
//! no one). See `docs/mi.md`.

use serde::{Deserialize, Serialize};

/// How counts are protected before they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Suppression {
    /// Counts from 1 to this are replaced by `*` (`null` in JSON); 0 turns this off.
    pub threshold: u64,
    /// Other counts are rounded to the nearest multiple of this (halves up); 1 or 0 leaves
    /// them as they are.
    pub round_to: u64,
}

impl Default for Suppression {
    /// The NHS England convention: `*` for 1 to 7, others to the nearest 5.
    fn default() -> Self {
        Suppression {
            threshold: 7,
            round_to: 5,
        }
    }
}

impl Suppression {
    /// No protection: exact counts (national-level figures, or checking one's own data).
    pub const NONE: Suppression = Suppression {
        threshold: 0,
        round_to: 1,
    };

    /// Whether counts are shown as they are.
    pub fn is_none(&self) -> bool {
        self.threshold == 0 && self.round_to <= 1
    }

    /// The count as it may be shown: `None` when suppressed.
    pub fn apply(&self, count: u64) -> Option<u64> {
        if count == 0 {
            return Some(0);
        }
        if count <= self.threshold {
            return None;
        }
        if self.round_to <= 1 {
            return Some(count);
        }
        let r = self.round_to;
        Some((count + r / 2) / r * r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_to_seven_are_hidden_and_the_rest_rounded_to_five() {
        let s = Suppression::default();
        assert_eq!(s.apply(0), Some(0));
        for n in 1..=7 {
            assert_eq!(s.apply(n), None, "{n}");
        }
        assert_eq!(s.apply(8), Some(10));
        assert_eq!(s.apply(12), Some(10));
        assert_eq!(s.apply(13), Some(15));
        assert_eq!(s.apply(1234), Some(1235));
        assert_eq!(Suppression::NONE.apply(3), Some(3));
        let s = Suppression {
            threshold: 9,
            round_to: 10,
        };
        assert_eq!(s.apply(9), None);
        assert_eq!(s.apply(15), Some(20));
    }
}
