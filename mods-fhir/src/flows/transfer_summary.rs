//! The hospital transfer summary (the "Red Bag", or hospital passport): what hospital staff
//! need to know about a person who arrives from social care, as a FHIR `document` Bundle.
//!
//! [`transfer_summary`] writes a UKCore-Composition first, with one section per heading of
//! [`SECTIONS`], in this order: About Me, communication needs, support with daily living,
//! current medication, allergies, alerts and risks, contacts and carers, care plan. Every
//! section is generated from the record: its narrative (the XHTML a clinician reads) holds
//! only values of the record and labels of the MODS model; its entries reference the
//! resources [`to_fhir`] writes for those records, exactly as a `collection` export writes
//! them. A heading the record has nothing for still appears, with a narrative saying so and
//! an `emptyReason`: `unavailable` when the record has no records of its classes at all,
//! `nilknown` when it has some and none is current.
//!
//! What each section takes (the day of the summary is the date of its timestamp; an end
//! date is compared at the precision it has):
//!
//! | section | records |
//! |---|---|
//! | About Me | the most recent About Me record (latest `last_reviewed`, else `date`) |
//! | Communication needs | every Communication needs record, most recent first |
//! | Support with daily living | Needs whose status is absent, active, unmet or partly met; Services not ended before the day; the most recent Daily care note |
//! | Current medication | Medication records with status `active`, not ended before the day |
//! | Allergies | Allergy records whose status is absent or `active` |
//! | Alerts and risks | Alerts with status `active`, not ended before the day; Risks not ended before the day |
//! | Contacts and carers | Personal contacts (by contact priority), Unpaid carers (main carer first), Proxies not ended before the day |
//! | Care plan | Care plans with status `active`, not ended before the day |
//!
//! Besides the resources the sections reference, the Bundle holds the Patient, the author,
//! and every resource any of them references (so every reference inside the document
//! resolves to an entry of it), nothing else. The author is the sending organisation: the
//! first active care provider, else care organisation, else local authority (the first of
//! them when none is active), else the Patient. The Composition carries the project's
//! document tag, so [`crate::from_fhir`] reads a transfer summary back as the part of the
//! record it holds.

mod narrative;

use crate::export::{full_url_for, to_fhir, ExportError, DOCUMENT_TAG};
use crate::{systems, BundleType, ExportOptions, ProfileSet};
use mods_core::model::{self, ClassDef};
use narrative::{narrative, paragraph, xhtml, Ctx, NONE_CURRENT, NOTHING_RECORDED};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The title (and `Composition.type.text`) of the document. UK Core types documents with
/// SNOMED CT codes from an intensional value set (`UKCore-DocumentType`, the "Record
/// composition type" reference set), whose members cannot be checked offline, so the type is
/// given as text only rather than with a code that could not be verified.
pub const TITLE: &str = "Hospital transfer summary";

/// The code system of UK Core's section headings (`UKCore-CompositionSectionCode`).
pub const RECORD_STANDARD_HEADINGS: &str =
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-RecordStandardHeadings";

/// The code system of `Composition.section.emptyReason`.
pub const LIST_EMPTY_REASON: &str = "http://terminology.hl7.org/CodeSystem/list-empty-reason";

/// Options of [`transfer_summary`].
#[derive(Debug, Clone, Default)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct TransferOptions {
    /// The time of the summary (a FHIR instant, such as `2025-11-03T12:00:00Z`): the
    /// Composition's `date` and the Bundle's `timestamp`. Required.
    pub timestamp: Option<String>,
    /// The UK Core profile set the resources claim.
    pub profiles: ProfileSet,
    /// Summarise a record that has validation errors too (best effort), as
    /// [`ExportOptions::allow_invalid`].
    pub allow_invalid: bool,
}

mods_core::__option_setters!(TransferOptions {
    with_timestamp(timestamp: Option<String>);
    with_profiles(profiles: ProfileSet);
    with_allow_invalid(allow_invalid: bool);
});

/// One heading of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionDef {
    /// The section's title.
    pub title: &'static str,
    /// Its code: a code of [`RECORD_STANDARD_HEADINGS`].
    pub code: &'static str,
    /// The display of that code, as the code system gives it.
    pub display: &'static str,
    /// The MODS classes whose records it may hold.
    pub classes: &'static [&'static str],
}

