//! The rules on one value: text, identifiers, numbers, dates, codes, references, and the
//! issues for a value of the wrong JSON type or a key the model does not know.

use super::cx::{ctx, Cx, Kind};
use super::dates;
use super::records::{Got, PendingRef};
use super::Mode;
use crate::bcp47::{self, TagStatus};
use crate::checks::{self, Moment};
use crate::issue::{IssueCode, Severity};
use crate::model::{
    ClassDef, ElementDef, ElementType, IdFormat, Membership, Strength, ValueSetDef,
};
use crate::terminology::{CodeCheck, CodeRequest};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// Where an unknown key was found.
#[derive(Clone, Copy)]
pub(super) enum Place<'c> {
    Document,
    Class(&'c ClassDef),
    Coding(&'c ElementDef),
}

impl<'de> Cx<'de, '_> {
    pub(super) fn element_ctx(class: &ClassDef, el: &ElementDef) -> Map<String, Value> {
        ctx(&[
            ("class", class.technical_name.into()),
            ("element", el.technical_name.into()),
        ])
    }

    /// `empty-value` for a string of nothing but white space; whether it was one.
    fn blank(&mut self, class: &ClassDef, el: &ElementDef, s: &str) -> bool {
        let blank = checks::is_blank(s);
        if blank {
            self.issue(
                IssueCode::EmptyValue,
                None,
                format!("{} is empty", el.name),
                Self::element_ctx(class, el),
            );
        }
        blank
    }

    /// The coding object in the context, when values are asked for.
    fn add_coding(&self, c: &mut Map<String, Value>, v: Option<&Map<String, Value>>) {
        if let Some(v) = v {
            self.add_value(c, || Value::Object(v.clone()));
        }
    }

    /// `unknown-element`: a key the model does not know at this place.
    pub(super) fn unknown_element(&mut self, key: &str, place: Place<'_>) {
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
        self.issue_at_key(key, IssueCode::UnknownElement, severity, message, c);
    }

    /// `wrong-json-type`: the value is not of the JSON type expected.
    pub(super) fn wrong_type(
        &mut self,
        expected: &str,
        found: Kind,
        el: Option<&ElementDef>,
        class: Option<&ClassDef>,
    ) {
        let mut c = ctx(&[
            ("expected", expected.into()),
            ("found", found.name().into()),
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
            format!("{what}, not {}", found.described()),
            c,
        );
    }

    /// A class's date-order rule, over the values read of one instance.
    pub(super) fn date_order(
        &mut self,
        class: &'static ClassDef,
        fields: &[(&'static str, Got<'_>)],
        earlier: &'static str,
        later: &'static str,
    ) {
        let moment = |name: &str| -> Option<Moment> {
            let (_, got) = fields.iter().find(|(n, _)| *n == name)?;
            dates::moment(class.element(name)?, got.as_str()?)
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

    /// A Text value: not blank, and of its identifier format if it has one (a postcode is
    /// checked when its instance has been read, once the instance's country is known).
    // a `Cow`, not a `&str`: it is kept by cloning, which does not copy a borrowed string
    #[allow(clippy::ptr_arg)]
    pub(super) fn text(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        s: &Cow<'de, str>,
    ) {
        if self.blank(class, el, s) {
            return;
        }
        match el.format {
            Some(IdFormat::Postcode) => {
                let at = self.path.last().copied();
                self.deferred.push((el, at, s.clone()));
            }
            Some(format) => self.identifier(class, el, format, s),
            None => {}
        }
    }

    /// A Date, Time or Date and Time value: written in a form its element accepts.
    pub(super) fn string_value(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        s: &str,
        ok: impl Fn(&str) -> bool,
    ) {
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
        self.add_value(&mut c, || s.into());
        self.issue(
            code,
            None,
            format!("{} must be written {expected}", el.name),
            c,
        );
    }

    /// A Number value: at least its minimum, whole where it must be.
    pub(super) fn number(&mut self, class: &'static ClassDef, el: &'static ElementDef, n: &Number) {
        if let Some(min) = el.minimum {
            if n.as_f64().is_some_and(|f| f < min) {
                let mut c = Self::element_ctx(class, el);
                c.insert("minimum".into(), min.into());
                self.add_value(&mut c, || Value::Number(n.clone()));
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
                self.add_value(&mut c, || Value::Number(n.clone()));
                self.issue(
                    IssueCode::InvalidNumber,
                    None,
                    format!("{} must be a whole number from 0 to 2^53 - 1", el.name),
                    c,
                );
            }
        }
    }

    pub(super) fn binding_ctx(
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
    pub(super) fn embedded_code(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        v: Option<&Map<String, Value>>,
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
        self.add_coding(&mut c, v);
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
    pub(super) fn external_code(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        v: Option<&Map<String, Value>>,
        (bound, name, value_set): (&'static str, &'static str, &Option<&'static str>),
        strength: Strength,
        system: Option<&str>,
        code: &str,
    ) {
        let context = |cx: &Self| {
            let mut c = Self::binding_ctx(class, el, strength, *value_set);
            c.insert("terminology".into(), name.into());
            cx.add_coding(&mut c, v);
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

    /// A reference: a record uid, resolved after the pass when read in a record document.
    // a `Cow`, not a `&str`: it is kept by cloning, which does not copy a borrowed string
    #[allow(clippy::ptr_arg)]
    pub(super) fn reference(
        &mut self,
        class: &'static ClassDef,
        el: &'static ElementDef,
        uid: &Cow<'de, str>,
        in_record: bool,
    ) {
        if self.blank(class, el, uid) {
            return;
        }
        if !checks::is_uid(uid) {
            let mut c = Self::element_ctx(class, el);
            c.insert("format".into(), "uid".into());
            self.add_value(&mut c, || uid.as_ref().into());
            self.issue(
                IssueCode::InvalidIdentifier,
                None,
                format!("{} is not a record uid", el.name),
                c,
            );
            return;
        }
        if in_record {
            let start = self.kept.segs.len();
            self.kept.segs.extend_from_slice(&self.path);
            self.refs.push(PendingRef {
                uid: uid.clone(),
                element: el,
                segs: start..self.kept.segs.len(),
            });
        }
    }
}
