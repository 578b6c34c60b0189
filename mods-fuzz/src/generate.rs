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
use mods_core::checks::{self, Moment, PartialDate};
use mods_core::model::{
    self, ClassDef, ClassKind, CodeDef, ElementDef, ElementType, IdFormat, Lookup, Model, Rule,
    ValueSetDef,
};
use serde_json::{json, Map, Value};

/// Postcodes in every form validation accepts: Royal Mail postcodes (Gibraltar and the
/// Crown dependencies too), `GIR 0AA`, NHS pseudo-postcodes, BFPO numbers and the overseas
/// territories' postcodes, in their normal form; and written without the space, in lower
/// case or in the 8-character form of the NHS Postcode Directory (valid, with the note
/// `postcode-not-normalised`).
const POSTCODES: &[&str] = &[
    "LS11 5DT",
    "S6 5AY",
    "M20 2RH",
    "WF17 7PA",
    "SW1A 1AA",
    "M1 1AE",
    "GIR 0AA",
    "GX11 1AA",
    "JE2 3AB",
    "GY1 1AA",
    "IM1 1AA",
    "ZZ99 3VZ",
    "ZZ99 6CZ",
    "BFPO 61",
    "BFPO 1234",
    "ASCN 1ZZ",
    "TDCU 1ZZ",
    "LS115DT",
    "ls11 5dt",
    "Sw1a 1aA",
    "M1   1AE",
    "LS1  4AP",
    "bfpo61",
    "zz993vz",
];
/// Postcodes of addresses abroad (an Address whose `country` is not the UK or a Crown
/// dependency): free text.
const FOREIGN_POSTCODES: &[&str] = &["75008", "KY1-1234", "D02 X285", "10115", "HM 12"];
/// ODS codes of any role, and by role (the formats of `IdFormat::Ods*`).
const ODS_CODES: &[&str] = &["RZ7", "RZ701", "VLR4C", "B86016", "Y02494", "8HV48"];
const ODS_GP_PRACTICES: &[&str] = &["B86016", "A81001", "Y02494"];
const ODS_PCNS: &[&str] = &["U12345", "U83402"];
const ODS_TRUSTS: &[&str] = &["RXH", "RZ7", "TAK"];
const ODS_TRUST_SITES: &[&str] = &["RXH01", "RZ701", "TAK01"];
const ODS_SUB_ICBS: &[&str] = &["00Q", "15N", "X2C4Y", "D4U1Y"];
/// BCP 47 language tags for value sets that include the grammar: well-formed, with a
/// registered language, of several shapes (script, region, variant, extension); `iw` is
/// deprecated (valid, with the warning `code-inactive` and the registry's preferred value).
const LANGUAGE_TAGS: &[&str] = &[
    "en-GB",
    "cy",
    "gd-GB",
    "pa-Guru-IN",
    "zh-Hant-HK",
    "sr-Latn-RS",
    "de-CH-1901",
    "en-US-u-islamcal",
    "iw",
];
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
    same_date_of_birth(&mut doc);
    let mut doc = Value::Object(doc);
    if g.src.one_in(6) {
        flaw(g.src, &mut doc);
    }
    doc
}

