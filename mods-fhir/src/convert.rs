//! Converters: one MODS value to its FHIR form, and back.
//!
//! Export converters return `None` when FHIR cannot hold the value in the mapped form (the
//! engine then keeps it in the element extension). Import converters read a FHIR node,
//! mark what they used in [`Consumed`], and return the MODS value, or a problem.

use crate::path::{escape, Consumed};
use crate::systems;
use mods_core::model::{ElementDef, ElementType, Lookup};
use serde_json::{json, Map, Value};

/// What the converters need to know about the record around a value.
pub trait Refs {
    /// The `fullUrl` of the resource for a record uid, if it is in the export.
    fn full_url(&self, uid: &str) -> Option<String>;
    /// The record uid a FHIR reference resolves to, and the MODS class of its target.
    fn resolve(&self, reference: &Value) -> Result<(String, String), String>;
}

/// The system a coded value of this element has when it leaves `system` out.
pub fn default_system(el: &ElementDef) -> Option<&'static str> {
    match &el.lookup {
        Lookup::ValueSet { value_set, .. } => mods_core::model::latest()
            .value_set(value_set)
            .and_then(|vs| vs.single_system()),
        Lookup::External { system, .. } => Some(system),
        _ => None,
    }
}

/// Whether FHIR can carry this text as a `string`: not empty, not only white space, and no
/// control characters but tab, carriage return and line feed.
pub fn string_ok(s: &str) -> bool {
    !s.trim().is_empty()
        && s.chars()
            .all(|c| matches!(c, '\t' | '\r' | '\n') || c >= ' ')
}

/// An absolute URL FHIR can carry as a `url`: a scheme of two or more characters (so not a
/// Windows drive letter), a colon, then something, and no white space or control characters.
pub fn is_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn text(v: &Value) -> Option<&str> {
    v.as_str().filter(|s| string_ok(s))
}

fn is_fhir_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

fn is_fhir_time(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if b.len() < 8
        || !(d(0) && d(1) && b[2] == b':' && d(3) && d(4) && b[5] == b':' && d(6) && d(7))
    {
        return false;
    }
    if b.len() == 8 {
        return true;
    }
    b[8] == b'.' && b.len() > 9 && b[9..].iter().all(u8::is_ascii_digit)
}

/// `hh:mm` gets `:00`; FHIR `time` needs seconds.
fn time_out(s: &str) -> Option<String> {
    let full = if s.len() == 5 {
        let mut t = String::with_capacity(8);
        t.push_str(s);
        t.push_str(":00");
        t
    } else {
        s.to_string()
    };
    is_fhir_time(&full).then_some(full)
}

/// FHIR's `hh:mm:00` is MODS `hh:mm`.
fn time_in(s: &str) -> String {
    match s.strip_suffix(":00") {
        Some(short) if s.len() == 8 => short.to_string(),
        _ => s.to_string(),
    }
}

/// A MODS date-time in FHIR `dateTime` form: a date alone, or a date and time with an
/// offset (seconds added when left out; `Z` kept).
fn date_time_out(s: &str) -> Option<String> {
    if is_fhir_date(s) {
        return Some(s.to_string());
    }
    let (date, rest) = s.split_once('T')?;
    if date.len() != 10 || !is_fhir_date(date) {
        return None;
    }
    let zpos = rest.find(['Z', '+', '-'])?;
    let (time, zone) = rest.split_at(zpos);
    let time = time_out(time)?;
    let zone_ok = zone == "Z"
        || (zone.len() == 6
            && zone.as_bytes()[3] == b':'
            && zone.as_bytes()[1..3].iter().all(u8::is_ascii_digit)
            && zone.as_bytes()[4..].iter().all(u8::is_ascii_digit));
    zone_ok.then(|| {
        let mut t = String::with_capacity(date.len() + 1 + time.len() + zone.len());
        t.push_str(date);
        t.push('T');
        t.push_str(&time);
        t.push_str(zone);
        t
    })
}

/// FHIR `dateTime` back to MODS: `:00` seconds left out again.
fn date_time_in(s: &str) -> String {
    if let Some((date, rest)) = s.split_once('T') {
        if let Some(zpos) = rest.find(['Z', '+', '-']) {
            let (time, zone) = rest.split_at(zpos);
            return format!("{date}T{}{zone}", time_in(time));
        }
    }
    s.to_string()
}

/// The FHIR form of one MODS value.
#[derive(Debug, Clone, PartialEq)]
pub struct Out {
    /// The value at the path.
    pub value: Value,
    /// A primitive extension for the `_name` sibling (the MODS coding, exactly).
    pub sidecar: Option<Value>,
}

impl Out {
    fn plain(value: Value) -> Option<Out> {
        Some(Out {
            value,
            sidecar: None,
        })
    }
}

fn coding_exact_ext(v: &Value) -> Value {
    obj([(
        "extension",
        Value::Array(vec![obj([
            ("url", Value::from(systems::MODS_CODING)),
            ("valueCoding", v.clone()),
        ])]),
    )])
}

/// An object of these members, each moved in: `json!` would write a `Value` or `String`
/// member out again (through `Serialize`, a deep copy) before dropping it.
pub(crate) fn obj<const N: usize>(members: [(&str, Value); N]) -> Value {
    let mut m = Map::new();
    for (k, v) in members {
        m.insert(k.to_string(), v);
    }
    Value::Object(m)
}

