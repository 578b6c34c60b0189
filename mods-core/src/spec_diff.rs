//! The difference between two MODS versions of the model, as data.
//!
//! [`diff_spec`] lists classes and elements added, removed, retyped, re-occurred and
//! re-bound, and value-set codes added and removed, between two supported versions. Each
//! difference says whether it breaks records written to the older version and which
//! migration step handles it; a test checks that every breaking difference is handled.

use crate::migrate::{migrations, Step};
use crate::model::{self, ClassDef, ClassKind, ElementDef, Lookup, Model, Occurs};
use serde::Serialize;

/// What differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SpecChange {
    /// A class exists only in the newer version.
    ClassAdded {
        /// Technical name.
        class: String,
    },
    /// A class exists only in the older version.
    ClassRemoved {
        /// Technical name.
        class: String,
    },
    /// An element exists only in the newer version.
    ElementAdded {
        /// Class technical name.
        class: String,
        /// Element technical name.
        element: String,
        /// Whether it must occur.
        required: bool,
    },
    /// An element exists only in the older version.
    ElementRemoved {
        /// Class technical name.
        class: String,
        /// Element technical name.
        element: String,
    },
    /// An element's type changed.
    Retyped {
        /// Class technical name.
        class: String,
        /// Element technical name.
        element: String,
        /// Old type.
        from: String,
        /// New type.
        to: String,
    },
    /// An element's occurrence changed.
    Reoccurred {
        /// Class technical name.
        class: String,
        /// Element technical name.
        element: String,
        /// Old occurrence.
        from: String,
        /// New occurrence.
        to: String,
    },
    /// An element's binding or reference targets changed.
    Rebound {
        /// Class technical name.
        class: String,
        /// Element technical name.
        element: String,
        /// Old binding, in words.
        from: String,
        /// New binding, in words.
        to: String,
    },
    /// Codes left a value set.
    CodesRemoved {
        /// Value set id.
        value_set: String,
        /// The codes.
        codes: Vec<String>,
    },
    /// Codes joined a value set.
    CodesAdded {
        /// Value set id.
        value_set: String,
        /// The codes.
        codes: Vec<String>,
    },
}

/// One difference, with its consequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecDiffEntry {
    /// The difference.
    #[serde(flatten)]
    pub change: SpecChange,
    /// Whether records written to the older version may not be valid in the newer one
    /// without a migration.
    pub breaking: bool,
    /// The migration step that handles it, in words, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handled_by: Option<String>,
}

/// The difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecDiff {
    /// The older version.
    pub from: String,
    /// The newer version.
    pub to: String,
    /// Every difference.
    pub entries: Vec<SpecDiffEntry>,
}

/// Compare two supported versions (in either order; the result always runs from the older
/// to the newer). `None` when either version is not supported.
pub fn diff_spec(a: &str, b: &str) -> Option<SpecDiff> {
    let models = model::models();
    let ia = models.iter().position(|m| m.mods_version == a)?;
    let ib = models.iter().position(|m| m.mods_version == b)?;
    let (old, new) = if ia <= ib {
        (models[ia], models[ib])
    } else {
        (models[ib], models[ia])
    };
    let steps: Vec<&'static Step> = migrations()
        .iter()
        .skip_while(|m| m.from != old.mods_version)
        .take_while(|m| m.from != new.mods_version)
        .flat_map(|m| m.steps.iter())
        .collect();
    let mut entries = Vec::new();
    let concrete = |m: &'static Model| m.classes.iter().filter(|c| c.kind != ClassKind::Abstract);
    for c in concrete(old) {
        if new.class(c.technical_name).is_none() {
            entries.push(SpecChange::ClassRemoved {
                class: c.technical_name.into(),
            });
        }
    }
    for c in concrete(new) {
        match old.class(c.technical_name) {
            None => entries.push(SpecChange::ClassAdded {
                class: c.technical_name.into(),
            }),
            Some(o) => compare_class(o, c, &mut entries),
        }
    }
    for vs in new.value_sets {
        if let Some(ovs) = old.value_set(vs.id) {
            // a code is the same code when its system is the same too
            let listed = |v: &'static crate::model::ValueSetDef| {
                v.codes()
                    .map(|(i, c)| (i.system, c.code))
                    .collect::<Vec<_>>()
            };
            let (was, now) = (listed(ovs), listed(vs));
            let removed: Vec<String> = was
                .iter()
                .filter(|k| !now.contains(k))
                .map(|(_, c)| (*c).into())
                .collect();
            let added: Vec<String> = now
                .iter()
                .filter(|k| !was.contains(k))
                .map(|(_, c)| (*c).into())
                .collect();
            if !removed.is_empty() {
                entries.push(SpecChange::CodesRemoved {
                    value_set: vs.id.into(),
                    codes: removed,
                });
            }
            if !added.is_empty() {
                entries.push(SpecChange::CodesAdded {
                    value_set: vs.id.into(),
                    codes: added,
                });
            }
        }
    }
    let entries = entries
        .into_iter()
        .map(|change| {
            let breaking = is_breaking(&change);
            let handled_by = handler(&change, &steps, new);
            SpecDiffEntry {
                change,
                breaking,
                handled_by,
            }
        })
        .collect();
    Some(SpecDiff {
        from: old.mods_version.into(),
        to: new.mods_version.into(),
        entries,
    })
}

