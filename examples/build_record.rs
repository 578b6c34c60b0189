//! Build a MODS record in code with the typed classes, validate it, then break it on purpose.
//!
//! Run it with:
//!
//! ```text
//! cargo run -p mods-core --example build_record
//! ```
//!
//! The example follows use case 1 (a temporary worker steps in). It builds a small record for
//! Mr Green, who lives in a care home, with the typed classes in
//! [`mods_core::generated::latest`]:
//!
//! 1. [`Record::new`] with a [`SubjectOfCare`] (NHS number, name, date of birth);
//! 2. his [`PersonDemographics`], the [`CareProvider`] that runs the home, and two
//!    [`CareWorker`]s: Emily, his regular worker, and Eliza, the agency worker covering for her;
//! 3. an [`Alert`] that Eliza must see before her shift.
//!
//! It validates the record with [`mods_core::validate_typed`] and prints the report, which
//! is empty. Then it makes one deliberate mistake, a wrong NHS number check digit, and prints
//! the issue: its stable code (`nhs-number-check-digit`), the JSON pointer to the value
//! (`/subject_of_care/nhs_number`) and a message that does not repeat the number.
//!
//! Every reference (`subject_of_care`, `employing_organisation`, `care_actor`...) is the
//! `record_uid` of another record in the same document, as `docs/record-format.md` describes.
//! The typed classes make the shape right; the validator checks what types cannot: check
//! digits, codes in value sets, and references that resolve.

use mods_core::generated::latest::{
    Alert, CareProvider, CareWorker, PersonDemographics, PersonName, ProvidesCareFor, Record,
    SubjectOfCare,
};
use mods_core::types::{Coding, DateTime, NaiveDate, PartialDate};
use mods_core::{validate_typed, Report, ValidationOptions};

/// A full date from a constant known to be valid.
fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// A name with one given name.
fn name(given: &str, family: &str) -> PersonName {
    let mut name = PersonName::new(vec![given.to_owned()], family.to_owned());
    name.name_use = Some(Coding::code("usual"));
    name
}

/// A care worker employed by `employer` who looks after Mr Green.
fn care_worker(uid: &str, given: &str, family: &str, employer: &str, key: bool) -> CareWorker {
    let mut worker = CareWorker::new(
        uid.to_owned(),
        1,
        name(given, family),
        Coding::code("care-worker"),
    );
    worker.professional_role = vec![Coding::code("care-worker")];
    worker.employing_organisation = Some(employer.to_owned());
    let mut cares_for = ProvidesCareFor::new("soc-green".to_owned());
    cares_for.role_in_care = Some(Coding::code("care-worker"));
    cares_for.key_worker = Some(key);
    cares_for.care_team_name = Some("Oak Wing day team".to_owned());
    worker.provides_care_for = vec![cares_for];
    worker
}

/// Mr Green's record: subject of care, demographics, care home, two workers and an alert.
///
/// Each class is built with `new` from its mandatory elements, then its optional fields are
/// set: the classes are `#[non_exhaustive]`, so a later release that adds an optional element
/// does not break this code.
fn build() -> Record {
    let mut mr_green_name = name("Arthur", "Green");
    mr_green_name.title = Some("Mr".to_owned());
    let mut subject = SubjectOfCare::new("soc-green".to_owned(), 1, vec![mr_green_name]);
    subject.nhs_number = Some("9434765919".to_owned());
    subject.nhs_number_verification_status = Some(Coding::code("01"));
    subject.date_of_birth = Some(date(1938, 5, 2));
    subject.person_demographics = Some("pd-green".to_owned());
    let mut record = Record::new(subject);

    let mut demographics = PersonDemographics::new(
        "pd-green".to_owned(),
        1,
        date(1938, 5, 2),
        Coding::code("1"),
        Coding::code("A"),
        Coding::code("1"),
    );
    demographics.religion = Some(Coding::code("C"));
    demographics.first_language = Some(Coding::code("en"));
    demographics.interpreter_required = Some(false);
    demographics.administrative_gender = Some(Coding::code("male"));
    demographics.marital_status = Some(Coding::code("W"));
    record.person_demographics.push(demographics);

    let mut home = CareProvider::new(
        "org-larchfield".to_owned(),
        1,
        "1-2045118735".to_owned(),
        "Larchfield House Care Home".to_owned(),
    );
    home.organisation_kind = Some(Coding::code("care-provider"));
    home.ods_organisation_code = Some("VNF3Q".to_owned());
    home.active = Some(true);
    home.care_setting_type = vec![Coding::code("care-home-with-nursing")];
    record.care_provider.push(home);

    record.care_worker.push(care_worker(
        "cw-emily",
        "Emily",
        "Carter",
        "org-larchfield",
        true,
    ));
    // Eliza works for an agency (examples/records/mr-green.json records Brightstaff); this
    // shorter record holds only the home, so she is recorded here as working there.
    record.care_worker.push(care_worker(
        "cw-eliza",
        "Eliza",
        "Nowak",
        "org-larchfield",
        false,
    ));

    let mut alert = Alert::new(
        "al-green-hearing".to_owned(),
        1,
        Coding::code("active"),
        "soc-green".to_owned(),
        PartialDate::Date(date(2026, 2, 2)),
    );
    alert.free_text = Some(
        "Very hard of hearing in the left ear. Speak on his right side and face him.".to_owned(),
    );
    alert.alert_start_date = DateTime::parse_from_rfc3339("2026-02-02T09:00:00+00:00").ok();
    alert.alert_category = vec![Coding::code("clinical")];
    alert.informed = vec!["cw-eliza".to_owned()];
    alert.care_actor = vec!["cw-emily".to_owned()];
    record.alert.push(alert);

    record
}

/// Print a report, one issue a line.
fn print_report(title: &str, report: &Report) {
    println!(
        "{title}: valid = {}, {} error(s), {} warning(s)",
        report.valid,
        report.error_count(),
        report.warning_count()
    );
    for issue in &report.issues {
        println!(
            "  {} {} at {}: {}",
            issue.severity, issue.code, issue.path, issue.message
        );
    }
}

fn main() {
    let options = ValidationOptions::strict();

    let record = build();
    let report = validate_typed(&record, &options);
    print_report("Mr Green's record as built", &report);
    assert!(report.valid && report.issues.is_empty());

    // The same record as JSON: this is what `mods validate` and every binding read.
    let json = serde_json::to_string_pretty(&record).expect("a record serialises");
    println!("\nAs a record document ({} bytes):\n{json}\n", json.len());

    // One deliberate mistake: a digit mistyped, so the Modulus 11 check digit fails.
    let mut broken = record.clone();
    broken.subject_of_care.nhs_number = Some("9434765918".to_owned());
    let report = validate_typed(&broken, &options);
    print_report("With a mistyped NHS number", &report);

    let issue = &report.issues[0];
    assert!(!report.valid);
    assert_eq!(issue.code.as_str(), "nhs-number-check-digit");
    assert_eq!(issue.path, "/subject_of_care/nhs_number");
    // Reports travel into logs: the message never repeats the person's data.
    assert!(!issue.message.contains("9434765918"));
}
