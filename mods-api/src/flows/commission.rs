//! Commissioning a package of care (use case 2, `mods_core::flows::commission`): the
//! package the council sends, and its acceptance into the provider's record.
//!
//! Errors reuse the layer's codes: an option that names nothing (`plan`, `provider`,
//! `sender`, `committer`) or a bad `date` is `invalid-option`; a council record the package
//! cannot be built from is `export-refused`; a package that cannot be accepted (another
//! person, no NHS number, a uid clash...) is `merge-refused`.

use crate::error::{guarded, Error};
use crate::options::{parse_today, FromJson};
use crate::report::Report;
use crate::validate::Input;
use mods_core::flows::commission::{
    self as core, AcceptError, Conflict, Header, PackageError, Person, RecordRef, Unresolved,
};
use mods_core::{Limits, ValidationOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Options of [`commission_package`].
///
/// JSON names: `plan` (required), `provider`, `sender`, `include_values`, `today`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct CommissionPackageOptions {
    /// The record uid of the care plan commissioned.
    pub plan: String,
    /// The record uid of the provider the package is for; by default the one care provider
    /// the plan's services name, when there is exactly one.
    pub provider: Option<String>,
    /// The record uid of the sending organisation; by default the record's only Local
    /// authority.
    pub sender: Option<String>,
    /// Put offending values in the validation issues' `context.value`.
    pub include_values: bool,
    /// The date taken as today (`YYYY-MM-DD`) by the validation.
    pub today: Option<String>,
}

mods_core::__option_setters!(CommissionPackageOptions {
    with_plan(plan: String);
    with_provider(provider: Option<String>);
    with_sender(sender: Option<String>);
    with_include_values(include_values: bool);
    with_today(today: Option<String>);
});

impl FromJson for CommissionPackageOptions {
    const KNOWN: &'static [&'static str] =
        &["plan", "provider", "sender", "include_values", "today"];
    fn expected(name: &str) -> &'static str {
        match name {
            "include_values" => "true or false",
            _ => "a string",
        }
    }
}

/// Options of [`commission_accept`].
///
/// JSON names: `date`, `committer`, `system_identifier`, `new_person`, `include_values`,
/// `today`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct CommissionAcceptOptions {
    /// When the package was accepted (the Change log entries' `date`), an RFC 3339 date
    /// and time with an offset; by default now (required on `wasm32-unknown-unknown`,
    /// which has no clock).
    pub date: Option<String>,
    /// The record uid of the care actor who accepted it; by default the registered manager
    /// of the provider the package is for.
    pub committer: Option<String>,
    /// The Change log entries' `system_identifier`; by default `mods-sdk commission accept`.
    pub system_identifier: Option<String>,
    /// Start a new record when no record of the provider has the package's NHS number,
    /// instead of refusing.
    pub new_person: bool,
    /// Put offending values in the validation issues' `context.value`.
    pub include_values: bool,
    /// The date taken as today (`YYYY-MM-DD`) by the validation.
    pub today: Option<String>,
}

mods_core::__option_setters!(CommissionAcceptOptions {
    with_date(date: Option<String>);
    with_committer(committer: Option<String>);
    with_system_identifier(system_identifier: Option<String>);
    with_new_person(new_person: bool);
    with_include_values(include_values: bool);
    with_today(today: Option<String>);
});

impl FromJson for CommissionAcceptOptions {
    const KNOWN: &'static [&'static str] = &[
        "date",
        "committer",
        "system_identifier",
        "new_person",
        "include_values",
        "today",
    ];
    fn expected(name: &str) -> &'static str {
        match name {
            "new_person" | "include_values" => "true or false",
            _ => "a string",
        }
    }
}

/// What went into a package (`mods_core::flows::commission::PackageReport`, with the
/// validation in this layer's report shape).
#[derive(Debug, Clone, Serialize)]
pub struct CommissionPackageReport {
    /// The plan, sender and provider (also in the package, `mods_extensions.commission`).
    pub header: Header,
    /// Records in the package, by class.
    pub records: BTreeMap<&'static str, usize>,
    /// Records of the council's record left out, by class.
    pub left_out: BTreeMap<&'static str, usize>,
    /// References of the package that name no record of it.
    pub unresolved: Vec<Unresolved>,
    /// Things to know before sending, without the person's data.
    pub notes: Vec<String>,
    /// The package's validation report.
    pub validation: Report,
    /// The package validates and every reference resolves inside it.
    pub complete: bool,
}

/// A package of care and its report.
#[derive(Debug, Clone, Serialize)]
pub struct CommissionPackage {
    /// The package: a MODS record document.
    pub package: Value,
    /// What went into it.
    pub report: CommissionPackageReport,
}

/// What an acceptance did (`mods_core::flows::commission::AcceptReport`, with the
/// validation in this layer's report shape).
#[derive(Debug, Clone, Serialize)]
pub struct CommissionAcceptReport {
    /// `matched` (by NHS number) or `new`.
    pub person: Person,
    /// The subject of care's record uid in the merged record.
    pub subject_of_care: String,
    /// The package's header, when it had one.
    pub header: Option<Header>,
    /// The sending organisation's record uid.
    pub sender: String,
    /// Records added.
    pub added: Vec<RecordRef>,
    /// Records updated to the package's newer version.
    pub updated: Vec<Conflict>,
    /// Records already held as the package has them.
    pub unchanged: Vec<RecordRef>,
    /// Records where the provider's own version was kept.
    pub conflicts: Vec<Conflict>,
    /// Elements of the subject of care added from the package.
    pub subject_elements_added: Vec<String>,
    /// Elements of the subject of care where the provider's value was kept.
    pub subject_conflicts: Vec<String>,
    /// The sender's Change log entries received.
    pub history_received: usize,
    /// Change log entries written for the acceptance.
    pub change_log_entries: usize,
    /// What could not be carried over or logged.
    pub notes: Vec<String>,
    /// The merged record's validation report.
    pub validation: Report,
}

