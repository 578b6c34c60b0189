//! Commissioning a package of care (use case 2): `commission_package` and
//! `commission_accept`, through `mods_api` (docs/flows/commission.md).

use crate::{guarded, json_of, out, Obj};
use pyo3::prelude::*;

/// Build the package of care the provider receives from the council's record, for one
/// care plan: a record document that validates on its own, every reference resolving
/// inside it (see docs/flows/commission.md).
///
/// Args:
///     record: The council's record (dict, JSON text or bytes).
///     plan: The record uid of the care plan commissioned.
///     provider: The record uid of the provider the package is for (default: the one care
///         provider the plan's services name).
///     sender: The record uid of the sending organisation (default: the only local
///         authority of the record).
///     include_values: Put offending values in the validation issues.
///     today: The date taken as today (``YYYY-MM-DD``) by the validation.
///
/// Returns:
///     dict: ``{"package", "report"}``; the report is ``{"header", "records", "left_out",
///     "unresolved", "notes", "validation", "complete"}``.
///
/// Raises:
///     ValueError: the plan, provider or sender names nothing (``invalid-option``), or the
///         record is not a record document of a supported version (``export-refused``).
///     mods.InputError: the input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, *, plan, provider=None, sender=None, include_values=false, today=None))]
pub fn commission_package<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    plan: String,
    provider: Option<String>,
    sender: Option<String>,
    include_values: bool,
    today: Option<String>,
) -> Obj<'py> {
    guarded(py, || {
        let input = json_of(record, "the council's record")?;
        let mut opts = mods_api::CommissionPackageOptions::default()
            .with_plan(plan)
            .with_include_values(include_values);
        opts.provider = provider;
        opts.sender = sender;
        opts.today = today;
        let bytes = input.as_bytes();
        out(py, py.detach(|| mods_api::commission_package(bytes, &opts)))
    })
}

/// Merge a package of care into the provider's record of the person, matched by NHS
/// number, with a Change log entry naming the sending organisation for each record added
/// or changed (see docs/flows/commission.md).
///
/// Args:
///     provider: The provider's record, or a list of its records (dict, list, JSON text or
///         bytes).
///     package: The package (dict, JSON text or bytes).
///     date: When it was accepted, an RFC 3339 date and time (default: now).
///     committer: The record uid of the care actor accepting it (default: the provider's
///         registered manager, when the record holds them).
///     system_identifier: The Change log entries' system identifier.
///     new_person: Start a new record when no record has the package's NHS number.
///     include_values: Put offending values in the validation issues.
///     today: The date taken as today (``YYYY-MM-DD``) by the validation.
///
/// Returns:
///     dict: ``{"record", "report"}``; the report is ``{"person", "subject_of_care",
///     "header", "sender", "added", "updated", "unchanged", "conflicts",
///     "subject_elements_added", "subject_conflicts", "history_received",
///     "change_log_entries", "notes", "validation"}``.
///
/// Raises:
///     ValueError: refused (``merge-refused``: no or several records with the NHS number,
///         another MODS version, a uid clash), or a committer or date that names nothing
///         (``invalid-option``).
///     mods.InputError: an input cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (provider, package, *, date=None, committer=None, system_identifier=None, new_person=false, include_values=false, today=None))]
#[allow(clippy::too_many_arguments)]
pub fn commission_accept<'py>(
    py: Python<'py>,
    provider: &Bound<'py, PyAny>,
    package: &Bound<'py, PyAny>,
    date: Option<String>,
    committer: Option<String>,
    system_identifier: Option<String>,
    new_person: bool,
    include_values: bool,
    today: Option<String>,
) -> Obj<'py> {
    guarded(py, || {
        let (provider, package) = (
            json_of(provider, "the provider's record")?,
            json_of(package, "the package")?,
        );
        let mut opts = mods_api::CommissionAcceptOptions::default()
            .with_new_person(new_person)
            .with_include_values(include_values);
        opts.date = date;
        opts.committer = committer;
        opts.system_identifier = system_identifier;
        opts.today = today;
        let (provider, package) = (provider.as_bytes(), package.as_bytes());
        out(
            py,
            py.detach(|| mods_api::commission_accept(provider, package, &opts)),
        )
    })
}