/// Whether reading back `out`, the one FHIR value [`export`] wrote for the MODS value `v`,
/// gives `v` exactly, for the converters whose reading is a function of that value alone
/// (what [`import`] does with it, without the resource around it): `Code` (the exact coding
/// in the sidecar, or the MODS code the FHIR code maps back to), `DateTime` and `Instant`
/// (seconds `:00` left out again), `Time`, and the components: `HumanName` and `Address`
/// (each member the writing accepts has a place of its own, read back as written) and the
/// contact details (each member in the shape reading makes). `None` for the other
/// converters: the export reads those back from a scratch resource.
pub fn exact_by_rule(
    conv: crate::mapping::Conv,
    v: &Value,
    out: &Out,
    map: &std::collections::BTreeMap<String, String>,
) -> Option<bool> {
    use crate::mapping::Conv::*;
    match conv {
        // `human_name_out` and `address_out` refuse a member they have no place for, a
        // code without its sidecar when it has more than a code, a list or a date FHIR
        // cannot hold: whatever they write, reading gives back, but for a name or address
        // without a single value (`{}`, `{"given": []}`), which reading passes over as read
        HumanName | Address if out.sidecar.is_none() => {
            return Some(out.value.is_object() && has_leaf(&out.value))
        }
        ContactDetails | OrganisationContactDetails if out.sidecar.is_none() => {
            return Some(contact_exact(v))
        }
        _ => {}
    }
    let written = out.value.as_str()?;
    Some(match conv {
        // the sidecar holds `v` itself, and reading takes it first
        Code if out.sidecar.is_some() => true,
        Code => {
            let back = map
                .iter()
                .find(|(_, f)| f.as_str() == written)
                .map(|(m, _)| m.as_str())
                .unwrap_or(written);
            v.get("code").and_then(Value::as_str) == Some(back)
        }
        DateTime | Instant if out.sidecar.is_none() => {
            date_time_out(written).is_some() && v.as_str() == Some(&date_time_in(written))
        }
        Time if out.sidecar.is_none() => {
            is_fhir_time(written) && v.as_str() == Some(&time_in(written))
        }
        _ => return None,
    })
}

/// Whether a value holds a value that is neither an object nor an array (what reading
/// looks for: a node without one counts as read already).
fn has_leaf(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.values().any(has_leaf),
        Value::Array(a) => a.iter().any(has_leaf),
        _ => true,
    }
}

/// Whether contact details `contact_out` accepted read back exactly: each telephone one
/// text (the reading takes one item per number), each repeating method (e-mail, other) a
/// list of at least one (the reading makes a list), the preferred method a code with at
/// most its display, the preferred times a text, and something to write at all (reading
/// nothing gives no contact details).
fn contact_exact(v: &Value) -> bool {
    let Some(o) = v.as_object() else {
        return false;
    };
    !o.is_empty()
        && o.iter().all(|(k, x)| match k.as_str() {
            "home_telephone" | "mobile_telephone" | "work_telephone" => x.is_string(),
            "email_address" | "other_contact_method" => x.as_array().is_some_and(|a| !a.is_empty()),
            "preferred_contact_method" => x.as_object().is_some_and(|c| {
                c.get("code").is_some_and(Value::is_string)
                    && c.keys().all(|k| k == "code" || k == "display")
            }),
            "preferred_contact_times" => x.is_string(),
            _ => false,
        })
}

/// Export one MODS value with converter `conv`. `map`: MODS code to FHIR code.
pub fn export(
    conv: crate::mapping::Conv,
    el: &ElementDef,
    v: &Value,
    map: &std::collections::BTreeMap<String, String>,
    refs: &dyn Refs,
) -> Option<Out> {
    use crate::mapping::Conv::*;
    match conv {
        String | Identifier => Out::plain(json!(text(v)?)),
        Url => Out::plain(json!(v.as_str().filter(|s| is_url(s))?)),
        Boolean => v.is_boolean().then(|| Out::plain(v.clone()))?,
        Decimal => v.is_number().then(|| Out::plain(v.clone()))?,
        Integer => (v.is_u64() || v.is_i64()).then(|| Out::plain(v.clone()))?,
        Date => {
            let s = v.as_str()?;
            is_fhir_date(s).then(|| Out::plain(json!(s)))?
        }
        DateTime => Out::plain(Value::String(date_time_out(v.as_str()?)?)),
        Instant => {
            let t = date_time_out(v.as_str()?)?;
            t.contains('T').then(|| Out::plain(Value::String(t)))?
        }
        Time => Out::plain(Value::String(time_out(v.as_str()?)?)),
        Code => {
            let code = v.get("code")?.as_str()?;
            let fhir = map
                .get(code)
                .map(std::string::String::as_str)
                .unwrap_or(code);
            let canonical = json!({ "code": code });
            let sidecar = (v != &canonical).then(|| coding_exact_ext(v));
            Some(Out {
                value: json!(fhir),
                sidecar,
            })
        }
        Coding => Out::plain(coding_out(el, v)?),
        CodeableConcept => Out::plain(obj([("coding", Value::Array(vec![coding_out(el, v)?]))])),
        Reference => Out::plain(reference_out(v.as_str()?, refs)),
        HumanName => Out::plain(human_name_out(v)?),
        Address => Out::plain(address_out(v)?),
        ContactDetails => Out::plain(contact_out(v, false)?),
        OrganisationContactDetails => Out::plain(contact_out(v, true)?),
    }
}

/// A MODS reference as a FHIR Reference: to the entry when the target is exported, a
/// logical reference by record uid otherwise.
pub fn reference_out(uid: &str, refs: &dyn Refs) -> Value {
    match refs.full_url(uid) {
        Some(url) => obj([("reference", Value::String(url))]),
        None => json!({ "identifier": { "system": systems::RECORD_UID, "value": uid } }),
    }
}

/// A MODS coded value as a FHIR Coding: the bound system written when the value leaves it
/// out; written out although it is the bound one, the system carries [`systems::SYSTEM_WRITTEN`].
pub fn coding_out(el: &ElementDef, v: &Value) -> Option<Value> {
    let o = v.as_object()?;
    let code = o.get("code")?.as_str()?;
    let mut c = Map::new();
    let default = default_system(el);
    match (o.get("system").and_then(Value::as_str), default) {
        (Some(s), Some(d)) if s == d => {
            c.insert("system".into(), json!(s));
            c.insert(
                "_system".into(),
                json!({"extension": [{"url": systems::SYSTEM_WRITTEN, "valueBoolean": true}]}),
            );
        }
        (Some(s), _) => {
            c.insert("system".into(), json!(s));
        }
        (None, Some(d)) => {
            c.insert("system".into(), json!(d));
        }
        (None, None) => {}
    }
    c.insert("code".into(), json!(code));
    if let Some(d) = o.get("display") {
        c.insert("display".into(), d.clone());
    }
    if o.keys()
        .any(|k| !matches!(k.as_str(), "code" | "system" | "display"))
    {
        return None;
    }
    Some(Value::Object(c))
}