/// The headings of the summary, in order.
pub const SECTIONS: &[SectionDef] = &[
    SectionDef {
        title: "About Me",
        code: "patient-and-carer-concerns-expectations-and-wishes",
        display: "Patient and carer concerns, expectations and wishes",
        classes: &["about_me"],
    },
    SectionDef {
        title: "Communication needs",
        code: "individual-requirements",
        display: "Individual requirements",
        classes: &["communication_needs"],
    },
    SectionDef {
        title: "Support with daily living",
        code: "services-and-care",
        display: "Services and care",
        classes: &["need", "service", "daily_care_note"],
    },
    SectionDef {
        title: "Current medication",
        code: "active-medications",
        display: "Active medications",
        classes: &["medication"],
    },
    SectionDef {
        title: "Allergies",
        code: "allergies-and-adverse-reaction",
        display: "Allergies and adverse reaction",
        classes: &["allergy"],
    },
    SectionDef {
        title: "Alerts and risks",
        code: "alerts",
        display: "Alerts",
        classes: &["alert", "risk"],
    },
    SectionDef {
        title: "Contacts and carers",
        code: "social-context",
        display: "Social context",
        classes: &[
            "personal_contact",
            "unpaid_carer",
            "proxy_for_subject_of_care",
        ],
    },
    SectionDef {
        title: "Care plan",
        code: "plan-and-requested-actions",
        display: "Plan and requested actions",
        classes: &["care_plan"],
    },
];

/// What the narrative shows of a record of a class: the headline (the first of these
/// elements that has a value), then the other elements in this order.
fn shown(class: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match class {
        "about_me" => (
            &[],
            &[
                "about_me",
                "what_matters_to_me",
                "how_i_communicate",
                "people_important_to_me",
                "my_routines",
                "things_i_like",
                "things_i_dislike",
                "how_and_when_to_support_me",
                "also_worth_knowing",
                "completed_by",
                "completed_by_person",
                "last_reviewed",
            ],
        ),
        "communication_needs" => (
            &[],
            &[
                "preferred_language",
                "interpreter_needed",
                "information_format",
                "contact_method_needed",
                "communication_support",
                "sensory_impairment",
                "communication_aids",
                "other_communication_needs",
                "date",
            ],
        ),
        "need" => (
            &["need_description"],
            &["how_need_will_be_met", "need_status"],
        ),
        "service" => (
            &["service_description"],
            &[
                "service_type",
                "service_schedule",
                "service_provider",
                "funded_hours_per_week",
                "service_start_date",
                "service_end_date",
                "comment",
            ],
        ),
        "daily_care_note" => (
            &["date"],
            &[
                "time",
                "period_covered",
                "sleep",
                "food_and_drink",
                "fluid_intake",
                "personal_care",
                "activities",
                "mood",
                "mood_note",
                "general_note",
            ],
        ),
        "medication" => (
            &["medication_name", "medication_code"],
            &[
                "dose_instructions",
                "route",
                "frequency",
                "as_required",
                "as_required_reason",
                "minimum_interval",
                "maximum_dose_per_24_hours",
                "level_of_support",
                "prescriber",
                "start_date",
                "end_date",
            ],
        ),
        "allergy" => (
            &["causative_agent"],
            &[
                "causative_agent_description",
                "reaction_manifestation",
                "reaction_severity",
                "criticality",
                "type_of_reaction",
                "allergy_category",
                "allergy_status",
                "onset_date",
            ],
        ),
        "alert" => (
            &["free_text", "coded_value"],
            &[
                "coded_value",
                "alert_category",
                "alert_start_date",
                "alert_end_date",
            ],
        ),
        "risk" => (
            &["risk_category"],
            &[
                "free_text",
                "comment",
                "trigger_factors",
                "relapse_indicators",
                "start_date_of_risk",
                "end_date_of_risk",
            ],
        ),
        "personal_contact" => (
            &["person_name"],
            &[
                "relationship_to_subject_of_care",
                "next_of_kin",
                "emergency_contact",
                "contact_priority",
                "contact_details",
                "when_to_contact",
            ],
        ),
        "unpaid_carer" => (
            &["person_name"],
            &[
                "relationship_to_subject_of_care",
                "main_carer",
                "lives_with_subject_of_care",
                "contact_details",
                "caring_tasks",
            ],
        ),
        "proxy_for_subject_of_care" => (
            &["person_name"],
            &[
                "proxy_type",
                "relationship_to_subject_of_care",
                "scope_of_authority",
                "authority_over_life_sustaining_treatment",
                "how_attorneys_act",
                "contact_details",
                "end_date",
            ],
        ),
        "care_plan" => (
            &["plan_type"],
            &[
                "plan_status",
                "plan_start_date",
                "plan_end_date",
                "review_date",
                "planned_activities",
                "needs_addressed",
                "outcomes",
                "services",
                "planned_hours_per_week",
                "author",
                "agreed_with_subject_of_care",
            ],
        ),
        _ => (&[], &[]),
    }
}

