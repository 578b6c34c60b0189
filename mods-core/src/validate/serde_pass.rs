//! The one-pass engine as it was before it had a reader of its own, kept behind the
//! `legacy-engine` feature only as the oracle of `mods-core/tests/reader_differential.rs`
//! (the reports and input errors, messages and positions included, of the engine over
//! serde_json's visitor layer against those of the engine over its own reader). Nothing else
//! may call it; it goes with the `legacy` engine.
//!
//! The one pass: a document is validated while it is read, value by value, as serde_json's
//! reader meets them. Nothing is built: strings are borrowed from the input (owned only
//! when they hold escapes), object keys are matched to the model's elements by hashed
//! look-up, presence and duplicate keys are tracked in a bitset per object, and a JSON
//! pointer, a message and a context are built only for an issue.
//!
//! The same visitor reads a [`Value`] through serde_json's `Value` deserializer, which feeds
//! it the same events: that is how [`super::validate_record`] and
//! [`super::validate_instance`] share every rule with the bytes path. Reading bytes also
//! enforces the input [`Limits`](crate::Limits) (checked as the values are met, never after),
//! including inside values the model does not know, which are scanned, not skipped.

use super::cx::{Cx, Kind, Seg};
use super::identifier;
use super::records::{Coding, Got, Member, RecordAt};
use super::values::Place;
use super::{ValidationOptions, EXTENSIONS};
use crate::checks;
use crate::issue::{IssueCode, Report};
use crate::model::Rule;
use crate::model::{self, ClassDef, ClassKind, ElementDef, ElementType, IdFormat, Lookup, Model};
use crate::parse::{checked_text, InputError};
use rustc_hash::FxHashSet;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::fmt;

// ---- entry points ----

/// [`crate::validate_record_json`] as it was over serde_json's visitor layer.
pub fn validate_record_json(bytes: &[u8], opts: &ValidationOptions) -> Result<Report, InputError> {
    let text = checked_text(bytes, &opts.limits)?;
    let ver = version(&mut serde_json::Deserializer::from_str(text));
    let mut cx = Cx::new(opts, Some(opts.limits));
    run(
        &mut cx,
        Want::Document(ver),
        &mut serde_json::Deserializer::from_str(text),
    )?;
    Ok(finish_document(cx))
}

/// [`crate::validate_instance_json`] as it was over serde_json's visitor layer, for a class
/// of the latest model.
pub fn validate_instance_json(
    class: &str,
    bytes: &[u8],
    opts: &ValidationOptions,
) -> Result<Report, InputError> {
    let class = model::latest()
        .class(class)
        .expect("a class of the latest model");
    instance_bytes(class, bytes, opts)
}

fn instance_bytes(
    class: &'static ClassDef,
    bytes: &[u8],
    opts: &ValidationOptions,
) -> Result<Report, InputError> {
    let text = checked_text(bytes, &opts.limits)?;
    let mut cx = Cx::new(opts, Some(opts.limits));
    cx.model = Some(model::latest());
    run(
        &mut cx,
        Want::Root(class),
        &mut serde_json::Deserializer::from_str(text),
    )?;
    Ok(cx.finish())
}

fn run<'de>(
    cx: &mut Cx<'de, '_>,
    want: Want,
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
) -> Result<Got<'de>, InputError> {
    let got = V::new(cx, want, 1)
        .deserialize(&mut *de)
        .and_then(|g| de.end().map(|()| g));
    got.map_err(|e| {
        let position = (e.line() > 0).then(|| (e.line(), e.column().max(1)));
        cx.input_error(position, move || e)
    })
}

fn finish_document(mut cx: Cx<'_, '_>) -> Report {
    if cx.model.is_some() {
        cx.after_pass();
    }
    cx.finish()
}

// ---- the record's version, read before the pass ----