/// What went wrong reading a FHIR node.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Stable issue code.
    pub code: &'static str,
    /// JSON pointer (relative to the resource) of the node.
    pub pointer: String,
    /// Message, without the person's data.
    pub message: String,
}

fn problem(code: &'static str, pointer: &str, message: impl Into<String>) -> Problem {
    Problem {
        code,
        pointer: pointer.to_string(),
        message: message.into(),
    }
}

/// Read side: context of one node.
pub struct In<'a> {
    /// The element being filled.
    pub el: &'static ElementDef,
    /// Reference resolution.
    pub refs: &'a dyn Refs,
    /// Parts read.
    pub consumed: &'a mut Consumed,
    /// Problems met.
    pub problems: &'a mut Vec<Problem>,
}

fn primitive<'v>(
    node: &'v Value,
    ptr: &str,
    cx: &mut In<'_>,
    pred: fn(&Value) -> bool,
    what: &str,
) -> Option<&'v Value> {
    if pred(node) {
        cx.consumed.mark(ptr.to_string());
        Some(node)
    } else {
        cx.problems.push(problem(
            "fhir-value-invalid",
            ptr,
            format!(
                "expected {what} for MODS element `{}`",
                cx.el.technical_name
            ),
        ));
        None
    }
}

/// The `_name` sibling of a pointer's last segment.
fn sidecar_ptr(ptr: &str) -> Option<(String, String)> {
    let (parent, last) = ptr.rsplit_once('/')?;
    if last.parse::<usize>().is_ok() {
        return None;
    }
    Some((parent.to_string(), format!("_{last}")))
}

/// Import one FHIR node with converter `conv`; `root` is the resource (for `_name` siblings).
pub fn import(
    conv: crate::mapping::Conv,
    node: &Value,
    ptr: &str,
    root: &Value,
    map: &std::collections::BTreeMap<String, String>,
    cx: &mut In<'_>,
) -> Option<Value> {
    use crate::mapping::Conv::*;
    match conv {
        String | Identifier | Url => {
            primitive(node, ptr, cx, Value::is_string, "a string").cloned()
        }
        Boolean => primitive(node, ptr, cx, Value::is_boolean, "a boolean").cloned(),
        Decimal => primitive(node, ptr, cx, Value::is_number, "a number").cloned(),
        Integer => primitive(
            node,
            ptr,
            cx,
            |v| v.is_u64() || v.is_i64(),
            "a whole number",
        )
        .cloned(),
        Date => {
            let s = primitive(
                node,
                ptr,
                cx,
                |v| {
                    v.as_str()
                        .is_some_and(|s| is_fhir_date(s) || date_time_out(s).is_some())
                },
                "a FHIR date",
            )?
            .as_str()?;
            if is_fhir_date(s) {
                return Some(json!(s));
            }
            // a dateTime where MODS holds a date (PDS's deceasedDateTime): the date, and a
            // report that the time of day is not kept
            cx.problems.push(problem(
                "fhir-value-truncated",
                ptr,
                format!(
                    "MODS element `{}` holds a date: the time of day is not kept",
                    cx.el.technical_name
                ),
            ));
            s.split_once('T').map(|(d, _)| json!(d))
        }
        DateTime | Instant => {
            let s = primitive(
                node,
                ptr,
                cx,
                |v| v.as_str().is_some_and(|s| date_time_out(s).is_some()),
                "a FHIR dateTime",
            )?;
            Some(json!(date_time_in(s.as_str()?)))
        }
        Time => {
            let s = primitive(
                node,
                ptr,
                cx,
                |v| v.as_str().is_some_and(is_fhir_time),
                "a FHIR time",
            )?;
            Some(json!(time_in(s.as_str()?)))
        }
        Code => {
            let code = primitive(node, ptr, cx, Value::is_string, "a code")?.as_str()?;
            if let Some((parent, sib)) = sidecar_ptr(ptr) {
                let sib_ptr = format!("{parent}/{}", escape(&sib));
                if let Some(exact) = root
                    .pointer(&sib_ptr)
                    .and_then(|s| s.get("extension"))
                    .and_then(Value::as_array)
                    .and_then(|a| {
                        a.iter().find(|e| {
                            e.get("url").and_then(Value::as_str) == Some(systems::MODS_CODING)
                        })
                    })
                    .and_then(|e| e.get("valueCoding"))
                {
                    cx.consumed.mark(sib_ptr);
                    return Some(exact.clone());
                }
            }
            let mods = map
                .iter()
                .find(|(_, f)| f.as_str() == code)
                .map(|(m, _)| m.as_str())
                .unwrap_or(code);
            Some(json!({ "code": mods }))
        }
        Coding => coding_in(node, ptr, cx),
        CodeableConcept => {
            let codings = node.get("coding").and_then(Value::as_array)?;
            let systems: Vec<&str> = match &cx.el.lookup {
                Lookup::ValueSet { value_set, .. } => mods_core::model::latest()
                    .value_set(value_set)
                    .map(|vs| vs.systems().collect())
                    .unwrap_or_default(),
                Lookup::External { system, .. } => vec![*system],
                _ => vec![],
            };
            let pick = codings
                .iter()
                .position(|c| {
                    c.get("system")
                        .and_then(Value::as_str)
                        .is_some_and(|s| systems.contains(&s))
                })
                .or(if codings.is_empty() { None } else { Some(0) })?;
            coding_in(&codings[pick], &format!("{ptr}/coding/{pick}"), cx)
        }
        Reference => {
            cx.consumed.mark(ptr.to_string());
            match cx.refs.resolve(node) {
                Ok((uid, class)) => {
                    if let Lookup::Reference { accepts, .. } = &cx.el.lookup {
                        if !accepts.contains(&class.as_str()) {
                            cx.problems.push(problem(
                                "fhir-reference-wrong-target",
                                ptr,
                                format!(
                                    "the reference resolves to a MODS {class}, which `{}` does not accept",
                                    cx.el.technical_name
                                ),
                            ));
                            return None;
                        }
                    }
                    Some(json!(uid))
                }
                Err(why) => {
                    cx.problems
                        .push(problem("fhir-reference-unresolved", ptr, why));
                    None
                }
            }
        }
        HumanName => human_name_in(node, ptr, cx),
        Address => address_in(node, ptr, cx),
        ContactDetails | OrganisationContactDetails => contact_in(node, ptr, cx),
    }
}

