//! A model-driven record generator.
//!
//! Fuzzing raw bytes mostly produces documents that fail to parse or fail the first rule, so
//! the migration and diff oracles, which need valid records, would rarely run. This
//! generator reads the fuzzer's bytes as choices ([`arbitrary::Unstructured`]) and walks the
//! model of a MODS version: which record classes to add, which optional elements to fill,
//! which code of each value set to use. Every value is written the way the rules want it
//! (NHS numbers with their check digit, dates in order, references to records that are in the
//! document), so most records are valid and reach the round trips. Now and then one
//! deliberate flaw is added (an element removed, a wrong type, an unknown key, a copied
//! `record_uid`), so that nearly-valid records are explored too.
//!
//! The generator never fails: when the bytes run out, every further choice takes its first
//! option, which gives the smallest valid record.

use arbitrary::Unstructured;
use mods_core::model::{
    self, ClassDef, ClassKind, ElementDef, ElementType, IdFormat, Lookup, Model, Rule,
};
use serde_json::{json, Map, Value};

/// Identifiers taken from the example records and the conformance corpus, valid there.
const POSTCODES: &[&str] = &[
    "LS11 5DT", "S6 5AY", "M20 2RH", "WF17 7PA", "SW1A 1AA", "M1 1AE",
];
const ODS_CODES: &[&str] = &["RZ7", "RZ701", "VLR4C", "B86016", "Y02494", "8HV48"];
const UPRNS: &[&str] = &["72123456", "100050917736", "83140027", "1"];
const CQC_IDS: &[&str] = &["1-101234567", "1-2209871344", "1-3310487752"];
const GSS_CODES: &[&str] = &["E08000035", "E08000019"];
const EMAILS: &[&str] = &["someone@example.org", "care.team@example.nhs.uk"];
const TEXTS: &[&str] = &[
    "Prefers tea with milk, no sugar",
    "Hard of hearing in the left ear",
    "Walks with a frame; needs one carer",
    "Daughter visits on Sundays",
    "Ate well at lunch",
    "Arthur",
    "Green",
    "Smith",
];
const SNOMED: &[&str] = &["22298006", "38341003", "271737000", "73211009", "161891005"];
const DMD: &[&str] = &["39732311000001104", "322236009", "39113611000001102"];
const OFFSETS: &[&str] = &["Z", "+00:00", "+01:00", "-05:00"];

/// Choices that fall back to their first option when the bytes run out.
struct Src<'u, 'a> {
    u: &'u mut Unstructured<'a>,
}

impl Src<'_, '_> {
    fn int(&mut self, lo: u32, hi: u32) -> u32 {
        self.u.int_in_range(lo..=hi).unwrap_or(lo)
    }
    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        let i = self.int(0, items.len().saturating_sub(1) as u32) as usize;
        &items[i.min(items.len() - 1)]
    }
    /// `true` with probability about 1 in `n`.
    fn one_in(&mut self, n: u32) -> bool {
        self.int(0, n.saturating_sub(1)) == n.saturating_sub(1)
    }
    fn text(&mut self) -> String {
        if self.one_in(5) {
            let s: String = self.u.arbitrary().unwrap_or_default();
            if !s.trim().is_empty() {
                return s.chars().take(40).collect();
            }
        }
        (*self.pick(TEXTS)).to_owned()
    }
}

/// One planned record instance: its class and `record_uid`.
struct Planned {
    class: &'static ClassDef,
    uid: String,
}

struct Gen<'s, 'u, 'a> {
    src: &'s mut Src<'u, 'a>,
    model: &'static Model,
    planned: Vec<Planned>,
}

/// Generate a record document from the fuzzer's bytes.
pub fn record(u: &mut Unstructured<'_>) -> Value {
    let mut src = Src { u };
    let models = model::models();
    let model = *src.pick(models);
    let classes: Vec<&'static ClassDef> = model
        .record_classes()
        .filter(|c| c.technical_name != "subject_of_care")
        .collect();
    let mut planned = vec![];
    if let Some(soc) = model.class("subject_of_care") {
        planned.push(Planned {
            class: soc,
            uid: "soc-1".into(),
        });
    }
    let n = src.int(0, 6);
    for i in 0..n {
        if classes.is_empty() {
            break;
        }
        let class = *src.pick(&classes);
        planned.push(Planned {
            class,
            uid: format!("{}-{}", abbreviation(class.technical_name), i + 1),
        });
    }
    let mut g = Gen {
        src: &mut src,
        model,
        planned,
    };
    let mut doc = Map::new();
    doc.insert("mods_version".into(), model.mods_version.into());
    for i in 0..g.planned.len() {
        let (class, uid) = (g.planned[i].class, g.planned[i].uid.clone());
        let inst = g.instance(class, Some(&uid), 0);
        if class.technical_name == "subject_of_care" {
            doc.insert("subject_of_care".into(), inst);
        } else if let Value::Array(a) = doc
            .entry(class.technical_name)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            a.push(inst);
        }
    }
    let mut doc = Value::Object(doc);
    if g.src.one_in(6) {
        flaw(g.src, &mut doc);
    }
    doc
}

