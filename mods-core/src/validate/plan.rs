//! What the pass knows of a class before it reads an instance of it, worked out once per
//! class of every model (on first use) rather than once per instance or per value: how the
//! instance's keys are matched to its elements, which elements it must hold, and which
//! values it keeps while it is read.

use super::records::read_after_pass;
use crate::checks;
use crate::model::{self, ClassDef, Rule};
use std::sync::OnceLock;

/// The plan of one class.
#[derive(Clone, Copy)]
pub(super) struct Plan {
    /// How keys are matched to elements.
    pub(super) keys: model::ElementKeys,
    /// The elements an instance must hold, one bit each (element `i`: bit `i`).
    pub(super) required: u128,
    /// The elements whose values are kept while an instance is read, one bit each: those
    /// the rules after the pass read (for a record), the country (for postcodes) and those
    /// the class's own rules compare.
    pub(super) kept: u128,
}

impl Plan {
    fn of(class: &'static ClassDef) -> Plan {
        let compared = |name: &str| {
            class.rules.iter().any(|r| match r {
                Rule::DateOrder { earlier, later } => *earlier == name || *later == name,
            })
        };
        let kept = class
            .elements
            .iter()
            .enumerate()
            .filter(|(i, e)| {
                *i < 128
                    && (read_after_pass(e.technical_name)
                        || e.technical_name == checks::COUNTRY_ELEMENT
                        || compared(e.technical_name))
            })
            .fold(0u128, |m, (i, _)| m | 1 << i);
        Plan {
            keys: class.element_keys(),
            required: class.required_elements(),
            kept,
        }
    }
}

/// The plan of `class`: the one worked out for it, if it is a class of a generated model,
/// else made now.
pub(super) fn plan(class: &'static ClassDef) -> Plan {
    static PLANS: OnceLock<Vec<Vec<Plan>>> = OnceLock::new();
    let plans = PLANS.get_or_init(|| {
        model::models()
            .iter()
            .map(|m| m.classes.iter().map(Plan::of).collect())
            .collect()
    });
    class
        .generated_at()
        .and_then(|(m, i)| plans.get(m)?.get(i))
        .copied()
        .unwrap_or_else(|| Plan::of(class))
}

#[cfg(test)]
mod tests {
    use super::{plan, Plan};

    #[test]
    fn the_plans_worked_out_once_are_those_of_their_classes() {
        for m in crate::model::models() {
            for c in m.classes {
                let (p, fresh) = (plan(c), Plan::of(c));
                assert_eq!(
                    (p.required, p.kept),
                    (fresh.required, fresh.kept),
                    "{}",
                    c.name
                );
                for e in c.elements {
                    assert_eq!(
                        p.keys.index(e.technical_name),
                        c.elements
                            .iter()
                            .position(|x| x.technical_name == e.technical_name)
                    );
                }
                // every element the rules after the pass read is kept
                for (i, e) in c.elements.iter().enumerate() {
                    if super::read_after_pass(e.technical_name) {
                        assert!(p.kept & 1 << i != 0, "{} {}", c.name, e.technical_name);
                    }
                }
            }
        }
    }
}
