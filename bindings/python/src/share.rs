//! Sharing a record (use case 7): `share`, `share_purposes` and `share_components`,
//! through `mods_api` (docs/share.md).

use crate::{guarded, json_of, out, Obj};
use pyo3::prelude::*;

/// A component of a record, or the record as a purpose lets its recipient see it, or both:
/// a record document that validates on its own, with no reference left dangling, and the
/// manifest of what was withheld (see docs/share.md).
///
/// Args:
///     record: The record (dict, JSON text or bytes).
///     purpose: A built-in purpose (``hospital-admission``, ``gp``, ``family-carer``,
///         ``local-authority-review``, ``commissioning``; see ``share_purposes()``).
///     policy: A policy of your own, as TOML text (instead of ``purpose``).
///     component: A component to extract (see ``share_components()``).
///     today: The date taken as today (``YYYY-MM-DD``): a consent given until an earlier
///         date has lapsed (default: today, UTC).
///     include_values: Put offending values in the view's validation issues.
///
/// Returns:
///     dict: ``{"view", "manifest", "validation"}``; the manifest is ``{"mods_version",
///     "purpose", "component", "today", "classes", "withheld", "members_withheld"}`` and
///     never holds a value of the record.
///
/// Raises:
///     ValueError: an unknown purpose or component, a policy that is not TOML or names an
///         unknown class or element (``invalid-option``), or a record that is not a record
///         document of a supported version (``export-refused``).
///     mods.InputError: the record cannot be read as JSON.
#[pyfunction]
#[pyo3(signature = (record, *, purpose=None, policy=None, component=None, today=None, include_values=false))]
pub fn share<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    purpose: Option<String>,
    policy: Option<String>,
    component: Option<String>,
    today: Option<String>,
    include_values: bool,
) -> Obj<'py> {
    guarded(py, || {
        let input = json_of(record, "the record")?;
        let mut opts = mods_api::ShareOptions::default().with_include_values(include_values);
        opts.purpose = purpose;
        opts.policy = policy;
        opts.component = component;
        opts.today = today;
        let bytes = input.as_bytes();
        out(py, py.detach(|| mods_api::share(bytes, &opts)))
    })
}

/// The built-in purposes, each with its recipient, description, sources, and every rule
/// with its rationale.
///
/// Returns:
///     list[dict]: ``{"id", "title", "recipient", "description", "consent_purposes",
///     "sources", "rules", "withhold", "origin"}`` per purpose.
#[pyfunction]
pub fn share_purposes(py: Python<'_>) -> Obj<'_> {
    guarded(py, || out(py, Ok(mods_api::share_purposes())))
}

/// The named components and the classes each is made of.
///
/// Returns:
///     list[dict]: ``{"id", "title", "description", "classes"}`` per component.
#[pyfunction]
pub fn share_components(py: Python<'_>) -> Obj<'_> {
    guarded(py, || out(py, Ok(mods_api::share_components())))
}
