//! The one pass: a document is validated while it is read, value by value, as the engine's
//! own reader ([`super::reader`]) meets them. Nothing is built: strings are borrowed from the
//! input (owned only when they hold escapes), object keys are matched to the model's
//! elements as they are read, presence and duplicate keys are tracked in a bitset per
//! object, and a JSON pointer, a message and a context are built only for an issue.
//!
//! The pass pulls its values from a [`Source`]: the bytes' reader, or a [`Value`] walked in
//! the same order ([`Tree`]). That is how [`super::validate_record`] and
//! [`super::validate_instance`] share every rule with the bytes path. Reading bytes also
//! enforces the input [`Limits`](crate::Limits) (checked as the values are met, never after),
//! including inside values the model does not know, which are scanned, not skipped.

use super::cx::{Cx, Kind, Seg};
use super::identifier;
use super::plan::plan;
use super::reader::{self, Reader};
use super::records::{Coding, Got, Member, RecordAt};
use super::source::{Source, Start, Stop, Tree};
use super::values::Place;
use super::{ValidationOptions, EXTENSIONS};
use crate::checks;
use crate::issue::{IssueCode, Report};
use crate::model::Rule;
use crate::model::{self, ClassDef, ClassKind, ElementDef, ElementType, IdFormat, Lookup, Model};
use crate::parse::{checked_text, InputError, Limits};
use rustc_hash::FxHashSet;
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

// ---- entry points ----

/// How much of a report is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Wanted {
    /// Every issue (up to `max_issues`).
    Report,
    /// The verdict only: the first error stops the checks (see `Cx::verdict_only`).
    Verdict,
}

fn cx_for<'de, 'o>(
    opts: &'o ValidationOptions,
    limits: Option<Limits>,
    wanted: Wanted,
) -> Cx<'de, 'o> {
    let mut cx = Cx::new(opts, limits);
    if wanted == Wanted::Verdict {
        cx.verdict_only();
    }
    cx
}

pub(super) fn record_bytes(
    bytes: &[u8],
    opts: &ValidationOptions,
    wanted: Wanted,
) -> Result<Report, InputError> {
    let text = checked_text(bytes, &opts.limits)?;
    let ver = version_bytes(text);
    let mut cx = cx_for(opts, Some(opts.limits), wanted);
    run(&mut cx, text, Want::Document(ver))?;
    Ok(finish_document(cx))
}

pub(super) fn record_value(doc: &Value, opts: &ValidationOptions, wanted: Wanted) -> Report {
    let ver = version_value(doc);
    let mut cx = cx_for(opts, None, wanted);
    // a `Value` has been read already: no input error can arise
    let _ = read(&mut cx, &mut Tree::new(doc), Want::Document(ver), 1);
    finish_document(cx)
}

/// [`record_value`], keeping what the dose rules found (`None` when they did not run: the
/// document states no supported MODS version).
pub(super) fn record_value_doses(
    doc: &Value,
    opts: &ValidationOptions,
) -> (Report, Option<super::Doses>) {
    let ver = version_value(doc);
    let mut cx = Cx::new(opts, None);
    cx.doses = Some(super::Doses::default());
    let _ = read(&mut cx, &mut Tree::new(doc), Want::Document(ver), 1);
    if cx.model.is_some() {
        cx.after_pass();
    }
    let doses = cx.doses.take().filter(|d| d.ran);
    (cx.finish(), doses)
}

pub(super) fn instance_bytes(
    class: &'static ClassDef,
    bytes: &[u8],
    opts: &ValidationOptions,
    wanted: Wanted,
) -> Result<Report, InputError> {
    let text = checked_text(bytes, &opts.limits)?;
    let mut cx = cx_for(opts, Some(opts.limits), wanted);
    cx.model = Some(model::latest());
    run(&mut cx, text, Want::Root(class))?;
    Ok(cx.finish())
}

pub(super) fn instance_value(
    class: &'static ClassDef,
    value: &Value,
    opts: &ValidationOptions,
    wanted: Wanted,
) -> Report {
    let mut cx = cx_for(opts, None, wanted);
    cx.model = Some(model::latest());
    let _ = read(&mut cx, &mut Tree::new(value), Want::Root(class), 1);
    cx.finish()
}

/// Read a whole document into a [`Value`] within `limits` (for [`crate::parse_json`]).
pub(crate) fn parse_value(bytes: &[u8], limits: &Limits) -> Result<Value, InputError> {
    let text = checked_text(bytes, limits)?;
    let opts = ValidationOptions::default();
    let mut cx = Cx::new(&opts, Some(*limits));
    match run(&mut cx, text, Want::Capture)? {
        Got::Value(v) => Ok(v),
        _ => Ok(Value::Null),
    }
}

