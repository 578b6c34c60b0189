//! The package of care the provider receives, built from the council's record.

use super::records::{self, code, references, strings, At, Header, HEADER_KEY};
use crate::issue::{IssueCode, Report};
use crate::model::{self, ClassKind, Lookup, Model};
use crate::validate::{validate_record, ValidationOptions};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to package.
#[derive(Debug, Clone, Default)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct PackageOptions {
    /// The record uid of the care plan commissioned (`--plan`).
    pub plan: String,
    /// The record uid of the provider the package is for (`--provider`). Without it, the
    /// one organisation named as `service_provider` by the plan's services that is a Care
    /// provider, when there is exactly one.
    pub provider: Option<String>,
    /// The record uid of the sending organisation (`--from`). Without it, the record's
    /// only Local authority.
    pub sender: Option<String>,
    /// Options of the validation of the package (values in issues, strictness, today).
    pub validation: ValidationOptions,
}

crate::__option_setters!(PackageOptions {
    with_plan(plan: String);
    with_provider(provider: Option<String>);
    with_sender(sender: Option<String>);
    with_validation(validation: ValidationOptions);
});

/// Why no package could be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackageError {
    /// The council's record is not a record document of a supported MODS version.
    #[error("the council's record cannot be read: {0}")]
    Record(&'static str),
    /// `plan` names no Care plan record of the council's record.
    #[error("the council's record holds no care plan with the record uid given as the plan")]
    NoPlan,
    /// `provider` names no care organisation record of the council's record.
    #[error(
        "the council's record holds no care organisation with the record uid given as the provider"
    )]
    NoProvider,
    /// The sender was not given and cannot be told, or names no care organisation.
    #[error("the sending organisation {0}")]
    NoSender(&'static str),
}

/// A reference of the package that names no record of the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    /// JSON pointer to the reference in the package.
    pub path: String,
    /// The class of the record holding it.
    pub class: String,
    /// The element.
    pub element: String,
}

/// What went into the package and whether it stands on its own.
#[derive(Debug, Clone, Serialize)]
pub struct PackageReport {
    /// The package's header (also in the package, `mods_extensions.commission`).
    pub header: Header,
    /// Records in the package, by class (the subject of care counts as one).
    pub records: BTreeMap<&'static str, usize>,
    /// Records of the council's record left out of the package, by class.
    pub left_out: BTreeMap<&'static str, usize>,
    /// References in the package that name no record of it (the council's record does not
    /// hold the record either). Each is also a `dangling-reference` in `validation`.
    pub unresolved: Vec<Unresolved>,
    /// Things the council should know before sending, in words without the person's data
    /// (for example, that the provider provides none of the plan's services).
    pub notes: Vec<String>,
    /// The package's validation report.
    pub validation: Report,
    /// The package validates (no error) and every reference resolves inside it.
    pub complete: bool,
}

/// A package and its report.
#[derive(Debug, Clone, Serialize)]
pub struct Package {
    /// The package: a MODS record document with `mods_extensions.commission`.
    pub document: Value,
    /// What went into it.
    pub report: PackageReport,
}

/// Classes whose every record goes into the package: the person's contacts and carers,
/// About Me and communication needs, alerts and risks, consent.
const WHOLE: &[&str] = &[
    "unpaid_carer",
    "personal_contact",
    "proxy_for_subject_of_care",
    "about_me",
    "communication_needs",
    "risk",
    "consent",
];