fn binding(e: &ElementDef) -> String {
    match &e.lookup {
        Lookup::None => "none".into(),
        Lookup::ValueSet {
            value_set,
            strength,
        } => format!("value set {value_set} ({strength:?})").to_lowercase(),
        Lookup::External {
            system, strength, ..
        } => format!("external {system} ({strength:?})").to_lowercase(),
        Lookup::Reference { targets, .. } => format!("reference to {}", targets.join(" or ")),
    }
}

fn compare_class(old: &ClassDef, new: &ClassDef, out: &mut Vec<SpecChange>) {
    let (c, class) = (new.technical_name, || new.technical_name.to_owned());
    for e in old.elements {
        if new.element(e.technical_name).is_none() {
            out.push(SpecChange::ElementRemoved {
                class: class(),
                element: e.technical_name.into(),
            });
        }
    }
    for e in new.elements {
        let Some(o) = old.element(e.technical_name) else {
            out.push(SpecChange::ElementAdded {
                class: c.into(),
                element: e.technical_name.into(),
                required: e.occurs.required(),
            });
            continue;
        };
        if o.ty != e.ty {
            out.push(SpecChange::Retyped {
                class: class(),
                element: e.technical_name.into(),
                from: o.ty.as_str().into(),
                to: e.ty.as_str().into(),
            });
        }
        if o.occurs != e.occurs {
            out.push(SpecChange::Reoccurred {
                class: class(),
                element: e.technical_name.into(),
                from: o.occurs.as_str().into(),
                to: e.occurs.as_str().into(),
            });
        }
        let (bo, bn) = (binding(o), binding(e));
        if bo != bn {
            out.push(SpecChange::Rebound {
                class: class(),
                element: e.technical_name.into(),
                from: bo,
                to: bn,
            });
        }
    }
}

fn rank(o: Occurs) -> (u8, u8) {
    // (min, max) with max 2 = many
    match o {
        Occurs::One => (1, 1),
        Occurs::Optional => (0, 1),
        Occurs::Many => (0, 2),
        Occurs::OneOrMore => (1, 2),
    }
}

fn occurs_of(s: &str) -> Occurs {
    match s {
        "1..1" => Occurs::One,
        "0..1" => Occurs::Optional,
        "1..*" => Occurs::OneOrMore,
        _ => Occurs::Many,
    }
}

fn is_breaking(c: &SpecChange) -> bool {
    match c {
        SpecChange::ClassAdded { .. } | SpecChange::CodesAdded { .. } => false,
        SpecChange::ElementAdded { required, .. } => *required,
        SpecChange::Reoccurred { from, to, .. } => {
            let (fmin, fmax) = rank(occurs_of(from));
            let (tmin, tmax) = rank(occurs_of(to));
            tmin > fmin || tmax < fmax
        }
        SpecChange::ClassRemoved { .. }
        | SpecChange::ElementRemoved { .. }
        | SpecChange::Retyped { .. }
        | SpecChange::Rebound { .. }
        | SpecChange::CodesRemoved { .. } => true,
    }
}

fn element_bound_to(new: &Model, value_set: &str) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for c in new.classes {
        for e in c.elements {
            if matches!(&e.lookup, Lookup::ValueSet { value_set: v, .. } if *v == value_set) {
                out.push((c.technical_name, e.technical_name));
            }
        }
    }
    out
}

