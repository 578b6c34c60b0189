//! The option structs of the published crates are `#[non_exhaustive]` (a new option is not
//! a breaking change), so code outside their crate builds them with `default()` (or `new`)
//! and the `with_*` methods; each method must set its field (docs/releasing.md).

use mods_api::*;

/// Every `pub struct ...Options` (and `Limits`) in the sources of the published crates is
/// marked `#[non_exhaustive]`.
#[test]
fn every_options_struct_is_non_exhaustive() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut found = 0;
    for krate in [
        "mods-core",
        "mods-terminology",
        "mods-fhir",
        "mods-import",
        "mods-api",
        "mods-cli",
    ] {
        let mut dirs = vec![std::path::PathBuf::from(format!("{root}/{krate}/src"))];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let lines: Vec<&str> = text.lines().collect();
                for (i, line) in lines.iter().enumerate() {
                    let Some(rest) = line.strip_prefix("pub struct ") else {
                        continue;
                    };
                    let name = rest
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .unwrap();
                    if !(name.ends_with("Options") || name == "Limits") {
                        continue;
                    }
                    found += 1;
                    let attrs = lines[..i]
                        .iter()
                        .rev()
                        .take_while(|l| l.starts_with("#[") || l.starts_with("///"));
                    assert!(
                        attrs.clone().any(|l| *l == "#[non_exhaustive]"),
                        "{}: {name} is not #[non_exhaustive]",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(found >= 30, "only {found} option structs found");
}

#[test]
fn validate_options() {
    let v = ValidateOptions::default()
        .with_class("Person")
        .with_strict(true)
        .with_include_values(true)
        .with_max_issues(3)
        .with_limits(LimitOptions::default().with_max_depth(4).with_max_nodes(5))
        .with_unavailable_terminology(vec!["http://snomed.info/sct".into()])
        .with_today("2026-03-01");
    assert_eq!(v.class.as_deref(), Some("Person"));
    assert!(v.strict && v.include_values);
    assert_eq!(v.max_issues, 3);
    assert_eq!((v.limits.max_depth, v.limits.max_nodes), (Some(4), Some(5)));
    assert_eq!(v.unavailable_terminology, ["http://snomed.info/sct"]);
    assert_eq!(v.today.as_deref(), Some("2026-03-01"));
    let l = LimitOptions::default()
        .with_max_bytes(1)
        .with_max_string_bytes(2)
        .with_max_array_items(3)
        .with_max_object_members(4);
    assert_eq!(
        [
            l.max_bytes,
            l.max_string_bytes,
            l.max_array_items,
            l.max_object_members
        ],
        [Some(1), Some(2), Some(3), Some(4)]
    );
    // the options take effect: the report is cut at one issue
    let record = br#"{"mods_version": "1.0", "a": 1, "b": 2}"#;
    let prepared = ValidateOptions::default()
        .with_max_issues(1)
        .prepare()
        .unwrap();
    let report = validate(&record[..], &prepared).unwrap();
    // one issue, then the count of the others
    assert_eq!(report.issues.len(), 2);
    assert!(report.omitted >= 1);
}

#[test]
fn record_and_fhir_options() {
    assert!(MigrateOptions::default().with_keep_lost(true).keep_lost);
    let d = DiffOptions::default()
        .with_include_values(true)
        .with_include_audit(true);
    assert!(d.include_values && d.include_audit);
    let e = ExportOptions::default()
        .with_bundle_type("transaction")
        .with_profiles("stu2")
        .with_timestamp("2026-03-01T10:00:00Z")
        .with_allow_invalid(true);
    assert_eq!(
        (e.bundle_type.as_str(), e.profiles.as_str()),
        ("transaction", "stu2")
    );
    assert_eq!(e.timestamp.as_deref(), Some("2026-03-01T10:00:00Z"));
    assert!(e.allow_invalid);
    let t = TransferSummaryOptions::default()
        .with_timestamp("2026-03-01T10:00:00Z")
        .with_profiles("stu2")
        .with_allow_invalid(true);
    assert_eq!(t.timestamp.as_deref(), Some("2026-03-01T10:00:00Z"));
    assert_eq!(t.profiles, "stu2");
    assert!(t.allow_invalid);
    assert!(
        ImportOptions::default()
            .with_keep_unmapped(true)
            .keep_unmapped
    );
    assert_eq!(
        MergeOptions::default()
            .with_date("2026-03-01")
            .date
            .as_deref(),
        Some("2026-03-01")
    );
}

#[test]
fn flow_options() {
    let c = ConformanceOptions::default()
        .with_version("1.0")
        .with_strict(true)
        .with_today("2026-03-01");
    assert_eq!((c.version.as_deref(), c.strict), (Some("1.0"), true));
    assert_eq!(c.today.as_deref(), Some("2026-03-01"));
    let l = LegacyImportOptions::default()
        .with_format("csv")
        .with_dry_run(true)
        .with_include_values(true)
        .with_base_dir("dir")
        .with_chunk_rows(9)
        .with_name("people.csv");
    assert_eq!(l.format.as_deref(), Some("csv"));
    assert!(l.dry_run && l.include_values);
    assert_eq!(l.base_dir.as_deref(), Some("dir"));
    assert_eq!(l.chunk_rows, Some(9));
    assert_eq!(l.name.as_deref(), Some("people.csv"));
    let m = MergeDischargeOptions::default()
        .with_committer("cw-1")
        .with_date_time("2026-03-01T10:00:00Z")
        .with_system_identifier("system")
        .with_discharge_uid("dd-1")
        .with_include_values(true)
        .with_date("2026-03-01");
    assert_eq!(m.committer.as_deref(), Some("cw-1"));
    assert_eq!(m.date_time.as_deref(), Some("2026-03-01T10:00:00Z"));
    assert_eq!(m.system_identifier.as_deref(), Some("system"));
    assert_eq!(m.discharge_uid.as_deref(), Some("dd-1"));
    assert!(m.include_values);
    assert_eq!(m.date.as_deref(), Some("2026-03-01"));
    let mar = MarOptions::default()
        .with_to("2026-03-07")
        .with_strict(true)
        .with_include_values(true)
        .with_today("2026-03-01");
    assert_eq!(mar.to.as_deref(), Some("2026-03-07"));
    assert!(mar.strict && mar.include_values);
    assert_eq!(mar.today.as_deref(), Some("2026-03-01"));
    let days = CompareDaysOptions::default()
        .with_day("2026-03-01")
        .with_against("2026-02-28");
    assert_eq!(
        (days.day.as_str(), days.against.as_str()),
        ("2026-03-01", "2026-02-28")
    );
    let p = CommissionPackageOptions::default()
        .with_plan("cp-1")
        .with_provider("prov-1")
        .with_sender("la-1")
        .with_include_values(true)
        .with_today("2026-03-01");
    assert_eq!(p.plan, "cp-1");
    assert_eq!(
        (p.provider.as_deref(), p.sender.as_deref()),
        (Some("prov-1"), Some("la-1"))
    );
    assert!(p.include_values);
    assert_eq!(p.today.as_deref(), Some("2026-03-01"));
    let a = CommissionAcceptOptions::default()
        .with_date("2026-03-01T10:00:00Z")
        .with_committer("sv-1")
        .with_system_identifier("system")
        .with_new_person(true)
        .with_include_values(true)
        .with_today("2026-03-01");
    assert_eq!(a.date.as_deref(), Some("2026-03-01T10:00:00Z"));
    assert_eq!(a.committer.as_deref(), Some("sv-1"));
    assert_eq!(a.system_identifier.as_deref(), Some("system"));
    assert!(a.new_person && a.include_values);
    assert_eq!(a.today.as_deref(), Some("2026-03-01"));
    let s = ShareOptions::default()
        .with_purpose("direct-care")
        .with_policy("policy")
        .with_component("medication")
        .with_today("2026-03-01")
        .with_include_values(true);
    assert_eq!(s.purpose.as_deref(), Some("direct-care"));
    assert_eq!(s.policy.as_deref(), Some("policy"));
    assert_eq!(s.component.as_deref(), Some("medication"));
    assert_eq!(s.today.as_deref(), Some("2026-03-01"));
    assert!(s.include_values);
}

#[test]
fn mi_options() {
    let a = AggregateOptions::default()
        .with_by(vec!["ethnicity".into()])
        .with_version("1.0")
        .with_as_of("2026-03-01")
        .with_suppress(false)
        .with_threshold(11)
        .with_round_to(10);
    assert_eq!(a.by, ["ethnicity"]);
    assert_eq!(
        (a.version.as_deref(), a.as_of.as_deref()),
        (Some("1.0"), Some("2026-03-01"))
    );
    assert!(!a.suppress);
    assert_eq!((a.threshold, a.round_to), (11, 10));
    let e = ExtractOptions::default()
        .with_profile("people")
        .with_version("1.0")
        .with_as_of("2026-03-01")
        .with_mods_codes(true);
    assert_eq!(e.profile, "people");
    assert_eq!(
        (e.version.as_deref(), e.as_of.as_deref()),
        (Some("1.0"), Some("2026-03-01"))
    );
    assert!(e.mods_codes);
}