/// What a document says of its MODS version.
#[derive(Clone, Copy, Debug)]
enum Ver {
    Missing,
    Unsupported,
    Supported(&'static Model),
}

/// The version a document states, found by reading its top-level keys up to
/// `mods_version` and skipping the values before it (usually none), so that the pass knows
/// its model from the first key on. Anything wrong with the input is left to the pass.
fn version<'de, D: Deserializer<'de>>(d: D) -> Ver {
    let mut found = None;
    let _ = d.deserialize_any(VersionProbe(&mut found));
    found.unwrap_or(Ver::Missing)
}

struct VersionProbe<'a>(&'a mut Option<Ver>);

impl<'de> Visitor<'de> for VersionProbe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(k) = map.next_key_seed(KeySeed)? {
            if k == "mods_version" {
                *self.0 = Some(Ver::Unsupported);
                if let Some(m) = map
                    .next_value_seed(KeySeed)
                    .ok()
                    .and_then(|s| model::model(&s))
                {
                    *self.0 = Some(Ver::Supported(m));
                }
                return Ok(());
            }
            map.next_value::<IgnoredAny>()?;
        }
        *self.0 = Some(Ver::Missing);
        Ok(())
    }
}

/// A key (or a string), borrowed from the input when it holds no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

// ---- the visitor ----

/// What the value being read should be.
#[derive(Clone, Copy)]
enum Want {
    /// A record document, of this version.
    Document(Ver),
    /// One instance of a class, on its own.
    Root(&'static ClassDef),
    /// A collection of records.
    Collection(&'static ClassDef),
    /// An instance of a class (`true`: a record of the document).
    Instance(&'static ClassDef, bool),
    /// The value of an element (one, or an array of them when it repeats).
    Element(&'static ClassDef, &'static ElementDef, bool),
    /// One value of an element.
    Single(&'static ClassDef, &'static ElementDef, bool),
    /// `code`, `system` or `display` of a coding: a string.
    Member,
    /// The extension slot: an object, not checked further.
    Extensions,
    /// A value the model does not know: scanned within the limits.
    Ignore,
    /// A value built in full (values in issues; [`parse_value`]).
    Capture,
}

/// A scalar value met.
enum Scalar<'de> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'de, str>),
}

impl Scalar<'_> {
    fn kind(&self) -> Kind {
        match self {
            Scalar::Null => Kind::Null,
            Scalar::Bool(_) => Kind::Bool,
            Scalar::Num(_) => Kind::Number,
            Scalar::Str(_) => Kind::String,
        }
    }

    fn into_value(self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Num(n) => Value::Number(n),
            Scalar::Str(s) => Value::String(s.into_owned()),
        }
    }
}

/// The depth below which a value from a `Value` is not copied into an issue's context
/// (serde_json's own reader stops at 128).
const VALUE_DEPTH: usize = 128;

struct V<'c, 'de, 'o> {
    cx: &'c mut Cx<'de, 'o>,
    want: Want,
    depth: usize,
}

impl<'c, 'de, 'o> V<'c, 'de, 'o> {
    fn new(cx: &'c mut Cx<'de, 'o>, want: Want, depth: usize) -> Self {
        V { cx, want, depth }
    }
}