fn run<'de>(cx: &mut Cx<'de, '_>, text: &'de str, want: Want) -> Result<Got<'de>, InputError> {
    let mut r = Reader::new(text);
    let got = read(cx, &mut r, want, 1).and_then(|g| r.end().map(|()| g));
    got.map_err(|Stop| cx.input_error(r.failure_position(), || reader::syntax_error(text)))
}

fn finish_document(mut cx: Cx<'_, '_>) -> Report {
    // after an error that stops the checks, the verdict is known
    if cx.model.is_some() && !cx.stopped {
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

impl Ver {
    fn of(v: Option<&str>) -> Ver {
        match v.and_then(model::model) {
            Some(m) => Ver::Supported(m),
            None => Ver::Unsupported,
        }
    }
}

/// The version a document states, found by reading its top-level keys up to
/// `mods_version` and skipping the values before it (usually none), so that the pass knows
/// its model from the first key on. Anything wrong with the input is left to the pass.
fn version_bytes(text: &str) -> Ver {
    let mut r = Reader::new(text);
    let probe = |r: &mut Reader<'_>| -> Result<Ver, Stop> {
        if !matches!(r.value()?, Start::Map) {
            return Err(Stop);
        }
        while let Some(k) = r.next_key()? {
            if k == "mods_version" {
                return Ok(match r.value() {
                    Ok(Start::Str(s)) => Ver::of(Some(&s)),
                    _ => Ver::Unsupported,
                });
            }
            r.skip()?;
        }
        Ok(Ver::Missing)
    };
    probe(&mut r).unwrap_or(Ver::Missing)
}

fn version_value(doc: &Value) -> Ver {
    match doc.as_object().and_then(|m| m.get("mods_version")) {
        Some(v) => Ver::of(v.as_str()),
        None => Ver::Missing,
    }
}

// ---- reading a value ----

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

/// A check of the pass on the value just read: placed there when it fails.
fn here<'de, S: Source<'de>, T>(src: &mut S, r: Result<T, Stop>) -> Result<T, Stop> {
    if r.is_err() {
        src.fail_here();
    }
    r
}

/// A check of the pass between the values of an object (`map`) or array: placed there
/// when it fails.
fn inside<'de, S: Source<'de>, T>(src: &mut S, map: bool, r: Result<T, Stop>) -> Result<T, Stop> {
    if r.is_err() {
        src.fail_in(map);
    }
    r
}

/// Read one value (at `depth`, the top-level value being 1) as `want` says.
fn read<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    want: Want,
    depth: usize,
) -> Result<Got<'de>, Stop> {
    // after an error that stops the checks (the verdict only), values are only read: the
    // bytes for their syntax and within the limits; a `Value` not at all
    let want = if cx.stopped { Want::Ignore } else { want };
    if !S::BYTES
        && (matches!(want, Want::Ignore) || matches!(want, Want::Capture) && depth > VALUE_DEPTH)
    {
        // a `Value` holds nothing a scan could find wrong; and a value copied into an
        // issue's context is cut (to null) below a depth no reader would have passed, so a
        // `Value` built by hand cannot make the copy recurse without bound
        src.skip_unread();
        return Ok(scalar(cx, want, Scalar::Null));
    }
    let s = match src.value()? {
        Start::Str(s) => {
            // counted with its length
            here(src, cx.string(&s))?;
            Scalar::Str(s)
        }
        Start::Map => {
            inside(src, true, cx.container(depth))?;
            return map(cx, src, want, depth);
        }
        Start::Seq => {
            inside(src, false, cx.container(depth))?;
            return seq(cx, src, want, depth);
        }
        Start::Null => Scalar::Null,
        Start::Bool(b) => Scalar::Bool(b),
        Start::Num(n) => Scalar::Num(n),
    };
    if !matches!(s, Scalar::Str(_)) {
        here(src, cx.node())?;
    }
    Ok(scalar(cx, want, s))
}

/// The next item of the array being read, if it has one.
fn item<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    want: Want,
    depth: usize,
) -> Result<Option<Got<'de>>, Stop> {
    if !src.next_item()? {
        return Ok(None);
    }
    read(cx, src, want, depth).map(Some)
}

fn scalar<'de>(cx: &mut Cx<'de, '_>, want: Want, s: Scalar<'de>) -> Got<'de> {
    match want {
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
    }
}