/// A FHIR Coding back to a MODS coded value (system left out when it is the bound one).
fn coding_in(node: &Value, ptr: &str, cx: &mut In<'_>) -> Option<Value> {
    let o = node.as_object()?;
    let code = o.get("code").and_then(Value::as_str)?;
    let mut m = Map::new();
    m.insert("code".into(), json!(code));
    cx.consumed.mark(format!("{ptr}/code"));
    if let Some(s) = o.get("system").and_then(Value::as_str) {
        cx.consumed.mark(format!("{ptr}/system"));
        let written = o
            .get("_system")
            .and_then(|x| x.get("extension"))
            .and_then(Value::as_array)
            .is_some_and(|a| {
                a.iter()
                    .any(|e| e.get("url").and_then(Value::as_str) == Some(systems::SYSTEM_WRITTEN))
            });
        if written {
            cx.consumed.mark(format!("{ptr}/_system"));
        }
        if written || default_system(cx.el) != Some(s) {
            m.insert("system".into(), json!(s));
        }
    }
    if let Some(d) = o.get("display") {
        cx.consumed.mark(format!("{ptr}/display"));
        m.insert("display".into(), d.clone());
    }
    Some(Value::Object(m))
}

// --- components -------------------------------------------------------------------------

fn comp_code_out(v: Option<&Value>, out: &mut Map<String, Value>, key: &str) -> Option<()> {
    if let Some(v) = v {
        let code = v.get("code")?.as_str()?;
        out.insert(key.into(), json!(code));
        if v != &json!({ "code": code }) {
            out.insert(format!("_{key}"), coding_exact_ext(v));
        }
    }
    Some(())
}

fn comp_code_in(o: &Map<String, Value>, key: &str, ptr: &str, cx: &mut In<'_>) -> Option<Value> {
    let code = o.get(key)?.as_str()?;
    cx.consumed.mark(format!("{ptr}/{key}"));
    let exact = o
        .get(&format!("_{key}"))
        .and_then(|x| x.get("extension"))
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .find(|e| e.get("url").and_then(Value::as_str) == Some(systems::MODS_CODING))
        })
        .and_then(|e| e.get("valueCoding"));
    if let Some(exact) = exact {
        cx.consumed.mark(format!("{ptr}/_{key}"));
        return Some(exact.clone());
    }
    Some(json!({ "code": code }))
}

fn period_out(
    from: Option<&Value>,
    to: Option<&Value>,
    out: &mut Map<String, Value>,
) -> Option<()> {
    let mut p = Map::new();
    for (k, v) in [("start", from), ("end", to)] {
        if let Some(v) = v {
            let s = v.as_str()?;
            if !is_fhir_date(s) {
                return None;
            }
            p.insert(k.into(), json!(s));
        }
    }
    if !p.is_empty() {
        out.insert("period".into(), Value::Object(p));
    }
    Some(())
}

fn period_in(
    o: &Map<String, Value>,
    ptr: &str,
    m: &mut Map<String, Value>,
    from: &str,
    to: &str,
    cx: &mut In<'_>,
) {
    for (k, name) in [("start", from), ("end", to)] {
        if let Some(s) = o
            .get("period")
            .and_then(|p| p.get(k))
            .and_then(Value::as_str)
        {
            if is_fhir_date(s) {
                cx.consumed.mark(format!("{ptr}/period/{k}"));
                m.insert(name.into(), json!(s));
            }
        }
    }
}

fn strings(v: &Value) -> Option<Vec<Value>> {
    let a = v.as_array()?;
    a.iter().all(|x| text(x).is_some()).then(|| a.clone())
}

fn known_keys(o: &Map<String, Value>, keys: &[&str]) -> bool {
    o.keys().all(|k| keys.contains(&k.as_str()))
}

/// Person name component to HumanName.
fn human_name_out(v: &Value) -> Option<Value> {
    let o = v.as_object()?;
    if !known_keys(
        o,
        &[
            "name_use",
            "title",
            "given_name",
            "family_name",
            "name_suffix",
            "name_valid_from",
            "name_valid_to",
        ],
    ) {
        return None;
    }
    let mut n = Map::new();
    comp_code_out(o.get("name_use"), &mut n, "use")?;
    if let Some(t) = o.get("title") {
        n.insert("prefix".into(), json!([text(t)?]));
    }
    if let Some(g) = o.get("given_name") {
        n.insert("given".into(), Value::Array(strings(g)?));
    }
    if let Some(f) = o.get("family_name") {
        n.insert("family".into(), json!(text(f)?));
    }
    if let Some(s) = o.get("name_suffix") {
        n.insert("suffix".into(), json!([text(s)?]));
    }
    period_out(o.get("name_valid_from"), o.get("name_valid_to"), &mut n)?;
    Some(Value::Object(n))
}

fn human_name_in(node: &Value, ptr: &str, cx: &mut In<'_>) -> Option<Value> {
    let o = node.as_object()?;
    let mut m = Map::new();
    if let Some(u) = comp_code_in(o, "use", ptr, cx) {
        m.insert("name_use".into(), u);
    }
    if let Some(p) = o
        .get("prefix")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_str)
    {
        cx.consumed.mark(format!("{ptr}/prefix/0"));
        m.insert("title".into(), json!(p));
    }
    if let Some(g) = o.get("given").and_then(strings) {
        cx.consumed.mark(format!("{ptr}/given"));
        m.insert("given_name".into(), Value::Array(g));
    }
    if let Some(f) = o.get("family").and_then(Value::as_str) {
        cx.consumed.mark(format!("{ptr}/family"));
        m.insert("family_name".into(), json!(f));
    }
    if let Some(s) = o
        .get("suffix")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_str)
    {
        cx.consumed.mark(format!("{ptr}/suffix/0"));
        m.insert("name_suffix".into(), json!(s));
    }
    period_in(o, ptr, &mut m, "name_valid_from", "name_valid_to", cx);
    Some(Value::Object(m))
}