/// The provider's record with a package merged in, and what the acceptance did.
#[derive(Debug, Clone, Serialize)]
pub struct CommissionAccepted {
    /// The merged record.
    pub record: Value,
    /// What the acceptance did.
    pub report: CommissionAcceptReport,
}

fn validation(include_values: bool, today: Option<&str>) -> Result<ValidationOptions, Error> {
    let mut v = ValidationOptions::default().with_include_values(include_values);
    v.today = today.map(parse_today).transpose()?;
    Ok(v)
}

/// The package of care the provider receives, built from the council's record for one care
/// plan (docs/flows/commission.md).
///
/// Errors: [`Error::Input`]; [`Error::InvalidOption`] (`plan` missing or naming no care
/// plan, `provider` or `sender` naming no care organisation, `today`);
/// [`Error::ExportRefused`] (not a record document of a supported version).
pub fn commission_package<'a>(
    council: impl Into<Input<'a>>,
    opts: &CommissionPackageOptions,
) -> Result<CommissionPackage, Error> {
    let council = council.into();
    guarded(|| {
        if opts.plan.trim().is_empty() {
            return Err(Error::option(
                "plan",
                "plan must name the record uid of the care plan to package",
            ));
        }
        let mut core_opts = core::PackageOptions::default()
            .with_plan(opts.plan.clone())
            .with_validation(validation(opts.include_values, opts.today.as_deref())?);
        core_opts.provider = opts.provider.clone();
        core_opts.sender = opts.sender.clone();
        let value = council.read(&Limits::default())?;
        let p = core::package(&value, &core_opts).map_err(|e| match e {
            PackageError::NoPlan => Error::option("plan", e.to_string()),
            PackageError::NoProvider => Error::option("provider", e.to_string()),
            PackageError::NoSender(_) => Error::option("sender", e.to_string()),
            PackageError::Record(_) => Error::ExportRefused(e.to_string()),
        })?;
        let r = p.report;
        Ok(CommissionPackage {
            package: p.document,
            report: CommissionPackageReport {
                header: r.header,
                records: r.records,
                left_out: r.left_out,
                unresolved: r.unresolved,
                notes: r.notes,
                validation: r.validation.into(),
                complete: r.complete,
            },
        })
    })
}

/// The current time as an RFC 3339 date and time (UTC, whole seconds); `None` where there
/// is no clock (`wasm32-unknown-unknown`).
fn now() -> Option<String> {
    if cfg!(all(target_family = "wasm", target_os = "unknown")) {
        return None;
    }
    let t: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
    Some(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Merge a package of care into the provider's record of the person: `provider` is one
/// record document or an array of them, matched by NHS number (docs/flows/commission.md).
///
/// Errors: [`Error::Input`]; [`Error::InvalidOption`] (`date`, `committer`, `today`);
/// [`Error::MergeRefused`] (no or several matching records, no NHS number, another MODS
/// version, a uid clash, a package or provider record that cannot be read).
pub fn commission_accept<'a, 'b>(
    provider: impl Into<Input<'a>>,
    package: impl Into<Input<'b>>,
    opts: &CommissionAcceptOptions,
) -> Result<CommissionAccepted, Error> {
    let (provider, package) = (provider.into(), package.into());
    guarded(|| {
        let date_time = opts.date.clone().or_else(now).ok_or_else(|| {
            Error::option(
                "date",
                "date must be given where there is no clock: an RFC 3339 date and time",
            )
        })?;
        let mut core_opts = core::AcceptOptions::default()
            .with_date_time(date_time)
            .with_new_person(opts.new_person)
            .with_validation(validation(opts.include_values, opts.today.as_deref())?);
        core_opts.committer = opts.committer.clone();
        core_opts.system_identifier = opts.system_identifier.clone();
        let limits = Limits::default();
        let (provider, package) = (provider.read(&limits)?, package.read(&limits)?);
        let a = core::accept(&provider, &package, &core_opts).map_err(|e| match e {
            AcceptError::DateTime => Error::option("date", e.to_string()),
            AcceptError::Committer(_) => Error::option("committer", e.to_string()),
            other => Error::MergeRefused(other.to_string()),
        })?;
        let r = a.report;
        Ok(CommissionAccepted {
            record: a.record,
            report: CommissionAcceptReport {
                person: r.person,
                subject_of_care: r.subject_of_care,
                header: r.header,
                sender: r.sender,
                added: r.added,
                updated: r.updated,
                unchanged: r.unchanged,
                conflicts: r.conflicts,
                subject_elements_added: r.subject_elements_added,
                subject_conflicts: r.subject_conflicts,
                history_received: r.history_received,
                change_log_entries: r.change_log_entries,
                notes: r.notes,
                validation: r.validation.into(),
            },
        })
    })
}
