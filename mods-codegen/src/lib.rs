//! Code generation for mods-core: reads the MODS model data in `mods-core/spec/` and writes
//! `mods-core/src/generated/` (typed classes and model tables), reproducibly.
//!
//! Run it with `cargo run -p mods-codegen`; `cargo run -p mods-codegen -- --check` fails if
//! the committed files are not what the spec data generates.

pub mod keys;
pub mod spec;

use spec::{Class, Element, LookupSpec, Rule, Spec};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// The groups a class may belong to (MODS top-level sections).
pub const GROUPS: &[&str] = &[
    "Subject of care",
    "Care actor",
    "Observations",
    "Activity",
    "Assessment",
    "Care plan",
    "Consent and legal information",
    "Administrative information",
    "Audit information",
];

const TYPES: &[&str] = &[
    "Text",
    "Number",
    "Date",
    "Time",
    "Date and Time",
    "Lookup",
    "Yes or No",
    "Reference code",
    "Group",
];

const FORMATS: &[&str] = &[
    "nhs_number",
    "ods_code",
    "ods_gp_practice",
    "ods_pcn",
    "ods_trust",
    "ods_trust_site",
    "ods_sub_icb",
    "uprn",
    "postcode",
    "cqc_id",
    "gss_code",
    "email",
    "uid",
];

/// Map the published occurrence wording to `min..max`.
pub fn published_occurs(words: &str) -> Option<&'static str> {
    match words {
        "Must occur once" => Some("1..1"),
        "Could occur once" => Some("0..1"),
        "Could occur once or more" => Some("0..*"),
        "Must occur once or more" => Some("1..*"),
        _ => None,
    }
}

/// Parse a spec file.
pub fn parse_spec(text: &str) -> Result<Spec, String> {
    serde_json::from_str(text).map_err(|e| format!("spec does not follow docs/spec-format.md: {e}"))
}

/// An element as it ends up on a class: its definition and whether it was inherited.
#[derive(Debug, Clone)]
pub struct Effective {
    pub el: Element,
    pub inherited: bool,
}

/// The checked, resolved model of one spec file.
pub struct Resolved<'s> {
    pub spec: &'s Spec,
    pub elements: BTreeMap<&'s str, Vec<Effective>>,
    pub accepts: HashMap<Vec<String>, Vec<String>>,
}

