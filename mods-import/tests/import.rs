//! The import's behaviour: mapping errors, bad input, translations, dates, splitting,
//! collections, documents, grouping by person with and without spilling, and values kept out
//! of the report.

use mods_import::{run, Error, Format, ImportCode, Input, Mapping, Options, VecSink};
use serde_json::json;

const BASE: &str = r#"
format = 1
person = "id"
[[column]]
name = "id"
path = "subject_of_care.local_identifier"
[[column]]
name = "name"
path = "subject_of_care.person_name"
split = "name"
"#;

fn mapping(extra: &str) -> Mapping {
    Mapping::parse(&format!("{BASE}{extra}")).unwrap_or_else(|e| panic!("{e:?}"))
}

fn csv(text: &str) -> Input {
    Input::Bytes {
        name: "export.csv".into(),
        format: Format::Csv,
        data: text.as_bytes().to_vec(),
    }
}

fn import(m: &Mapping, input: Input, opts: &Options) -> (mods_import::Summary, VecSink) {
    let mut sink = VecSink::default();
    let summary = run(m, &[input], opts, &mut sink).unwrap_or_else(|e| panic!("{e}"));
    (summary, sink)
}

fn codes(sink: &VecSink) -> Vec<String> {
    sink.entries.iter().map(|e| e.code.clone()).collect()
}

#[test]
fn a_mapping_naming_an_unknown_element_or_class_is_an_error_for_each() {
    let errors = Mapping::parse(&format!(
        "{BASE}
[[column]]
name = \"x\"
path = \"subject_of_care.shoe_size\"
[[column]]
name = \"y\"
path = \"spaceship.colour\"
[[column]]
name = \"z\"
path = \"subject_of_care.registered_gp_practice\"
"
    ))
    .unwrap_err();
    let got: Vec<(ImportCode, &str)> = errors.iter().map(|e| (e.code, e.at.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (ImportCode::UnknownElement, "column[2].path"),
            (ImportCode::UnknownClass, "column[3].path"),
            (ImportCode::PathNotMappable, "column[4].path"),
        ]
    );
    assert!(errors[0].message.contains("shoe_size"));
}

#[test]
fn a_mapping_with_an_unknown_key_a_bad_code_or_another_format_is_refused() {
    let e = Mapping::parse(&format!("{BASE}\ncolour = \"red\"\n")).unwrap_err();
    assert_eq!(e[0].code, ImportCode::MappingSyntax);
    let e = Mapping::parse(&BASE.replace("format = 1", "format = 2")).unwrap_err();
    assert_eq!(e[0].code, ImportCode::MappingFormatVersion);
    let e = Mapping::parse(&format!(
        "{BASE}[[column]]\nname = \"g\"\npath = \"person_demographics.gender_identity\"\ncodes = {{ m = \"M\" }}\n"
    ))
    .unwrap_err();
    assert_eq!(
        (e[0].code, e[0].at.as_str()),
        (ImportCode::CodeNotInValueSet, "column[2].codes.\"m\"")
    );
    let e = Mapping::parse(&format!("{BASE}ignore = [\"id\"]\n")).err();
    // `ignore` after a table is a key of the last [[column]]: refused as unknown
    assert!(e.is_some());
}

#[test]
fn a_mapped_column_missing_from_the_input_stops_the_run() {
    let m = mapping("[[column]]\nname = \"nhs\"\npath = \"subject_of_care.nhs_number\"\n");
    let mut sink = VecSink::default();
    let err = run(
        &m,
        &[csv("id,name\n1,Ann Smith\n")],
        &Options::default(),
        &mut sink,
    )
    .unwrap_err();
    match err {
        Error::Mapping(e) => assert_eq!(e[0].code, ImportCode::ColumnNotInInput),
        other => panic!("{other:?}"),
    }
    assert!(sink.records.is_empty());
}

