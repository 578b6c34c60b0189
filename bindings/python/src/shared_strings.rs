//! One Python `str` per distinct short string of a document converted to Python objects.
//!
//! Keys and short values repeat throughout a FHIR Bundle or a record (`url`, `system`,
//! `code`, code systems, extension URLs): each distinct one becomes one Python `str`,
//! shared, whose hash Python computes once. Most of them (every FHIR and MODS key but a
//! few, codes, dates) are at most 15 bytes long: those are packed with their length into
//! one `u128` and found in an open-addressed table by that number, with no hashing of
//! their bytes and no byte-by-byte comparison; longer ones go through a hash map.

use pyo3::prelude::*;
use pyo3::types::PyString;

/// Strings up to this length are shared; longer ones (narrative, notes) rarely repeat.
const SHARED_MAX: usize = 96;

/// The longest string packed into a `u128` (the 16th byte holds the length).
const PACKED_MAX: usize = 15;

/// The table of shared strings of one conversion.
pub struct SharedStrings<'py> {
    py: Python<'py>,
    /// Open addressing, linear probing; a packed string is never 0 (its length byte has
    /// the top bit set), so 0 marks an empty slot.
    packed: Vec<(u128, Option<Bound<'py, PyString>>)>,
    /// Occupied slots of `packed`.
    packed_len: usize,
    longer: rustc_hash::FxHashMap<Box<str>, Bound<'py, PyString>>,
}

impl<'py> SharedStrings<'py> {
    /// An empty table (the packed one small: it doubles as it fills, so a small value
    /// costs little).
    pub fn new(py: Python<'py>) -> Self {
        SharedStrings {
            py,
            packed: vec![(0, None); 64],
            packed_len: 0,
            // a Bundle has a few hundred: no growing from nothing
            longer: rustc_hash::FxHashMap::with_capacity_and_hasher(256, Default::default()),
        }
    }

    /// The Python `str` of `s`: the shared one when `s` is short. A short string met
    /// before (most of them) is found here, inline; the rest out of line.
    #[inline]
    pub fn get(&mut self, s: &str) -> Bound<'py, PyString> {
        if s.len() > PACKED_MAX {
            return self.get_longer(s);
        }
        let key = pack(s.as_bytes());
        let mask = self.packed.len() - 1;
        let mut i = slot(key, mask);
        loop {
            match &self.packed[i] {
                (k, Some(p)) if *k == key => return p.clone(),
                (0, _) => return self.add_packed(key, i, s),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// A string longer than [`PACKED_MAX`]: shared up to [`SHARED_MAX`].
    #[inline(never)]
    fn get_longer(&mut self, s: &str) -> Bound<'py, PyString> {
        if s.len() > SHARED_MAX {
            return PyString::new(self.py, s);
        }
        if let Some(p) = self.longer.get(s) {
            return p.clone();
        }
        let p = PyString::new(self.py, s);
        self.longer.insert(s.into(), p.clone());
        p
    }

    /// A short string not met before, whose packed `key` goes in the empty slot `i`.
    #[inline(never)]
    fn add_packed(&mut self, key: u128, i: usize, s: &str) -> Bound<'py, PyString> {
        let p = PyString::new(self.py, s);
        self.packed[i] = (key, Some(p.clone()));
        self.packed_len += 1;
        // at most half full, so that probes stay short
        if self.packed_len * 2 > self.packed.len() {
            self.grow();
        }
        p
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.packed);
        self.packed = vec![(0, None); old.len() * 2];
        let mask = self.packed.len() - 1;
        for (key, p) in old {
            if key == 0 {
                continue;
            }
            let mut i = slot(key, mask);
            while self.packed[i].0 != 0 {
                i = (i + 1) & mask;
            }
            self.packed[i] = (key, p);
        }
    }
}

/// Up to 15 bytes and their length, as one number (distinct strings, distinct numbers):
/// the bytes in order from the lowest, the length with its top bit set in the 16th byte.
/// Read with loads that may overlap (the first and the last eight, or four), not by copying
/// a slice of unknown length, which costs a call to `memcpy`.
fn pack(b: &[u8]) -> u128 {
    let n = b.len();
    let bytes = if n >= 8 {
        let lo = u64::from_le_bytes(b[..8].try_into().unwrap_or_default());
        let hi = u64::from_le_bytes(b[n - 8..].try_into().unwrap_or_default());
        // the last eight hold bytes 8.. in their top n - 8 bytes
        let tail = hi.checked_shr(8 * (16 - n) as u32).unwrap_or(0);
        u128::from(lo) | u128::from(tail) << 64
    } else if n >= 4 {
        let lo = u32::from_le_bytes(b[..4].try_into().unwrap_or_default());
        let hi = u32::from_le_bytes(b[n - 4..].try_into().unwrap_or_default());
        let tail = hi.checked_shr(8 * (8 - n) as u32).unwrap_or(0);
        u128::from(lo) | u128::from(tail) << 32
    } else {
        b.iter()
            .rev()
            .fold(0u128, |acc, &c| acc << 8 | u128::from(c))
    };
    bytes | u128::from(0x80 | n as u8) << (8 * PACKED_MAX)
}

/// The first slot to look at for a packed string.
fn slot(key: u128, mask: usize) -> usize {
    let lo = key as u64;
    let hi = (key >> 64) as u64;
    let h = (lo ^ hi.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 40) as usize & mask
}
