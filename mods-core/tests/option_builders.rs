//! The option structs are `#[non_exhaustive]` (a new option is not a breaking change), so
//! code outside the crate builds them with `default()` (or `new`) and the `with_*` methods;
//! each method must set its field (docs/releasing.md).

use chrono::NaiveDate;
use mods_core::flows::commission::{AcceptOptions, PackageOptions};
use mods_core::flows::discharge::DischargeOptions;
use mods_core::flows::mar::MarOptions;
use mods_core::history::DiffOptions;
use mods_core::migrate::{MigrateOptions, OnLoss};
use mods_core::share::{components, policy, ShareOptions};
use mods_core::{Limits, Mode, ValidationOptions};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

#[test]
fn limits() {
    let l = Limits::default()
        .with_max_bytes(1)
        .with_max_depth(2)
        .with_max_string_bytes(3)
        .with_max_array_items(4)
        .with_max_object_members(5)
        .with_max_nodes(6);
    let got = [
        l.max_bytes,
        l.max_depth,
        l.max_string_bytes,
        l.max_array_items,
        l.max_object_members,
        l.max_nodes,
    ];
    assert_eq!(got, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn validation_options() {
    let v = ValidationOptions::default()
        .with_mode(Mode::Strict)
        .with_include_values(true)
        .with_max_issues(7)
        .with_limits(Limits::default().with_max_depth(9))
        .with_today(day(1));
    assert_eq!(v.mode, Mode::Strict);
    assert!(v.include_values);
    assert_eq!(v.max_issues, 7);
    assert_eq!(v.limits.max_depth, 9);
    assert_eq!(v.today, Some(day(1)));
    // the options take effect: a report cut at one issue
    let report = mods_core::validate_record_json(
        br#"{"mods_version": "1.0", "a": 1, "b": 2, "c": 3}"#,
        &ValidationOptions::default().with_max_issues(1),
    )
    .unwrap();
    // one issue, then the count of the others
    assert_eq!(report.issues.len(), 2);
    assert!(report.omitted >= 1);
}

#[test]
fn diff_and_migrate_options() {
    let d = DiffOptions::default()
        .with_include_values(true)
        .with_include_audit(true);
    assert!(d.include_values && d.include_audit);
    let m = MigrateOptions::default().with_on_loss(OnLoss::KeepInExtension);
    assert_eq!(m.on_loss, OnLoss::KeepInExtension);
    assert_eq!(MigrateOptions::default().on_loss, OnLoss::Fail);
}

#[test]
fn commission_options() {
    let strict = ValidationOptions::strict();
    let p = PackageOptions::default()
        .with_plan("cp-1")
        .with_provider("prov-1")
        .with_sender("la-1")
        .with_validation(strict.clone());
    assert_eq!(p.plan, "cp-1");
    assert_eq!(p.provider.as_deref(), Some("prov-1"));
    assert_eq!(p.sender.as_deref(), Some("la-1"));
    assert_eq!(p.validation.mode, Mode::Strict);
    let a = AcceptOptions::default()
        .with_date_time("2026-03-01T10:00:00Z")
        .with_committer("sv-1")
        .with_system_identifier("system")
        .with_new_person(true)
        .with_validation(strict);
    assert_eq!(a.date_time, "2026-03-01T10:00:00Z");
    assert_eq!(a.committer.as_deref(), Some("sv-1"));
    assert_eq!(a.system_identifier.as_deref(), Some("system"));
    assert!(a.new_person);
    assert_eq!(a.validation.mode, Mode::Strict);
}

#[test]
fn discharge_options() {
    let d = DischargeOptions::new("2026-03-01T10:00:00Z", "cw-1", "system");
    assert_eq!(
        (
            d.date_time.as_str(),
            d.committer.as_str(),
            d.system_identifier.as_str()
        ),
        ("2026-03-01T10:00:00Z", "cw-1", "system")
    );
    assert_eq!(d.discharge_uid, None);
    assert!(!d.include_values);
    let d = d.with_discharge_uid("dd-1").with_include_values(true);
    assert_eq!(d.discharge_uid.as_deref(), Some("dd-1"));
    assert!(d.include_values);
}

#[test]
fn mar_options() {
    let m = MarOptions::new(day(1), day(7)).with_validation(ValidationOptions::strict());
    assert_eq!((m.from, m.to), (day(1), day(7)));
    assert_eq!(m.validation.mode, Mode::Strict);
    let one = MarOptions::day(day(2));
    assert_eq!((one.from, one.to), (day(2), day(2)));
}

#[test]
fn share_options() {
    let c = components().into_iter().next().expect("a component");
    let p = policy::built_in()
        .into_iter()
        .next()
        .expect("a built-in policy");
    let s = ShareOptions::new(day(1));
    assert!(s.policy.is_none() && s.component.is_none());
    assert_eq!(s.today, day(1));
    let s = s
        .with_component(&c)
        .with_policy(&p)
        .with_validation(ValidationOptions::strict());
    assert_eq!(s.component.map(|x| x.id.as_str()), Some(c.id.as_str()));
    assert!(std::ptr::eq(s.policy.unwrap(), &p));
    assert_eq!(s.validation.mode, Mode::Strict);
}