#[test]
fn a_row_with_too_many_fields_is_reported_and_not_imported() {
    let m = mapping("");
    let (summary, sink) = import(
        &m,
        csv("id,name\n1,Ann Smith\n2,Bob,Jones\n"),
        &Options::default(),
    );
    assert_eq!(sink.records.len(), 1);
    let e = &sink.entries[0];
    assert_eq!(
        (e.code.as_str(), e.row, e.column.as_deref()),
        ("too-many-fields", Some(3), None)
    );
    // both of its cells are accounted to the entry (the third has no column)
    assert_eq!(summary.columns["id"].reported, 1);
    assert_eq!(summary.columns["name"].reported, 1);
    assert_eq!(summary.columns["id"].imported, 1);
}

#[test]
fn an_unmapped_value_is_reported_by_row_and_column_without_the_value() {
    let m = mapping(
        "[[column]]\nname = \"eth\"\npath = \"person_demographics.ethnicity\"\ncodes = { \"white british\" = \"A\" }\n",
    );
    let input = "id,name,eth\n1,Ann Smith,White British\n2,Bob Jones,Martian\n";
    let (summary, sink) = import(&m, csv(input), &Options::default());
    let e = sink
        .entries
        .iter()
        .find(|e| e.code == "unmapped-value")
        .expect("reported");
    assert_eq!(
        (e.row, e.column.as_deref(), e.severity),
        (Some(3), Some("eth"), "error")
    );
    assert_eq!(e.value, None);
    let text = serde_json::to_string(&sink.entries).unwrap();
    assert!(!text.contains("Martian"), "the value is not in the report");
    assert_eq!(summary.columns["eth"].reported, 1);
    assert_eq!(summary.columns["eth"].imported, 1);
    let with = Options::default().with_include_values(true);
    let (_, sink) = import(&m, csv(input), &with);
    let e = sink
        .entries
        .iter()
        .find(|e| e.code == "unmapped-value")
        .unwrap();
    assert_eq!(e.value.as_deref(), Some("Martian"));
}

#[test]
fn translations_defaults_and_display_names_give_codes() {
    let m = mapping(
        r#"[[column]]
name = "g"
path = "person_demographics.gender_identity"
codes = { "f" = "2" }
default = "X"
unmapped = "default"
"#,
    );
    let (_, sink) = import(
        &m,
        csv("id,name,g\n1,Ann Smith,F\n2,Bo Li,\n3,Cy Ng,Non-binary\n4,Di Oz,??\n"),
        &Options::default(),
    );
    let g: Vec<&str> = sink
        .records
        .iter()
        .map(|r| {
            r["person_demographics"][0]["gender_identity"]["code"]
                .as_str()
                .unwrap()
        })
        .collect();
    // F by the table, empty by the default, a display name of the value set, ?? defaulted
    assert_eq!(g, ["2", "X", "3", "X"]);
    let warn = sink
        .entries
        .iter()
        .find(|e| e.code == "value-defaulted")
        .unwrap();
    assert_eq!((warn.row, warn.severity), (Some(5), "warning"));
    assert_eq!(
        sink.records[0]["person_demographics"][0]["gender_identity"]["display"],
        "Female (including trans woman)"
    );
}

#[test]
fn uk_and_partial_dates() {
    let m = mapping(
        r#"[[column]]
name = "dob"
path = "subject_of_care.date_of_birth"
[[column]]
name = "died"
path = "subject_of_care.date_of_death"
date_formats = ["%d/%m/%Y", "%m/%Y", "%Y"]
"#,
    );
    let (_, sink) = import(&m, csv("id,name,dob,died\n1,Ann Smith,14/07/1931,03/2025\n2,Bo Li,1931-07-14,2024\n3,Cy Ng,07/1931,\n"), &Options::default());
    let soc = |i: usize| &sink.records[i]["subject_of_care"];
    assert_eq!(
        (
            soc(0)["date_of_birth"].as_str(),
            soc(0)["date_of_death"].as_str()
        ),
        (Some("1931-07-14"), Some("2025-03"))
    );
    assert_eq!(
        (
            soc(1)["date_of_birth"].as_str(),
            soc(1)["date_of_death"].as_str()
        ),
        (Some("1931-07-14"), Some("2024"))
    );
    // a month and year for a full date: reported, not guessed
    assert!(soc(2).get("date_of_birth").is_none());
    let e = sink
        .entries
        .iter()
        .find(|e| e.code == "invalid-date")
        .unwrap();
    assert_eq!((e.row, e.column.as_deref()), (Some(4), Some("dob")));
}

