//! The validation engine before the one-pass engine of `super::walk`: it walks a parsed
//! [`Value`] tree. It is kept, unchanged, only as the oracle of the differential property
//! test (`mods-core/tests/differential.rs`), behind the `legacy-engine` feature, and is
//! removed once the new engine has been in a release; nothing else may call it.

#![allow(missing_docs)]

use super::{InstanceError, Mode, ValidationOptions, EXTENSIONS};
use crate::bcp47::{self, TagStatus};
use crate::checks::{self, Moment};
use crate::issue::{Issue, IssueCode, Report, Severity};
use crate::model::{
    self, ClassDef, ClassKind, ElementDef, ElementType, Lookup, Membership, Model, Rule, Strength,
    ValueSetDef,
};
use crate::parse::{escape_segment, parse_json, InputError};
use crate::terminology::{CodeCheck, CodeRequest};
use serde_json::{Map, Value};
use std::collections::HashMap;

mod dates;
mod dose_rules;
mod identifier;

/// Parse and validate a record document.
///
/// Returns `Err` only when the bytes cannot be read as JSON within the limits; everything
/// else, including a document that is not an object, is an issue in the report.
pub fn validate_record_json(bytes: &[u8], opts: &ValidationOptions) -> Result<Report, InputError> {
    let value = parse_json(bytes, &opts.limits)?;
    Ok(validate_record(&value, opts))
}

/// Validate a record document already parsed into a [`Value`].
pub fn validate_record(doc: &Value, opts: &ValidationOptions) -> Report {
    let mut cx = Cx::new(opts);
    let Some(obj) = doc.as_object() else {
        cx.issue(
            IssueCode::DocumentNotObject,
            None,
            "a record document must be a JSON object".into(),
            ctx(&[("found", json_type(doc).into())]),
        );
        return cx.finish();
    };
    let model = match obj.get("mods_version") {
        None => {
            cx.at("mods_version", |cx| {
                cx.issue(
                    IssueCode::ModsVersionMissing,
                    None,
                    "the record does not state its MODS version".into(),
                    Map::new(),
                )
            });
            return cx.finish();
        }
        Some(v) => match v.as_str().and_then(model::model) {
            Some(m) => m,
            None => {
                let supported: Vec<Value> = model::models()
                    .iter()
                    .map(|m| m.mods_version.into())
                    .collect();
                cx.at("mods_version", |cx| {
                    let mut c = ctx(&[("supported", Value::Array(supported))]);
                    cx.add_value(&mut c, v);
                    cx.issue(
                        IssueCode::ModsVersionUnsupported,
                        None,
                        "the record's mods_version is not a MODS version this library supports"
                            .into(),
                        c,
                    )
                });
                return cx.finish();
            }
        },
    };
    cx.model = Some(model);
    for (key, value) in obj {
        if key == "mods_version" {
            continue;
        }
        if key == EXTENSIONS {
            // the documented extension slot (data kept by migrations); an object, not checked further
            if !value.is_object() {
                cx.at(key, |cx| cx.wrong_type("an object", value, None, None));
            }
            continue;
        }
        if key == "subject_of_care" {
            if let Some(class) = model.class("subject_of_care") {
                cx.at(key, |cx| cx.instance(class, value, true));
            }
            continue;
        }
        match model.class(key) {
            Some(class)
                if class.kind == ClassKind::Record && class.technical_name != "subject_of_care" =>
            {
                cx.at(key, |cx| match value {
                    Value::Array(items) => {
                        for (i, item) in items.iter().enumerate() {
                            cx.at_index(i, |cx| cx.instance(class, item, true));
                        }
                    }
                    other => cx.wrong_type("array", other, None, Some(class)),
                });
            }
            _ => cx.at(key, |cx| cx.unknown_element(key, Place::Document)),
        }
    }
    if !obj.contains_key("subject_of_care") {
        cx.at("subject_of_care", |cx| {
            cx.issue(
                IssueCode::RequiredElementMissing,
                None,
                "the record document has no subject_of_care".into(),
                ctx(&[("element", "subject_of_care".into())]),
            )
        });
    }
    cx.resolve_references();
    cx.check_date_of_birth_agreement();
    cx.check_doses();
    cx.check_envelopes();
    cx.finish()
}