/// The subject of care's date of birth is the one of the Person demographics record it
/// references (`date-of-birth-mismatch`): that record is given it.
fn same_date_of_birth(doc: &mut Map<String, Value>) {
    const DOB: &str = "date_of_birth";
    let Some(soc) = doc.get("subject_of_care") else {
        return;
    };
    let (Some(dob), Some(uid)) = (
        soc.get(DOB).cloned(),
        soc.get("person_demographics")
            .and_then(Value::as_str)
            .map(str::to_owned),
    ) else {
        return;
    };
    if let Some(Value::Array(pds)) = doc.get_mut("person_demographics") {
        for pd in pds.iter_mut().filter_map(Value::as_object_mut) {
            if pd.get("record_uid").and_then(Value::as_str) == Some(uid.as_str()) {
                pd.insert(DOB.into(), dob.clone());
            }
        }
    }
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
        order_dates(class, &mut o);
        self.abroad(class, &mut o);
        Value::Object(o)
    }

    /// An address abroad (its `country` a code other than the UK's or a Crown
    /// dependency's) may have a postcode of its own country's, free text.
    fn abroad(&mut self, class: &ClassDef, o: &mut Map<String, Value>) {
        let country = o
            .get(checks::COUNTRY_ELEMENT)
            .and_then(|c| c.get("code"))
            .and_then(Value::as_str);
        let abroad = country.is_some_and(|c| !checks::UK_POSTCODE_COUNTRIES.contains(&c));
        let postcode = class
            .elements
            .iter()
            .find(|e| e.format == Some(IdFormat::Postcode));
        if let (true, Some(el)) = (abroad, postcode) {
            if o.contains_key(el.technical_name) && self.src.one_in(2) {
                let p = *self.src.pick(FOREIGN_POSTCODES);
                o.insert(el.technical_name.to_owned(), p.into());
            }
        }
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
            ElementType::Date => date(s, el.partial).into(),
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
                if el.time_optional && s.one_in(3) {
                    // a Change log date may leave the time out
                    return Some(format!("{y:04}-{mo:02}-{d:02}").into());
                }
                let (h, mi) = (s.int(0, 23), s.int(0, 59));
                let sec = match s.int(0, 3) {
                    0 => format!(":{:02}.{:03}", s.int(0, 59), s.int(0, 999)),
                    _ => ":00".to_owned(),
                };
                let off = s.pick(OFFSETS);
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}{sec}{off}").into()
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
                Lookup::ValueSet { value_set, .. } => coding(s, self.model.value_set(value_set)?)?,
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
        IdFormat::OdsGpPractice => (*s.pick(ODS_GP_PRACTICES)).into(),
        IdFormat::OdsPcn => (*s.pick(ODS_PCNS)).into(),
        IdFormat::OdsTrust => (*s.pick(ODS_TRUSTS)).into(),
        IdFormat::OdsTrustSite => (*s.pick(ODS_TRUST_SITES)).into(),
        IdFormat::OdsSubIcb => (*s.pick(ODS_SUB_ICBS)).into(),
        IdFormat::Uprn => (*s.pick(UPRNS)).into(),
        IdFormat::Postcode => (*s.pick(POSTCODES)).into(),
        IdFormat::CqcId => (*s.pick(CQC_IDS)).into(),
        IdFormat::GssCode => (*s.pick(GSS_CODES)).into(),
        IdFormat::Email => (*s.pick(EMAILS)).into(),
        IdFormat::Uid => format!("id-{}", s.int(1, 999)),
    }
}

/// A coding of value set `vs`: a code of one of its code systems (any of them, for a set
/// that spans several), with or without that system and its display; for a system defined
/// by a grammar (BCP 47), a tag of [`LANGUAGE_TAGS`]. Now and then the set's first code,
/// which may be inactive.
fn coding(s: &mut Src<'_, '_>, vs: &'static ValueSetDef) -> Option<Value> {
    let mut c = Map::new();
    let include = s.pick(vs.includes);
    let active: Vec<&CodeDef> = include.codes.iter().filter(|c| !c.inactive).collect();
    let (system, code, display) = if include.grammar.is_some() && (active.is_empty() || s.one_in(2))
    {
        (include.system, *s.pick(LANGUAGE_TAGS), None)
    } else if active.is_empty() || s.one_in(12) {
        let (i, code) = vs.codes().next()?;
        (i.system, code.code, Some(code.display))
    } else {
        let code = *s.pick(&active);
        (include.system, code.code, Some(code.display))
    };
    c.insert("code".into(), code.into());
    if s.one_in(2) {
        c.insert("system".into(), system.into());
    }
    if let (Some(d), true) = (display, s.one_in(2)) {
        c.insert("display".into(), d.into());
    }
    Some(Value::Object(c))
}