const ADDRESS_KEY: &str = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-AddressKey";
const ADDRESS_KEY_TYPE: &str = "https://fhir.hl7.org.uk/CodeSystem/UKCore-AddressKeyType";

/// Address component to Address.
fn address_out(v: &Value) -> Option<Value> {
    let o = v.as_object()?;
    if !known_keys(
        o,
        &[
            "address_line",
            "town_or_city",
            "county",
            "postcode",
            "country",
            "uprn",
            "address_use",
            "address_valid_from",
            "address_valid_to",
        ],
    ) {
        return None;
    }
    let mut a = Map::new();
    comp_code_out(o.get("address_use"), &mut a, "use")?;
    if let Some(l) = o.get("address_line") {
        a.insert("line".into(), Value::Array(strings(l)?));
    }
    for (mods, fhir) in [
        ("town_or_city", "city"),
        ("county", "district"),
        ("postcode", "postalCode"),
    ] {
        if let Some(s) = o.get(mods) {
            a.insert(fhir.into(), json!(text(s)?));
        }
    }
    comp_code_out(o.get("country"), &mut a, "country")?;
    if let Some(u) = o.get("uprn") {
        a.insert(
            "extension".into(),
            json!([{
                "url": ADDRESS_KEY,
                "extension": [
                    {"url": "type", "valueCoding": {"system": ADDRESS_KEY_TYPE, "code": "UPRN"}},
                    {"url": "value", "valueString": text(u)?}
                ]
            }]),
        );
    }
    period_out(
        o.get("address_valid_from"),
        o.get("address_valid_to"),
        &mut a,
    )?;
    Some(Value::Object(a))
}

fn address_in(node: &Value, ptr: &str, cx: &mut In<'_>) -> Option<Value> {
    let o = node.as_object()?;
    let mut m = Map::new();
    if let Some(u) = comp_code_in(o, "use", ptr, cx) {
        m.insert("address_use".into(), u);
    }
    if let Some(l) = o.get("line").and_then(strings) {
        cx.consumed.mark(format!("{ptr}/line"));
        m.insert("address_line".into(), Value::Array(l));
    }
    for (mods, fhir) in [
        ("town_or_city", "city"),
        ("county", "district"),
        ("postcode", "postalCode"),
    ] {
        if let Some(s) = o.get(fhir).and_then(Value::as_str) {
            cx.consumed.mark(format!("{ptr}/{fhir}"));
            m.insert(mods.into(), json!(s));
        }
    }
    if let Some(c) = comp_code_in(o, "country", ptr, cx) {
        m.insert("country".into(), c);
    }
    if let Some(exts) = o.get("extension").and_then(Value::as_array) {
        for (i, e) in exts.iter().enumerate() {
            if e.get("url").and_then(Value::as_str) != Some(ADDRESS_KEY) {
                continue;
            }
            let subs = e.get("extension").and_then(Value::as_array);
            let is_uprn = subs.is_some_and(|s| {
                s.iter().any(|x| {
                    x.get("url").and_then(Value::as_str) == Some("type")
                        && x.pointer("/valueCoding/code").and_then(Value::as_str) == Some("UPRN")
                })
            });
            let value = subs
                .and_then(|s| {
                    s.iter()
                        .find(|x| x.get("url").and_then(Value::as_str) == Some("value"))
                })
                .and_then(|x| x.get("valueString"))
                .and_then(Value::as_str);
            if let (true, Some(v), false) = (is_uprn, value, m.contains_key("uprn")) {
                cx.consumed.mark(format!("{ptr}/extension/{i}"));
                m.insert("uprn".into(), json!(v));
            }
        }
    }
    period_in(o, ptr, &mut m, "address_valid_from", "address_valid_to", cx);
    Some(Value::Object(m))
}

const CONTACT_PREFERENCE: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-ContactPreference";

/// The telecom items of the contact details: (MODS element, system, use).
const TELECOM: &[(&str, &str, Option<&str>)] = &[
    ("home_telephone", "phone", Some("home")),
    ("mobile_telephone", "phone", Some("mobile")),
    ("work_telephone", "phone", Some("work")),
    ("email_address", "email", None),
    ("other_contact_method", "other", None),
];

/// Person contact details to `telecom` and the ContactPreference extension (merged into
/// the resource).
fn contact_out(v: &Value, org: bool) -> Option<Value> {
    let o = v.as_object()?;
    if org && o.contains_key("home_telephone") {
        // org-3: an organisation's telecom is never `home`
        return None;
    }
    if !known_keys(
        o,
        &[
            "home_telephone",
            "mobile_telephone",
            "work_telephone",
            "email_address",
            "other_contact_method",
            "preferred_contact_method",
            "preferred_contact_times",
        ],
    ) {
        return None;
    }
    let mut telecom = Vec::new();
    for (mods, system, use_) in TELECOM {
        let values: Vec<&str> = match o.get(*mods) {
            None => vec![],
            Some(Value::Array(a)) => a.iter().map(text).collect::<Option<_>>()?,
            Some(v @ Value::String(_)) => vec![text(v)?],
            Some(_) => return None,
        };
        for val in values {
            let mut t = Map::new();
            t.insert("system".into(), json!(system));
            t.insert("value".into(), json!(val));
            if let Some(u) = use_ {
                t.insert("use".into(), json!(u));
            }
            telecom.push(Value::Object(t));
        }
    }
    let mut out = Map::new();
    if !telecom.is_empty() {
        out.insert("telecom".into(), Value::Array(telecom));
    }
    let mut subs = Vec::new();
    if let Some(p) = o.get("preferred_contact_method") {
        let code = p.get("code")?.as_str()?;
        let mut c = Map::new();
        c.insert(
            "system".into(),
            json!("https://fhir.hl7.org.uk/CodeSystem/UKCore-PreferredContactMethod"),
        );
        c.insert("code".into(), json!(code));
        if let Some(d) = p.get("display") {
            c.insert("display".into(), d.clone());
        }
        if p.get("system").is_some() {
            return None;
        }
        subs.push(obj([
            ("url", Value::from("PreferredContactMethod")),
            (
                "valueCodeableConcept",
                obj([("coding", Value::Array(vec![Value::Object(c)]))]),
            ),
        ]));
    }
    if let Some(t) = o.get("preferred_contact_times") {
        subs.push(json!({"url": "PreferredContactTimes", "valueString": text(t)?}));
    }
    if !subs.is_empty() {
        out.insert(
            "extension".into(),
            Value::Array(vec![obj([
                ("url", Value::from(CONTACT_PREFERENCE)),
                ("extension", Value::Array(subs)),
            ])]),
        );
    }
    Some(Value::Object(out))
}