/// Parse and validate one instance of a class on its own (for example, the Alert a form
/// is editing), against the latest model.
pub fn validate_instance_json(
    class: &str,
    bytes: &[u8],
    opts: &ValidationOptions,
) -> Result<Report, InstanceError> {
    let class_def = instance_class(class)?;
    let value = parse_json(bytes, &opts.limits)?;
    Ok(run_instance(class_def, &value, opts))
}

/// Validate one instance of a class on its own, against the latest model. References are
/// checked for shape only: the records they name are not there to resolve.
pub fn validate_instance(
    class: &str,
    value: &Value,
    opts: &ValidationOptions,
) -> Result<Report, InstanceError> {
    let class_def = instance_class(class)?;
    Ok(run_instance(class_def, value, opts))
}

fn instance_class(class: &str) -> Result<&'static ClassDef, InstanceError> {
    let m = model::latest();
    m.class(class)
        .filter(|c| c.kind != ClassKind::Abstract)
        .ok_or_else(|| InstanceError::UnknownClass(class.to_owned(), m.mods_version))
}

fn run_instance(class: &'static ClassDef, value: &Value, opts: &ValidationOptions) -> Report {
    let mut cx = Cx::new(opts);
    cx.model = Some(model::latest());
    if !value.is_object() {
        cx.issue(
            IssueCode::DocumentNotObject,
            None,
            format!("an instance of {} must be a JSON object", class.name),
            ctx(&[("found", json_type(value).into())]),
        );
        return cx.finish();
    }
    cx.instance(class, value, false);
    cx.check_doses();
    cx.finish()
}