fn is_technical(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// The code system of BCP 47 language tags, the only system a `bcp47` grammar may have.
const BCP47_SYSTEM: &str = "urn:ietf:bcp:47";

/// A value set is either `system` + `codes` or `includes`; every include has a system of its
/// own, unique codes, and codes unless a grammar defines them.
fn check_value_set(vs: &spec::ValueSet, errs: &mut Vec<String>) {
    let w = |m: String| format!("value set {}: {m}", vs.id);
    match (&vs.includes, &vs.system, &vs.codes) {
        (Some(i), None, None) if !i.is_empty() => {}
        (None, Some(_), Some(_)) => {}
        _ => errs.push(w(
            "needs either system and codes, or a non-empty includes (not both)".into(),
        )),
    }
    let mut systems = HashSet::new();
    for inc in vs.includes() {
        if !systems.insert(inc.system.clone()) {
            errs.push(w(format!("system {} included twice", inc.system)));
        }
        let mut seen = HashSet::new();
        for c in &inc.codes {
            if !seen.insert(c.code.as_str()) {
                errs.push(w(format!("code {} twice in {}", c.code, inc.system)));
            }
        }
        match inc.grammar.as_deref() {
            None if inc.codes.is_empty() => errs.push(w(format!("{} lists no codes", inc.system))),
            None => {}
            Some("bcp47") if inc.system == BCP47_SYSTEM => {}
            Some("bcp47") => errs.push(w(format!(
                "grammar bcp47 needs the system {BCP47_SYSTEM}, not {}",
                inc.system
            ))),
            Some(g) => errs.push(w(format!("unknown grammar {g}"))),
        }
        if vs.includes.is_some() && inc.title.is_none() {
            errs.push(w(format!("the include of {} has no title", inc.system)));
        }
    }
}

/// Check the spec's internal consistency and resolve inheritance and reference targets.
pub fn resolve(spec: &Spec) -> Result<Resolved<'_>, Vec<String>> {
    let mut errs = Vec::new();
    let classes: HashMap<&str, &Class> = spec
        .classes
        .iter()
        .map(|c| (c.technical_name.as_str(), c))
        .collect();
    if classes.len() != spec.classes.len() {
        errs.push("two classes share a technical name".to_owned());
    }
    let vsets: HashSet<&str> = spec.value_sets.iter().map(|v| v.id.as_str()).collect();
    if !matches!(
        spec.status.as_str(),
        "current" | "historical" | "illustrative"
    ) {
        errs.push(format!(
            "status {} is not current, historical or illustrative",
            spec.status
        ));
    }
    if vsets.len() != spec.value_sets.len() {
        errs.push("two value sets share an id".to_owned());
    }
    for vs in &spec.value_sets {
        check_value_set(vs, &mut errs);
        if !matches!(vs.provenance.as_str(), "published" | "provisional") {
            errs.push(format!("value set {}: provenance {}", vs.id, vs.provenance));
        }
    }
    for c in &spec.classes {
        let w = |m: String| format!("class {}: {m}", c.technical_name);
        if !is_technical(&c.technical_name) {
            errs.push(w("technical name is not lowercase_with_underscores".into()));
        }
        if !GROUPS.contains(&c.group.as_str()) {
            errs.push(w(format!("unknown group {}", c.group)));
        }
        if !matches!(c.kind.as_str(), "record" | "component" | "abstract") {
            errs.push(w(format!("unknown kind {}", c.kind)));
        }
        match c.provenance.status.as_str() {
            "published" | "provisional" => {}
            s => errs.push(w(format!("unknown provenance status {s}"))),
        }
        if c.provenance.sources.is_empty() {
            errs.push(w("cites no source".into()));
        }
        for r in [&c.parent, &c.inherits].into_iter().flatten() {
            if !classes.contains_key(r.as_str()) {
                errs.push(w(format!("names unknown class {r}")));
            }
        }
        let mut names = HashSet::new();
        for e in &c.elements {
            let we = |m: String| {
                format!(
                    "class {} element {}: {m}",
                    c.technical_name, e.technical_name
                )
            };
            if !names.insert(e.technical_name.as_str()) {
                errs.push(we("declared twice".into()));
            }
            if !is_technical(&e.technical_name) {
                errs.push(we("technical name is not lowercase_with_underscores".into()));
            }
            if !TYPES.contains(&e.ty.as_str()) {
                errs.push(we(format!("unknown type {}", e.ty)));
            }
            if !matches!(e.occurs.as_str(), "1..1" | "0..1" | "0..*" | "1..*") {
                errs.push(we(format!("unknown occurs {}", e.occurs)));
            }
            if let Some(f) = &e.format {
                if !FORMATS.contains(&f.as_str()) || e.ty != "Text" {
                    errs.push(we(format!(
                        "format {f} needs a known format on a Text element"
                    )));
                }
            }
            if e.partial && e.ty != "Date" {
                errs.push(we("partial is for Date elements".into()));
            }
            if e.time_optional && e.ty != "Date and Time" {
                errs.push(we("time_optional is for Date and Time elements".into()));
            }
            if let Some(p) = &e.plausible {
                if !matches!(p.as_str(), "past" | "birth") {
                    errs.push(we(format!("unknown plausible {p} (past or birth)")));
                }
                if !matches!(e.ty.as_str(), "Date" | "Date and Time") {
                    errs.push(we("plausible is for Date and Date and Time elements".into()));
                }
            }
            if e.integer && e.ty != "Number" {
                errs.push(we("integer is for Number elements".into()));
            }
            if e.minimum.is_some() && e.ty != "Number" {
                errs.push(we("minimum is for Number elements".into()));
            }
            match (e.ty.as_str(), &e.lookup) {
                ("Lookup" | "Reference code", None) => {
                    errs.push(we("a Lookup needs a lookup".into()))
                }
                ("Lookup" | "Reference code", Some(l)) => match l {
                    LookupSpec::ValueSet {
                        value_set,
                        strength,
                    } => {
                        if !vsets.contains(value_set.as_str()) {
                            errs.push(we(format!("unknown value set {value_set}")));
                        }
                        if !matches!(strength.as_str(), "required" | "extensible" | "preferred") {
                            errs.push(we(format!("unknown strength {strength}")));
                        }
                    }
                    LookupSpec::External { strength, .. } => {
                        if !matches!(strength.as_str(), "required" | "extensible" | "preferred") {
                            errs.push(we(format!("unknown strength {strength}")));
                        }
                    }
                    LookupSpec::Reference { targets } => {
                        if e.ty != "Lookup" {
                            errs.push(we("a reference must be typed Lookup".into()));
                        }
                        for t in targets {
                            if !classes.contains_key(t.as_str()) {
                                errs.push(we(format!("unknown reference target {t}")));
                            }
                        }
                        if targets.is_empty() {
                            errs.push(we("a reference needs a target".into()));
                        }
                    }
                },
                (_, Some(_)) => {
                    errs.push(we("only Lookup and Reference code take a lookup".into()))
                }
                _ => {}
            }
            match (e.ty.as_str(), &e.component) {
                ("Group", Some(comp)) => match classes.get(comp.as_str()) {
                    Some(cc) if cc.kind == "component" => {}
                    _ => errs.push(we(format!("component {comp} is not a component class"))),
                },
                ("Group", None) => errs.push(we("a Group needs a component".into())),
                (_, Some(_)) => errs.push(we("only a Group takes a component".into())),
                _ => {}
            }
            if let Some(p) = &e.published {
                let differs = p.ty.as_deref() != Some(e.ty.as_str())
                    || p.occurs.as_deref().and_then(published_occurs) != Some(e.occurs.as_str());
                if differs && e.note.is_none() {
                    errs.push(we(
                        "enforced type/occurs differ from the published row without a note".into(),
                    ));
                }
            }
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }

    // effective elements
    let mut elements = BTreeMap::new();
    let versioned = classes.get("versioned_record");
    for c in &spec.classes {
        let mut out: Vec<Effective> = Vec::new();
        let is_versioned = c.kind == "record" && c.versioned.unwrap_or(true);
        if is_versioned {
            match versioned {
                Some(v) => out.extend(v.elements.iter().map(|e| Effective {
                    el: e.clone(),
                    inherited: true,
                })),
                None => errs.push("versioned records need a versioned_record class".into()),
            }
        }
        let own_start = out.len();
        for e in &c.elements {
            if let Some(pos) = out[..own_start]
                .iter()
                .position(|x| x.el.technical_name == e.technical_name)
            {
                errs.push(format!(
                    "class {}: element {} clashes with Versioned record (position {pos})",
                    c.technical_name, e.technical_name
                ));
            }
            out.push(Effective {
                el: e.clone(),
                inherited: false,
            });
        }
        let mut seen_chain = HashSet::new();
        let mut next = c.inherits.as_deref();
        while let Some(p) = next {
            if !seen_chain.insert(p) {
                errs.push(format!("class {}: inheritance cycle", c.technical_name));
                break;
            }
            let Some(pc) = classes.get(p) else { break };
            for e in &pc.elements {
                if !out.iter().any(|x| x.el.technical_name == e.technical_name) {
                    out.push(Effective {
                        el: e.clone(),
                        inherited: true,
                    });
                }
            }
            next = pc.inherits.as_deref();
        }
        for r in &c.rules {
            let Rule::DateOrder { earlier, later } = r;
            for n in [earlier, later] {
                match out.iter().find(|x| &x.el.technical_name == n) {
                    Some(x) if matches!(x.el.ty.as_str(), "Date" | "Date and Time") => {}
                    _ => errs.push(format!(
                        "class {}: rule names {n}, which is not a date element",
                        c.technical_name
                    )),
                }
            }
        }
        elements.insert(c.technical_name.as_str(), out);
    }

    // reference targets → accepted concrete record classes
    let ancestors = |c: &Class| -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut p = c.parent.clone();
        while let Some(name) = p {
            if !seen.insert(name.clone()) {
                break;
            }
            p = classes.get(name.as_str()).and_then(|x| x.parent.clone());
            out.push(name);
        }
        out
    };
    let mut accepts = HashMap::new();
    for els in elements.values() {
        for x in els {
            if let Some(LookupSpec::Reference { targets }) = &x.el.lookup {
                if accepts.contains_key(targets) {
                    continue;
                }
                let mut acc = Vec::new();
                for c in spec.classes.iter().filter(|c| c.kind == "record") {
                    let anc = ancestors(c);
                    let ok = targets.iter().any(|t| {
                        *t == c.technical_name
                            || anc.contains(t)
                            || (t == "care_actor"
                                && (c.group == "Care actor"
                                    || c.technical_name == "subject_of_care"))
                    });
                    if ok {
                        acc.push(c.technical_name.clone());
                    }
                }
                if acc.is_empty() {
                    errs.push(format!(
                        "reference targets {targets:?} accept no record class"
                    ));
                }
                accepts.insert(targets.clone(), acc);
            }
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Resolved {
        spec,
        elements,
        accepts,
    })
}

/// `mods-1.0.json` → `v1_0`.
pub fn module_name(version: &str) -> String {
    format!("v{}", version.replace(['.', '-'], "_"))
}

fn camel(technical: &str) -> String {
    technical
        .split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

fn field(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn opt_lit(s: &Option<String>) -> String {
    match s {
        Some(s) => format!("Some({})", lit(s)),
        None => "None".into(),
    }
}

fn strength(s: &str) -> &'static str {
    match s {
        "required" => "Strength::Required",
        "extensible" => "Strength::Extensible",
        _ => "Strength::Preferred",
    }
}

fn rust_type(e: &Element) -> String {
    match e.ty.as_str() {
        "Text" => "String".into(),
        "Number" if e.integer => "u64".into(),
        "Number" => "f64".into(),
        "Date" if e.partial => "PartialDate".into(),
        "Date" => "NaiveDate".into(),
        "Time" => "NaiveTime".into(),
        "Date and Time" if e.time_optional => "DateOrDateTime".into(),
        "Date and Time" => "DateTime<FixedOffset>".into(),
        "Yes or No" => "bool".into(),
        "Group" => camel(e.component.as_deref().unwrap_or("unknown")),
        _ => match &e.lookup {
            Some(LookupSpec::Reference { .. }) => "String".into(),
            _ => "Coding".into(),
        },
    }
}

fn doc_lines(out: &mut String, text: &str) {
    for line in text.lines() {
        if line.is_empty() {
            out.push_str("///\n");
        } else {
            let _ = writeln!(out, "/// {line}");
        }
    }
}

/// `impl Class { pub fn new(mandatory elements...) -> Self }`: every element that occurs at
/// least once is a parameter, in model order; the others start empty (`None`, no items).
fn gen_constructor(out: &mut String, ty: &str, els: &[Effective]) {
    let mandatory: Vec<_> = els
        .iter()
        .filter(|x| x.el.occurs.starts_with('1'))
        .collect();
    let _ = writeln!(out, "impl {ty} {{");
    if mandatory.is_empty() {
        let _ = writeln!(
            out,
            "/// An empty `{ty}`: every element of the class is optional.\npub fn new() -> Self {{\nSelf::default()\n}}\n}}\n"
        );
        return;
    }
    let _ = writeln!(
        out,
        "/// Builds `{ty}` from its mandatory elements; the optional ones start empty."
    );
    if mandatory.len() > 7 {
        out.push_str("#[allow(clippy::too_many_arguments)]\n");
    }
    out.push_str("pub fn new(");
    for x in &mandatory {
        let base = rust_type(&x.el);
        let t = if x.el.occurs == "1..1" {
            base
        } else {
            format!("Vec<{base}>")
        };
        let _ = write!(out, "{}: {t}, ", field(&x.el.technical_name));
    }
    out.push_str(") -> Self {\nSelf {\n");
    for x in els {
        let name = field(&x.el.technical_name);
        match x.el.occurs.as_str() {
            o if o.starts_with('1') => {
                let _ = writeln!(out, "{name},");
            }
            "0..1" => {
                let _ = writeln!(out, "{name}: None,");
            }
            _ => {
                let _ = writeln!(out, "{name}: Vec::new(),");
            }
        }
    }
    out.push_str("}\n}\n}\n\n");
}

/// Generate the typed classes module for one version.
pub fn gen_classes(r: &Resolved<'_>, spec_file: &str) -> String {
    let spec = r.spec;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// @generated by `cargo run -p mods-codegen` from {spec_file} (MODS {}). Do not edit.\n",
        spec.mods_version
    );
    let _ = writeln!(
        out,
        "//! Typed classes of MODS {}, generated from `{spec_file}`.\n//!\n//! Every class is serde (de)serialisable with JSON keys equal to the MODS technical names,\n//! and derives `schemars::JsonSchema`. Typed deserialisation is strict (unknown keys are\n//! rejected); use [`crate::validate_record`] for a full report of every issue.\n",
        spec.mods_version
    );
    // Not every version uses every value type (0.2.1 has no Change log, so no DateOrDateTime).
    out.push_str("#[allow(unused_imports)]\nuse crate::types::{Coding, DateOrDateTime, DateTime, FixedOffset, NaiveDate, NaiveTime, PartialDate};\nuse schemars::JsonSchema;\nuse serde::{Deserialize, Serialize};\n\n");
    out.push_str("#[allow(unused_imports)]\nuse crate::types as _types;\n\n");
    let _ = writeln!(
        out,
        "/// The MODS version these classes follow.\npub const MODS_VERSION: &str = {};\n",
        lit(&spec.mods_version)
    );

    for c in &spec.classes {
        if c.kind == "abstract" {
            continue;
        }
        let els = &r.elements[c.technical_name.as_str()];
        let mut doc = format!(
            "{} ({}, {}).\n\n{}\n\nProvenance: {}.",
            c.name,
            c.group,
            if c.kind == "record" {
                "record"
            } else {
                "component"
            },
            c.description,
            c.provenance.status
        );
        if c.extension {
            doc.push_str(" An optional extension: not part of MODS.");
        }
        // Built outside this crate with `new` (its mandatory elements) and then its public
        // fields: `#[non_exhaustive]` keeps a new optional element from breaking that code
        // (docs/releasing.md, "Semantic versioning").
        let mandatory: Vec<_> = els
            .iter()
            .filter(|x| x.el.occurs.starts_with('1'))
            .collect();
        doc.push_str(if mandatory.is_empty() {
            "\n\nBuild it with `new()` or `Default::default()`, then set its public fields."
        } else {
            "\n\nBuild it with `new` (its mandatory elements), then set the optional fields."
        });
        doc_lines(&mut out, &doc);
        out.push_str(if mandatory.is_empty() {
            "#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]\n"
        } else {
            "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]\n"
        });
        out.push_str("#[serde(deny_unknown_fields)]\n#[non_exhaustive]\n");
        let _ = writeln!(out, "#[schemars(title = {})]", lit(&c.name));
        let _ = writeln!(out, "pub struct {} {{", camel(&c.technical_name));
        for x in els {
            let e = &x.el;
            let base = rust_type(e);
            let mut d = format!("{} ({}, {}). {}", e.name, e.ty, e.occurs, e.description);
            if let Some(LookupSpec::Reference { targets }) = &e.lookup {
                let _ = write!(
                    d,
                    "\n\nThe `record_uid` of a {} record.",
                    targets.join(" or ")
                );
            }
            if let Some(LookupSpec::ValueSet {
                value_set,
                strength,
            }) = &e.lookup
            {
                let _ = write!(d, "\n\nBound to value set `{value_set}` ({strength}).");
            }
            doc_lines(&mut out, &d);
            let (ty, attr) = match e.occurs.as_str() {
                "1..1" => (base, String::new()),
                "0..1" => (
                    format!("Option<{base}>"),
                    "#[serde(default, skip_serializing_if = \"Option::is_none\")]\n".to_owned(),
                ),
                _ => (
                    format!("Vec<{base}>"),
                    "#[serde(default, skip_serializing_if = \"Vec::is_empty\")]\n".to_owned(),
                ),
            };
            out.push_str(&attr);
            let _ = writeln!(out, "pub {}: {ty},", field(&e.technical_name));
        }
        out.push_str("}\n\n");
        gen_constructor(&mut out, &camel(&c.technical_name), els);
    }

    // the record document
    out.push_str("/// A record document: one person's MODS record (see docs/record-format.md).\n");
    out.push_str("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]\n#[serde(deny_unknown_fields)]\n#[schemars(title = \"MODS record document\")]\n#[non_exhaustive]\npub struct Record {\n");
    out.push_str("/// The MODS version the record is written to.\npub mods_version: String,\n");
    out.push_str("/// The person the record is about.\npub subject_of_care: SubjectOfCare,\n");
    for c in spec
        .classes
        .iter()
        .filter(|c| c.kind == "record" && c.technical_name != "subject_of_care")
    {
        let _ = writeln!(out, "/// {} records.", c.name);
        out.push_str("#[serde(default, skip_serializing_if = \"Vec::is_empty\")]\n");
        let _ = writeln!(
            out,
            "pub {}: Vec<{}>,",
            field(&c.technical_name),
            camel(&c.technical_name)
        );
    }
    out.push_str("}\n\n");
    out.push_str("impl Record {\n/// An empty record for this subject of care, at this MODS version.\npub fn new(subject_of_care: SubjectOfCare) -> Self {\nRecord {\nmods_version: MODS_VERSION.to_owned(),\nsubject_of_care,\n");
    for c in spec
        .classes
        .iter()
        .filter(|c| c.kind == "record" && c.technical_name != "subject_of_care")
    {
        let _ = writeln!(out, "{}: Vec::new(),", field(&c.technical_name));
    }
    out.push_str("}\n}\n}\n\n");
    out.push_str("/// The JSON Schema (draft 2020-12) schemars derives for the record document.\npub fn record_schema() -> schemars::Schema {\nschemars::schema_for!(Record)\n}\n\n");
    out.push_str("/// The JSON Schema (draft 2020-12) schemars derives for one class, by technical name\n/// (`None` for abstract or unknown classes).\npub fn class_schema(technical_name: &str) -> Option<schemars::Schema> {\nmatch technical_name {\n");
    for c in spec.classes.iter().filter(|c| c.kind != "abstract") {
        let _ = writeln!(
            out,
            "{} => Some(schemars::schema_for!({})),",
            lit(&c.technical_name),
            camel(&c.technical_name)
        );
    }
    out.push_str("_ => None,\n}\n}\n");
    out
}

/// Generate the static model tables for one version.
pub fn gen_model(r: &Resolved<'_>, spec_file: &str) -> String {
    let spec = r.spec;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// @generated by `cargo run -p mods-codegen` from {spec_file} (MODS {}). Do not edit.\n",
        spec.mods_version
    );
    let _ = writeln!(
        out,
        "//! Model tables of MODS {}, generated from `{spec_file}`.\n",
        spec.mods_version
    );
    out.push_str("use crate::model::*;\n\n");
    let _ = writeln!(out, "/// The MODS {} model.", spec.mods_version);
    out.push_str("pub static MODEL: Model = Model {\n");
    let _ = writeln!(out, "mods_version: {},", lit(&spec.mods_version));
    let _ = writeln!(out, "title: {},", lit(&spec.title));
    let _ = writeln!(out, "reference_code: {},", lit(&spec.reference_code));
    let _ = writeln!(
        out,
        "publication_version: {},",
        lit(&spec.publication_version)
    );
    let _ = writeln!(out, "status: {},", lit(&spec.status));
    out.push_str("notes: &[");
    for n in &spec.notes {
        let _ = write!(out, "{}, ", lit(n));
    }
    out.push_str("],\n");
    out.push_str("classes: &[\n");
    for c in &spec.classes {
        out.push_str("ClassDef {\n");
        let _ = writeln!(out, "name: {},", lit(&c.name));
        let _ = writeln!(out, "technical_name: {},", lit(&c.technical_name));
        let _ = writeln!(out, "group: {},", lit(&c.group));
        let _ = writeln!(out, "parent: {},", opt_lit(&c.parent));
        let kind = match c.kind.as_str() {
            "record" => "ClassKind::Record",
            "component" => "ClassKind::Component",
            _ => "ClassKind::Abstract",
        };
        let _ = writeln!(out, "kind: {kind},");
        let _ = writeln!(
            out,
            "versioned: {},",
            c.kind == "record" && c.versioned.unwrap_or(true)
        );
        let _ = writeln!(out, "inherits: {},", opt_lit(&c.inherits));
        let _ = writeln!(out, "extension: {},", c.extension);
        let _ = writeln!(out, "description: {},", lit(&c.description));
        out.push_str("provenance: Provenance {\n");
        let _ = writeln!(
            out,
            "status: ProvenanceStatus::{},",
            if c.provenance.status == "published" {
                "Published"
            } else {
                "Provisional"
            }
        );
        out.push_str("sources: &[\n");
        for s in &c.provenance.sources {
            let _ = writeln!(
                out,
                "Source {{ kind: {}, reference: {}, class_id: {:?} }},",
                lit(&s.kind),
                lit(&s.reference),
                s.class_id
            );
        }
        out.push_str("],\n");
        let _ = writeln!(
            out,
            "completeness: {},",
            opt_lit(&c.provenance.completeness)
        );
        out.push_str("notes: &[");
        for n in &c.provenance.notes {
            let _ = write!(out, "{}, ", lit(n));
        }
        out.push_str("],\n},\n");
        out.push_str("elements: &[\n");
        for x in &r.elements[c.technical_name.as_str()] {
            let e = &x.el;
            out.push_str("ElementDef {\n");
            let _ = writeln!(out, "name: {},", lit(&e.name));
            let _ = writeln!(out, "technical_name: {},", lit(&e.technical_name));
            match &e.published {
                Some(p) => {
                    let _ = writeln!(
                        out,
                        "published: Some(PublishedRow {{ ty: {}, occurs: {} }}),",
                        opt_lit(&p.ty),
                        opt_lit(&p.occurs)
                    );
                }
                None => out.push_str("published: None,\n"),
            }
            let ty = match e.ty.as_str() {
                "Text" => "Text",
                "Number" => "Number",
                "Date" => "Date",
                "Time" => "Time",
                "Date and Time" => "DateTime",
                "Lookup" => "Lookup",
                "Yes or No" => "YesNo",
                "Reference code" => "ReferenceCode",
                _ => "Group",
            };
            let _ = writeln!(out, "ty: ElementType::{ty},");
            let occ = match e.occurs.as_str() {
                "1..1" => "One",
                "0..1" => "Optional",
                "0..*" => "Many",
                _ => "OneOrMore",
            };
            let _ = writeln!(out, "occurs: Occurs::{occ},");
            match &e.lookup {
                None => out.push_str("lookup: Lookup::None,\n"),
                Some(LookupSpec::ValueSet {
                    value_set,
                    strength: s,
                }) => {
                    let _ = writeln!(
                        out,
                        "lookup: Lookup::ValueSet {{ value_set: {}, strength: {} }},",
                        lit(value_set),
                        strength(s)
                    );
                }
                Some(LookupSpec::External {
                    system,
                    name,
                    strength: s,
                    value_set,
                }) => {
                    let _ = writeln!(
                        out,
                        "lookup: Lookup::External {{ system: {}, name: {}, strength: {}, value_set: {} }},",
                        lit(system),
                        lit(name),
                        strength(s),
                        opt_lit(value_set)
                    );
                }
                Some(LookupSpec::Reference { targets }) => {
                    let acc = &r.accepts[targets];
                    let list =
                        |v: &[String]| v.iter().map(|s| lit(s)).collect::<Vec<_>>().join(", ");
                    let _ = writeln!(
                        out,
                        "lookup: Lookup::Reference {{ targets: &[{}], accepts: &[{}] }},",
                        list(targets),
                        list(acc)
                    );
                }
            }
            let _ = writeln!(out, "component: {},", opt_lit(&e.component));
            match &e.format {
                Some(f) => {
                    let _ = writeln!(out, "format: Some(IdFormat::{}),", camel(f));
                }
                None => out.push_str("format: None,\n"),
            }
            let _ = writeln!(out, "partial: {},", e.partial);
            let _ = writeln!(out, "time_optional: {},", e.time_optional);
            match e.plausible.as_deref() {
                Some("past") => out.push_str("plausible: Some(Plausible::Past),\n"),
                Some(_) => out.push_str("plausible: Some(Plausible::Birth),\n"),
                None => out.push_str("plausible: None,\n"),
            }
            let _ = writeln!(out, "integer: {},", e.integer);
            match e.minimum {
                Some(m) => {
                    let _ = writeln!(out, "minimum: Some({m:?}),");
                }
                None => out.push_str("minimum: None,\n"),
            }
            let _ = writeln!(out, "inherited_from: {},", opt_lit(&e.inherited_from));
            let _ = writeln!(out, "inherited: {},", x.inherited);
            let _ = writeln!(out, "description: {},", lit(&e.description));
            let _ = writeln!(out, "note: {},", opt_lit(&e.note));
            out.push_str("},\n");
        }
        out.push_str("],\n");
        out.push_str("rules: &[");
        for rule in &c.rules {
            let Rule::DateOrder { earlier, later } = rule;
            let _ = write!(
                out,
                "Rule::DateOrder {{ earlier: {}, later: {} }}, ",
                lit(earlier),
                lit(later)
            );
        }
        out.push_str("],\n},\n");
    }
    out.push_str("],\n");
    out.push_str("value_sets: &[\n");
    for vs in &spec.value_sets {
        out.push_str("ValueSetDef {\n");
        let _ = writeln!(out, "id: {},", lit(&vs.id));
        let _ = writeln!(out, "title: {},", lit(&vs.title));
        let _ = writeln!(out, "url: {},", lit(&vs.url));
        let _ = writeln!(out, "source: {},", lit(&vs.source));
        let _ = writeln!(out, "version: {},", lit(&vs.version));
        let _ = writeln!(out, "licence: {},", lit(&vs.licence));
        let _ = writeln!(
            out,
            "provenance: ProvenanceStatus::{},",
            if vs.provenance == "published" {
                "Published"
            } else {
                "Provisional"
            }
        );
        out.push_str("includes: &[\n");
        for inc in vs.includes() {
            let _ = writeln!(
                out,
                "IncludeDef {{ system: {}, title: {}, version: {}, grammar: {},",
                lit(&inc.system),
                opt_lit(&inc.title),
                opt_lit(&inc.version),
                match inc.grammar.as_deref() {
                    Some("bcp47") => "Some(Grammar::Bcp47)",
                    _ => "None",
                }
            );
            out.push_str("codes: &[\n");
            for c in &inc.codes {
                let _ = writeln!(
                    out,
                    "CodeDef {{ code: {}, display: {}, inactive: {} }},",
                    lit(&c.code),
                    lit(&c.display),
                    c.inactive
                );
            }
            out.push_str("],\n},\n");
        }
        out.push_str("],\n");
        let _ = writeln!(out, "note: {},", opt_lit(&vs.note));
        out.push_str("},\n");
    }
    out.push_str("],\n};\n");
    out
}