/// A date; with `partial`, any of the partial forms too: `YYYY`, `YYYY-MM`, the century
/// `YY`, and without a year `--MM-DD` and `--MM`. Every date lies before [`crate::TODAY`].
fn date(s: &mut Src<'_, '_>, partial: bool) -> String {
    let y = s.int(1930, 2025);
    let (m, d) = (s.int(1, 12), s.int(1, 28));
    match if partial { s.int(0, 5) } else { 0 } {
        1 => format!("{y:04}"),
        2 => format!("{y:04}-{m:02}"),
        3 => format!("{:02}", y / 100),
        4 if m == 2 && s.one_in(4) => "--02-29".to_owned(),
        4 => format!("--{m:02}-{d:02}"),
        5 => format!("--{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// The value of a date element as validation reads it, for the order rules.
fn moment(el: &ElementDef, s: &str) -> Option<Moment> {
    match el.ty {
        ElementType::Date => checks::parse_partial_date(s)
            .filter(|d| el.partial || matches!(d, PartialDate::Date(_)))
            .map(Moment::Date),
        ElementType::DateTime if el.time_optional => checks::parse_date_or_date_time(s),
        ElementType::DateTime => checks::parse_date_time(s).map(Moment::DateTime),
        _ => None,
    }
}

/// Put the dates of `o` in the order the class's rules want. Rules can chain (requested,
/// installed, removed): one pass may undo an earlier rule's order, so pass again until none
/// changes anything. Each pass swaps or removes, like a bubble sort, so one pass more than
/// there are rules settles it.
fn order_dates(class: &ClassDef, o: &mut Map<String, Value>) {
    for _ in 0..=class.rules.len() {
        let before = o.clone();
        for rule in class.rules {
            let Rule::DateOrder { earlier, later } = rule;
            date_order(class, o, earlier, later);
        }
        if *o == before {
            break;
        }
    }
}

/// Put `earlier` and `later` of `o` in order: swapped when both elements take the same
/// forms, else the later (or, when it is required, the earlier) left out.
fn date_order(class: &ClassDef, o: &mut Map<String, Value>, earlier: &str, later: &str) {
    let (Some(ea), Some(eb)) = (class.element(earlier), class.element(later)) else {
        return;
    };
    let at = |o: &Map<String, Value>, el: &ElementDef| {
        o.get(el.technical_name)
            .and_then(Value::as_str)
            .and_then(|s| moment(el, s))
    };
    let (Some(a), Some(b)) = (at(o, ea), at(o, eb)) else {
        return;
    };
    if a.compare(&b) != Some(std::cmp::Ordering::Greater) {
        return;
    }
    let same_forms =
        ea.ty == eb.ty && ea.partial == eb.partial && ea.time_optional == eb.time_optional;
    if same_forms {
        let (x, y) = (o.remove(earlier), o.remove(later));
        if let (Some(x), Some(y)) = (x, y) {
            o.insert(earlier.to_owned(), y);
            o.insert(later.to_owned(), x);
        }
    } else if !eb.occurs.required() {
        o.remove(later);
    } else if !ea.occurs.required() {
        o.remove(earlier);
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

    /// Every identifier, postcode and language tag the generator writes is one validation
    /// accepts, for its format or value set.
    #[test]
    fn fixed_values_are_valid_for_their_format() {
        use mods_core::checks::OdsRole;
        for p in POSTCODES {
            assert!(checks::is_postcode(p), "{p}");
        }
        for p in FOREIGN_POSTCODES {
            assert!(!checks::is_postcode(p), "{p} should need a country abroad");
        }
        let roles: [(&[&str], OdsRole); 6] = [
            (ODS_CODES, OdsRole::Any),
            (ODS_GP_PRACTICES, OdsRole::GpPractice),
            (ODS_PCNS, OdsRole::PrimaryCareNetwork),
            (ODS_TRUSTS, OdsRole::Trust),
            (ODS_TRUST_SITES, OdsRole::TrustSite),
            (ODS_SUB_ICBS, OdsRole::SubIcbLocation),
        ];
        for (codes, role) in roles {
            for c in codes {
                assert!(role.accepts(c), "{c} as {role:?}");
            }
        }
        let languages = model::latest()
            .value_set("language_code")
            .expect("language_code");
        for t in LANGUAGE_TAGS {
            assert!(languages.contains(t), "{t}");
        }
    }

    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }

    /// Across generated records, the forms validation accepts beyond the plain ones all
    /// occur: partial dates of every kind, a Change log date without its time, a
    /// relationship code of each of its code systems, a BCP 47 tag, an ODS code of each
    /// role the model uses, a postcode not in its normal form, a pseudo-postcode, an
    /// address abroad.
    #[test]
    fn generated_records_use_every_accepted_form() {
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0u64..600 {
            let mut z = seed;
            let bytes: Vec<u8> = (0..1500)
                .map(|_| {
                    z = z
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    (z >> 33) as u8
                })
                .collect();
            let doc = record(&mut Unstructured::new(&bytes));
            let mut all = Vec::new();
            strings(&doc, &mut all);
            for s in &all {
                match checks::parse_partial_date(s) {
                    Some(PartialDate::Year(_)) => seen.insert("YYYY"),
                    Some(PartialDate::YearMonth(..)) => seen.insert("YYYY-MM"),
                    Some(PartialDate::Century(_)) => seen.insert("YY"),
                    Some(PartialDate::MonthDay(..)) => seen.insert("--MM-DD"),
                    Some(PartialDate::Month(_)) => seen.insert("--MM"),
                    _ => false,
                };
                let hit = |list: &[&str]| list.contains(&s.as_str());
                if hit(LANGUAGE_TAGS) {
                    seen.insert("BCP 47 tag");
                }
                if hit(ODS_GP_PRACTICES) {
                    seen.insert("GP practice code");
                }
                if hit(ODS_PCNS) {
                    seen.insert("PCN code");
                }
                if hit(ODS_SUB_ICBS) {
                    seen.insert("sub-ICB code");
                }
                if hit(FOREIGN_POSTCODES) {
                    seen.insert("postcode abroad");
                }
                if checks::normalise_postcode(s).is_some_and(|n| n != *s) {
                    seen.insert("postcode not normalised");
                }
                if s.starts_with("ZZ99") {
                    seen.insert("pseudo-postcode");
                }
                for system in ["v2-0131", "v3-RoleCode", "AdditionalPersonRelationshipRole"] {
                    if s.starts_with("http") && s.ends_with(system) {
                        seen.insert(system);
                    }
                }
            }
            let date_only = doc["change_log"].as_array().is_some_and(|a| {
                a.iter().any(|e| {
                    e["date"]
                        .as_str()
                        .is_some_and(|d| checks::parse_date(d).is_some())
                })
            });
            if date_only {
                seen.insert("Change log date without time");
            }
        }
        assert_eq!(seen.len(), 16, "forms seen: {seen:?}");
    }

    #[test]
    fn chained_date_rules_are_all_kept() {
        let m = model::model("1.0").expect("model 1.0");
        let class = m
            .class("assistive_technology")
            .expect("assistive technology");
        let names = ["date_requested", "date_installed", "date_removed"];
        let days = ["2025-01-01", "2025-02-01", "2025-03-01"];
        // every order of the three dates
        for p in [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ] {
            let mut o = Map::new();
            for (n, i) in names.iter().zip(p) {
                o.insert((*n).to_owned(), days[i].into());
            }
            order_dates(class, &mut o);
            let got: Vec<&str> = names.iter().filter_map(|n| o[*n].as_str()).collect();
            assert_eq!(got, days, "from the order {p:?}");
        }
    }

    #[test]
    fn no_bytes_give_a_valid_minimal_record() {
        let mut u = Unstructured::new(&[]);
        let doc = record(&mut u);
        let r = mods_core::validate_record(&doc, &crate::strict());
        assert!(r.valid, "{doc}\n{:?}", r.issues);
    }
}