/// A record picked for a section: its class, position and value.
type Pick<'r> = (&'static ClassDef, usize, &'r Value);

/// The records of a class, with their positions.
fn records<'r>(record: &'r Value, class: &str) -> impl Iterator<Item = (usize, &'r Value)> {
    record
        .get(class)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

fn text<'r>(v: &'r Value, element: &str) -> Option<&'r str> {
    v.get(element).and_then(Value::as_str)
}

fn code<'r>(v: &'r Value, element: &str) -> Option<&'r str> {
    v.get(element)?.get("code")?.as_str()
}

/// Whether an end date (or date and time) is before the day, compared at its precision.
fn ended(v: &Value, element: &str, day: &str) -> bool {
    let Some(end) = text(v, element) else {
        return false;
    };
    let n = end.len().min(10).min(day.len());
    end.get(..n).zip(day.get(..n)).is_some_and(|(e, d)| e < d)
}

/// Whether `s` is a FHIR instant: `YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)`.
pub fn is_instant(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
            .then(|| s[r].parse::<u32>().ok())
            .flatten()
    };
    let (Some(_), Some(mo), Some(d), Some(h), Some(mi), Some(se)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 23
        || mi > 59
        || se > 60
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z'] => true,
        [b'+' | b'-', _, _, b':', _, _] => {
            match (rest[1..3].parse::<u32>(), rest[4..6].parse::<u32>()) {
                (Ok(hh), Ok(mm)) => {
                    rest[1..3]
                        .bytes()
                        .chain(rest[4..6].bytes())
                        .all(|c| c.is_ascii_digit())
                        && hh <= 14
                        && mm <= 59
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// What a section holds: the records picked, and whether the record has any records of its
/// classes at all.
struct Picked<'r> {
    items: Vec<Pick<'r>>,
    any: bool,
}

fn pick<'r>(
    model: &'static model::Model,
    record: &'r Value,
    section: &SectionDef,
    day: &str,
) -> Picked<'r> {
    let mut items: Vec<Pick<'r>> = Vec::new();
    let mut any = false;
    for name in section.classes {
        let Some(class) = model.class(name) else {
            continue;
        };
        let all: Vec<(usize, &Value)> = records(record, name).collect();
        any |= !all.is_empty();
        let chosen: Vec<(usize, &Value)> = match *name {
            "about_me" => latest(&all, |v| text(v, "last_reviewed").or(text(v, "date"))),
            "daily_care_note" => latest(&all, |v| (text(v, "date"), text(v, "time"))),
            "communication_needs" => {
                let mut c = all;
                // most recent first; the sort is stable, so equal dates keep record order
                c.sort_by(|a, b| text(b.1, "date").cmp(&text(a.1, "date")));
                c
            }
            "need" => all
                .into_iter()
                .filter(|(_, v)| {
                    matches!(
                        code(v, "need_status"),
                        None | Some("active" | "unmet" | "partly-met")
                    )
                })
                .collect(),
            "service" => all
                .into_iter()
                .filter(|(_, v)| !ended(v, "service_end_date", day))
                .collect(),
            "medication" => all
                .into_iter()
                .filter(|(_, v)| {
                    code(v, "medication_status") == Some("active") && !ended(v, "end_date", day)
                })
                .collect(),
            "allergy" => all
                .into_iter()
                .filter(|(_, v)| matches!(code(v, "allergy_status"), None | Some("active")))
                .collect(),
            "alert" => all
                .into_iter()
                .filter(|(_, v)| {
                    code(v, "status") == Some("active") && !ended(v, "alert_end_date", day)
                })
                .collect(),
            "risk" => all
                .into_iter()
                .filter(|(_, v)| !ended(v, "end_date_of_risk", day))
                .collect(),
            "personal_contact" => {
                let mut c = all;
                // by contact priority (1 first); those without one after, in record order
                c.sort_by(|a, b| {
                    let p = |v: &Value| v.get("contact_priority").and_then(Value::as_f64);
                    match (p(a.1), p(b.1)) {
                        (Some(x), Some(y)) => x.total_cmp(&y),
                        (Some(_), None) => std::cmp::Ordering::Less,
                        (None, Some(_)) => std::cmp::Ordering::Greater,
                        (None, None) => std::cmp::Ordering::Equal,
                    }
                });
                c
            }
            "unpaid_carer" => {
                let mut c = all;
                c.sort_by_key(|(_, v)| v.get("main_carer") != Some(&Value::Bool(true)));
                c
            }
            "proxy_for_subject_of_care" => all
                .into_iter()
                .filter(|(_, v)| !ended(v, "end_date", day))
                .collect(),
            "care_plan" => all
                .into_iter()
                .filter(|(_, v)| {
                    code(v, "plan_status") == Some("active") && !ended(v, "plan_end_date", day)
                })
                .collect(),
            _ => all,
        };
        items.extend(chosen.into_iter().map(|(i, v)| (class, i, v)));
    }
    Picked { items, any }
}

/// The most recent record by a date (the last in record order among equals); none for none.
fn latest<'r, K: Ord>(
    all: &[(usize, &'r Value)],
    date: impl Fn(&'r Value) -> K,
) -> Vec<(usize, &'r Value)> {
    let mut best: Option<(usize, &'r Value)> = None;
    for &(i, v) in all {
        if best.is_none_or(|(_, b)| date(v) >= date(b)) {
            best = Some((i, v));
        }
    }
    best.into_iter().collect()
}

/// The full URL `to_fhir` gives a record.
fn url_of(class: &ClassDef, index: usize, value: &Value) -> String {
    match value.get("record_uid").and_then(Value::as_str) {
        Some(uid) if class.versioned => full_url_for(class.technical_name, uid),
        _ => full_url_for(class.technical_name, &format!("#{index}")),
    }
}

/// Every `reference` of a resource (at any depth).
fn references(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("reference", Value::String(r)) => out.push(r.clone()),
                    _ => references(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| references(x, out)),
        _ => {}
    }
}

/// The sending organisation: the first active care provider, care organisation or local
/// authority (in that order of preference), else the first of them.
fn author<'r>(model: &'static model::Model, record: &'r Value) -> Option<Pick<'r>> {
    let mut first = None;
    for name in ["care_provider", "care_organisation", "local_authority"] {
        let Some(class) = model.class(name) else {
            continue;
        };
        for (i, v) in records(record, name) {
            if v.get("active") != Some(&Value::Bool(false)) {
                return Some((class, i, v));
            }
            first = first.or(Some((class, i, v)));
        }
    }
    first
}

/// Write the hospital transfer summary of a record: a FHIR `document` Bundle (see the
/// module documentation for what it holds).
///
/// Errors: [`ExportError::TimestampRequired`] without [`TransferOptions::timestamp`],
/// [`ExportError::TimestampInvalid`] when it is not an instant, and every error of
/// [`to_fhir`] (an invalid record, another MODS version).
pub fn transfer_summary(record: &Value, opts: &TransferOptions) -> Result<Value, ExportError> {
    let ts = opts
        .timestamp
        .clone()
        .ok_or(ExportError::TimestampRequired)?;
    if !is_instant(&ts) {
        return Err(ExportError::TimestampInvalid);
    }
    let collection = to_fhir(
        record,
        &ExportOptions {
            bundle_type: BundleType::Collection,
            profiles: opts.profiles,
            timestamp: None,
            allow_invalid: opts.allow_invalid,
        },
    )?;
    let version = record
        .get("mods_version")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let model = model::model(version).ok_or_else(|| ExportError::Version {
        found: version.to_string(),
        expected: crate::mapping::mapping().table.mods_version.clone(),
    })?;
    let unrep = |pointer: String| ExportError::Unrepresentable { pointer };

    // the resources of the export, by full URL, in export order
    let mut order: Vec<String> = Vec::new();
    let mut resources: BTreeMap<String, Value> = BTreeMap::new();
    for e in collection
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(url), Some(res)) =
            (e.get("fullUrl").and_then(Value::as_str), e.get("resource"))
        {
            order.push(url.to_string());
            resources.insert(url.to_string(), res.clone());
        }
    }
    let soc = record
        .get("subject_of_care")
        .ok_or_else(|| unrep("/subject_of_care".into()))?;
    let soc_url = full_url_for(
        "subject_of_care",
        text(soc, "record_uid").unwrap_or_default(),
    );
    if !resources.contains_key(&soc_url) {
        return Err(unrep("/subject_of_care".into()));
    }
    let ctx = Ctx::new(model, record);
    let day = ts.get(..10).unwrap_or_default();

    let mut included: Vec<String> = vec![soc_url.clone()];
    let include = |url: String, included: &mut Vec<String>| {
        if !included.contains(&url) {
            included.push(url);
        }
    };
    let (author_url, author_name) = match author(model, record) {
        Some((class, i, v)) => {
            let url = url_of(class, i, v);
            if !resources.contains_key(&url) {
                return Err(unrep(format!("/{}/{i}", class.technical_name)));
            }
            let name = text(v, "organisation_name").map(str::to_string);
            (url, name)
        }
        None => (soc_url.clone(), None),
    };
    include(author_url.clone(), &mut included);

    let mut sections = Vec::new();
    for def in SECTIONS {
        let picked = pick(model, record, def, day);
        let mut section = json!({
            "title": def.title,
            "code": {"coding": [{
                "system": RECORD_STANDARD_HEADINGS,
                "code": def.code,
                "display": def.display,
            }]},
        });
        if picked.items.is_empty() {
            let (reason, display, said) = if picked.any {
                ("nilknown", "Nil Known", NONE_CURRENT)
            } else {
                ("unavailable", "Unavailable", NOTHING_RECORDED)
            };
            section["text"] = narrative(&paragraph(said));
            section["emptyReason"] = json!({"coding": [{"system": LIST_EMPTY_REASON, "code": reason, "display": display}]});
        } else {
            let mixed = def.classes.len() > 1;
            let mut div = String::from("<ul>");
            let mut entries = Vec::new();
            for (class, i, v) in &picked.items {
                let url = url_of(class, *i, v);
                if !resources.contains_key(&url) {
                    return Err(unrep(format!("/{}/{i}", class.technical_name)));
                }
                let (headline, fields) = shown(class.technical_name);
                div.push_str(&ctx.item(class, v, headline, fields, mixed));
                entries.push(json!({"reference": url}));
                include(url, &mut included);
            }
            div.push_str("</ul>");
            section["text"] = narrative(&div);
            section["entry"] = Value::Array(entries);
        }
        sections.push(section);
    }
    // every resource a resource of the document references, so that each reference resolves
    let mut next = 0;
    while next < included.len() {
        let mut refs = Vec::new();
        if let Some(res) = resources.get(&included[next]) {
            references(res, &mut refs);
        }
        for r in refs {
            if resources.contains_key(&r) {
                include(r, &mut included);
            }
        }
        next += 1;
    }

    // the Composition's own narrative: who, from whom, when
    let soc_class = model
        .class("subject_of_care")
        .ok_or_else(|| unrep("/subject_of_care".into()))?;
    let mut lines = Vec::new();
    if let Some(uid) = text(soc, "record_uid") {
        lines.push(format!("<b>{}</b>", xhtml(&ctx.name_of(uid))));
    }
    for name in ["nhs_number", "date_of_birth"] {
        if let (Some(el), Some(v)) = (soc_class.element(name), soc.get(name)) {
            if let Some(t) = ctx.value_text(el, v) {
                lines.push(format!("{}: {}", xhtml(el.name), xhtml(&t)));
            }
        }
    }
    if let Some(n) = &author_name {
        lines.push(format!("From: {}", xhtml(n)));
    }
    lines.push(format!("Date: {}", xhtml(&ts)));
    let title_html = format!(
        "<p><b>{}</b></p><p>{}</p>",
        xhtml(TITLE),
        lines.join("<br/>")
    );

    let key = format!("{soc_url}|{ts}");
    let composition_url = full_url_for("mods_transfer_summary", &key);
    let composition = json!({
        "resourceType": "Composition",
        "id": composition_url.trim_start_matches("urn:uuid:"),
        "meta": {
            "profile": ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Composition"],
            "tag": [{"system": systems::MODS_CLASS, "code": DOCUMENT_TAG}]
        },
        "text": narrative(&title_html),
        "status": "final",
        "type": {"text": TITLE},
        "subject": {"reference": soc_url},
        "date": ts,
        "author": [{"reference": author_url}],
        "title": TITLE,
        "section": sections,
    });
    let mut entry = vec![json!({"fullUrl": composition_url, "resource": composition})];
    // in export order after the Patient and the author, as a collection export has them
    let rank: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, u)| (u.as_str(), i))
        .collect();
    let (head, rest) = included.split_at(2.min(included.len()));
    let mut rest = rest.to_vec();
    rest.sort_by_key(|u| rank.get(u.as_str()).copied().unwrap_or(usize::MAX));
    for url in head.iter().chain(rest.iter()) {
        if let Some(res) = resources.remove(url) {
            entry.push(json!({"fullUrl": url, "resource": res}));
        }
    }
    let mut bundle = json!({
        "resourceType": "Bundle",
        "meta": collection.get("meta").cloned().unwrap_or_else(|| json!({})),
        "identifier": {
            "system": "urn:ietf:rfc:3986",
            "value": full_url_for("mods_transfer_summary_bundle", &key),
        },
        "type": BundleType::Document.as_str(),
        "timestamp": ts,
        "entry": entry,
    });
    if bundle["meta"].as_object().is_some_and(|m| m.is_empty()) {
        if let Some(o) = bundle.as_object_mut() {
            o.remove("meta");
        }
    }
    Ok(bundle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants() {
        for ok in [
            "2025-11-03T12:00:00Z",
            "2025-11-03T12:00:00.123+01:00",
            "2026-01-14T21:40:00-05:30",
        ] {
            assert!(is_instant(ok), "{ok}");
        }
        for bad in [
            "",
            "2025-11-03",
            "2025-11-03T12:00Z",
            "2025-11-03T12:00:00",
            "2025-13-03T12:00:00Z",
            "2025-11-03T24:00:00Z",
            "2025-11-03T12:00:00.Z",
            "2025-11-03T12:00:00+1:00",
            "2025-11-03T12:00:00+0!:00",
            "2025-11-03T12:00:00+é:é",
            "2025-11-03T12:00:00++1:00",
            "2025-11-03 12:00:00Z",
            "2025-11-03T12:00:00Zjunk",
            "２025-11-03T12:00:00Z",
        ] {
            assert!(!is_instant(bad), "{bad}");
        }
    }

    #[test]
    fn end_dates_at_their_precision() {
        let v = json!({"a": "2025-11-02", "b": "2025-11", "c": "2025", "d": "2025-11-03T00:00:00Z", "e": "2024"});
        assert!(ended(&v, "a", "2025-11-03"));
        assert!(!ended(&v, "b", "2025-11-03"));
        assert!(!ended(&v, "c", "2025-11-03"));
        assert!(!ended(&v, "d", "2025-11-03"));
        assert!(ended(&v, "e", "2025-11-03"));
        assert!(!ended(&v, "missing", "2025-11-03"));
    }

    #[test]
    fn every_element_shown_exists_in_the_model() {
        let m = model::model("1.0").unwrap();
        for s in SECTIONS {
            for c in s.classes {
                let class = m.class(c).unwrap_or_else(|| panic!("{c}"));
                let (head, fields) = shown(c);
                assert!(!head.is_empty() || !fields.is_empty(), "{c}");
                for e in head.iter().chain(fields) {
                    assert!(class.element(e).is_some(), "{c}.{e}");
                }
            }
        }
    }
}