fn contact_in(node: &Value, ptr: &str, cx: &mut In<'_>) -> Option<Value> {
    let mut m = Map::new();
    if let Some(items) = node.get("telecom").and_then(Value::as_array) {
        for (i, t) in items.iter().enumerate() {
            let iptr = format!("{ptr}/telecom/{i}");
            if cx.consumed.covers_all(t, &iptr) {
                continue;
            }
            let system = t.get("system").and_then(Value::as_str);
            let use_ = t.get("use").and_then(Value::as_str);
            let Some(value) = t.get("value").and_then(Value::as_str) else {
                continue;
            };
            let slot = TELECOM
                .iter()
                .find(|(_, s, u)| Some(*s) == system && (u.is_none() || *u == use_));
            let Some((mods, _, want_use)) = slot else {
                continue;
            };
            let repeats = matches!(*mods, "email_address" | "other_contact_method");
            if !repeats && m.contains_key(*mods) {
                continue;
            }
            if want_use.is_none() && use_.is_some() {
                continue;
            }
            cx.consumed.mark(iptr);
            if repeats {
                m.entry(mods.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()))
                    .as_array_mut()?
                    .push(json!(value));
            } else {
                m.insert(mods.to_string(), json!(value));
            }
        }
    }
    if let Some(exts) = node.get("extension").and_then(Value::as_array) {
        if let Some(i) = exts
            .iter()
            .position(|e| e.get("url").and_then(Value::as_str) == Some(CONTACT_PREFERENCE))
        {
            let eptr = format!("{ptr}/extension/{i}");
            for (j, s) in exts[i]
                .get("extension")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let sptr = format!("{eptr}/extension/{j}");
                match s.get("url").and_then(Value::as_str) {
                    Some("PreferredContactMethod") => {
                        if let Some(c) = s.pointer("/valueCodeableConcept/coding/0") {
                            let mut coding = Map::new();
                            if let Some(code) = c.get("code") {
                                coding.insert("code".into(), code.clone());
                                if let Some(d) = c.get("display") {
                                    coding.insert("display".into(), d.clone());
                                }
                                cx.consumed.mark(format!("{sptr}/url"));
                                cx.consumed
                                    .mark(format!("{sptr}/valueCodeableConcept/coding/0"));
                                m.insert("preferred_contact_method".into(), Value::Object(coding));
                            }
                        }
                    }
                    Some("PreferredContactTimes") => {
                        if let Some(t) = s.get("valueString") {
                            cx.consumed.mark(sptr.clone());
                            m.insert("preferred_contact_times".into(), t.clone());
                        }
                    }
                    _ => {}
                }
            }
            cx.consumed.mark(format!("{eptr}/url"));
        }
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

// --- the element extension ----------------------------------------------------------------

/// A member that is not a MODS element, as the [`systems::UNKNOWN_MEMBER`] extension.
pub fn unknown_out(name: &str, v: &Value, class: Option<&str>) -> Option<Value> {
    let text = serde_json::to_string(v).ok()?;
    let mut subs = vec![
        json!({"url": "name", "valueString": name}),
        obj([
            ("url", Value::from("json")),
            ("valueString", Value::String(text)),
        ]),
    ];
    if let Some(c) = class {
        // a resource can hold two records (Person demographics merged into the Patient)
        subs.push(json!({"url": "class", "valueCode": c}));
    }
    Some(obj([
        ("url", Value::from(systems::UNKNOWN_MEMBER)),
        ("extension", Value::Array(subs)),
    ]))
}

/// The class an unknown-member extension names, if any.
pub fn unknown_class(ext: &Value) -> Option<&str> {
    ext.get("extension")?
        .as_array()?
        .iter()
        .find(|x| x.get("url").and_then(Value::as_str) == Some("class"))?
        .get("valueCode")?
        .as_str()
}

/// The [`systems::UNKNOWN_MEMBER`] extension back to (name, value).
pub fn unknown_in(ext: &Value) -> Option<(String, Value)> {
    let subs = ext.get("extension")?.as_array()?;
    let get = |k: &str| {
        subs.iter()
            .find(|x| x.get("url").and_then(Value::as_str) == Some(k))
            .and_then(|x| x.get("valueString"))
            .and_then(Value::as_str)
    };
    let name = get("name")?.to_string();
    let v = serde_json::from_str(get("json")?).ok()?;
    Some((name, v))
}

