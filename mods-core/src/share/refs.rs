//! References in an instance, removed when the record they name is not in the view.

use crate::model::{ClassDef, ElementType, Lookup, Model};
use serde_json::{Map, Value};

/// Remove from an instance of `class` (components included) every reference for which
/// `keep` is false. Each removal is pushed to `removed` as the element's name (a
/// component's element as `group.element`, a component item removed whole as `group`).
///
/// Fails with the element when a required element would be left without a value: the
/// instance cannot stay in the view.
pub(super) fn strip(
    model: &'static Model,
    class: &'static ClassDef,
    instance: &mut Map<String, Value>,
    keep: &dyn Fn(&str) -> bool,
    removed: &mut Vec<String>,
) -> Result<(), &'static str> {
    for el in class.elements {
        let name = el.technical_name;
        let Some(v) = instance.get_mut(name) else {
            continue;
        };
        let emptied = match (&el.lookup, el.ty) {
            (Lookup::Reference { .. }, _) => match v {
                Value::String(s) if !keep(s) => {
                    removed.push(name.to_owned());
                    true
                }
                Value::Array(items) => {
                    let before = items.len();
                    items.retain(|x| x.as_str().is_none_or(keep));
                    for _ in items.len()..before {
                        removed.push(name.to_owned());
                    }
                    items.is_empty() && before > 0
                }
                _ => false,
            },
            (_, ElementType::Group) => {
                let Some(c) = el.component.and_then(|c| model.class(c)) else {
                    continue;
                };
                // a component item that cannot keep a required reference goes whole
                let mut item = |m: &mut Map<String, Value>| {
                    let mut inner = Vec::new();
                    match strip(model, c, m, keep, &mut inner) {
                        Ok(()) => {
                            removed.extend(inner.into_iter().map(|e| format!("{name}.{e}")));
                            true
                        }
                        Err(_) => {
                            removed.push(name.to_owned());
                            false
                        }
                    }
                };
                match v {
                    Value::Object(m) => !item(m),
                    Value::Array(items) => {
                        let before = items.len();
                        items.retain_mut(|x| match x {
                            Value::Object(m) => item(m),
                            _ => true,
                        });
                        items.is_empty() && before > 0
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        if emptied {
            if el.occurs.required() {
                return Err(name);
            }
            instance.remove(name);
        }
    }
    Ok(())
}
