//! Hashed look-ups over the model tables: classes by name, elements by name within a class,
//! value sets by id and listed codes within an include.
//!
//! The tables in `crate::generated` are plain slices in the order of the spec data, which is
//! what documentation, forms and schemas want. Validation asks "which element is this key?"
//! and "is this code listed?" thousands of times per record, so the answers are read from
//! hash maps built once, on first use, from those same tables (no second copy of the model:
//! the maps hold positions in the slices). A table is keyed by the address of the slice it
//! indexes, which is fixed for the life of the program, so every caller, whichever model
//! version it holds, shares one set of maps.

use super::{ClassDef, CodeDef, IncludeDef, Model, ValueSetDef};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Slices shorter than this are searched in order: it is as fast as hashing.
const LINEAR: usize = 8;

type Names = FxHashMap<&'static str, u32>;

#[derive(Default)]
struct Index {
    /// Keyed by the address of `Model::classes`.
    classes: FxHashMap<usize, Names>,
    /// Keyed by the address of `Model::value_sets`.
    value_sets: FxHashMap<usize, Names>,
    /// Keyed by the address of `ClassDef::elements`.
    elements: FxHashMap<usize, Names>,
    /// Keyed by the address of `IncludeDef::codes`.
    codes: FxHashMap<usize, Names>,
    /// The required elements of each class, one bit each (element `i`: bit `i`); keyed by
    /// the address of `ClassDef::elements`.
    required: FxHashMap<usize, u128>,
}

fn addr<T>(s: &'static [T]) -> usize {
    s.as_ptr() as usize
}

fn names<T>(items: &'static [T], name: impl Fn(&'static T) -> &'static str) -> Names {
    let mut m = Names::default();
    for (i, item) in items.iter().enumerate() {
        // the first of equal names wins, as a search in order would find it
        m.entry(name(item)).or_insert(i as u32);
    }
    m
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut ix = Index::default();
        for m in super::models() {
            ix.classes
                .insert(addr(m.classes), names(m.classes, |c| c.technical_name));
            ix.value_sets
                .insert(addr(m.value_sets), names(m.value_sets, |v| v.id));
            for c in m.classes {
                ix.required.insert(addr(c.elements), required_of(c));
            }
            for c in m.classes.iter().filter(|c| c.elements.len() > LINEAR) {
                ix.elements
                    .insert(addr(c.elements), names(c.elements, |e| e.technical_name));
            }
            for vs in m.value_sets {
                for inc in vs.includes.iter().filter(|i| i.codes.len() > LINEAR) {
                    ix.codes
                        .insert(addr(inc.codes), names(inc.codes, |c| c.code));
                }
            }
        }
        ix
    })
}

/// The position in `items` of the one named `key`: hashed when `table` indexes `items`,
/// else in order.
fn position<T>(
    items: &'static [T],
    table: impl FnOnce(&'static Index) -> &'static FxHashMap<usize, Names>,
    key: &str,
    name: impl Fn(&'static T) -> &'static str,
) -> Option<usize> {
    if items.len() <= LINEAR {
        return items.iter().position(|i| name(i) == key);
    }
    match table(index()).get(&addr(items)) {
        Some(names) => names.get(key).map(|&i| i as usize),
        // a table built outside `models()` (tests): search in order
        None => items.iter().position(|i| name(i) == key),
    }
}

fn find<T>(
    items: &'static [T],
    table: impl FnOnce(&'static Index) -> &'static FxHashMap<usize, Names>,
    key: &str,
    name: impl Fn(&'static T) -> &'static str,
) -> Option<&'static T> {
    position(items, table, key, name).map(|i| &items[i])
}

pub(super) fn class(m: &Model, key: &str) -> Option<&'static ClassDef> {
    find(m.classes, |ix| &ix.classes, key, |c| c.technical_name)
}

pub(super) fn value_set(m: &Model, key: &str) -> Option<&'static ValueSetDef> {
    find(m.value_sets, |ix| &ix.value_sets, key, |v| v.id)
}

pub(super) fn element(c: &ClassDef, key: &str) -> Option<&'static super::ElementDef> {
    find(c.elements, |ix| &ix.elements, key, |e| e.technical_name)
}

pub(super) fn element_index(c: &ClassDef, key: &str) -> Option<usize> {
    position(c.elements, |ix| &ix.elements, key, |e| e.technical_name)
}

fn required_of(c: &ClassDef) -> u128 {
    c.elements
        .iter()
        .enumerate()
        .filter(|(i, e)| *i < 128 && e.occurs.required())
        .fold(0, |m, (i, _)| m | 1 << i)
}

/// The required elements of `c`, one bit each (element `i`: bit `i`; a class has at most
/// 128 elements, which the tests below check).
pub(super) fn required(c: &ClassDef) -> u128 {
    match index().required.get(&addr(c.elements)) {
        Some(&m) => m,
        // a table built outside `models()` (tests)
        None => required_of(c),
    }
}

pub(super) fn code(i: &IncludeDef, key: &str) -> Option<&'static CodeDef> {
    find(i.codes, |ix| &ix.codes, key, |c| c.code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashed_look_ups_agree_with_a_search_in_order() {
        for m in super::super::models() {
            for c in m.classes {
                assert_eq!(
                    m.class(c.technical_name).map(|x| x as *const _),
                    m.classes
                        .iter()
                        .find(|x| x.technical_name == c.technical_name)
                        .map(|x| x as *const _)
                );
                assert_eq!(
                    super::required(c),
                    (0..c.elements.len())
                        .filter(|&i| c.elements[i].occurs.required())
                        .fold(0u128, |m, i| m | 1 << i)
                );
                for e in c.elements {
                    let found = c.element(e.technical_name).unwrap();
                    assert_eq!(found.technical_name, e.technical_name);
                }
                assert!(c.element("no_such_element").is_none());
                // the validator tracks an instance's elements in a 128-bit set
                assert!(c.elements.len() <= 128, "{} has too many elements", c.name);
            }
            for vs in m.value_sets {
                assert_eq!(m.value_set(vs.id).unwrap().id, vs.id);
                for inc in vs.includes {
                    for code in inc.codes {
                        assert_eq!(inc.code(code.code).unwrap().code, code.code);
                    }
                    assert!(inc.code("no such code").is_none());
                }
            }
            assert!(m.class("no_such_class").is_none());
            assert!(m.value_set("no-such-set").is_none());
        }
    }
}