fn abbreviation(technical_name: &str) -> String {
    technical_name
        .split('_')
        .filter_map(|w| w.chars().next())
        .collect()
}

impl Gen<'_, '_, '_> {
    fn instance(&mut self, class: &'static ClassDef, uid: Option<&str>, depth: u32) -> Value {
        let mut o = Map::new();
        for el in class.elements {
            let include = el.occurs.required() || (depth < 3 && self.src.one_in(3));
            if !include {
                continue;
            }
            let v = match el.technical_name {
                "record_uid" => uid.map(Value::from),
                "version_number" => Some(self.src.int(1, 5).into()),
                _ if el.occurs.repeats() => {
                    let n = self.src.int(1, 2);
                    let items: Vec<Value> = (0..n)
                        .filter_map(|_| self.value(class, el, depth))
                        .collect();
                    (!items.is_empty()).then_some(Value::Array(items))
                }
                _ => self.value(class, el, depth),
            };
            if let Some(v) = v {
                o.insert(el.technical_name.to_owned(), v);
            }
        }
        for rule in class.rules {
            let Rule::DateOrder { earlier, later } = rule;
            let (a, b) = (o.get(*earlier).cloned(), o.get(*later).cloned());
            if let (Some(Value::String(x)), Some(Value::String(y))) = (a, b) {
                if x > y && x.len() == y.len() {
                    o.insert((*earlier).to_owned(), y.into());
                    o.insert((*later).to_owned(), x.into());
                }
            }
        }
        Value::Object(o)
    }

    fn value(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        depth: u32,
    ) -> Option<Value> {
        let s = &mut *self.src;
        Some(match el.ty {
            ElementType::Text => match el.format {
                Some(f) => identifier(s, f).into(),
                None => s.text().into(),
            },
            ElementType::Number => {
                let min = el.minimum.unwrap_or(0.0).max(0.0) as u32;
                if el.integer || s.one_in(2) {
                    (min + s.int(0, 24)).into()
                } else {
                    (f64::from(min) + f64::from(s.int(1, 20)) / 4.0).into()
                }
            }
            ElementType::Date => {
                let y = s.int(1930, 2025);
                let (m, d) = (s.int(1, 12), s.int(1, 28));
                match (el.partial, s.int(0, 2)) {
                    (true, 0) => format!("{y:04}").into(),
                    (true, 1) => format!("{y:04}-{m:02}").into(),
                    _ => format!("{y:04}-{m:02}-{d:02}").into(),
                }
            }
            ElementType::Time => {
                let (h, m) = (s.int(0, 23), s.int(0, 59));
                if s.one_in(3) {
                    format!("{h:02}:{m:02}:{:02}", s.int(0, 59)).into()
                } else {
                    format!("{h:02}:{m:02}").into()
                }
            }
            ElementType::DateTime => {
                let (y, mo, d) = (s.int(2000, 2025), s.int(1, 12), s.int(1, 28));
                let (h, mi) = (s.int(0, 23), s.int(0, 59));
                let off = s.pick(OFFSETS);
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00{off}").into()
            }
            ElementType::YesNo => Value::Bool(s.one_in(2)),
            ElementType::Lookup | ElementType::ReferenceCode => match &el.lookup {
                Lookup::Reference { accepts, .. } => {
                    let uids: Vec<String> = self
                        .planned
                        .iter()
                        .filter(|p| accepts.contains(&p.class.technical_name))
                        .map(|p| p.uid.clone())
                        .collect();
                    if uids.is_empty() {
                        if !el.occurs.required() {
                            return None;
                        }
                        "no-such-record".into()
                    } else {
                        self.src.pick(&uids).clone().into()
                    }
                }
                Lookup::ValueSet { value_set, .. } => {
                    let vs = self.model.value_set(value_set)?;
                    let active: Vec<_> = vs.codes.iter().filter(|c| !c.inactive).collect();
                    let code = if active.is_empty() || s.one_in(12) {
                        vs.codes.first()?
                    } else {
                        *s.pick(&active)
                    };
                    let mut c = Map::new();
                    c.insert("code".into(), code.code.into());
                    if s.one_in(2) {
                        c.insert("system".into(), vs.system.into());
                    }
                    if s.one_in(2) {
                        c.insert("display".into(), code.display.into());
                    }
                    Value::Object(c)
                }
                Lookup::External { system, .. } => {
                    let code = if system.contains("dmd") {
                        *s.pick(DMD)
                    } else {
                        *s.pick(SNOMED)
                    };
                    if s.one_in(2) {
                        json!({"code": code, "system": system})
                    } else {
                        json!({"code": code})
                    }
                }
                Lookup::None => s.text().into(),
            },
            ElementType::Group => {
                let comp = el.component.and_then(|c| self.model.class(c))?;
                if comp.kind == ClassKind::Abstract || (depth >= 3 && !el.occurs.required()) {
                    return None;
                }
                let _ = class;
                self.instance(comp, None, depth + 1)
            }
        })
    }
}