/// A MODS value as the `value[x]` (or sub-extensions) of the element extension.
pub fn generic_out(el: &ElementDef, v: &Value, refs: &dyn Refs) -> Option<Map<String, Value>> {
    let mut m = Map::new();
    match el.ty {
        ElementType::Text => {
            let s = v.as_str()?;
            if string_ok(s) {
                m.insert("valueString".into(), json!(s))
            } else {
                // text FHIR cannot carry as a string (empty, white space only, control
                // characters): its JSON form, which escapes them
                m.insert(
                    "extension".into(),
                    json!([{"url": "json", "valueString": serde_json::to_string(s).ok()?}]),
                )
            }
        }
        ElementType::Number => v
            .is_number()
            .then(|| m.insert("valueDecimal".into(), v.clone()))?,
        ElementType::YesNo => m.insert("valueBoolean".into(), json!(v.as_bool()?)),
        ElementType::Date => {
            let s = v.as_str()?;
            let key = if is_fhir_date(s) {
                "valueDate"
            } else {
                "valueString"
            };
            m.insert(key.into(), json!(s))
        }
        ElementType::DateTime => {
            let s = v.as_str()?;
            let key = if date_time_out(s).as_deref() == Some(s) {
                "valueDateTime"
            } else {
                "valueString"
            };
            m.insert(key.into(), json!(s))
        }
        ElementType::Time => {
            let s = v.as_str()?;
            let key = if is_fhir_time(s) {
                "valueTime"
            } else {
                "valueString"
            };
            m.insert(key.into(), json!(s))
        }
        ElementType::Lookup | ElementType::ReferenceCode => match &el.lookup {
            Lookup::Reference { .. } => {
                m.insert("valueReference".into(), reference_out(v.as_str()?, refs))
            }
            _ => {
                let o = v.as_object()?;
                if !o.contains_key("code") {
                    return None;
                }
                if known_keys(o, &["code", "system", "display"]) {
                    m.insert("valueCoding".into(), v.clone())
                } else {
                    // a member a Coding has no place for (lax validation lets it through,
                    // with a warning): the coded value's JSON form, kept whole
                    m.insert(
                        "extension".into(),
                        json!([{"url": "json", "valueString": serde_json::to_string(v).ok()?}]),
                    )
                }
            }
        },
        ElementType::Group
            if v.as_object().is_some_and(|o| {
                o.is_empty() || o.values().any(|x| x.as_array().is_some_and(Vec::is_empty))
            }) =>
        {
            // an empty component, or one with an empty list: FHIR has no empty extension
            // (a list of none would write nothing), so its JSON form
            m.insert(
                "extension".into(),
                json!([{"url": "json", "valueString": serde_json::to_string(v).ok()?}]),
            )
        }
        ElementType::Group => {
            let comp = mods_core::model::latest().class(el.component?)?;
            let o = v.as_object()?;
            let mut subs = Vec::new();
            for (k, sv) in o {
                let Some(sub) = comp.element(k) else {
                    subs.push(unknown_out(k, sv, None)?);
                    continue;
                };
                let values: Vec<&Value> = if sub.occurs.repeats() {
                    sv.as_array()?.iter().collect()
                } else {
                    vec![sv]
                };
                for one in values {
                    let mut e = generic_out(sub, one, refs)?;
                    e.insert("url".into(), json!(k));
                    subs.push(Value::Object(e));
                }
            }
            m.insert("extension".into(), Value::Array(subs))
        }
    };
    Some(m)
}