/// The migration step that handles a difference, in words.
fn handler(c: &SpecChange, steps: &[&Step], new: &Model) -> Option<String> {
    let found = steps.iter().find(|s| match (c, s) {
        (SpecChange::ClassRemoved { class }, Step::RenameClass { from, .. }) => class == from,
        (SpecChange::ClassRemoved { class }, Step::MergeClass { from, .. }) => class == from,
        (
            SpecChange::ElementRemoved { class, element },
            Step::RenameElement { class: k, from, .. },
        ) => class == k && element == from,
        (
            SpecChange::ElementRemoved { class, element },
            Step::SplitElement { class: k, from, .. },
        ) => class == k && element == from,
        (
            SpecChange::ElementAdded { class, element, .. },
            Step::DefaultElement {
                class: k,
                element: e,
                ..
            },
        ) => (k == class || *k == "*") && element == e,
        (SpecChange::ElementAdded { class, element, .. }, Step::MergeClass { into, set, .. }) => {
            into == class && set.iter().any(|(k, _)| k == element)
        }
        (
            SpecChange::ElementAdded { class, element, .. },
            Step::RenameElement { class: k, to, .. },
        ) => class == k && element == to,
        (
            SpecChange::ElementAdded { class, element, .. },
            Step::SplitElement {
                class: k,
                first,
                rest,
                ..
            },
        ) => class == k && (element == first || element == rest),
        (
            SpecChange::Reoccurred { class, element, .. },
            Step::SplitElement {
                class: k,
                from,
                first,
                ..
            },
        ) => class == k && (element == from || element == first),
        (SpecChange::Rebound { class, element, .. }, Step::RenameElement { class: k, to, .. }) => {
            class == k && element == to
        }
        (
            SpecChange::CodesRemoved { value_set, codes },
            Step::Recode {
                class,
                element,
                map,
                ..
            },
        ) => {
            element_bound_to(new, value_set).contains(&(class, element))
                && codes
                    .iter()
                    .all(|code| map.iter().any(|(old, _)| old == code))
        }
        _ => false,
    });
    found.map(|s| describe(s))
}

/// A migration step, in words.
pub fn describe(s: &Step) -> String {
    match s {
        Step::RenameClass { from, to, .. } => format!("rename class {from} to {to}"),
        Step::MergeClass {
            from,
            into,
            set: [],
            ..
        } => format!("merge class {from} into {into}"),
        Step::MergeClass {
            from, into, set, ..
        } => format!(
            "merge class {from} into {into}, setting {}",
            set.iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Step::DefaultElement {
            class,
            element,
            value,
            ..
        } => format!("default {class}.{element} to {value}"),
        Step::RenameElement {
            class, from, to, ..
        } => format!("rename {class}.{from} to {to}"),
        Step::SplitElement {
            class,
            from,
            first,
            rest,
            ..
        } => {
            format!("split {class}.{from} into {first} (first) and {rest} (the rest)")
        }
        Step::Recode {
            class,
            element,
            map,
            ..
        } => format!(
            "recode {class}.{element}: {}",
            map.iter()
                .map(|(a, b)| format!("{a} -> {b}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every breaking difference between adjacent versions has a migration step.
    #[test]
    fn every_breaking_difference_has_a_migration_step() {
        let models = model::models();
        for pair in models.windows(2) {
            let d = diff_spec(pair[0].mods_version, pair[1].mods_version).expect("supported");
            let unhandled: Vec<_> = d
                .entries
                .iter()
                .filter(|e| e.breaking && e.handled_by.is_none())
                .map(|e| format!("{:?}", e.change))
                .collect();
            assert!(
                unhandled.is_empty(),
                "{} -> {}: breaking differences without a migration step:\n  {}",
                d.from,
                d.to,
                unhandled.join("\n  ")
            );
            assert!(
                d.entries.iter().any(|e| e.breaking),
                "{} -> {} shows no breaking change",
                d.from,
                d.to
            );
        }
    }

    #[test]
    fn diff_1_0_to_1_1_shows_each_kind_of_evolution() {
        let d = diff_spec("1.1", "1.0").expect("supported");
        assert_eq!((d.from.as_str(), d.to.as_str()), ("1.0", "1.1"));
        let has = |p: &dyn Fn(&SpecChange) -> bool| d.entries.iter().any(|e| p(&e.change));
        assert!(has(
            &|c| matches!(c, SpecChange::ClassAdded { class } if class == "review")
        ));
        assert!(has(
            &|c| matches!(c, SpecChange::ElementRemoved { class, element } if class == "risk" && element == "care_worker")
        ));
        assert!(has(
            &|c| matches!(c, SpecChange::Reoccurred { class, element, .. } if class == "person_name" && element == "given_name")
        ));
        assert!(has(
            &|c| matches!(c, SpecChange::CodesRemoved { value_set, .. } if value_set == "report_reliability")
        ));
        assert!(diff_spec("1.0", "7.0").is_none());
    }
}