fn ctx(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Where an unknown key was found.
#[derive(Clone, Copy)]
enum Place<'c> {
    Document,
    Class(&'c ClassDef),
    Coding(&'c ElementDef),
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

struct PendingRef<'a> {
    path: String,
    uid: &'a str,
    element: &'static ElementDef,
}

/// A record of the document, registered while it is walked, for the rules that look at
/// several records at once.
pub(crate) struct Registered<'a> {
    pub(crate) class: &'static ClassDef,
    /// JSON pointer to the record.
    pub(crate) path: String,
    pub(crate) value: &'a Map<String, Value>,
}

struct Cx<'a, 'o> {
    opts: &'o ValidationOptions,
    model: Option<&'static Model>,
    path: Vec<Seg<'a>>,
    issues: Vec<Issue>,
    omitted: usize,
    has_error: bool,
    uids: HashMap<&'a str, usize>,
    records: Vec<Registered<'a>>,
    refs: Vec<PendingRef<'a>>,
    /// The instance being checked is an address abroad: its postcode is free text.
    abroad: bool,
    /// Today, for `implausible-date`: the caller's, else the system clock's, if any.
    today: Option<chrono::NaiveDate>,
}

impl<'a, 'o> Cx<'a, 'o> {
    fn new(opts: &'o ValidationOptions) -> Self {
        Cx {
            opts,
            model: None,
            path: Vec::new(),
            issues: Vec::new(),
            omitted: 0,
            has_error: false,
            uids: HashMap::new(),
            records: Vec::new(),
            refs: Vec::new(),
            abroad: false,
            today: opts.today.or_else(super::dates::system_today),
        }
    }

    fn finish(mut self) -> Report {
        if self.omitted > 0 {
            self.issues.push(Issue {
                code: IssueCode::TooManyIssues,
                severity: Severity::Information,
                path: String::new(),
                message: format!(
                    "{} further issues were found and left out of this report",
                    self.omitted
                ),
                context: ctx(&[("omitted", self.omitted.into())]),
            });
        }
        Report {
            valid: !self.has_error,
            issues: self.issues,
            omitted: self.omitted,
        }
    }

    fn pointer(&self) -> String {
        let mut out = String::new();
        for s in &self.path {
            out.push('/');
            match s {
                Seg::Key(k) => escape_segment(k, &mut out),
                Seg::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    fn at<R>(&mut self, key: &'a str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Seg::Key(key));
        let r = f(self);
        self.path.pop();
        r
    }

    fn at_index<R>(&mut self, i: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Seg::Index(i));
        let r = f(self);
        self.path.pop();
        r
    }

    fn issue(
        &mut self,
        code: IssueCode,
        severity: Option<Severity>,
        message: String,
        context: Map<String, Value>,
    ) {
        let severity = severity.unwrap_or(code.default_severity());
        let path = self.pointer();
        self.push(code, severity, path, message, context);
    }

    fn push(
        &mut self,
        code: IssueCode,
        severity: Severity,
        path: String,
        message: String,
        context: Map<String, Value>,
    ) {
        if severity == Severity::Error {
            self.has_error = true;
        }
        if self.issues.len() >= self.opts.max_issues {
            self.omitted += 1;
            return;
        }
        self.issues.push(Issue {
            code,
            severity,
            path,
            message,
            context,
        });
    }

    fn add_value(&self, c: &mut Map<String, Value>, v: &Value) {
        if self.opts.include_values {
            c.insert("value".into(), v.clone());
        }
    }

    fn element_ctx(class: &ClassDef, el: &ElementDef) -> Map<String, Value> {
        ctx(&[
            ("class", class.technical_name.into()),
            ("element", el.technical_name.into()),
        ])
    }

    fn unknown_element(&mut self, key: &str, place: Place<'_>) {
        let severity = match self.opts.mode {
            Mode::Lax => Severity::Warning,
            Mode::Strict => Severity::Error,
        };
        let (message, mut c) = match place {
            Place::Class(cl) => (
                format!("{} has no element with this name", cl.name),
                ctx(&[("class", cl.technical_name.into())]),
            ),
            Place::Coding(el) => (
                format!(
                    "the coding of {} holds only code, system and display; this member is none of them",
                    el.name
                ),
                ctx(&[("element", el.technical_name.into())]),
            ),
            Place::Document => (
                "a record document holds mods_version, subject_of_care and class collections only; this key is none of them".to_owned(),
                Map::new(),
            ),
        };
        // The key is a name chosen by the producing system, not the person's data.
        c.insert("key".into(), key.into());
        self.issue(IssueCode::UnknownElement, Some(severity), message, c);
    }

    fn wrong_type(
        &mut self,
        expected: &str,
        found: &Value,
        el: Option<&ElementDef>,
        class: Option<&ClassDef>,
    ) {
        let mut c = ctx(&[
            ("expected", expected.into()),
            ("found", json_type(found).into()),
        ]);
        if let Some(cl) = class {
            c.insert("class".into(), cl.technical_name.into());
        }
        if let Some(e) = el {
            c.insert("element".into(), e.technical_name.into());
        }
        let what = match el {
            Some(e) => format!("{} must be {}", e.name, expected),
            None => format!("expected {expected}"),
        };
        self.issue(
            IssueCode::WrongJsonType,
            None,
            format!("{what}, not {}", describe(found)),
            c,
        );
    }

    /// Validate one instance of `class`. `in_record` enables uid registration and
    /// reference resolution.
    fn instance(&mut self, class: &'static ClassDef, value: &'a Value, in_record: bool) {
        let Value::Object(obj) = value else {
            self.wrong_type("an object", value, None, Some(class));
            return;
        };
        let outer_abroad = std::mem::replace(
            &mut self.abroad,
            super::identifier::abroad(self.model, class, obj),
        );
        for (key, v) in obj {
            match class.element(key) {
                Some(el) => self.at(key, |cx| cx.element(class, el, v, in_record)),
                None => self.at(key, |cx| cx.unknown_element(key, Place::Class(class))),
            }
        }
        self.abroad = outer_abroad;
        for el in class.elements {
            let present = match obj.get(el.technical_name) {
                None | Some(Value::Null) => false,
                // an empty array holds no value; for a single element it is also a type error
                Some(Value::Array(a)) => !a.is_empty() || !el.occurs.repeats(),
                Some(_) => true,
            };
            if el.occurs.required() && !present {
                let c = Self::element_ctx(class, el);
                self.at(el.technical_name, |cx| {
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
        for rule in class.rules {
            match rule {
                Rule::DateOrder { earlier, later } => self.date_order(class, obj, earlier, later),
            }
        }
        if in_record && class.kind == ClassKind::Record {
            let path = self.pointer();
            if class.versioned {
                if let Some(Value::String(uid)) = obj.get("record_uid") {
                    if checks::is_uid(uid) {
                        if self.uids.contains_key(uid.as_str()) {
                            self.at("record_uid", |cx| {
                                let mut c = ctx(&[("class", class.technical_name.into())]);
                                cx.add_value(&mut c, &Value::String(uid.clone()));
                                cx.issue(
                                    IssueCode::DuplicateRecordUid,
                                    None,
                                    "another record in this document has the same record_uid"
                                        .into(),
                                    c,
                                )
                            });
                        } else {
                            self.uids.insert(uid.as_str(), self.records.len());
                        }
                    }
                }
            }
            self.records.push(Registered {
                class,
                path,
                value: obj,
            });
        }
    }

    fn date_order(
        &mut self,
        class: &'static ClassDef,
        obj: &Map<String, Value>,
        earlier: &'static str,
        later: &'static str,
    ) {
        let moment = |name: &str| -> Option<Moment> {
            super::dates::moment(class.element(name)?, obj.get(name)?.as_str()?)
        };
        let (Some(a), Some(b)) = (moment(earlier), moment(later)) else {
            return;
        };
        if a.compare(&b) == Some(std::cmp::Ordering::Greater) {
            let (ea, eb) = (class.element(earlier), class.element(later));
            let (na, nb) = (ea.map_or(earlier, |e| e.name), eb.map_or(later, |e| e.name));
            self.at(later, |cx| {
                cx.issue(
                    IssueCode::DateOrder,
                    None,
                    format!("{nb} is before {na}"),
                    ctx(&[
                        ("class", class.technical_name.into()),
                        ("earlier", earlier.into()),
                        ("later", later.into()),
                    ]),
                )
            });
        }
    }

    fn element(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        v: &'a Value,
        in_record: bool,
    ) {
        if v.is_null() {
            if !el.occurs.required() {
                self.issue(
                    IssueCode::NullValue,
                    None,
                    format!("{} is null; leave it out instead", el.name),
                    Self::element_ctx(class, el),
                );
            }
            // a required null is reported once, as missing, by the instance check
            return;
        }
        if el.occurs.repeats() {
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.at_index(i, |cx| cx.single(class, el, item, in_record));
                    }
                }
                other => self.wrong_type("an array (it repeats)", other, Some(el), Some(class)),
            }
        } else if v.is_array() {
            self.wrong_type(
                "a single value (it does not repeat)",
                v,
                Some(el),
                Some(class),
            );
        } else {
            self.single(class, el, v, in_record);
        }
    }

    fn single(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        v: &'a Value,
        in_record: bool,
    ) {
        match el.ty {
            ElementType::Text => self.text(class, el, v),
            ElementType::Number => self.number(class, el, v),
            ElementType::Date => self.string_value(class, el, v, |s| {
                if el.partial {
                    checks::parse_partial_date(s).is_some()
                } else {
                    checks::parse_date(s).is_some()
                }
            }),
            ElementType::Time => {
                self.string_value(class, el, v, |s| checks::parse_time(s).is_some())
            }
            ElementType::DateTime => self.string_value(class, el, v, |s| {
                if el.time_optional {
                    checks::parse_date_or_date_time(s).is_some()
                } else {
                    checks::parse_date_time(s).is_some()
                }
            }),
            ElementType::YesNo => {
                if !v.is_boolean() {
                    self.wrong_type("true or false", v, Some(el), Some(class));
                }
            }
            ElementType::Lookup | ElementType::ReferenceCode => match &el.lookup {
                Lookup::Reference { .. } => self.reference(class, el, v, in_record),
                _ => self.coding(class, el, v),
            },
            ElementType::Group => {
                let comp = el
                    .component
                    .and_then(|c| self.model.and_then(|m| m.class(c)));
                if let Some(comp) = comp {
                    self.instance(comp, v, in_record);
                }
            }
        }
        if el.plausible.is_some() {
            self.plausible_date(class, el, v);
        }
    }

    fn text(&mut self, class: &'static ClassDef, el: &'static ElementDef, v: &'a Value) {
        let Some(s) = v.as_str() else {
            self.wrong_type("a string", v, Some(el), Some(class));
            return;
        };
        if s.trim().is_empty() {
            self.issue(
                IssueCode::EmptyValue,
                None,
                format!("{} is empty", el.name),
                Self::element_ctx(class, el),
            );
            return;
        }
        if let Some(format) = el.format {
            self.identifier(class, el, format, v, s);
        }
    }

    fn string_value(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        v: &'a Value,
        ok: impl Fn(&str) -> bool,
    ) {
        let Some(s) = v.as_str() else {
            self.wrong_type("a string", v, Some(el), Some(class));
            return;
        };
        if ok(s) {
            return;
        }
        let (code, expected) = match el.ty {
            ElementType::Date if el.partial => (
                IssueCode::InvalidDate,
                "YYYY-MM-DD, YYYY-MM, YYYY, YY (a century), --MM-DD (day and month) or --MM (month), a real date",
            ),
            ElementType::Date => (IssueCode::InvalidDate, "YYYY-MM-DD, a real date"),
            ElementType::Time => (IssueCode::InvalidTime, "HH:MM or HH:MM:SS"),
            ElementType::DateTime if el.time_optional => (
                IssueCode::InvalidDateTime,
                "YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +01:00",
            ),
            _ => (
                IssueCode::InvalidDateTime,
                "YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +01:00",
            ),
        };
        let mut c = Self::element_ctx(class, el);
        c.insert("expected".into(), expected.into());
        self.add_value(&mut c, v);
        self.issue(
            code,
            None,
            format!("{} must be written {expected}", el.name),
            c,
        );
    }

    fn number(&mut self, class: &'static ClassDef, el: &'static ElementDef, v: &'a Value) {
        let Value::Number(n) = v else {
            self.wrong_type("a number", v, Some(el), Some(class));
            return;
        };
        if let Some(min) = el.minimum {
            if n.as_f64().is_some_and(|f| f < min) {
                let mut c = Self::element_ctx(class, el);
                c.insert("minimum".into(), min.into());
                self.add_value(&mut c, v);
                self.issue(
                    IssueCode::InvalidNumber,
                    None,
                    format!("{} must be at least {min}", el.name),
                    c,
                );
                return;
            }
        }
        if el.integer {
            const MAX_SAFE: u64 = (1 << 53) - 1;
            if n.as_u64().is_none_or(|u| u > MAX_SAFE) {
                let mut c = Self::element_ctx(class, el);
                c.insert(
                    "expected".into(),
                    "a whole number from 0 to 2^53 - 1".into(),
                );
                self.add_value(&mut c, v);
                self.issue(
                    IssueCode::InvalidNumber,
                    None,
                    format!("{} must be a whole number from 0 to 2^53 - 1", el.name),
                    c,
                );
            }
        }
    }

    fn coding(&mut self, class: &'static ClassDef, el: &'static ElementDef, v: &'a Value) {
        let Value::Object(obj) = v else {
            self.wrong_type(
                "a coding object such as {\"code\": \"...\"}",
                v,
                Some(el),
                Some(class),
            );
            return;
        };
        let malformed = |cx: &mut Self, member: &'a str, problem: &str| {
            let mut c = Self::element_ctx(class, el);
            c.insert("member".into(), member.into());
            cx.at(member, |cx| {
                cx.issue(
                    IssueCode::InvalidCoding,
                    None,
                    format!("the coding of {} {problem}", el.name),
                    c,
                )
            });
        };
        for (k, mv) in obj {
            match k.as_str() {
                "code" | "system" | "display" => {
                    if !mv.is_string() {
                        malformed(self, k, "has a member that is not a string");
                    }
                }
                other => self.at(k, |cx| cx.unknown_element(other, Place::Coding(el))),
            }
        }
        let code = match obj.get("code") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.as_str(),
            Some(Value::String(_)) => {
                malformed(self, "code", "has an empty code");
                return;
            }
            Some(_) => return,
            None => {
                malformed(self, "code", "has no code");
                return;
            }
        };
        let system = obj.get("system").and_then(Value::as_str);
        match &el.lookup {
            Lookup::ValueSet {
                value_set,
                strength,
            } => {
                if let Some(vs) = self.model.and_then(|m| m.value_set(value_set)) {
                    self.embedded_code(class, el, v, vs, *strength, system, code);
                }
            }
            Lookup::External {
                system: bound,
                name,
                strength,
                value_set,
            } => self.external_code(
                class,
                el,
                v,
                (bound, name, value_set),
                *strength,
                system,
                code,
            ),
            _ => {}
        }
    }

    fn binding_ctx(
        class: &ClassDef,
        el: &ElementDef,
        strength: Strength,
        value_set: Option<&str>,
    ) -> Map<String, Value> {
        let mut c = Self::element_ctx(class, el);
        if let Some(vs) = value_set {
            c.insert("value_set".into(), vs.into());
        }
        c.insert(
            "strength".into(),
            serde_json::to_value(strength).unwrap_or(Value::Null),
        );
        c
    }

    /// A code bound to an embedded value set (of one code system or several).
    #[allow(clippy::too_many_arguments)]
    fn embedded_code(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        v: &Value,
        vs: &'static ValueSetDef,
        strength: Strength,
        system: Option<&str>,
        code: &str,
    ) {
        // required: errors; extensible: warnings; preferred: other systems are free, but a
        // code claiming one of the set's systems must be in the set (a warning)
        let severity = match strength {
            Strength::Required => Severity::Error,
            Strength::Extensible | Strength::Preferred => Severity::Warning,
        };
        let membership = vs.membership(system, code);
        if membership == Membership::OtherSystem && strength == Strength::Preferred {
            return;
        }
        // the context (and the message) only for a code that gets an issue
        let quiet = match membership {
            Membership::Listed(_, d) => !d.inactive,
            Membership::Grammar(_, TagStatus::Known) => true,
            Membership::Grammar(..) | Membership::NotInSet | Membership::OtherSystem => false,
        };
        if quiet {
            return;
        }
        let mut c = Self::binding_ctx(class, el, strength, Some(vs.id));
        c.insert("value_set_url".into(), vs.url.into());
        self.add_value(&mut c, v);
        // the grammar-defined include (BCP 47) a code without a listed match was tried
        // against, if any
        let grammar = vs
            .includes
            .iter()
            .find(|i| i.grammar.is_some() && system.is_none_or(|s| s == i.system));
        match membership {
            Membership::OtherSystem => {
                let message = match vs.single_system() {
                    Some(expected) => {
                        c.insert("expected_system".into(), expected.into());
                        format!(
                            "the code system of {} is not the system of the value set {}",
                            el.name, vs.title
                        )
                    }
                    None => {
                        c.insert(
                            "expected_systems".into(),
                            vs.systems().map(Value::from).collect(),
                        );
                        format!(
                            "the code system of {} is none of the systems of the value set {}",
                            el.name, vs.title
                        )
                    }
                };
                self.at("system", |cx| {
                    cx.issue(IssueCode::CodeSystemMismatch, Some(severity), message, c)
                });
            }
            Membership::NotInSet => {
                let message = match (grammar, system) {
                    (Some(_), Some(_)) => format!(
                        "the code of {} is not a well-formed BCP 47 language tag (RFC 5646)",
                        el.name
                    ),
                    (Some(_), None) => format!(
                        "the code of {} is not in the value set {}: neither one of its listed codes nor a BCP 47 language tag (RFC 5646) with a registered language",
                        el.name, vs.title
                    ),
                    (None, _) => format!(
                        "the code of {} is not in the value set {}",
                        el.name, vs.title
                    ),
                };
                self.at("code", |cx| {
                    cx.issue(IssueCode::CodeNotInValueSet, Some(severity), message, c)
                });
            }
            Membership::Listed(_, d) if d.inactive => {
                let message = format!(
                    "the code of {} is inactive in the value set {}: keep it in old records, do not use it in new ones",
                    el.name, vs.title
                );
                self.at("code", |cx| {
                    cx.issue(IssueCode::CodeInactive, None, message, c)
                });
            }
            Membership::Grammar(inc, TagStatus::UnknownLanguage) => {
                c.insert("system".into(), inc.system.into());
                c.insert("registry_date".into(), bcp47::REGISTRY_DATE.into());
                let message = format!(
                    "the language tag of {} is well-formed, but its primary language subtag is not an ISO 639 code of the IANA Language Subtag Registry (as of {})",
                    el.name,
                    bcp47::REGISTRY_DATE
                );
                self.at("code", |cx| {
                    cx.issue(IssueCode::UnknownCode, Some(severity), message, c)
                });
            }
            Membership::Grammar(inc, TagStatus::Deprecated { preferred }) => {
                c.insert("system".into(), inc.system.into());
                if let (true, Some(p)) = (self.opts.include_values, preferred) {
                    c.insert("preferred_value".into(), p.into());
                }
                let message = format!(
                    "the language tag of {} is deprecated in the IANA Language Subtag Registry: keep it in old records, use the registry's preferred value in new ones",
                    el.name
                );
                self.at("code", |cx| {
                    cx.issue(IssueCode::CodeInactive, None, message, c)
                });
            }
            Membership::Listed(..) | Membership::Grammar(..) => {}
        }
    }

    /// A code bound to a terminology that is not embedded: checked by the configured
    /// terminology providers, if any covers it.
    #[allow(clippy::too_many_arguments)]
    fn external_code(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        v: &Value,
        (bound, name, value_set): (&'static str, &'static str, &Option<&'static str>),
        strength: Strength,
        system: Option<&str>,
        code: &str,
    ) {
        let context = |cx: &Self| {
            let mut c = Self::binding_ctx(class, el, strength, *value_set);
            c.insert("terminology".into(), name.into());
            cx.add_value(&mut c, v);
            c
        };
        if system.is_some_and(|s| s != bound) {
            let mut c = context(self);
            let severity = match strength {
                Strength::Required => Severity::Error,
                Strength::Extensible => Severity::Warning,
                Strength::Preferred => return,
            };
            c.insert("expected_system".into(), bound.into());
            let message = format!("the code system of {} is not {name}", el.name);
            self.at("system", |cx| {
                cx.issue(IssueCode::CodeSystemMismatch, Some(severity), message, c)
            });
            return;
        }
        if self.opts.terminology.is_empty() {
            return;
        }
        // preferred bindings: only whether the code exists; otherwise membership too
        let ask_value_set = match strength {
            Strength::Preferred => None,
            _ => *value_set,
        };
        let request = CodeRequest {
            system: bound,
            code,
            value_set: ask_value_set,
        };
        let mut answer = None;
        for p in &self.opts.terminology {
            match p.check_code(&request) {
                CodeCheck::NotCovered => continue,
                other => {
                    answer = Some((p.name().to_owned(), other));
                    break;
                }
            }
        }
        let Some((provider, answer)) = answer else {
            return;
        };
        let mut c = context(self);
        c.insert("provider".into(), provider.into());
        match answer {
            CodeCheck::Valid { inactive: true, .. } => {
                let message = format!("the code of {} is inactive in {name}", el.name);
                self.at("code", |cx| {
                    cx.issue(IssueCode::CodeInactive, None, message, c)
                });
            }
            CodeCheck::Valid { .. } | CodeCheck::NotCovered => {}
            CodeCheck::Invalid if ask_value_set.is_some() => {
                let severity = match strength {
                    Strength::Required => Severity::Error,
                    _ => Severity::Warning,
                };
                let message = format!("the code of {} is not in the value set of {name}", el.name);
                self.at("code", |cx| {
                    cx.issue(IssueCode::CodeNotInValueSet, Some(severity), message, c)
                });
            }
            CodeCheck::Invalid => {
                let message = format!("the code of {} does not exist in {name}", el.name);
                self.at("code", |cx| {
                    cx.issue(IssueCode::UnknownCode, None, message, c)
                });
            }
            CodeCheck::Unavailable { reason } => {
                c.insert("reason".into(), reason.into());
                let message = format!(
                    "the code of {} could not be checked against {name}; it is unchecked, not valid",
                    el.name
                );
                self.at("code", |cx| {
                    cx.issue(IssueCode::CodeUnchecked, None, message, c)
                });
            }
        }
    }

    fn reference(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        v: &'a Value,
        in_record: bool,
    ) {
        let Some(uid) = v.as_str() else {
            self.wrong_type(
                "a string (the record_uid of another record)",
                v,
                Some(el),
                Some(class),
            );
            return;
        };
        if uid.trim().is_empty() {
            self.issue(
                IssueCode::EmptyValue,
                None,
                format!("{} is empty", el.name),
                Self::element_ctx(class, el),
            );
            return;
        }
        if !checks::is_uid(uid) {
            let mut c = Self::element_ctx(class, el);
            c.insert("format".into(), "uid".into());
            self.add_value(&mut c, v);
            self.issue(
                IssueCode::InvalidIdentifier,
                None,
                format!("{} is not a record uid", el.name),
                c,
            );
            return;
        }
        if in_record {
            self.refs.push(PendingRef {
                path: self.pointer(),
                uid,
                element: el,
            });
        }
    }

    fn resolve_references(&mut self) {
        let refs = std::mem::take(&mut self.refs);
        for r in refs {
            let Lookup::Reference { targets, accepts } = &r.element.lookup else {
                continue;
            };
            let found = self.uids.get(r.uid).map(|&i| self.records[i].class);
            let problem = match found {
                None => Some((
                    IssueCode::DanglingReference,
                    format!(
                        "{} names a record that is not in this document",
                        r.element.name
                    ),
                    None,
                )),
                Some(c) if !accepts.contains(&c.technical_name) => Some((
                    IssueCode::ReferenceWrongClass,
                    format!(
                        "{} must name a record of class {}, not {}",
                        r.element.name,
                        targets.join(" or "),
                        c.name
                    ),
                    Some(c.technical_name),
                )),
                Some(_) => None,
            };
            if let Some((code, message, found_class)) = problem {
                let mut c = ctx(&[
                    ("element", r.element.technical_name.into()),
                    (
                        "targets",
                        Value::Array(targets.iter().map(|t| (*t).into()).collect()),
                    ),
                ]);
                if let Some(f) = found_class {
                    c.insert("found_class".into(), f.into());
                }
                if self.opts.include_values {
                    c.insert("value".into(), r.uid.into());
                }
                self.push(code, code.default_severity(), r.path, message, c);
            }
        }
    }

    /// `plan-exceeds-funded-envelope` (super::envelope): each care plan registered against
    /// the services its `services` element names.
    fn check_envelopes(&mut self) {
        use super::envelope::{self, figure};
        let num = |m: &Map<String, Value>, k: &str| figure(m.get(k).and_then(Value::as_f64));
        let mut found = Vec::new();
        for plan in self
            .records
            .iter()
            .filter(|r| r.class.technical_name == "care_plan")
        {
            let mut services: Vec<envelope::Service<'_>> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            let named = match plan.value.get("services") {
                Some(Value::Array(a)) => a.as_slice(),
                _ => &[],
            };
            for uid in named.iter().filter_map(Value::as_str) {
                if !checks::is_uid(uid) || uid.trim().is_empty() {
                    continue;
                }
                let Some(&i) = self.uids.get(uid) else {
                    continue;
                };
                let s = &self.records[i];
                if s.class.technical_name != "service" || !seen.insert(i) {
                    continue;
                }
                services.push(envelope::Service {
                    path: &s.path,
                    funded_hours: num(s.value, "funded_hours_per_week"),
                    weekly_cost: num(s.value, "weekly_cost"),
                });
            }
            let p = envelope::Plan {
                path: &plan.path,
                planned_hours: num(plan.value, "planned_hours_per_week"),
                weekly_cost: num(plan.value, "weekly_cost"),
                services,
            };
            found.extend(envelope::check(&p, self.opts.include_values));
        }
        for f in found {
            let severity = f.code.default_severity();
            self.push(f.code, severity, f.path, f.message, f.context);
        }
    }

    /// The dose rules of use case 3 (crate::dose_rules), over the records registered.
    fn check_doses(&mut self) {
        let Some(model) = self.model else { return };
        for f in dose_rules::check(model, &self.records, &self.uids) {
            let severity = f.code.default_severity();
            self.push(f.code, severity, f.path, f.message, f.context);
        }
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