/// Generate `generated/mod.rs` for the given versions (oldest first; the last is latest).
pub fn gen_mod(versions: &[(String, String)], current: &str) -> String {
    let mut out = String::new();
    out.push_str("// @generated by `cargo run -p mods-codegen`. Do not edit.\n\n");
    out.push_str("//! Code generated from the MODS model data in `mods-core/spec/`: typed classes and\n//! model tables, one module per MODS version.\n\n");
    for (version, module) in versions {
        let _ = writeln!(out, "/// MODS {version}: typed classes.\npub mod {module};");
        let _ = writeln!(
            out,
            "/// MODS {version}: model tables.\npub mod {module}_model;"
        );
        let _ = writeln!(
            out,
            "/// MODS {version}: object keys matched to elements.\npub(crate) mod {module}_keys;"
        );
    }
    out.push_str("/// The glossary of agreed terms.\npub mod glossary;\n");
    out.push_str("/// Migration steps between adjacent versions.\npub mod migrations;\n");
    if let Some((version, module)) = versions.iter().find(|(v, _)| v == current) {
        let _ = writeln!(out, "\n/// The typed classes of the latest supported version (MODS {version}).\npub use {module} as latest;");
        let _ = writeln!(
            out,
            "\npub(crate) static LATEST: &crate::model::Model = &{module}_model::MODEL;"
        );
    }
    out.push_str("\n/// Each model with the matchers of its names (see `crate::model::Matchers`).\npub(crate) static MATCHERS: &[crate::model::Matchers] = &[\n");
    for (_, module) in versions {
        let _ = writeln!(
            out,
            "crate::model::Matchers {{ model: &{module}_model::MODEL, elements: &{module}_keys::ELEMENTS, class: {module}_keys::class, value_set: {module}_keys::value_set, codes: &{module}_keys::CODES }},"
        );
    }
    out.push_str("];\n");
    out.push_str("\n/// The JSON Schema schemars derives for the record document of a MODS version.\npub fn record_schema(mods_version: &str) -> Option<schemars::Schema> {\nmatch mods_version {\n");
    for (version, module) in versions {
        let _ = writeln!(out, "{} => Some({module}::record_schema()),", lit(version));
    }
    out.push_str("_ => None,\n}\n}\n");
    out.push_str("\n/// The JSON Schema schemars derives for one class of a MODS version.\npub fn class_schema(mods_version: &str, technical_name: &str) -> Option<schemars::Schema> {\nmatch mods_version {\n");
    for (version, module) in versions {
        let _ = writeln!(
            out,
            "{} => {module}::class_schema(technical_name),",
            lit(version)
        );
    }
    out.push_str("_ => None,\n}\n}\n");
    out.push_str("\npub(crate) static MODELS: &[&crate::model::Model] = &[");
    for (_, module) in versions {
        let _ = write!(out, "&{module}_model::MODEL, ");
    }
    out.push_str("];\n");
    out
}

