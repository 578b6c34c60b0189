//! `migrate`: bytes read as a record document (input that cannot be read is skipped: the
//! record targets cover it).
//!
//! Oracles on every document, to every supported version and to an unsupported one, under
//! both loss policies: it never panics; the error is the one the document calls for
//! (`NotAnObject`, `MissingVersion`, `UnknownVersion`, `UnknownTarget`, and `Lossy` only when
//! refusing, with at least one loss); a migration that loses nothing gives the same result
//! under both policies; migrating to the record's own version changes nothing; the steps
//! compose (A → C is A → B → C); the result states the target version; every path is a JSON
//! pointer; no change, loss or error message carries a value (marker oracle, with the
//! library-written metadata of kept data left unmarked).
//!
//! On a record valid (strict) at its version and holding no kept data, to every other
//! version: the result is valid (strict) there; and the way back gives the record exactly:
//! up then down when nothing was lost, and, when the target could not hold everything, down
//! with the data kept then up again. A record that holds kept data must stay valid too.

use crate::marker::{self, Scope};
use crate::pointer;
use crate::{Check, Cx};
use mods_core::migrate::{migrate, ChangeKind, MigrateError, MigrateOptions, Migration, OnLoss};
use mods_core::{model, parse_json, validate_record, Issue, IssueCode, Severity};
use serde_json::Value;

fn fail_opts() -> MigrateOptions {
    MigrateOptions::default().with_on_loss(OnLoss::Fail)
}

fn keep_opts() -> MigrateOptions {
    MigrateOptions::default().with_on_loss(OnLoss::KeepInExtension)
}

pub(crate) fn run(cx: &mut Cx, data: &[u8]) -> Check {
    match parse_json(data, &Default::default()) {
        Ok(doc) => migrations(cx, &doc, marker::seed_of(data)),
        Err(_) => {
            cx.reached("migrate/unreadable-input-skipped");
            Ok(())
        }
    }
}

fn versions() -> Vec<&'static str> {
    model::models().iter().map(|m| m.mods_version).collect()
}

type Outcome = Result<Migration, MigrateError>;

/// The migrations of one document to every supported version under both policies, made once
/// and shared by the oracles (migration is the costly part of a run).
struct Runs(Vec<(&'static str, Outcome, Outcome)>);

impl Runs {
    fn get(&self, to: &str, opts: MigrateOptions) -> Option<&Outcome> {
        self.0
            .iter()
            .find(|(v, ..)| *v == to)
            .map(|(_, f, k)| if opts == fail_opts() { f } else { k })
    }
}

/// Every migration oracle on a parsed document.
pub(crate) fn migrations(cx: &mut Cx, doc: &Value, seed: u64) -> Check {
    let all = versions();
    let own = doc
        .get("mods_version")
        .and_then(Value::as_str)
        .filter(|v| all.contains(v));
    let mut runs = Runs(Vec::new());
    for to in all.iter().copied().chain(["9.9"]) {
        let fail = migrate(doc, to, &fail_opts());
        let keep = migrate(doc, to, &keep_opts());
        error_kind(cx, doc, own, to, &fail, true)?;
        error_kind(cx, doc, own, to, &keep, false)?;
        for m in [&fail, &keep].into_iter().flatten() {
            well_formed(cx, m, own, to)?;
        }
        if let Ok(f) = &fail {
            policies_agree(cx, doc, f, &keep)?;
        }
        if Some(to) == own {
            cx.check(
                "migrate/own-version-is-identity",
                fail.as_ref()
                    .is_ok_and(|m| &m.record == doc && m.changes.is_empty()),
                || format!("{fail:?}"),
            )?;
        }
        runs.0.push((to, fail, keep));
    }
    let Some(own) = own else { return Ok(()) };
    compose(cx, &runs, own)?;
    no_leak(cx, doc, seed)?;
    round_trips(cx, doc, &runs, own)
}

fn error_kind(
    cx: &mut Cx,
    doc: &Value,
    own: Option<&str>,
    to: &str,
    r: &Result<Migration, MigrateError>,
    refusing: bool,
) -> Check {
    let supported = versions().contains(&to);
    let ok = match r {
        Err(MigrateError::NotAnObject) => !doc.is_object(),
        Err(MigrateError::MissingVersion) => doc.is_object() && doc.get("mods_version").is_none(),
        Err(MigrateError::UnknownVersion { .. }) => {
            doc.get("mods_version").is_some() && own.is_none()
        }
        Err(MigrateError::UnknownTarget { target, .. }) => {
            own.is_some() && !supported && target == to
        }
        // keeping needs a slot that is an object with an array `migration` (or none yet)
        Err(MigrateError::BadExtensionSlot { to: at }) => {
            !refusing
                && own.is_some()
                && supported
                && versions().contains(&at.as_str())
                && bad_slot(doc)
        }
        Err(MigrateError::Lossy { losses, .. }) => {
            refusing
                && own.is_some()
                && supported
                && !losses.is_empty()
                && losses.iter().all(|l| pointer::segments(&l.path).is_some())
        }
        Ok(_) => own.is_some() && supported,
    };
    cx.check("migrate/error-kind", ok, || {
        format!(
            "to {to} ({}): {r:?}",
            if refusing { "fail" } else { "keep" }
        )
    })
}

/// A migration the refusing policy did: with no loss, the keeping policy gives the same
/// migration; with losses of how the record was written (`Lost`, `NotRestored`), the
/// keeping policy gives the same record but for `mods_extensions` (where it keeps them),
/// or refuses only for want of a usable slot.
fn policies_agree(cx: &mut Cx, doc: &Value, f: &Migration, keep: &Outcome) -> Check {
    if f.losses().next().is_none() {
        return cx.check(
            "migrate/lossless-same-under-both-policies",
            keep.as_ref().ok() == Some(f),
            || format!("fail: {f:?}\nkeep: {keep:?}"),
        );
    }
    let without_slot = |v: &Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("mods_extensions");
        }
        v
    };
    let ok = match keep {
        Ok(k) => without_slot(&k.record) == without_slot(&f.record),
        Err(MigrateError::BadExtensionSlot { .. }) => bad_slot(doc),
        Err(_) => false,
    };
    cx.check(
        "migrate/soft-losses-same-record-under-both-policies",
        ok,
        || format!("fail: {f:?}\nkeep: {keep:?}"),
    )
}

