//! The invalid copy of a record: eleven violations of different rules, made the same way
//! every time.
//!
//! Each violation is at its own place and breaks one rule, so the copy's report holds
//! exactly the original's issues plus one issue per [`VIOLATIONS`] entry (checked by the
//! tests with `validate_record_json`). The places are in classes every example record has
//! (subject of care, care worker, medication, change log, person demographics, location);
//! a record without one of them has no invalid copy.

use crate::doc::Node;

/// What each violation does: the JSON pointer of the issue it causes, the issue code
/// `validate_record_json` reports there, and what was changed.
pub const VIOLATIONS: &[(&str, &str, &str)] = &[
    (
        "/subject_of_care/nhs_number",
        "nhs-number-check-digit",
        "an NHS number whose check digit is wrong",
    ),
    (
        "/subject_of_care/date_of_birth",
        "invalid-date",
        "30 February",
    ),
    (
        "/care_worker/0/version_number",
        "wrong-json-type",
        "a number written as a string",
    ),
    (
        "/care_worker/0/care_worker_category/code",
        "code-not-in-value-set",
        "a code outside a required value set",
    ),
    (
        "/care_worker/0/employing_organisation",
        "dangling-reference",
        "a reference to no record of the document",
    ),
    (
        "/medication/0/version_number",
        "required-element-missing",
        "a required element removed",
    ),
    (
        "/medication/0/colour_of_the_box",
        "unknown-element",
        "an element the model does not define (a warning in lax mode)",
    ),
    ("/medication/0/start_date", "invalid-date", "month 13"),
    (
        "/change_log/0/date",
        "invalid-date-time",
        "a date-time that is not one",
    ),
    (
        "/person_demographics/0/ethnicity/code",
        "code-not-in-value-set",
        "an ethnicity code outside its value set",
    ),
    (
        "/location/0/location_name",
        "empty-value",
        "an empty string",
    ),
];

/// The invalid copy of `record` (see the module documentation). `Err` names the class the
/// record lacks.
pub fn break_record(record: &Node) -> Result<Node, String> {
    let mut doc = record.clone();
    let soc = doc
        .get_mut("subject_of_care")
        .ok_or("the record has no subject_of_care")?;
    soc.set("nhs_number", Node::str("9434765918"));
    soc.set("date_of_birth", Node::str("1950-02-30"));

    let cw = first_item(&mut doc, "care_worker")?;
    cw.set("version_number", Node::str("1"));
    cw.set(
        "care_worker_category",
        Node::Object(vec![("code".into(), Node::str("not-a-category"))]),
    );
    cw.set(
        "employing_organisation",
        Node::str("org-not-in-this-record"),
    );

    let med = first_item(&mut doc, "medication")?;
    med.remove("version_number");
    med.set("colour_of_the_box", Node::str("blue"));
    med.set("start_date", Node::str("2025-13-01"));

    first_item(&mut doc, "change_log")?.set("date", Node::str("yesterday"));
    first_item(&mut doc, "person_demographics")?.set(
        "ethnicity",
        Node::Object(vec![("code".into(), Node::str("ZZ"))]),
    );
    first_item(&mut doc, "location")?.set("location_name", Node::str(""));
    Ok(doc)
}

fn first_item<'a>(doc: &'a mut Node, collection: &str) -> Result<&'a mut Node, String> {
    doc.get_mut(collection)
        .and_then(|c| c.item_mut(0))
        .filter(|item| matches!(item, Node::Object(_)))
        .ok_or_else(|| format!("the record has no {collection} record"))
}
