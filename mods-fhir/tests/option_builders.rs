//! The option structs are `#[non_exhaustive]`, so code outside the crate builds them with
//! `default()` and the `with_*` methods; each method must set its field.

use mods_fhir::flows::merge::MergeOptions;
use mods_fhir::flows::transfer_summary::TransferOptions;
use mods_fhir::{BundleType, ExportOptions, ImportOptions, ProfileSet};

#[test]
fn export_and_transfer_options() {
    let e = ExportOptions::default()
        .with_bundle_type(BundleType::Transaction)
        .with_profiles(ProfileSet::UkCoreStu2)
        .with_timestamp("2026-03-01T10:00:00Z")
        .with_allow_invalid(true);
    assert_eq!(e.bundle_type, BundleType::Transaction);
    assert_eq!(e.profiles, ProfileSet::UkCoreStu2);
    assert_eq!(e.timestamp.as_deref(), Some("2026-03-01T10:00:00Z"));
    assert!(e.allow_invalid);
    let t = TransferOptions::default()
        .with_timestamp("2026-03-01T10:00:00Z")
        .with_profiles(ProfileSet::UkCoreStu2)
        .with_allow_invalid(true);
    assert_eq!(t.timestamp.as_deref(), Some("2026-03-01T10:00:00Z"));
    assert_eq!(t.profiles, ProfileSet::UkCoreStu2);
    assert!(t.allow_invalid);
}

#[test]
fn import_and_merge_options() {
    let i = ImportOptions::default()
        .with_keep_unmapped(true)
        .with_limits(mods_core::Limits::default().with_max_depth(3))
        .with_validation(mods_core::ValidationOptions::strict());
    assert!(i.keep_unmapped);
    assert_eq!(i.limits.max_depth, 3);
    assert_eq!(i.validation.mode, mods_core::Mode::Strict);
    let m = MergeOptions::default()
        .with_import(i)
        .with_date("2026-03-01");
    assert!(m.import.keep_unmapped);
    assert_eq!(m.date.as_deref(), Some("2026-03-01"));
}