/// Whether `doc` has a `mods_extensions` that is not an object, or whose `migration` is
/// not an array: where nothing can be kept.
fn bad_slot(doc: &Value) -> bool {
    match doc.get("mods_extensions") {
        None => false,
        Some(Value::Object(o)) => o.get("migration").is_some_and(|m| !m.is_array()),
        Some(_) => true,
    }
}

fn well_formed(cx: &mut Cx, m: &Migration, own: Option<&str>, to: &str) -> Check {
    cx.check(
        "migrate/result-states-its-version",
        m.record.get("mods_version").and_then(Value::as_str) == Some(to)
            && m.to == to
            && Some(m.from.as_str()) == own,
        || {
            format!(
                "to {to}: from {} to {}, record {}",
                m.from, m.to, m.record["mods_version"]
            )
        },
    )?;
    for c in &m.changes {
        cx.check(
            "migrate/change-paths-are-pointers",
            pointer::segments(&c.path).is_some()
                && c.from_path
                    .as_deref()
                    .is_none_or(|p| pointer::segments(p).is_some()),
            || format!("{c:?}"),
        )?;
    }
    Ok(())
}

fn compose(cx: &mut Cx, runs: &Runs, own: &str) -> Check {
    let all = versions();
    let Some(i) = all.iter().position(|v| *v == own) else {
        return Ok(());
    };
    for (j, to) in all.iter().enumerate() {
        if j.abs_diff(i) < 2 {
            continue;
        }
        let mid = all[if j > i { j - 1 } else { j + 1 }];
        for opts in [fail_opts(), keep_opts()] {
            let (Some(Ok(direct)), Some(Ok(first))) = (runs.get(to, opts), runs.get(mid, opts))
            else {
                continue;
            };
            let second = migrate(&first.record, to, &opts);
            cx.check(
                "migrate/steps-compose",
                second.as_ref().is_ok_and(|s| s.record == direct.record),
                || {
                    format!(
                        "{own} -> {to} directly: {}\nvia {mid}: {second:?}",
                        direct.record
                    )
                },
            )?;
        }
    }
    Ok(())
}

/// The marker oracle on migration, to one version chosen by the seed (both policies).
fn no_leak(cx: &mut Cx, doc: &Value, seed: u64) -> Check {
    let Some(m) = marker::choose_for(doc) else {
        return Ok(());
    };
    let marked = marker::mark(doc, m, seed, Scope::KeptValuesOnly);
    let all = versions();
    let to = all[(seed >> 7) as usize % all.len()];
    for opts in [fail_opts(), keep_opts()] {
        let text = match migrate(&marked, to, &opts) {
            Ok(mg) => serde_json::to_string(&mg.changes).unwrap_or_default(),
            Err(e) => format!("{e} {e:?}"),
        };
        cx.check("leak/value-in-migration-report", !text.contains(m), || {
            format!("to {to}: {text}")
        })?;
    }
    Ok(())
}