/// Build the package of care for `opts.plan` from the council's record.
///
/// What goes in (docs/flows/commission.md says the same for users): the subject of care;
/// the plan; the needs it addresses and the outcomes it names, and every outcome related to
/// one of those needs (the desired outcomes beside the eligible ones); the assessments that
/// identified those needs, and every financial assessment; the referrals that led to an
/// assessment in the package, and those that name no assessment; every record of the
/// classes in `WHOLE` (contacts and carers, About Me, communication needs, risks, consent); every alert not entered in error; every assistive technology item
/// not returned, removed or entered in error; the sender and the provider; then, repeatedly,
/// every record that a record in the package names, so that references resolve inside it;
/// and the Change log entries of the records in the package.
pub fn package(council: &Value, opts: &PackageOptions) -> Result<Package, PackageError> {
    let doc = council
        .as_object()
        .ok_or(PackageError::Record("it is not a JSON object"))?;
    let model = doc
        .get("mods_version")
        .and_then(Value::as_str)
        .and_then(model::model)
        .ok_or(PackageError::Record(
            "it does not state a MODS version this library supports",
        ))?;
    let all = records::records(model, doc);
    let soc = all
        .iter()
        .find(|r| r.index.is_none())
        .ok_or(PackageError::Record("it has no subject of care"))?;
    let by_uid: HashMap<&str, usize> = {
        let mut m = HashMap::new();
        for (i, r) in all.iter().enumerate() {
            if let Some(u) = r.uid() {
                m.entry(u).or_insert(i);
            }
        }
        m
    };
    let find = |uid: &str| by_uid.get(uid).map(|&i| &all[i]);
    let plan = find(&opts.plan)
        .filter(|r| r.class.technical_name == "care_plan")
        .ok_or(PackageError::NoPlan)?;
    let organisation_classes = organisation_classes(model);
    let is_org = |r: &At<'_>| organisation_classes.contains(&r.class.technical_name);

    let sender =
        match &opts.sender {
            Some(s) => find(s).filter(|r| is_org(r)).ok_or(PackageError::NoSender(
                "given names no care organisation of the council's record",
            ))?,
            None => {
                let las: Vec<&At<'_>> = all
                    .iter()
                    .filter(|r| r.class.technical_name == "local_authority")
                    .collect();
                match las.as_slice() {
                    [one] => *one,
                    [] => {
                        return Err(PackageError::NoSender(
                            "was not given and the council's record holds no local authority",
                        ))
                    }
                    _ => return Err(PackageError::NoSender(
                        "was not given and the council's record holds several local authorities",
                    )),
                }
            }
        };
    let plan_services: Vec<&At<'_>> = strings(plan.value, "services")
        .into_iter()
        .filter_map(find)
        .filter(|r| r.class.technical_name == "service")
        .collect();
    let mut notes = Vec::new();
    let provider = match &opts.provider {
        Some(p) => {
            let r = find(p)
                .filter(|r| is_org(r))
                .ok_or(PackageError::NoProvider)?;
            if !plan_services
                .iter()
                .any(|s| strings(s.value, "service_provider").contains(&p.as_str()))
            {
                notes.push(
                    "the provider is not the service provider of any service of the plan"
                        .to_owned(),
                );
            }
            Some(r)
        }
        None => {
            let mut named: Vec<&At<'_>> = Vec::new();
            for s in &plan_services {
                for p in strings(s.value, "service_provider") {
                    if let Some(r) = find(p).filter(|r| r.class.technical_name == "care_provider") {
                        if !named.iter().any(|n| n.uid() == r.uid()) {
                            named.push(r);
                        }
                    }
                }
            }
            match named.as_slice() {
                [one] => Some(*one),
                _ => {
                    notes.push(
                        "no provider was named and the plan's services do not name exactly one care provider, so the package names none"
                            .to_owned(),
                    );
                    None
                }
            }
        }
    };

    // seeds
    let mut keep: BTreeSet<usize> = BTreeSet::new();
    let index_of = |r: &At<'_>| {
        all.iter()
            .position(|x| std::ptr::eq(x.value, r.value))
            .expect("a record of the document")
    };
    keep.insert(index_of(soc));
    keep.insert(index_of(plan));
    keep.insert(index_of(sender));
    if let Some(p) = provider {
        keep.insert(index_of(p));
    }
    let needs: BTreeSet<&str> = strings(plan.value, "needs_addressed").into_iter().collect();
    for (i, r) in all.iter().enumerate() {
        let c = r.class.technical_name;
        let take = match c {
            _ if WHOLE.contains(&c) => true,
            "outcome" => strings(r.value, "related_need")
                .iter()
                .any(|n| needs.contains(n)),
            "assessment" => {
                code(r.value, "assessment_type") == Some("financial-assessment")
                    || strings(r.value, "needs_identified")
                        .iter()
                        .any(|n| needs.contains(n))
            }
            "alert" => code(r.value, "status") != Some("entered-in-error"),
            "assistive_technology" => {
                !matches!(
                    code(r.value, "item_status"),
                    Some("returned" | "entered-in-error")
                ) && r.value.get("date_removed").is_none_or(Value::is_null)
            }
            _ => false,
        };
        if take {
            keep.insert(i);
        }
    }
    close(model, &all, &by_uid, &mut keep);
    // referrals behind the assessments in the package, or naming none
    let kept_uids: BTreeSet<&str> = keep.iter().filter_map(|&i| all[i].uid()).collect();
    for (i, r) in all.iter().enumerate() {
        if r.class.technical_name == "referral" {
            let led_to = strings(r.value, "resulting_assessment");
            if led_to.is_empty() || led_to.iter().any(|a| kept_uids.contains(a)) {
                keep.insert(i);
            }
        }
    }
    close(model, &all, &by_uid, &mut keep);
    // the history of the records in the package
    let kept_uids: BTreeSet<String> = keep
        .iter()
        .filter_map(|&i| all[i].uid().map(str::to_owned))
        .collect();
    for (i, r) in all.iter().enumerate() {
        if r.class.technical_name == "change_log"
            && r.value
                .get("record_uid")
                .and_then(Value::as_str)
                .is_some_and(|u| kept_uids.contains(u))
        {
            keep.insert(i);
        }
    }
    close(model, &all, &by_uid, &mut keep);

    // the document, in the council's order
    let mut out = Map::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut left_out: BTreeMap<&'static str, usize> = BTreeMap::new();
    let position: HashMap<(&str, usize), usize> = all
        .iter()
        .enumerate()
        .filter_map(|(n, r)| r.index.map(|i| ((r.class.technical_name, i), n)))
        .collect();
    for (key, v) in doc {
        if key == "mods_extensions" {
            continue;
        }
        let Some(class) = model.class(key).filter(|c| c.kind == ClassKind::Record) else {
            out.insert(key.clone(), v.clone());
            continue;
        };
        if key == "subject_of_care" {
            out.insert(key.clone(), v.clone());
            *counts.entry(class.technical_name).or_default() += 1;
            continue;
        }
        let Value::Array(items) = v else {
            out.insert(key.clone(), v.clone());
            continue;
        };
        let mut taken = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if position
                .get(&(class.technical_name, i))
                .is_some_and(|a| keep.contains(a))
            {
                taken.push(item.clone());
            } else {
                *left_out.entry(class.technical_name).or_default() += 1;
            }
        }
        if !taken.is_empty() {
            *counts.entry(class.technical_name).or_default() += taken.len();
            out.insert(key.clone(), Value::Array(taken));
        }
    }
    let header = Header {
        care_plan: opts.plan.clone(),
        sender: sender.uid().unwrap_or_default().to_owned(),
        provider: provider.and_then(|p| p.uid()).map(str::to_owned),
    };
    let mut ext = Map::new();
    ext.insert(
        HEADER_KEY.into(),
        serde_json::to_value(&header).unwrap_or(Value::Null),
    );
    out.insert("mods_extensions".into(), Value::Object(ext));
    let document = Value::Object(out);
    let validation = validate_record(&document, &opts.validation);
    let unresolved: Vec<Unresolved> = validation
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::DanglingReference)
        .map(|i| Unresolved {
            path: i.path.clone(),
            class: class_of_path(&i.path),
            element: i
                .context
                .get("element")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        })
        .collect();
    let complete = validation.valid && unresolved.is_empty();
    Ok(Package {
        document,
        report: PackageReport {
            header,
            records: counts,
            left_out,
            unresolved,
            notes,
            validation,
            complete,
        },
    })
}

/// The classes a provider or sender may be: those `service.service_provider` accepts.
fn organisation_classes(model: &'static Model) -> Vec<&'static str> {
    match model
        .class("service")
        .and_then(|c| c.element("service_provider"))
        .map(|e| &e.lookup)
    {
        Some(Lookup::Reference { accepts, .. }) => accepts.to_vec(),
        _ => vec![
            "care_organisation",
            "care_provider",
            "gp_practice",
            "local_authority",
        ],
    }
}

/// Add, until nothing more is added, every record a kept record names.
fn close(
    model: &'static Model,
    all: &[At<'_>],
    by_uid: &HashMap<&str, usize>,
    keep: &mut BTreeSet<usize>,
) {
    let mut todo: Vec<usize> = keep.iter().copied().collect();
    while let Some(i) = todo.pop() {
        let mut named = Vec::new();
        references(model, all[i].class, all[i].value, &mut named);
        for (_, uid) in named {
            if let Some(&j) = by_uid.get(uid) {
                if keep.insert(j) {
                    todo.push(j);
                }
            }
        }
    }
}

/// The class of the record a pointer is in (its first segment).
fn class_of_path(path: &str) -> String {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}