fn identifier(s: &mut Src<'_, '_>, f: IdFormat) -> String {
    match f {
        IdFormat::NhsNumber => nhs_number(s),
        IdFormat::OdsCode => (*s.pick(ODS_CODES)).into(),
        IdFormat::Uprn => (*s.pick(UPRNS)).into(),
        IdFormat::Postcode => (*s.pick(POSTCODES)).into(),
        IdFormat::CqcId => (*s.pick(CQC_IDS)).into(),
        IdFormat::GssCode => (*s.pick(GSS_CODES)).into(),
        IdFormat::Email => (*s.pick(EMAILS)).into(),
        IdFormat::Uid => format!("id-{}", s.int(1, 999)),
    }
}

/// A ten-digit NHS number with a correct Modulus 11 check digit.
fn nhs_number(s: &mut Src<'_, '_>) -> String {
    loop {
        let mut d: Vec<u32> = (0..9).map(|_| s.int(0, 9)).collect();
        d[0] = 1 + d[0] % 9;
        if d.iter().all(|&x| x == d[0]) {
            d[1] = (d[0] + 1) % 10;
        }
        let sum: u32 = d.iter().zip((2..=10u32).rev()).map(|(x, w)| x * w).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => {
                // no valid number with this stem: change a digit and try again (the bytes
                // may have run out, so change it deterministically)
                d[8] = (d[8] + 1) % 10;
                let sum: u32 = d.iter().zip((2..=10u32).rev()).map(|(x, w)| x * w).sum();
                match 11 - sum % 11 {
                    11 => 0,
                    10 => continue,
                    n => n,
                }
            }
            n => n,
        };
        return d
            .iter()
            .chain([check].iter())
            .map(|x| char::from(b'0' + *x as u8))
            .collect();
    }
}

/// One deliberate flaw, so that nearly-valid records are explored too.
fn flaw(s: &mut Src<'_, '_>, doc: &mut Value) {
    let Some(o) = doc.as_object_mut() else { return };
    let keys: Vec<String> = o.keys().filter(|k| *k != "mods_version").cloned().collect();
    if keys.is_empty() {
        return;
    }
    let key = s.pick(&keys).clone();
    let Some(target) = o.get_mut(&key) else {
        return;
    };
    let inst = match target {
        Value::Array(a) if !a.is_empty() => {
            let i = s.int(0, a.len() as u32 - 1) as usize;
            if s.one_in(4) {
                // a second instance with the same record_uid
                let copy = a[i].clone();
                a.push(copy);
                return;
            }
            &mut a[i]
        }
        other => other,
    };
    let Some(inst) = inst.as_object_mut() else {
        return;
    };
    let elements: Vec<String> = inst.keys().cloned().collect();
    match s.int(0, 2) {
        0 if !elements.is_empty() => {
            let k = s.pick(&elements).clone();
            inst.remove(&k);
        }
        1 if !elements.is_empty() => {
            let k = s.pick(&elements).clone();
            inst.insert(k, json!(12));
        }
        _ => {
            inst.insert("not_an_element".into(), "x".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_pass_their_check() {
        for seed in 0u8..=255 {
            let bytes: Vec<u8> = (0..64)
                .map(|i| seed.wrapping_mul(31).wrapping_add(i))
                .collect();
            let mut u = Unstructured::new(&bytes);
            let n = nhs_number(&mut Src { u: &mut u });
            assert_eq!(mods_core::checks::check_nhs_number(&n), Ok(()), "{n}");
        }
    }

    #[test]
    fn no_bytes_give_a_valid_minimal_record() {
        let mut u = Unstructured::new(&[]);
        let doc = record(&mut u);
        let r = mods_core::validate_record(&doc, &mods_core::ValidationOptions::strict());
        assert!(r.valid, "{doc}\n{:?}", r.issues);
    }
}