fn strictly_valid(doc: &Value) -> bool {
    validate_record(doc, &crate::strict()).valid
}

fn round_trips(cx: &mut Cx, doc: &Value, runs: &Runs, own: &str) -> Check {
    if !strictly_valid(doc) {
        return Ok(());
    }
    cx.reached("migrate/valid-input");
    let kept_before = has_kept_data(doc);
    for to in versions().into_iter().filter(|v| *v != own) {
        let (fail, keep) = (runs.get(to, fail_opts()), runs.get(to, keep_opts()));
        if let Some(Ok(f)) = fail {
            stays_valid(cx, f, to)?;
        }
        let (out, opts) = match (fail, keep) {
            (Some(Ok(f)), _) if f.losses().next().is_none() => (f, fail_opts()),
            (Some(Ok(_) | Err(MigrateError::Lossy { .. })), Some(Ok(k))) => {
                if let Some(Err(_)) = fail {
                    cx.check(
                        "migrate/kept-data-is-reported",
                        k.changes
                            .iter()
                            .any(|c| c.kind == ChangeKind::KeptInExtension),
                        || format!("{:?}", k.changes),
                    )?;
                }
                stays_valid(cx, k, to)?;
                (k, keep_opts())
            }
            (
                Some(Ok(_) | Err(MigrateError::Lossy { .. })),
                Some(Err(MigrateError::BadExtensionSlot { .. })),
            ) if bad_slot(doc) => {
                // nowhere to keep what the target cannot hold: refusing is right
                cx.reached("migrate/valid-input-bad-slot");
                continue;
            }
            (f, k) => {
                return cx.check("migrate/valid-record-migrates", false, || {
                    format!("{own} -> {to}: {f:?} / {k:?}")
                })
            }
        };
        if kept_before {
            // kept data that this trip restored cannot come back the same way; validity is
            // what is checked for such records
            continue;
        }
        if out.losses().next().is_some() {
            // what even the keeping policy reports as lost (an instance without a uid of its
            // own to name in a note, say) does not come back
            cx.reached("migrate/round-trip-with-reported-loss");
            continue;
        }
        let oracle = if opts == fail_opts() {
            "migrate/round-trip-lossless"
        } else {
            "migrate/round-trip-kept"
        };
        match migrate(&out.record, own, &fail_opts()) {
            Ok(back) => same_record(cx, doc, &back.record, oracle, to)?,
            Err(e) => {
                return cx.check(oracle, false, || {
                    format!("{own} -> {to} -> {own}: the way back fails: {e}")
                })
            }
        }
    }
    Ok(())
}

/// The migrated record of a valid record is valid (strict) at its new version. One
/// exception, by design (docs/versions.md, "Restoring is checked"): elements the model does
/// not define *inside* a value restored from the extension slot are the record's own (a
/// supplier's fields, kept with the value) and come back as they were; strict mode reports
/// them (`unknown-element`), as it did before the data was kept. Such a record must still
/// be valid in lax mode, and have no other error.
fn stays_valid(cx: &mut Cx, m: &Migration, to: &str) -> Check {
    let r = validate_record(&m.record, &crate::strict());
    let restored: Vec<&str> = m
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Restored)
        .map(|c| c.path.as_str())
        .collect();
    let inside_restored = |i: &Issue| {
        i.code == IssueCode::UnknownElement
            && restored.iter().any(|p| {
                i.path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
    };
    let errors: Vec<&Issue> = r
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error && !inside_restored(i))
        .collect();
    let carried = r.issues.iter().any(inside_restored);
    if carried {
        cx.reached("migrate/restored-value-carries-undefined-element");
    }
    let lax_ok = !carried || validate_record(&m.record, &crate::options()).valid;
    cx.check(
        "migrate/valid-stays-valid",
        errors.is_empty() && lax_ok,
        || {
            format!(
                "{} -> {to}: {}\nrecord: {}",
                m.from,
                r.issues
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
                m.record
            )
        },
    )
}

/// Whether `doc` holds data kept by an earlier migration.
fn has_kept_data(doc: &Value) -> bool {
    doc.pointer("/mods_extensions/migration")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

fn same_record(
    cx: &mut Cx,
    original: &Value,
    back: &Value,
    oracle: &'static str,
    via: &str,
) -> Check {
    cx.check(oracle, original == back, || {
        format!("via {via}:\noriginal {original}\nback     {back}")
    })
}