fn seq<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    want: Want,
    depth: usize,
) -> Result<Got<'de>, Stop> {
    let items = match want {
        Want::Collection(class) => Want::Instance(class, true),
        Want::Element(class, el, in_record) if el.occurs.repeats() => {
            Want::Single(class, el, in_record)
        }
        Want::Capture => {
            let mut items = Vec::new();
            loop {
                match item(cx, src, Want::Capture, depth + 1) {
                    Ok(Some(g)) => {
                        inside(src, false, cx.item(items.len(), false))?;
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
            scan_seq(cx, src, depth)?;
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
        let got = item(cx, src, items, depth + 1);
        cx.path.pop();
        match got? {
            Some(_) => {
                inside(src, false, cx.item(i, true))?;
                i += 1;
            }
            None => break,
        }
    }
    Ok(if i > 0 { Got::Present } else { Got::Absent })
}

fn map<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    want: Want,
    depth: usize,
) -> Result<Got<'de>, Stop> {
    match want {
        Want::Document(ver) => document(cx, src, depth, ver),
        Want::Root(class) => instance(cx, src, depth, class, false),
        Want::Instance(class, in_record) => instance(cx, src, depth, class, in_record),
        Want::Element(class, el, _) if el.occurs.repeats() => {
            scan_map(cx, src, depth)?;
            cx.wrong_type("an array (it repeats)", Kind::Object, Some(el), Some(class));
            Ok(Got::Present)
        }
        Want::Element(class, el, in_record) | Want::Single(class, el, in_record) => {
            match (el.ty, &el.lookup) {
                (ElementType::Group, _) => match component(cx, el) {
                    Some(comp) => instance(cx, src, depth, comp, in_record),
                    None => {
                        scan_map(cx, src, depth)?;
                        Ok(Got::Present)
                    }
                },
                (ElementType::Lookup | ElementType::ReferenceCode, lookup)
                    if !matches!(lookup, Lookup::Reference { .. }) =>
                {
                    coding(cx, src, depth, class, el)
                }
                _ => {
                    scan_map(cx, src, depth)?;
                    mismatch(cx, class, el, Kind::Object);
                    Ok(Got::Present)
                }
            }
        }
        Want::Capture => capture_map(cx, src, depth),
        want => {
            scan_map(cx, src, depth)?;
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

/// How many keys of an object are kept in a list before a hash set takes over.
const FEW_KEYS: usize = 16;

/// The keys met in one object, to find a duplicate: the first [`FEW_KEYS`] in a list on
/// the stack (compared one by one: no allocation, no hashing, for the many small objects),
/// then all of them in a hash set.
struct Keys<'de> {
    few: [Cow<'de, str>; FEW_KEYS],
    len: usize,
    many: Option<FxHashSet<Cow<'de, str>>>,
}

impl<'de> Keys<'de> {
    fn new() -> Self {
        Keys {
            few: std::array::from_fn(|_| Cow::Borrowed("")),
            len: 0,
            many: None,
        }
    }

    /// Keys kept in a hash set from the start (room for `capacity`).
    fn hashed(capacity: usize) -> Self {
        Keys {
            many: Some(FxHashSet::with_capacity_and_hasher(
                capacity,
                Default::default(),
            )),
            ..Keys::new()
        }
    }

    /// Add `key`; false when it was there already.
    // a `Cow`, not a `&str`: it is kept by cloning, which does not copy a borrowed string
    #[allow(clippy::ptr_arg)]
    fn insert(&mut self, key: &Cow<'de, str>) -> bool {
        if let Some(set) = &mut self.many {
            return set.insert(key.clone());
        }
        if self.few[..self.len].iter().any(|k| k == key) {
            return false;
        }
        if self.len < FEW_KEYS {
            self.few[self.len] = key.clone();
            self.len += 1;
            return true;
        }
        let mut set = FxHashSet::with_capacity_and_hasher(FEW_KEYS * 2, Default::default());
        set.extend(self.few.iter_mut().map(std::mem::take));
        set.insert(key.clone());
        self.many = Some(set);
        true
    }
}

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
fn new_member<'de>(
    cx: &mut Cx<'de, '_>,
    keys: &mut Option<Keys<'de>>,
    k: &Cow<'de, str>,
    n: &mut usize,
) -> Result<(), Stop> {
    cx.key(k)?;
    if cx.limits.is_some() && !keys.get_or_insert_with(Keys::new).insert(k) {
        return Err(cx.duplicate());
    }
    cx.member(*n)?;
    *n += 1;
    Ok(())
}

fn document<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    depth: usize,
    ver: Ver,
) -> Result<Got<'de>, Stop> {
    let model = match ver {
        Ver::Supported(m) => Some(m),
        Ver::Missing | Ver::Unsupported => None,
    };
    cx.model = model;
    // a document has a few dozen members: a hash set from the start
    let mut keys = Some(Keys::hashed(32));
    let mut has_subject = false;
    let mut n = 0;
    while let Some(k) = src.next_key()? {
        inside(src, true, new_member(cx, &mut keys, &k, &mut n))?;
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
                let got = read(cx, src, want, depth + 1);
                cx.path.pop();
                let got = got?;
                if key == "mods_version" && !matches!(ver, Ver::Supported(_)) {
                    unsupported(cx, got);
                }
            }
            None => {
                if let Err(e) = read(cx, src, want, depth + 1) {
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

/// An instance of `class`: its elements, then what needs the whole instance (postcodes,
/// required elements, cross-element rules), then, for a record, its registration.
fn instance<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    depth: usize,
    class: &'static ClassDef,
    in_record: bool,
) -> Result<Got<'de>, Stop> {
    let fields = cx.kept.fields.len();
    let deferred = cx.deferred.len();
    let (mut seen, mut present) = (0u128, 0u128);
    let mut unknown = None;
    let mut n = 0;
    let plan = plan(class);
    while let Some(k) = src.next_key()? {
        inside(src, true, cx.key(&k))?;
        let index = plan.keys.index(&k);
        match index {
            Some(i) => {
                let bit = bit(i);
                if seen & bit != 0 {
                    return inside(src, true, Err(cx.duplicate()));
                }
                seen |= bit;
            }
            None => {
                if seen_before(cx, &mut unknown, &k) {
                    return inside(src, true, Err(cx.duplicate()));
                }
            }
        }
        inside(src, true, cx.member(n))?;
        n += 1;
        match index {
            Some(i) => {
                let el = &class.elements[i];
                cx.path.push(Seg::Key(el.technical_name));
                let got = read(cx, src, Want::Element(class, el, in_record), depth + 1);
                cx.path.pop();
                let got = got?;
                if got.present() {
                    present |= bit(i);
                }
                cx.kept
                    .keep(el.technical_name, plan.kept & bit(i) != 0, got);
            }
            None => {
                cx.unknown_element(&k, Place::Class(class));
                if let Err(e) = read(cx, src, Want::Ignore, depth + 1) {
                    cx.unwound(|| k.into_owned());
                    return Err(e);
                }
            }
        }
    }
    if cx.deferred.len() > deferred {
        postcodes(cx, class, fields, deferred);
    }
    let mut missing = plan.required & !present;
    while missing != 0 {
        let i = missing.trailing_zeros() as usize;
        missing &= missing - 1;
        let el = &class.elements[i];
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
fn coding<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    depth: usize,
    class: &'static ClassDef,
    el: &'static ElementDef,
) -> Result<Got<'de>, Stop> {
    let capture = cx.opts.include_values;
    let mut all = capture.then(Map::new);
    let (mut code, mut system) = (Member::Absent, Member::Absent);
    let mut seen = 0u8;
    let mut unknown = None;
    let mut n = 0;
    while let Some(k) = src.next_key()? {
        inside(src, true, cx.key(&k))?;
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
            return inside(src, true, Err(cx.duplicate()));
        }
        inside(src, true, cx.member(n))?;
        n += 1;
        let want = if capture { Want::Capture } else { Want::Member };
        match member {
            Some((name, _)) => {
                cx.path.push(Seg::Key(name));
                let got = read(cx, src, want, depth + 1);
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
                match read(cx, src, want, depth + 1) {
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

fn scan_seq<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    depth: usize,
) -> Result<(), Stop> {
    let mut i = 0;
    loop {
        match item(cx, src, Want::Ignore, depth + 1) {
            Ok(Some(_)) => {
                inside(src, false, cx.item(i, false))?;
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

fn scan_map<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    depth: usize,
) -> Result<(), Stop> {
    let mut keys = None;
    let mut n = 0;
    while let Some(k) = src.next_key()? {
        inside(src, true, new_member(cx, &mut keys, &k, &mut n))?;
        if let Err(e) = read(cx, src, Want::Ignore, depth + 1) {
            cx.unwound(|| k.into_owned());
            return Err(e);
        }
    }
    Ok(())
}

fn capture_map<'de, S: Source<'de>>(
    cx: &mut Cx<'de, '_>,
    src: &mut S,
    depth: usize,
) -> Result<Got<'de>, Stop> {
    let mut out = Map::new();
    while let Some(k) = src.next_key()? {
        inside(src, true, cx.key(&k))?;
        let count = out.len();
        // one search of the map: the duplicate check finds the place the value goes
        let slot = match out.entry(k.into_owned()) {
            serde_json::map::Entry::Vacant(slot) => slot,
            serde_json::map::Entry::Occupied(_) => {
                return inside(src, true, Err(cx.duplicate()));
            }
        };
        inside(src, true, cx.member(count))?;
        match read(cx, src, Want::Capture, depth + 1) {
            Ok(got) => {
                let v = match got {
                    Got::Value(v) => v,
                    _ => Value::Null,
                };
                slot.insert(v);
            }
            Err(e) => {
                cx.unwound(|| slot.key().clone());
                return Err(e);
            }
        }
    }
    Ok(Got::Value(Value::Object(out)))
}
