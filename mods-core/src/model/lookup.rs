//! Look-ups over the model tables: classes by name, elements by name within a class, value
//! sets by id and listed codes within an include.
//!
//! The tables in `crate::generated` are plain slices in the order of the spec data, which is
//! what documentation, forms and schemas want. Validation asks "which element is this key?"
//! and "is this code listed?" thousands of times per record, so the answers come from
//! functions `mods-codegen` generates from the same spec data (`generated::*_keys`: a switch
//! on a name's length and bytes, then one comparison; see [`Matchers`]), giving positions in
//! the slices. A table is found among the generated ones by its address, which is fixed for
//! the life of the program. Tables built outside `generated` (tests) are searched through
//! hash maps built once, on first use, keyed by the address of the slice they index.

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

/// A name matcher generated from the model: the position of the name `k` in a table.
pub(crate) type Matcher = fn(&[u8]) -> Option<usize>;

/// The matchers `mods-codegen` generated for one model (`generated::MATCHERS`).
pub(crate) struct Matchers {
    /// The model whose tables they index.
    pub(crate) model: &'static Model,
    /// Object keys to positions in `ClassDef::elements`, one matcher per class of
    /// `Model::classes`, in its order.
    pub(crate) elements: &'static [Matcher],
    /// Technical names to positions in `Model::classes`.
    pub(crate) class: Matcher,
    /// Ids to positions in `Model::value_sets`.
    pub(crate) value_set: Matcher,
    /// Codes to positions in `IncludeDef::codes`, one matcher per include of each value set
    /// of `Model::value_sets`, in its order and theirs.
    pub(crate) codes: &'static [&'static [Matcher]],
}

/// The generated matchers of `m`, if it is one of the generated models.
fn matchers(m: &Model) -> Option<&'static Matchers> {
    crate::generated::MATCHERS
        .iter()
        .find(|x| std::ptr::eq(x.model, m))
}

/// The position of `item` in `items`, found by its address (`None`: it is not one of them).
fn position_of<T>(items: &'static [T], item: &T) -> Option<usize> {
    let at = (item as *const T as usize).wrapping_sub(items.as_ptr() as usize)
        / std::mem::size_of::<T>().max(1);
    items.get(at).filter(|x| std::ptr::eq(*x, item)).map(|_| at)
}

pub(super) fn class(m: &Model, key: &str) -> Option<&'static ClassDef> {
    match matchers(m) {
        Some(x) => (x.class)(key.as_bytes()).and_then(|i| x.model.classes.get(i)),
        None => find(m.classes, |ix| &ix.classes, key, |c| c.technical_name),
    }
}

pub(super) fn value_set(m: &Model, key: &str) -> Option<&'static ValueSetDef> {
    match matchers(m) {
        Some(x) => (x.value_set)(key.as_bytes()).and_then(|i| x.model.value_sets.get(i)),
        None => find(m.value_sets, |ix| &ix.value_sets, key, |v| v.id),
    }
}

pub(super) fn element(c: &ClassDef, key: &str) -> Option<&'static super::ElementDef> {
    match element_keys(c) {
        ElementKeys::Generated(f, elements) => f(key.as_bytes()).and_then(|i| elements.get(i)),
        ElementKeys::Table(_) => find(c.elements, |ix| &ix.elements, key, |e| e.technical_name),
    }
}

/// How the codes of each include of a value set are matched: the generated matchers of
/// its includes (in the order of `includes`), when it is one of a generated model's sets.
pub(super) fn code_matchers(vs: &ValueSetDef) -> Option<&'static [Matcher]> {
    crate::generated::MATCHERS.iter().find_map(|x| {
        let i = position_of(x.model.value_sets, vs)?;
        x.codes.get(i).copied()
    })
}

#[cfg(any(test, feature = "legacy-engine"))]
pub(super) fn element_index(c: &ClassDef, key: &str) -> Option<usize> {
    element_keys(c).index(key)
}