impl<'de> DeserializeSeed<'de> for V<'_, 'de, '_> {
    type Value = Got<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Got<'de>, D::Error> {
        if self.cx.limits.is_none()
            && (matches!(self.want, Want::Ignore)
                || matches!(self.want, Want::Capture) && self.depth > VALUE_DEPTH)
        {
            // a `Value` holds nothing a scan could find wrong; and a value copied into an
            // issue's context is cut (to null) below a depth no reader would have passed,
            // so a `Value` built by hand cannot make the copy recurse without bound
            return d.deserialize_ignored_any(self);
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for V<'_, 'de, '_> {
    type Value = Got<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Got<'de>, E> {
        self.scalar(Scalar::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Got<'de>, E> {
        self.scalar(Scalar::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Got<'de>, E> {
        self.scalar(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Got<'de>, E> {
        self.scalar(Scalar::Num(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Got<'de>, E> {
        self.scalar(Scalar::Num(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Got<'de>, E> {
        match Number::from_f64(v) {
            Some(n) => self.scalar(Scalar::Num(n)),
            None => Err(E::custom("number out of range")),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Got<'de>, E> {
        self.cx.string(v)?;
        self.scalar(Scalar::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Got<'de>, E> {
        self.cx.string(v)?;
        self.scalar(Scalar::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Got<'de>, E> {
        self.cx.string(&v)?;
        self.scalar(Scalar::Str(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Got<'de>, A::Error> {
        self.cx.container(self.depth)?;
        self.seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Got<'de>, A::Error> {
        self.cx.container(self.depth)?;
        self.map(map)
    }
}

impl<'de> V<'_, 'de, '_> {
    fn scalar<E: de::Error>(self, s: Scalar<'de>) -> Result<Got<'de>, E> {
        let cx = self.cx;
        if !matches!(s, Scalar::Str(_)) {
            // strings were counted with their length
            cx.node()?;
        }
        Ok(match self.want {
            Want::Ignore => Got::Absent,
            Want::Capture => Got::Value(s.into_value()),
            Want::Member => match s {
                Scalar::Str(s) => Got::Str(s),
                _ => Got::Present,
            },
            Want::Element(class, el, _) if matches!(s, Scalar::Null) => {
                if !el.occurs.required() {
                    cx.issue(
                        IssueCode::NullValue,
                        None,
                        format!("{} is null; leave it out instead", el.name),
                        Cx::element_ctx(class, el),
                    );
                }
                // a required null is reported once, as missing, by its instance
                Got::Absent
            }
            Want::Element(class, el, _) if el.occurs.repeats() => {
                cx.wrong_type("an array (it repeats)", s.kind(), Some(el), Some(class));
                Got::Present
            }
            Want::Element(class, el, in_record) | Want::Single(class, el, in_record) => {
                single_scalar(cx, class, el, in_record, s)
            }
            want => {
                misplaced(cx, want, s.kind());
                Got::Present
            }
        })
    }

    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Got<'de>, A::Error> {
        let (cx, depth) = (self.cx, self.depth);
        let items = match self.want {
            Want::Collection(class) => Want::Instance(class, true),
            Want::Element(class, el, in_record) if el.occurs.repeats() => {
                Want::Single(class, el, in_record)
            }
            Want::Capture => {
                let mut items = Vec::new();
                loop {
                    match seq.next_element_seed(V::new(cx, Want::Capture, depth + 1)) {
                        Ok(Some(g)) => {
                            cx.item(items.len(), false)?;
                            items.push(match g {
                                Got::Value(v) => v,
                                _ => Value::Null,
                            });
                        }
                        Ok(None) => return Ok(Got::Value(Value::Array(items))),
                        Err(e) => {
                            cx.unwound(|| items.len().to_string());
                            return Err(e);
                        }
                    }
                }
            }
            want => {
                scan_seq(cx, &mut seq, depth)?;
                match want {
                    Want::Ignore => return Ok(Got::Absent),
                    Want::Element(class, el, _) => cx.wrong_type(
                        "a single value (it does not repeat)",
                        Kind::Array,
                        Some(el),
                        Some(class),
                    ),
                    Want::Single(class, el, _) => mismatch(cx, class, el, Kind::Array),
                    want => misplaced(cx, want, Kind::Array),
                }
                return Ok(Got::Present);
            }
        };
        // the items of a collection, or of an element that repeats, on the stack
        let mut i = 0;
        loop {
            cx.path.push(Seg::Index(i));
            let got = seq.next_element_seed(V::new(cx, items, depth + 1));
            cx.path.pop();
            match got? {
                Some(_) => {
                    cx.item(i, true)?;
                    i += 1;
                }
                None => break,
            }
        }
        Ok(if i > 0 { Got::Present } else { Got::Absent })
    }

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Got<'de>, A::Error> {
        let (cx, depth) = (self.cx, self.depth);
        match self.want {
            Want::Document(ver) => document(cx, &mut map, depth, ver),
            Want::Root(class) => instance(cx, &mut map, depth, class, false),
            Want::Instance(class, in_record) => instance(cx, &mut map, depth, class, in_record),
            Want::Element(class, el, _) if el.occurs.repeats() => {
                scan_map(cx, &mut map, depth)?;
                cx.wrong_type("an array (it repeats)", Kind::Object, Some(el), Some(class));
                Ok(Got::Present)
            }
            Want::Element(class, el, in_record) | Want::Single(class, el, in_record) => {
                match (el.ty, &el.lookup) {
                    (ElementType::Group, _) => match component(cx, el) {
                        Some(comp) => instance(cx, &mut map, depth, comp, in_record),
                        None => {
                            scan_map(cx, &mut map, depth)?;
                            Ok(Got::Present)
                        }
                    },
                    (ElementType::Lookup | ElementType::ReferenceCode, lookup)
                        if !matches!(lookup, Lookup::Reference { .. }) =>
                    {
                        coding(cx, &mut map, depth, class, el)
                    }
                    _ => {
                        scan_map(cx, &mut map, depth)?;
                        mismatch(cx, class, el, Kind::Object);
                        Ok(Got::Present)
                    }
                }
            }
            Want::Capture => capture_map(cx, &mut map, depth),
            want => {
                scan_map(cx, &mut map, depth)?;
                match want {
                    Want::Ignore => Ok(Got::Absent),
                    Want::Extensions | Want::Member => Ok(Got::Present),
                    want => {
                        misplaced(cx, want, Kind::Object);
                        Ok(Got::Present)
                    }
                }
            }
        }
    }
}

/// A value of the wrong JSON type where a document, a collection, an instance or the
/// extension slot was wanted.
fn misplaced(cx: &mut Cx<'_, '_>, want: Want, found: Kind) {
    match want {
        Want::Document(_) => cx.issue(
            IssueCode::DocumentNotObject,
            None,
            "a record document must be a JSON object".into(),
            super::cx::ctx(&[("found", found.name().into())]),
        ),
        Want::Root(class) => cx.issue(
            IssueCode::DocumentNotObject,
            None,
            format!("an instance of {} must be a JSON object", class.name),
            super::cx::ctx(&[("found", found.name().into())]),
        ),
        Want::Collection(class) => cx.wrong_type("array", found, None, Some(class)),
        Want::Instance(class, _) => cx.wrong_type("an object", found, None, Some(class)),
        Want::Extensions => cx.wrong_type("an object", found, None, None),
        Want::Element(..) | Want::Single(..) | Want::Member | Want::Ignore | Want::Capture => {}
    }
}

fn component(cx: &Cx<'_, '_>, el: &ElementDef) -> Option<&'static ClassDef> {
    el.component.and_then(|c| cx.model.and_then(|m| m.class(c)))
}

/// One value of an element is of a JSON type its element does not take.
fn mismatch(cx: &mut Cx<'_, '_>, class: &'static ClassDef, el: &'static ElementDef, found: Kind) {
    let expected = match el.ty {
        ElementType::Text | ElementType::Date | ElementType::Time | ElementType::DateTime => {
            "a string"
        }
        ElementType::Number => "a number",
        ElementType::YesNo => "true or false",
        ElementType::Lookup | ElementType::ReferenceCode => match el.lookup {
            Lookup::Reference { .. } => "a string (the record_uid of another record)",
            _ => "a coding object such as {\"code\": \"...\"}",
        },
        ElementType::Group => {
            if let Some(comp) = component(cx, el) {
                cx.wrong_type("an object", found, None, Some(comp));
            }
            return;
        }
    };
    cx.wrong_type(expected, found, Some(el), Some(class));
}

/// One scalar value of an element.
fn single_scalar<'de>(
    cx: &mut Cx<'de, '_>,
    class: &'static ClassDef,
    el: &'static ElementDef,
    in_record: bool,
    s: Scalar<'de>,
) -> Got<'de> {
    match (&s, el.ty) {
        (Scalar::Str(v), ElementType::Text) => cx.text(class, el, v),
        (Scalar::Str(v), ElementType::Date) => cx.string_value(class, el, v, |s| {
            if el.partial {
                checks::parse_partial_date(s).is_some()
            } else {
                checks::parse_date(s).is_some()
            }
        }),
        (Scalar::Str(v), ElementType::Time) => {
            cx.string_value(class, el, v, |s| checks::parse_time(s).is_some())
        }
        (Scalar::Str(v), ElementType::DateTime) => cx.string_value(class, el, v, |s| {
            if el.time_optional {
                checks::parse_date_or_date_time(s).is_some()
            } else {
                checks::parse_date_time(s).is_some()
            }
        }),
        (Scalar::Num(n), ElementType::Number) => cx.number(class, el, n),
        (Scalar::Bool(_), ElementType::YesNo) => {}
        (Scalar::Str(v), ElementType::Lookup | ElementType::ReferenceCode)
            if matches!(el.lookup, Lookup::Reference { .. }) =>
        {
            cx.reference(class, el, v, in_record)
        }
        (other, _) => mismatch(cx, class, el, other.kind()),
    }
    if let (Some(_), Scalar::Str(v)) = (el.plausible, &s) {
        cx.plausible_date(class, el, v);
    }
    match s {
        Scalar::Str(v) => Got::Str(v),
        Scalar::Num(n) => Got::Num(n),
        Scalar::Bool(_) => Got::Present,
        Scalar::Null => Got::Absent,
    }
}

// ---- objects ----

/// Whether `key` was seen in this object already (bytes only: a `Value` has no duplicates).
// a `Cow`, not a `&str`: it is kept by cloning, which does not copy a borrowed string
#[allow(clippy::ptr_arg)]
fn seen_before<'de>(
    cx: &Cx<'_, '_>,
    set: &mut Option<FxHashSet<Cow<'de, str>>>,
    key: &Cow<'de, str>,
) -> bool {
    cx.limits.is_some()
        && !set
            .get_or_insert_with(FxHashSet::default)
            .insert(key.clone())
}

/// The input checks of a member's key, in the reader's order: its length, not a duplicate,
/// not one member too many (`n` counts the members so far).
// a `Cow`, not a `&str`: a new key is kept by cloning, which does not copy a borrowed string
#[allow(clippy::ptr_arg)]
fn new_member<'de, E: de::Error>(
    cx: &mut Cx<'de, '_>,
    keys: &mut Option<FxHashSet<Cow<'de, str>>>,
    k: &Cow<'de, str>,
    n: &mut usize,
) -> Result<(), E> {
    cx.key(k)?;
    if seen_before(cx, keys, k) {
        return Err(cx.duplicate());
    }
    cx.member(*n)?;
    *n += 1;
    Ok(())
}

fn document<'de, A: MapAccess<'de>>(
    cx: &mut Cx<'de, '_>,
    map: &mut A,
    depth: usize,
    ver: Ver,
) -> Result<Got<'de>, A::Error> {
    let model = match ver {
        Ver::Supported(m) => Some(m),
        Ver::Missing | Ver::Unsupported => None,
    };
    cx.model = model;
    let mut keys = Some(FxHashSet::with_capacity_and_hasher(32, Default::default()));
    let mut has_subject = false;
    let mut n = 0;
    while let Some(k) = map.next_key_seed(KeySeed)? {
        new_member(cx, &mut keys, &k, &mut n)?;
        // the place of the value, and what it should be
        let (at, want): (Option<&'static str>, Want) = if k == "mods_version" {
            match ver {
                Ver::Supported(_) => (Some("mods_version"), Want::Ignore),
                _ if cx.opts.include_values => (Some("mods_version"), Want::Capture),
                _ => (Some("mods_version"), Want::Ignore),
            }
        } else if let Some(m) = model {
            if k == EXTENSIONS {
                (Some(EXTENSIONS), Want::Extensions)
            } else {
                match m.class(&k) {
                    Some(class) if class.technical_name == "subject_of_care" => {
                        has_subject = true;
                        (Some(class.technical_name), Want::Instance(class, true))
                    }
                    Some(class) if class.kind == ClassKind::Record => {
                        (Some(class.technical_name), Want::Collection(class))
                    }
                    _ => {
                        cx.unknown_element(&k, Place::Document);
                        (None, Want::Ignore)
                    }
                }
            }
        } else {
            (None, Want::Ignore)
        };
        match at {
            Some(key) => {
                cx.path.push(Seg::Key(key));
                let got = map.next_value_seed(V::new(cx, want, depth + 1));
                cx.path.pop();
                let got = got?;
                if key == "mods_version" && !matches!(ver, Ver::Supported(_)) {
                    unsupported(cx, got);
                }
            }
            None => {
                if let Err(e) = map.next_value_seed(V::new(cx, want, depth + 1)) {
                    cx.unwound(|| k.into_owned());
                    return Err(e);
                }
            }
        }
    }
    match ver {
        Ver::Missing => cx.at("mods_version", |cx| {
            cx.issue(
                IssueCode::ModsVersionMissing,
                None,
                "the record does not state its MODS version".into(),
                Map::new(),
            )
        }),
        Ver::Supported(_) if !has_subject => cx.at("subject_of_care", |cx| {
            cx.issue(
                IssueCode::RequiredElementMissing,
                None,
                "the record document has no subject_of_care".into(),
                super::cx::ctx(&[("element", "subject_of_care".into())]),
            )
        }),
        _ => {}
    }
    Ok(Got::Present)
}

fn unsupported(cx: &mut Cx<'_, '_>, got: Got<'_>) {
    let supported: Vec<Value> = model::models()
        .iter()
        .map(|m| m.mods_version.into())
        .collect();
    let mut c = super::cx::ctx(&[("supported", Value::Array(supported))]);
    if let Got::Value(v) = got {
        cx.add_value(&mut c, || v);
    }
    cx.at("mods_version", |cx| {
        cx.issue(
            IssueCode::ModsVersionUnsupported,
            None,
            "the record's mods_version is not a MODS version this library supports".into(),
            c,
        )
    });
}

/// An instance of `class`: its elements, then what needs the whole instance (postcodes,
/// required elements, cross-element rules), then, for a record, its registration.
fn instance<'de, A: MapAccess<'de>>(
    cx: &mut Cx<'de, '_>,
    map: &mut A,
    depth: usize,
    class: &'static ClassDef,
    in_record: bool,
) -> Result<Got<'de>, A::Error> {
    let fields = cx.kept.fields.len();
    let deferred = cx.deferred.len();
    let (mut seen, mut present) = (0u128, 0u128);
    let mut unknown = None;
    let mut n = 0;
    while let Some(k) = map.next_key_seed(KeySeed)? {
        cx.key(&k)?;
        let index = class.element_index(&k);
        match index {
            Some(i) => {
                let bit = bit(i);
                if seen & bit != 0 {
                    return Err(cx.duplicate());
                }
                seen |= bit;
            }
            None => {
                if seen_before(cx, &mut unknown, &k) {
                    return Err(cx.duplicate());
                }
            }
        }
        cx.member(n)?;
        n += 1;
        match index {
            Some(i) => {
                let el = &class.elements[i];
                cx.path.push(Seg::Key(el.technical_name));
                let got =
                    map.next_value_seed(V::new(cx, Want::Element(class, el, in_record), depth + 1));
                cx.path.pop();
                let got = got?;
                if got.present() {
                    present |= bit(i);
                }
                cx.kept.keep(el.technical_name, true, got);
            }
            None => {
                cx.unknown_element(&k, Place::Class(class));
                if let Err(e) = map.next_value_seed(V::new(cx, Want::Ignore, depth + 1)) {
                    cx.unwound(|| k.into_owned());
                    return Err(e);
                }
            }
        }
    }
    if cx.deferred.len() > deferred {
        postcodes(cx, class, fields, deferred);
    }
    for (i, el) in class.elements.iter().enumerate() {
        if el.occurs.required() && present & bit(i) == 0 {
            let c = Cx::element_ctx(class, el);
            cx.at(el.technical_name, |cx| {
                cx.issue(
                    IssueCode::RequiredElementMissing,
                    None,
                    format!(
                        "{} requires {} ({})",
                        class.name,
                        el.name,
                        el.occurs.as_str()
                    ),
                    c,
                )
            });
        }
    }
    if !class.rules.is_empty() {
        let kept = std::mem::take(&mut cx.kept.fields);
        for rule in class.rules {
            match rule {
                Rule::DateOrder { earlier, later } => {
                    cx.date_order(class, &kept[fields..], earlier, later)
                }
            }
        }
        cx.kept.fields = kept;
    }
    let at = match cx.path.as_slice() {
        [Seg::Key(key)] => Some((*key, None)),
        [Seg::Key(key), Seg::Index(i)] => Some((*key, Some(*i))),
        _ => None,
    };
    match at {
        Some((key, index)) if in_record && class.kind == ClassKind::Record => {
            cx.kept.for_after_pass(fields);
            cx.records.push(RecordAt {
                class,
                key,
                index,
                fields: fields..cx.kept.fields.len(),
            });
        }
        _ => cx.kept.fields.truncate(fields),
    }
    Ok(Got::Present)
}

/// The bit of element `i` in an object's bitsets (a class has at most 128 elements; the
/// model tests check it).
fn bit(i: usize) -> u128 {
    1u128.checked_shl(i as u32).unwrap_or(0)
}

/// The postcodes of an instance, once its country is known: free text for an address
/// abroad.
fn postcodes(cx: &mut Cx<'_, '_>, class: &'static ClassDef, fields: usize, deferred: usize) {
    let country = cx.kept.fields[fields..]
        .iter()
        .find(|(n, _)| *n == checks::COUNTRY_ELEMENT)
        .and_then(|(_, g)| match g {
            Got::Coding(c) => c.code.as_str(),
            _ => None,
        });
    let abroad = identifier::abroad_code(cx.model, class, country);
    let outer = std::mem::replace(&mut cx.abroad, abroad);
    let items: Vec<_> = cx.deferred.drain(deferred..).collect();
    for (el, at, s) in items {
        cx.path.push(Seg::Key(el.technical_name));
        let index = match at {
            Some(Seg::Index(i)) => {
                cx.path.push(Seg::Index(i));
                true
            }
            _ => false,
        };
        cx.identifier(class, el, IdFormat::Postcode, &s);
        if index {
            cx.path.pop();
        }
        cx.path.pop();
    }
    cx.abroad = outer;
}

/// A coding: `code`, `system` and `display`, then the code against its binding.
fn coding<'de, A: MapAccess<'de>>(
    cx: &mut Cx<'de, '_>,
    map: &mut A,
    depth: usize,
    class: &'static ClassDef,
    el: &'static ElementDef,
) -> Result<Got<'de>, A::Error> {
    let capture = cx.opts.include_values;
    let mut all = capture.then(Map::new);
    let (mut code, mut system) = (Member::Absent, Member::Absent);
    let mut seen = 0u8;
    let mut unknown = None;
    let mut n = 0;
    while let Some(k) = map.next_key_seed(KeySeed)? {
        cx.key(&k)?;
        let member = match k.as_ref() {
            "code" => Some(("code", 1u8)),
            "system" => Some(("system", 2)),
            "display" => Some(("display", 4)),
            _ => None,
        };
        let dup = match member {
            Some((_, b)) => {
                let dup = seen & b != 0;
                seen |= b;
                dup
            }
            None => seen_before(cx, &mut unknown, &k),
        };
        if dup {
            return Err(cx.duplicate());
        }
        cx.member(n)?;
        n += 1;
        let want = if capture { Want::Capture } else { Want::Member };
        match member {
            Some((name, _)) => {
                cx.path.push(Seg::Key(name));
                let got = map.next_value_seed(V::new(cx, want, depth + 1));
                cx.path.pop();
                let got = got?;
                let m = match got {
                    Got::Str(s) => Member::Str(s),
                    Got::Value(v) => {
                        let m = match &v {
                            Value::String(s) => Member::Str(Cow::Owned(s.clone())),
                            _ => Member::Other,
                        };
                        if let Some(all) = all.as_mut() {
                            all.insert(name.to_owned(), v);
                        }
                        m
                    }
                    _ => Member::Other,
                };
                if matches!(m, Member::Other) {
                    malformed(cx, class, el, name, "has a member that is not a string");
                }
                match name {
                    "code" => code = m,
                    "system" => system = m,
                    _ => {}
                }
            }
            None => {
                cx.unknown_element(&k, Place::Coding(el));
                let want = if capture { Want::Capture } else { Want::Ignore };
                match map.next_value_seed(V::new(cx, want, depth + 1)) {
                    Ok(got) => {
                        if let (Some(all), Got::Value(v)) = (all.as_mut(), got) {
                            all.insert(k.into_owned(), v);
                        }
                    }
                    Err(e) => {
                        cx.unwound(|| k.into_owned());
                        return Err(e);
                    }
                }
            }
        }
    }
    let checked = match &code {
        Member::Str(s) if !checks::is_blank(s) => Some(s.as_ref()),
        Member::Str(_) => {
            malformed(cx, class, el, "code", "has an empty code");
            None
        }
        Member::Other => None,
        Member::Absent => {
            malformed(cx, class, el, "code", "has no code");
            None
        }
    };
    if let Some(c) = checked {
        let system = system.as_str();
        match &el.lookup {
            Lookup::ValueSet {
                value_set,
                strength,
            } => {
                if let Some(vs) = cx.model.and_then(|m| m.value_set(value_set)) {
                    cx.embedded_code(class, el, all.as_ref(), vs, *strength, system, c);
                }
            }
            Lookup::External {
                system: bound,
                name,
                strength,
                value_set,
            } => cx.external_code(
                class,
                el,
                all.as_ref(),
                (bound, name, value_set),
                *strength,
                system,
                c,
            ),
            _ => {}
        }
    }
    Ok(Got::Coding(Coding { code, system }))
}

/// `invalid-coding` at a member of a coding.
fn malformed(
    cx: &mut Cx<'_, '_>,
    class: &'static ClassDef,
    el: &'static ElementDef,
    member: &'static str,
    problem: &str,
) {
    let mut c = Cx::element_ctx(class, el);
    c.insert("member".into(), member.into());
    cx.at(member, |cx| {
        cx.issue(
            IssueCode::InvalidCoding,
            None,
            format!("the coding of {} {problem}", el.name),
            c,
        )
    });
}

// ---- values read only for the limits, or built in full ----

fn scan_seq<'de, A: SeqAccess<'de>>(
    cx: &mut Cx<'de, '_>,
    seq: &mut A,
    depth: usize,
) -> Result<(), A::Error> {
    let mut i = 0;
    loop {
        match seq.next_element_seed(V::new(cx, Want::Ignore, depth + 1)) {
            Ok(Some(_)) => {
                cx.item(i, false)?;
                i += 1;
            }
            Ok(None) => return Ok(()),
            Err(e) => {
                cx.unwound(|| i.to_string());
                return Err(e);
            }
        }
    }
}

fn scan_map<'de, A: MapAccess<'de>>(
    cx: &mut Cx<'de, '_>,
    map: &mut A,
    depth: usize,
) -> Result<(), A::Error> {
    let mut keys = None;
    let mut n = 0;
    while let Some(k) = map.next_key_seed(KeySeed)? {
        new_member(cx, &mut keys, &k, &mut n)?;
        if let Err(e) = map.next_value_seed(V::new(cx, Want::Ignore, depth + 1)) {
            cx.unwound(|| k.into_owned());
            return Err(e);
        }
    }
    Ok(())
}

fn capture_map<'de, A: MapAccess<'de>>(
    cx: &mut Cx<'de, '_>,
    map: &mut A,
    depth: usize,
) -> Result<Got<'de>, A::Error> {
    let mut out = Map::new();
    while let Some(k) = map.next_key_seed(KeySeed)? {
        cx.key(&k)?;
        if out.contains_key(k.as_ref()) {
            return Err(cx.duplicate());
        }
        cx.member(out.len())?;
        match map.next_value_seed(V::new(cx, Want::Capture, depth + 1)) {
            Ok(got) => {
                let v = match got {
                    Got::Value(v) => v,
                    _ => Value::Null,
                };
                out.insert(k.into_owned(), v);
            }
            Err(e) => {
                cx.unwound(|| k.into_owned());
                return Err(e);
            }
        }
    }
    Ok(Got::Value(Value::Object(out)))
}
