//! What a document still holds, after a step, that the target version cannot: classes and
//! elements it does not have. Each is a value loss, unless it holds no value (null or
//! empty) or is a coding that the migration back writes again from its code (a marker or
//! a default written without its display, say): those lose only how the record was
//! written, and are reported as lost rather than refused.

use super::steps::{value_set_of, Ctx};
use super::{escape, Change, ChangeKind, Loss};
use crate::model::{ClassDef, ClassKind, ElementType, Model};
use serde_json::{Map, Value};

/// One thing the target cannot hold.
pub(super) struct Residual {
    /// Where, and what.
    pub loss: Loss,
    /// Why losing it loses no value, when it does not.
    pub soft: Option<&'static str>,
}

impl Residual {
    /// The change reported when it is left out.
    pub fn lost_change(&self, to: &Model) -> Change {
        Change {
            kind: ChangeKind::Lost,
            step: self.loss.step.clone(),
            path: self.loss.path.clone(),
            from_path: None,
            class: self.loss.class.clone(),
            element: self.loss.element.clone(),
            detail: format!(
                "MODS {} cannot hold this, and {}; it is left out",
                to.mods_version,
                self.soft.unwrap_or("it is lost")
            ),
        }
    }
}

/// What the document holds that `cx.to` cannot, though `cx.from` could.
pub(super) fn residual(doc: &Value, cx: &Ctx) -> Vec<Residual> {
    let mut out = Vec::new();
    let Some(obj) = doc.as_object() else {
        return out;
    };
    for (k, v) in obj {
        let path = format!("/{}", escape(k));
        let src = cx.from.class(k).filter(|c| c.kind == ClassKind::Record);
        let dst = cx.to.class(k).filter(|c| c.kind == ClassKind::Record);
        match (src, dst) {
            (Some(_), None) => out.push(Residual {
                loss: Loss {
                    step: cx.step.to_owned(),
                    path,
                    class: k.clone(),
                    element: None,
                },
                soft: empty(v),
            }),
            (_, Some(d)) => {
                let s = src.unwrap_or(d);
                match v {
                    Value::Object(inst) if k == "subject_of_care" => {
                        instance(inst, s, d, &path, cx, &mut out)
                    }
                    Value::Array(items) => {
                        for (n, item) in items.iter().enumerate() {
                            if let Value::Object(inst) = item {
                                instance(inst, s, d, &format!("{path}/{n}"), cx, &mut out);
                            }
                        }
                    }
                    _ => {}
                }
            }
            (None, None) => {}
        }
    }
    // values it could hold, but not here: what they depend on changed in the step
    out.extend(super::depends::dependent(doc, cx));
    out
}

fn empty(v: &Value) -> Option<&'static str> {
    let none = match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    none.then_some("it held no value (null or empty)")
}

fn instance(
    inst: &Map<String, Value>,
    src: &'static ClassDef,
    dst: &'static ClassDef,
    path: &str,
    cx: &Ctx,
    out: &mut Vec<Residual>,
) {
    for (k, v) in inst {
        let p = format!("{path}/{}", escape(k));
        // an element the source has, or a marker or default a step wrote on an instance
        // that went back to a class without it
        let known = src.element(k).is_some() || cx.written(dst.technical_name, k).is_some();
        match (src.element(k), dst.element(k)) {
            (_, None) if known => out.push(Residual {
                loss: Loss {
                    step: cx.step.to_owned(),
                    path: p,
                    class: dst.technical_name.to_owned(),
                    element: Some(k.clone()),
                },
                soft: empty(v).or_else(|| rewritten(cx, dst.technical_name, k, v)),
            }),
            (s, Some(d)) if d.ty == ElementType::Group => {
                let comp_d = d.component.and_then(|c| cx.to.class(c));
                let comp_s = s
                    .and_then(|e| e.component)
                    .and_then(|c| cx.from.class(c))
                    .or(comp_d);
                let (Some(cs), Some(cd)) = (comp_s, comp_d) else {
                    continue;
                };
                match v {
                    Value::Object(o) => instance(o, cs, cd, &p, cx, out),
                    Value::Array(items) => {
                        for (n, item) in items.iter().enumerate() {
                            if let Value::Object(o) = item {
                                instance(o, cs, cd, &format!("{p}/{n}"), cx, out);
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Whether `v`, left on an instance of `class`, is a coding that the step the other way
/// writes again from its code: the same code as the value the data sets there, with no
/// display or the value set's, and no system or the value set's.
fn rewritten(cx: &Ctx, class: &str, element: &str, v: &Value) -> Option<&'static str> {
    let (canonical, into) = cx.written(class, element)?;
    let (Value::Object(a), Value::Object(c)) = (v, &canonical) else {
        return None;
    };
    let code = c.get("code")?.as_str()?;
    let vs = value_set_of(cx.upper(), &into, element);
    let ok = a.get("code").and_then(Value::as_str) == Some(code)
        && a.keys()
            .all(|k| matches!(k.as_str(), "code" | "system" | "display"))
        && a.get("system").is_none_or(|s| {
            Some(s) == c.get("system")
                || vs.is_some_and(|vs| vs.systems().any(|sys| s.as_str() == Some(sys)))
        })
        && a.get("display").is_none_or(|d| {
            Some(d) == c.get("display")
                || vs.is_some_and(|vs| d.as_str().is_some() && d.as_str() == vs.display(code))
        });
    ok.then_some("it is a coding the migration back writes again from its code, though not exactly as it was written")
}