/// Check a glossary against the model it names: ids unique, every class and element it
/// links exists, every class of the model has a term.
pub fn check_glossary(g: &spec::Glossary, r: &Resolved<'_>) -> Result<(), Vec<String>> {
    let mut errs = Vec::new();
    let ids: HashSet<&str> = g.terms.iter().map(|t| t.id.as_str()).collect();
    if ids.len() != g.terms.len() {
        errs.push("two glossary terms share an id".into());
    }
    let mut covered = HashSet::new();
    for t in &g.terms {
        for c in &t.classes {
            if r.elements.contains_key(c.as_str()) {
                covered.insert(c.as_str());
            } else {
                errs.push(format!("term {}: unknown class {c}", t.id));
            }
        }
        for e in &t.elements {
            let ok = e.split_once('.').is_some_and(|(c, el)| {
                r.elements
                    .get(c)
                    .is_some_and(|els| els.iter().any(|x| x.el.technical_name == el))
            });
            if !ok {
                errs.push(format!("term {}: unknown element {e}", t.id));
            }
        }
        for n in &t.not_to_be_confused_with {
            if !ids.contains(n.as_str()) {
                errs.push(format!("term {}: unknown term {n}", t.id));
            }
        }
        if t.definition.trim().is_empty() || t.sources.is_empty() {
            errs.push(format!("term {} needs a definition and a source", t.id));
        }
    }
    for c in &r.spec.classes {
        if !covered.contains(c.technical_name.as_str()) {
            errs.push(format!("class {} has no glossary term", c.technical_name));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

/// Generate the glossary table.
pub fn gen_glossary(g: &spec::Glossary, spec_file: &str) -> String {
    let list = |v: &[String]| v.iter().map(|s| lit(s)).collect::<Vec<_>>().join(", ");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// @generated by `cargo run -p mods-codegen` from {spec_file}. Do not edit.\n"
    );
    out.push_str("//! The glossary of agreed MODS terms, generated from the glossary data.\n\n");
    out.push_str("use crate::glossary::*;\n\n");
    out.push_str("/// The glossary.\npub static GLOSSARY: Glossary = Glossary {\n");
    let _ = writeln!(out, "glossary_version: {},", lit(&g.glossary_version));
    let _ = writeln!(out, "mods_version: {},", lit(&g.mods_version));
    out.push_str("terms: &[\n");
    for t in &g.terms {
        out.push_str("Term {\n");
        let _ = writeln!(out, "id: {},", lit(&t.id));
        let _ = writeln!(out, "term: {},", lit(&t.term));
        let _ = writeln!(out, "definition: {},", lit(&t.definition));
        out.push_str("synonyms: &[");
        for s in &t.synonyms {
            let _ = write!(
                out,
                "Synonym {{ term: {}, note: {} }}, ",
                lit(&s.term),
                lit(&s.note)
            );
        }
        out.push_str("],\n");
        let _ = writeln!(
            out,
            "not_to_be_confused_with: &[{}],",
            list(&t.not_to_be_confused_with)
        );
        let _ = writeln!(out, "classes: &[{}],", list(&t.classes));
        let _ = writeln!(out, "elements: &[{}],", list(&t.elements));
        let _ = writeln!(out, "use_cases: &[{}],", list(&t.use_cases));
        out.push_str("sources: &[");
        for s in &t.sources {
            let _ = write!(
                out,
                "TermSource {{ title: {}, url: {} }}, ",
                lit(&s.title),
                lit(&s.url)
            );
        }
        out.push_str("],\n},\n");
    }
    out.push_str("],\n};\n");
    out
}

fn has_element(r: &Resolved<'_>, class: &str, element: &str) -> bool {
    r.elements
        .get(class)
        .is_some_and(|els| els.iter().any(|x| x.el.technical_name == element))
}

/// Check a migration against the two models it joins.
pub fn check_migration(
    m: &spec::Migration,
    from: &Resolved<'_>,
    to: &Resolved<'_>,
) -> Result<(), Vec<String>> {
    use spec::Step;
    let mut errs = Vec::new();
    let mut need = |ok: bool, what: String| {
        if !ok {
            errs.push(format!("migration {} -> {}: {what}", m.from, m.to));
        }
    };
    for s in &m.steps {
        match s {
            Step::RenameClass { from: a, to: b, .. } => {
                need(
                    from.elements.contains_key(a.as_str()),
                    format!("no class {a} in {}", m.from),
                );
                need(
                    to.elements.contains_key(b.as_str()),
                    format!("no class {b} in {}", m.to),
                );
            }
            Step::MergeClass {
                from: a, into, set, ..
            } => {
                need(
                    from.elements.contains_key(a.as_str()),
                    format!("no class {a} in {}", m.from),
                );
                need(
                    to.elements.contains_key(into.as_str()),
                    format!("no class {into} in {}", m.to),
                );
                for k in set.keys() {
                    need(
                        has_element(to, into, k),
                        format!("no element {into}.{k} in {}", m.to),
                    );
                }
            }
            Step::DefaultElement { class, element, .. } => {
                if class == "*" {
                    need(
                        to.elements
                            .values()
                            .any(|els| els.iter().any(|x| &x.el.technical_name == element)),
                        format!("no class of {} has {element}", m.to),
                    );
                } else {
                    need(
                        has_element(to, class, element),
                        format!("no element {class}.{element} in {}", m.to),
                    );
                }
            }
            Step::RenameElement {
                class,
                from: a,
                to: b,
                ..
            } => {
                need(
                    has_element(from, class, a),
                    format!("no element {class}.{a} in {}", m.from),
                );
                need(
                    has_element(to, class, b),
                    format!("no element {class}.{b} in {}", m.to),
                );
            }
            Step::SplitElement {
                class,
                from: a,
                first,
                rest,
                ..
            } => {
                need(
                    has_element(from, class, a),
                    format!("no element {class}.{a} in {}", m.from),
                );
                need(
                    has_element(to, class, first),
                    format!("no element {class}.{first} in {}", m.to),
                );
                need(
                    has_element(to, class, rest),
                    format!("no element {class}.{rest} in {}", m.to),
                );
            }
            Step::Recode {
                class,
                element,
                map,
                ..
            } => {
                need(
                    has_element(from, class, element),
                    format!("no element {class}.{element} in {}", m.from),
                );
                let mut seen = HashSet::new();
                for v in map.values() {
                    need(
                        seen.insert(v.as_str()),
                        format!("recode of {class}.{element} maps two codes to {v}"),
                    );
                }
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

/// Generate the migration tables.
pub fn gen_migrations(ms: &[(String, spec::Migration)]) -> String {
    use spec::Step;
    let mut out = String::new();
    out.push_str("// @generated by `cargo run -p mods-codegen` from mods-core/spec/migrations/. Do not edit.\n\n");
    out.push_str("//! Migration steps between adjacent MODS versions, generated from the migration data.\n\n");
    out.push_str("use crate::migrate::{MigrationDef, Step};\n\n");
    out.push_str(
        "/// Every migration, in version order.\npub static MIGRATIONS: &[MigrationDef] = &[\n",
    );
    for (file, m) in ms {
        let _ = writeln!(out, "// {file}");
        out.push_str("MigrationDef {\n");
        let _ = writeln!(
            out,
            "from: {},\nto: {},\ndescription: {},",
            lit(&m.from),
            lit(&m.to),
            lit(&m.description)
        );
        out.push_str("steps: &[\n");
        for s in &m.steps {
            match s {
                Step::RenameClass { from, to, note } => {
                    let _ = writeln!(
                        out,
                        "Step::RenameClass {{ from: {}, to: {}, note: {} }},",
                        lit(from),
                        lit(to),
                        lit(note)
                    );
                }
                Step::MergeClass {
                    from,
                    into,
                    set,
                    note,
                } => {
                    let pairs: Vec<String> = set
                        .iter()
                        .map(|(k, v)| format!("({}, {})", lit(k), lit(&v.to_string())))
                        .collect();
                    let _ = writeln!(
                        out,
                        "Step::MergeClass {{ from: {}, into: {}, set: &[{}], note: {} }},",
                        lit(from),
                        lit(into),
                        pairs.join(", "),
                        lit(note)
                    );
                }
                Step::DefaultElement {
                    class,
                    element,
                    value,
                    note,
                } => {
                    let _ = writeln!(
                        out,
                        "Step::DefaultElement {{ class: {}, element: {}, value: {}, note: {} }},",
                        lit(class),
                        lit(element),
                        lit(&value.to_string()),
                        lit(note)
                    );
                }
                Step::RenameElement {
                    class,
                    from,
                    to,
                    note,
                } => {
                    let _ = writeln!(
                        out,
                        "Step::RenameElement {{ class: {}, from: {}, to: {}, note: {} }},",
                        lit(class),
                        lit(from),
                        lit(to),
                        lit(note)
                    );
                }
                Step::SplitElement {
                    class,
                    from,
                    first,
                    rest,
                    note,
                } => {
                    let _ = writeln!(
                        out,
                        "Step::SplitElement {{ class: {}, from: {}, first: {}, rest: {}, note: {} }},",
                        lit(class),
                        lit(from),
                        lit(first),
                        lit(rest),
                        lit(note)
                    );
                }
                Step::Recode {
                    class,
                    element,
                    map,
                    note,
                } => {
                    let pairs: Vec<String> = map
                        .iter()
                        .map(|(k, v)| format!("({}, {})", lit(k), lit(v)))
                        .collect();
                    let _ = writeln!(
                        out,
                        "Step::Recode {{ class: {}, element: {}, map: &[{}], note: {} }},",
                        lit(class),
                        lit(element),
                        pairs.join(", "),
                        lit(note)
                    );
                }
            }
        }
        out.push_str("],\n},\n");
    }
    out.push_str("];\n");
    out
}