#[test]
fn repeated_rows_become_collections_and_duplicates_merge() {
    let m = mapping(
        r#"[set]
"alert.status" = "active"
[[column]]
name = "alert"
path = "alert.free_text"
[[column]]
name = "on"
path = "alert.date"
[[column]]
name = "contact"
path = "personal_contact.person_name"
split = "name"
"#,
    );
    let input = "id,name,alert,on,contact\n\
                 1,Ann Smith,Falls,01/02/2024,Bea Smith\n\
                 1,Ann Smith,Falls,01/02/2024,Cal Smith\n\
                 1,Ann Smith,Key safe,03/02/2024,Bea Smith\n\
                 1,Ann Smith,Key safe,03/02/2024,Bea Smith\n";
    let (summary, sink) = import(&m, csv(input), &Options::default());
    assert_eq!(sink.records.len(), 1);
    let r = &sink.records[0];
    assert_eq!(r["alert"].as_array().unwrap().len(), 2);
    assert_eq!(r["personal_contact"].as_array().unwrap().len(), 2);
    assert_eq!(r["alert"][0]["status"]["code"], "active");
    assert_eq!(
        r["alert"][0]["subject_of_care"],
        r["subject_of_care"]["record_uid"]
    );
    assert_eq!(
        r["subject_of_care"]["person_name"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(summary.columns["alert"].imported, 4);
    assert!(sink.entries.is_empty(), "{:?}", sink.entries);
}

#[test]
fn a_conflicting_single_value_keeps_the_first_and_reports_the_later_row() {
    let m = mapping("[[column]]\nname = \"nhs\"\npath = \"subject_of_care.nhs_number\"\n");
    let (summary, sink) = import(
        &m,
        csv("id,name,nhs\n1,Ann Smith,9990000018\n1,Ann Smith,9990000026\n"),
        &Options::default(),
    );
    assert_eq!(
        sink.records[0]["subject_of_care"]["nhs_number"],
        "9990000018"
    );
    let e = sink
        .entries
        .iter()
        .find(|e| e.code == "conflicting-value")
        .unwrap();
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("nhs")));
    assert_eq!(
        (
            summary.columns["nhs"].imported,
            summary.columns["nhs"].reported
        ),
        (1, 1)
    );
}

#[test]
fn unmapped_and_ignored_columns_and_a_missing_person_id() {
    let m = Mapping::parse(&format!("ignore = [\"team\"]\n{BASE}")).unwrap();
    let (summary, sink) = import(
        &m,
        csv("id,name,team,mystery\n1,Ann Smith,North,x\n,Bo Li,South,\n"),
        &Options::default(),
    );
    assert_eq!(codes(&sink), ["missing-person-id", "unmapped-column"]);
    let col = sink
        .entries
        .iter()
        .find(|e| e.code == "unmapped-column")
        .unwrap();
    assert_eq!(
        (col.column.as_deref(), col.row, col.cells),
        (Some("mystery"), None, Some(1))
    );
    assert_eq!(summary.columns["team"].ignored, 1);
    assert_eq!(
        summary.columns["team"].reported, 1,
        "the row without a person"
    );
    assert_eq!(summary.columns["mystery"].reported, 1);
    for c in summary.columns.values() {
        assert_eq!(c.cells, c.imported + c.ignored + c.reported);
    }
}

#[test]
fn spilling_to_disk_gives_the_same_records_as_grouping_in_memory() {
    let m = mapping("[set]\n\"alert.status\" = \"active\"\n[[column]]\nname = \"a\"\npath = \"alert.free_text\"\n[[column]]\nname = \"on\"\npath = \"alert.date\"\n");
    let mut text = String::from("id,name,a,on\n");
    for i in 0..40 {
        text.push_str(&format!(
            "{},Ann Smith{},note {i},01/02/2024\n",
            (i * 7) % 11,
            i % 11
        ));
    }
    let spill = tempfile::tempdir().unwrap();
    let small = Options::default()
        .with_chunk_rows(3)
        .with_spill_dir(spill.path().to_path_buf());
    let (s1, a) = import(&m, csv(&text), &Options::default());
    let (s2, b) = import(&m, csv(&text), &small);
    assert_eq!(s1.spill_files, 0);
    assert_eq!(s2.spill_files, 14);
    assert_eq!(a.records, b.records);
    assert_eq!(a.records.len(), 11);
    assert_eq!(
        std::fs::read_dir(spill.path()).unwrap().count(),
        0,
        "spill files removed"
    );
}

