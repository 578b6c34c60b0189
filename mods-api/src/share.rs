//! Sharing a record (use case 7, `mods_core::share`): a named component, a view by purpose
//! (a built-in purpose or a policy in TOML), or both, with the manifest of what was
//! withheld.
//!
//! Errors reuse the layer's codes: an unknown `purpose` or `component`, a `policy` that is
//! not TOML, names an unknown class or element or withholds a required element, or a bad
//! `today` are `invalid-option` (the message says which rule and name); a record that is
//! not a record document of a supported MODS version is `export-refused`.

use crate::error::{guarded, Error};
use crate::options::{parse_today, FromJson};
use crate::report::Report;
use crate::validate::Input;
use mods_core::share::{self as core, Component, Manifest, Origin, Policy, ShareError};
use mods_core::{Limits, ValidationOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Options of [`share`].
///
/// JSON names: `purpose`, `policy`, `component`, `today`, `include_values`. At least one
/// of `purpose`, `policy` and `component`; not both `purpose` and `policy`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ShareOptions {
    /// The id of a built-in purpose (`hospital-admission`, `gp`, `family-carer`,
    /// `local-authority-review`, `commissioning`; [`share_purposes`] lists them).
    pub purpose: Option<String>,
    /// A policy of your own, as TOML text (the format is in `docs/share.md`).
    pub policy: Option<String>,
    /// The id of a component to extract ([`share_components`] lists them).
    pub component: Option<String>,
    /// The date taken as today (`YYYY-MM-DD`): a consent given until an earlier date has
    /// lapsed. By default today's date (UTC); required on `wasm32-unknown-unknown`, which
    /// has no clock.
    pub today: Option<String>,
    /// Put offending values in the view's validation issues' `context.value`.
    pub include_values: bool,
}

mods_core::__option_setters!(ShareOptions {
    with_purpose(purpose: Option<String>);
    with_policy(policy: Option<String>);
    with_component(component: Option<String>);
    with_today(today: Option<String>);
    with_include_values(include_values: bool);
});

impl FromJson for ShareOptions {
    const KNOWN: &'static [&'static str] =
        &["purpose", "policy", "component", "today", "include_values"];
    fn expected(name: &str) -> &'static str {
        match name {
            "include_values" => "true or false",
            _ => "a string",
        }
    }
}

/// A view and its manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Shared {
    /// The view: a MODS record document (with `mods_extensions.share`).
    pub view: Value,
    /// What was kept and withheld, by class, element and reason; no person data.
    pub manifest: Manifest,
    /// The view's validation report.
    pub validation: Report,
}

/// The built-in purposes, with their rules and the reasons for them.
pub fn share_purposes() -> Vec<Policy> {
    core::policy::built_in()
}

/// The named components.
pub fn share_components() -> Vec<Component> {
    core::components()
}

/// Today's date (UTC); `None` where there is no clock (`wasm32-unknown-unknown`).
fn clock_today() -> Option<chrono::NaiveDate> {
    if cfg!(all(target_family = "wasm", target_os = "unknown")) {
        return None;
    }
    let t: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
    Some(t.date_naive())
}

/// Share a record: the component asked for, as the purpose (or policy) lets its recipient
/// see it, honouring the person's sharing consents (docs/share.md).
///
/// Errors: [`Error::Input`]; [`Error::InvalidOption`] (`purpose`, `policy`, `component`,
/// `today`); [`Error::ExportRefused`] (not a record document of a supported version).
pub fn share<'a>(record: impl Into<Input<'a>>, opts: &ShareOptions) -> Result<Shared, Error> {
    let record = record.into();
    guarded(|| {
        let policy = match (&opts.purpose, &opts.policy) {
            (Some(_), Some(_)) => {
                return Err(Error::option(
                    "policy",
                    "give a purpose or a policy, not both",
                ))
            }
            (Some(id), None) => {
                Some(Policy::built_in(id).map_err(|e| Error::option("purpose", e.to_string()))?)
            }
            (None, Some(text)) => Some(
                Policy::from_toml(text, Origin::Custom)
                    .map_err(|e| Error::option("policy", e.to_string()))?,
            ),
            (None, None) => None,
        };
        let component = match &opts.component {
            Some(id) => Some(core::component(id).ok_or_else(|| {
                let ids: Vec<String> = core::components().into_iter().map(|c| c.id).collect();
                Error::option(
                    "component",
                    format!(
                        "no component {id:?} (the components are {})",
                        ids.join(", ")
                    ),
                )
            })?),
            None => None,
        };
        if policy.is_none() && component.is_none() {
            return Err(Error::option(
                "purpose",
                "say what to share: a purpose (or a policy), a component, or both",
            ));
        }
        let today = match &opts.today {
            Some(t) => parse_today(t)?,
            None => clock_today().ok_or_else(|| {
                Error::option(
                    "today",
                    "today must be given where there is no clock: a date YYYY-MM-DD",
                )
            })?,
        };
        let mut core_opts = core::ShareOptions::new(today).with_validation(
            ValidationOptions::default()
                .with_include_values(opts.include_values)
                .with_today(today),
        );
        core_opts.policy = policy.as_ref();
        core_opts.component = component.as_ref();
        let value = record.read(&Limits::default())?;
        let v = core::share(&value, &core_opts).map_err(|e| match e {
            ShareError::Policy(p) => Error::option(
                if opts.purpose.is_some() {
                    "purpose"
                } else {
                    "policy"
                },
                p.to_string(),
            ),
            ShareError::NothingAsked => Error::option("purpose", e.to_string()),
            ShareError::Record(_) => Error::ExportRefused(e.to_string()),
        })?;
        Ok(Shared {
            view: v.document,
            manifest: v.manifest,
            validation: v.validation.into(),
        })
    })
}