/// The element extension's content back to a MODS value.
pub fn generic_in(
    el: &'static ElementDef,
    ext: &Value,
    ptr: &str,
    cx: &mut In<'_>,
) -> Option<Value> {
    let pick = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| ext.get(*k).map(|v| ((*k).to_string(), v)))
    };
    let bad = |cx: &mut In<'_>| {
        cx.problems.push(problem(
            "fhir-value-invalid",
            ptr,
            format!(
                "the extension for MODS element `{}` does not hold a value of its type",
                el.technical_name
            ),
        ));
        None
    };
    let coded = matches!(el.ty, ElementType::Lookup | ElementType::ReferenceCode)
        && !matches!(el.lookup, Lookup::Reference { .. });
    if coded || matches!(el.ty, ElementType::Text | ElementType::Group) {
        let json_form = ext
            .get("extension")
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .position(|x| x.get("url").and_then(Value::as_str) == Some("json"))
            });
        if let Some(j) = json_form {
            let parsed = ext
                .pointer(&format!("/extension/{j}/valueString"))
                .and_then(Value::as_str)
                .and_then(|t| serde_json::from_str::<Value>(t).ok())
                .filter(|v| {
                    if el.ty == ElementType::Text {
                        v.is_string()
                    } else {
                        v.is_object()
                    }
                });
            return match parsed {
                Some(v) => {
                    cx.consumed.mark(format!("{ptr}/extension/{j}"));
                    cx.consumed.mark(format!("{ptr}/url"));
                    Some(v)
                }
                None => bad(cx),
            };
        }
    }
    let found = match el.ty {
        ElementType::Text => pick(&["valueString"]).filter(|(_, v)| v.is_string()),
        ElementType::Number => {
            pick(&["valueDecimal", "valueInteger"]).filter(|(_, v)| v.is_number())
        }
        ElementType::YesNo => pick(&["valueBoolean"]).filter(|(_, v)| v.is_boolean()),
        ElementType::Date => pick(&["valueDate", "valueString"]).filter(|(_, v)| v.is_string()),
        ElementType::DateTime => {
            pick(&["valueDateTime", "valueString"]).filter(|(_, v)| v.is_string())
        }
        ElementType::Time => pick(&["valueTime", "valueString"]).filter(|(_, v)| v.is_string()),
        ElementType::Lookup | ElementType::ReferenceCode => match &el.lookup {
            Lookup::Reference { .. } => {
                let (k, r) = match pick(&["valueReference"]) {
                    Some(x) => x,
                    None => return bad(cx),
                };
                let rptr = format!("{ptr}/{k}");
                let v = import(
                    crate::mapping::Conv::Reference,
                    r,
                    &rptr,
                    &Value::Null,
                    &Default::default(),
                    cx,
                );
                cx.consumed.mark(format!("{ptr}/url"));
                return v;
            }
            _ => {
                // a MODS coded value holds code, system and display: any other member of the
                // Coding is left unread (and so reported)
                let Some(c) = ext.get("valueCoding").and_then(Value::as_object) else {
                    return bad(cx);
                };
                let mut m = Map::new();
                for k in ["code", "system", "display"] {
                    if let Some(x) = c.get(k).filter(|x| x.is_string()) {
                        cx.consumed.mark(format!("{ptr}/valueCoding/{k}"));
                        m.insert(k.to_string(), x.clone());
                    }
                }
                if !m.contains_key("code") {
                    return bad(cx);
                }
                cx.consumed.mark(format!("{ptr}/url"));
                return Some(Value::Object(m));
            }
        },
        ElementType::Group => {
            let comp = mods_core::model::latest().class(el.component?)?;
            let subs = ext.get("extension").and_then(Value::as_array)?;
            let mut m = Map::new();
            for (i, s) in subs.iter().enumerate() {
                let sptr = format!("{ptr}/extension/{i}");
                if s.get("url").and_then(Value::as_str) == Some(systems::UNKNOWN_MEMBER) {
                    if let Some((k, v)) = unknown_in(s) {
                        cx.consumed.mark(sptr);
                        m.insert(k, v);
                    }
                    continue;
                }
                let Some(sub) = s
                    .get("url")
                    .and_then(Value::as_str)
                    .and_then(|u| comp.element(u))
                else {
                    continue;
                };
                let Some(v) = generic_in(sub, s, &sptr, cx) else {
                    continue;
                };
                if sub.occurs.repeats() {
                    m.entry(sub.technical_name.to_string())
                        .or_insert_with(|| Value::Array(Vec::new()))
                        .as_array_mut()?
                        .push(v);
                } else {
                    m.insert(sub.technical_name.to_string(), v);
                }
            }
            cx.consumed.mark(format!("{ptr}/url"));
            return Some(Value::Object(m));
        }
    };
    match found {
        Some((k, v)) => {
            cx.consumed.mark(format!("{ptr}/{k}"));
            cx.consumed.mark(format!("{ptr}/url"));
            Some(v.clone())
        }
        None => bad(cx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::Conv;

    #[test]
    fn exactness_by_rule() {
        let out = |v: Value, sidecar: Option<Value>| Out { value: v, sidecar };
        let none = std::collections::BTreeMap::new();
        // a time of day without seconds reads back without them; one with `:00` does not
        // what `export` writes for a date-time
        let dt = |s: &str| out(json!(date_time_out(s).unwrap()), None);
        for (mods, exact) in [
            ("2025-11-03T09:00+01:00", true),
            ("2025-11-03T09:00:30Z", true),
            ("2025-11-03T09:00:00Z", false),
            ("2025-11-03", true),
        ] {
            let o = dt(mods);
            assert_eq!(
                exact_by_rule(Conv::DateTime, &json!(mods), &o, &none),
                Some(exact),
                "{mods}"
            );
            assert_eq!(
                exact_by_rule(Conv::Instant, &json!(mods), &o, &none),
                Some(exact),
                "{mods}"
            );
        }
        assert_eq!(
            exact_by_rule(
                Conv::Time,
                &json!("09:00"),
                &out(json!("09:00:00"), None),
                &none
            ),
            Some(true)
        );
        assert_eq!(
            exact_by_rule(
                Conv::Time,
                &json!("09:00:00"),
                &out(json!("09:00:00"), None),
                &none
            ),
            Some(false)
        );
        // a code reads back through the mapping: two MODS codes on one FHIR code are not exact
        let map: std::collections::BTreeMap<String, String> = [("a", "x"), ("b", "x")]
            .map(|(m, f)| (m.to_string(), f.to_string()))
            .into();
        let code = |c: &str| out(json!(map.get(c).map_or(c, String::as_str)), None);
        assert_eq!(
            exact_by_rule(Conv::Code, &json!({"code": "a"}), &code("a"), &map),
            Some(true)
        );
        assert_eq!(
            exact_by_rule(Conv::Code, &json!({"code": "b"}), &code("b"), &map),
            Some(false)
        );
        assert_eq!(
            exact_by_rule(Conv::Code, &json!({"code": "x"}), &code("x"), &map),
            Some(false)
        );
        assert_eq!(
            exact_by_rule(Conv::Code, &json!({"code": "z"}), &code("z"), &map),
            Some(true)
        );
        // the exact coding in the sidecar is what reading takes
        let v = json!({"code": "b", "display": "B"});
        assert_eq!(
            exact_by_rule(
                Conv::Code,
                &v,
                &out(json!("x"), Some(coding_exact_ext(&v))),
                &map
            ),
            Some(true)
        );
        // other converters are read back from a resource
        assert_eq!(
            exact_by_rule(Conv::Coding, &json!({}), &out(json!({}), None), &none),
            None
        );
        // a name or address without a single value is passed over by reading
        let name = |written| exact_by_rule(Conv::HumanName, &json!({}), &out(written, None), &none);
        assert_eq!(name(json!({"family": "Whitfield"})), Some(true));
        assert_eq!(name(json!({})), Some(false));
        assert_eq!(name(json!({"given": []})), Some(false));
        // contact details: the shapes reading makes
        let contact = |v| exact_by_rule(Conv::ContactDetails, &v, &out(json!({}), None), &none);
        assert_eq!(contact(json!({"email_address": ["a@b.org"]})), Some(true));
        assert_eq!(contact(json!({"email_address": "a@b.org"})), Some(false));
        assert_eq!(contact(json!({"email_address": []})), Some(false));
        assert_eq!(contact(json!({"home_telephone": ["1", "2"]})), Some(false));
        assert_eq!(contact(json!({})), Some(false));
        assert_eq!(
            contact(json!({"preferred_contact_method": {"code": "2", "display": "Visit"}})),
            Some(true)
        );
        assert_eq!(
            contact(json!({"preferred_contact_method": {"code": "2", "note": "x"}})),
            Some(false)
        );
    }

    #[test]
    fn dates_and_times() {
        assert!(is_fhir_date("2024") && is_fhir_date("2024-11") && is_fhir_date("2024-11-03"));
        assert!(!is_fhir_date("--11-03") && !is_fhir_date("19") && !is_fhir_date("2024-1"));
        assert_eq!(time_out("09:00").as_deref(), Some("09:00:00"));
        assert_eq!(time_in("09:00:00"), "09:00");
        assert_eq!(time_in("09:00:30"), "09:00:30");
        assert_eq!(
            date_time_out("2025-11-03T09:00+01:00").as_deref(),
            Some("2025-11-03T09:00:00+01:00")
        );
        assert_eq!(
            date_time_out("2025-11-03T09:00Z").as_deref(),
            Some("2025-11-03T09:00:00Z")
        );
        assert_eq!(
            date_time_out("2025-11-03T09:00"),
            None,
            "a time without an offset"
        );
        assert_eq!(
            date_time_in("2025-11-03T09:00:00+01:00"),
            "2025-11-03T09:00+01:00"
        );
        assert_eq!(
            date_time_in("2025-11-03T09:00:00-05:00"),
            "2025-11-03T09:00-05:00"
        );
    }
}