#[test]
fn grouped_input_streams_and_reports_a_person_out_of_order() {
    let m = Mapping::parse(&format!("grouped = true\n{BASE}")).unwrap();
    let (summary, sink) = import(
        &m,
        csv("id,name\n1,Ann Smith\n1,Ann Smith\n2,Bo Li\n1,Ann Smith\n"),
        &Options::default(),
    );
    assert_eq!(sink.records.len(), 2);
    assert_eq!(codes(&sink), ["person-not-grouped"]);
    assert_eq!(sink.entries[0].row, Some(5));
    assert_eq!(summary.columns["id"].reported, 1);
}

#[test]
fn documents_record_type_size_and_checksum_and_must_exist() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("letter.pdf"), b"%PDF-1.4 test\n").unwrap();
    let m = mapping(
        "[[column]]\nname = \"doc\"\npath = \"document.documentation_location\"\nattach = true\n",
    );
    let opts = Options::default().with_base_dir(dir.path().to_path_buf());
    let (summary, sink) = import(
        &m,
        csv("id,name,doc\n1,Ann Smith,letter.pdf\n2,Bo Li,gone.pdf\n"),
        &opts,
    );
    assert_eq!(summary.attachments.len(), 1);
    let a = &summary.attachments[0];
    assert_eq!((a.media_type.as_str(), a.size), ("application/pdf", 14));
    // sha256 of "%PDF-1.4 test\n"
    assert_eq!(a.sha256.len(), 64);
    assert_eq!(
        sink.records[0]["document"][0]["record_uid"],
        json!(a.record_uid)
    );
    assert_eq!(
        sink.records[0]["document"][0]["document_mime_type"],
        "application/pdf"
    );
    assert!(sink.records[1].get("document").is_none());
    let e = sink
        .entries
        .iter()
        .find(|e| e.code == "attachment-missing")
        .unwrap();
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("doc")));
}

#[test]
fn ndjson_input_and_nested_values() {
    let m = mapping("");
    let data =
        b"{\"id\": 1, \"name\": \"Ann Smith\"}\n\n{\"id\": 2, \"name\": {\"given\": \"Bo\"}}\n"
            .to_vec();
    let input = Input::Bytes {
        name: "export.ndjson".into(),
        format: Format::Ndjson,
        data,
    };
    let (summary, sink) = import(&m, input, &Options::default());
    assert_eq!(sink.records.len(), 2);
    let e = sink
        .entries
        .iter()
        .find(|e| e.code == "nested-value")
        .unwrap();
    assert_eq!(
        (e.row, e.column.as_deref(), e.value.as_deref()),
        (Some(3), Some("name"), None)
    );
    assert_eq!(summary.columns["name"].reported, 1);
    let bad = Input::Bytes {
        name: "bad.ndjson".into(),
        format: Format::Ndjson,
        data: b"{\"id\": \n".to_vec(),
    };
    let err = run(&m, &[bad], &Options::default(), &mut VecSink::default()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Input {
                code: ImportCode::UnreadableInput,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_dry_run_writes_nothing_and_reports_the_same() {
    let m = mapping("");
    let (_, a) = import(
        &m,
        csv("id,name\n1,Ann Smith\n2,Bob,Jones\n"),
        &Options::default(),
    );
    let (s, b) = import(
        &m,
        csv("id,name\n1,Ann Smith\n2,Bob,Jones\n"),
        &Options::default().with_dry_run(true),
    );
    assert!(b.records.is_empty());
    assert_eq!(a.entries, b.entries);
    assert_eq!(s.persons, 1);
}

#[test]
fn every_code_has_a_distinct_name() {
    let mut names: Vec<&str> = ImportCode::ALL.iter().map(|c| c.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), ImportCode::ALL.len());
}
