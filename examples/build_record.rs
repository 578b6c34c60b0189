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
    PersonName {
        name_use: Some(Coding::code("usual")),
        title: None,
        given_name: vec![given.to_owned()],
        family_name: family.to_owned(),
        name_suffix: None,
        name_valid_from: None,
        name_valid_to: None,
    }
}

/// A care worker employed by `employer` who looks after Mr Green.
fn care_worker(uid: &str, given: &str, family: &str, employer: &str, key: bool) -> CareWorker {
    CareWorker {
        record_uid: uid.to_owned(),
        version_number: 1,
        specialty: None,
        person_name: name(given, family),
        care_worker_category: Coding::code("care-worker"),
        professional_role: vec![Coding::code("care-worker")],
        job_title: None,
        registration_body: None,
        registration_number: None,
        employing_organisation: Some(employer.to_owned()),
        contact_details: None,
        provides_care_for: vec![ProvidesCareFor {
            subject_of_care: "soc-green".to_owned(),
            role_in_care: Some(Coding::code("care-worker")),
            key_worker: Some(key),
            care_team_name: Some("Oak Wing day team".to_owned()),
            start_date: None,
            end_date: None,
        }],
    }
}

/// Mr Green's record: subject of care, demographics, care home, two workers and an alert.
fn build() -> Record {
    let mut record = Record::new(SubjectOfCare {
        record_uid: "soc-green".to_owned(),
        version_number: 1,
        nhs_number: Some("9434765919".to_owned()),
        nhs_number_verification_status: Some(Coding::code("01")),
        nhs_number_unavailable_reason: None,
        local_identifier: Vec::new(),
        person_name: vec![PersonName {
            title: Some("Mr".to_owned()),
            ..name("Arthur", "Green")
        }],
        date_of_birth: Some(date(1938, 5, 2)),
        date_of_death: None,
        address: Vec::new(),
        contact_details: None,
        registered_gp_practice: None,
        person_demographics: Some("pd-green".to_owned()),
    });

    record.person_demographics.push(PersonDemographics {
        record_uid: "pd-green".to_owned(),
        version_number: 1,
        date_of_birth: date(1938, 5, 2),
        gender_identity: Coding::code("1"),
        ethnicity: Coding::code("A"),
        religion: Some(Coding::code("C")),
        first_language: Some(Coding::code("en")),
        other_language: Vec::new(),
        interpreter_required: Some(false),
        immigration_status: None,
        sexual_orientation: Coding::code("1"),
        pregnancy_status: None,
        administrative_gender: Some(Coding::code("male")),
        marital_status: Some(Coding::code("W")),
    });

    record.care_provider.push(CareProvider {
        record_uid: "org-larchfield".to_owned(),
        version_number: 1,
        organisation_name: "Larchfield House Care Home".to_owned(),
        organisation_kind: Some(Coding::code("care-provider")),
        ods_organisation_code: Some("VNF3Q".to_owned()),
        ods_site_code: None,
        organisation_address: None,
        organisation_contact_details: None,
        service_type: Vec::new(),
        active: Some(true),
        cqc_location_identifier: "1-2045118735".to_owned(),
        cqc_provider_identifier: None,
        cqc_registered_name: None,
        care_setting_type: vec![Coding::code("care-home-with-nursing")],
        registered_manager: None,
    });

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

    record.alert.push(Alert {
        record_uid: "al-green-hearing".to_owned(),
        version_number: 1,
        free_text: Some(
            "Very hard of hearing in the left ear. Speak on his right side and face him."
                .to_owned(),
        ),
        location: None,
        alert_start_date: DateTime::parse_from_rfc3339("2026-02-02T09:00:00+00:00").ok(),
        alert_end_date: None,
        coded_value: None,
        status: Coding::code("active"),
        alert_category: vec![Coding::code("clinical")],
        involved: Vec::new(),
        informed: vec!["cw-eliza".to_owned()],
        subject: None,
        subject_of_care: "soc-green".to_owned(),
        date: PartialDate::Date(date(2026, 2, 2)),
        care_actor: vec!["cw-emily".to_owned()],
        time: None,
    });

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