/// How the keys of an object of one class are matched to the class's elements: by the
/// function `mods-codegen` generated for the class from the model (a switch on the key's
/// length and bytes, no hashing), or, for a class outside the generated tables (tests), by
/// the hashed look-up. Found once per object, used for each of its keys.
#[derive(Clone, Copy)]
pub(crate) enum ElementKeys {
    Generated(Matcher, &'static [super::ElementDef]),
    Table(&'static [super::ElementDef]),
}

impl ElementKeys {
    /// The position of the element named `key`, if the class has one.
    #[inline]
    pub(crate) fn index(self, key: &str) -> Option<usize> {
        match self {
            ElementKeys::Generated(f, _) => f(key.as_bytes()),
            ElementKeys::Table(elements) => {
                position(elements, |ix| &ix.elements, key, |e| e.technical_name)
            }
        }
    }
}

/// The key matcher of `c`: the generated one of the model whose `classes` hold `c` (found
/// by its address in the slice), else the hashed look-up.
pub(super) fn element_keys(c: &ClassDef) -> ElementKeys {
    class_at(c)
        .and_then(|(m, i)| crate::generated::MATCHERS.get(m)?.elements.get(i))
        .map_or(ElementKeys::Table(c.elements), |f| {
            ElementKeys::Generated(*f, c.elements)
        })
}

/// Where `c` is among the generated models: (the position of its model in
/// `generated::MATCHERS`, its position in the model's `classes`).
pub(super) fn class_at(c: &ClassDef) -> Option<(usize, usize)> {
    crate::generated::MATCHERS
        .iter()
        .enumerate()
        .find_map(|(m, x)| Some((m, position_of(x.model.classes, c)?)))
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
    use super::{element_keys, ElementKeys};

    /// Keys near the element names: each name cut short, made longer, and with each of its
    /// bytes changed; and the names of other classes.
    fn near_names(c: &super::ClassDef) -> Vec<String> {
        let mut keys = vec![String::new(), "x".into(), "\u{e9}".into()];
        for e in c.elements {
            let n = e.technical_name;
            keys.push(n.into());
            keys.push(n[..n.len() - 1].into());
            keys.push(format!("{n}_"));
            keys.push(format!("_{n}"));
            for p in 0..n.len() {
                for sub in ["_", "a", "z", "0", "\u{e9}"] {
                    let mut k = n.to_owned();
                    k.replace_range(p..p + 1, sub);
                    keys.push(k);
                }
            }
        }
        keys
    }

    #[test]
    fn generated_key_matchers_agree_with_a_search_in_order() {
        for m in super::super::models() {
            let others: Vec<&str> = m
                .classes
                .iter()
                .flat_map(|c| c.elements.iter().map(|e| e.technical_name))
                .collect();
            for c in m.classes {
                let ElementKeys::Generated(f, _) = element_keys(c) else {
                    panic!("{} has no generated key matcher", c.name);
                };
                let mut keys = near_names(c);
                keys.extend(others.iter().map(|s| (*s).to_owned()));
                for k in &keys {
                    let in_order = c.elements.iter().position(|e| e.technical_name == k);
                    assert_eq!(f(k.as_bytes()), in_order, "{} key {k:?}", c.name);
                    assert_eq!(c.element_index(k), in_order, "{} key {k:?}", c.name);
                }
            }
        }
    }

    /// Names near `names`: each cut short, made longer, and with each of its bytes changed.
    fn near(names: &[&str]) -> Vec<String> {
        let mut out = vec![String::new(), "\u{e9}".into()];
        for n in names {
            out.push((*n).into());
            out.push(format!("{n}_"));
            out.push(format!("_{n}"));
            for p in 0..n.len() {
                if n.is_char_boundary(p) && n.is_char_boundary(p + 1) {
                    out.push(format!("{}{}", &n[..p], &n[p + 1..]));
                    for sub in ["_", "a", "Z", "0", "-", "\u{e9}"] {
                        out.push(format!("{}{sub}{}", &n[..p], &n[p + 1..]));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn classes_are_found_among_the_generated_models_in_the_order_of_models() {
        let models = super::super::models();
        assert_eq!(crate::generated::MATCHERS.len(), models.len());
        for (n, m) in models.iter().enumerate() {
            assert!(std::ptr::eq(crate::generated::MATCHERS[n].model, *m));
            for (i, c) in m.classes.iter().enumerate() {
                assert_eq!(c.generated_at(), Some((n, i)), "{}", c.name);
            }
        }
    }

    #[test]
    fn generated_class_value_set_and_code_matchers_agree_with_a_search_in_order() {
        for m in super::super::models() {
            assert!(
                super::matchers(m).is_some(),
                "{} has no matchers",
                m.mods_version
            );
            let classes: Vec<&str> = m.classes.iter().map(|c| c.technical_name).collect();
            for k in near(&classes) {
                let in_order = m.classes.iter().find(|c| c.technical_name == k);
                assert_eq!(
                    m.class(&k).map(|c| c as *const _),
                    in_order.map(|c| c as *const _),
                    "class {k:?}"
                );
            }
            let ids: Vec<&str> = m.value_sets.iter().map(|v| v.id).collect();
            for k in near(&ids) {
                let in_order = m.value_sets.iter().find(|v| v.id == k);
                assert_eq!(
                    m.value_set(&k).map(|v| v as *const _),
                    in_order.map(|v| v as *const _),
                    "value set {k:?}"
                );
            }
            for vs in m.value_sets {
                let matchers = super::code_matchers(vs).expect("generated code matchers");
                assert_eq!(matchers.len(), vs.includes.len(), "{}", vs.id);
                for (inc, f) in vs.includes.iter().zip(matchers) {
                    let codes: Vec<&str> = inc.codes.iter().map(|c| c.code).collect();
                    for k in near(&codes) {
                        let in_order = inc.codes.iter().position(|c| c.code == k);
                        assert_eq!(f(k.as_bytes()), in_order, "{} code {k:?}", vs.id);
                        if inc.grammar.is_none() {
                            let listed = match vs.membership(Some(inc.system), &k) {
                                super::super::Membership::Listed(_, c) => Some(c as *const _),
                                _ => None,
                            };
                            let expected = in_order.map(|p| &inc.codes[p] as *const _);
                            assert_eq!(listed, expected, "{} code {k:?}", vs.id);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_class_outside_the_generated_tables_is_matched_by_the_hashed_look_up() {
        let c = &super::super::latest().classes[0];
        let copy: &'static super::ClassDef = Box::leak(Box::new(super::ClassDef {
            name: c.name,
            technical_name: c.technical_name,
            group: c.group,
            parent: c.parent,
            kind: c.kind,
            versioned: c.versioned,
            inherits: c.inherits,
            extension: c.extension,
            description: c.description,
            provenance: super::super::Provenance {
                status: c.provenance.status,
                sources: c.provenance.sources,
                completeness: c.provenance.completeness,
                notes: c.provenance.notes,
            },
            elements: c.elements,
            rules: c.rules,
        }));
        assert!(matches!(element_keys(copy), ElementKeys::Table(_)));
        for e in c.elements {
            assert_eq!(
                copy.element_index(e.technical_name),
                c.element_index(e.technical_name)
            );
        }
        assert_eq!(copy.element_index("no_such_element"), None);
    }

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
                assert!(
                    matches!(super::element_keys(c), super::ElementKeys::Generated(..)),
                    "{} has no generated key matcher",
                    c.name
                );
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
