//! Oracles on a validation [`Report`], shared by the record and the instance targets.

use crate::marker::{self, Scope};
use crate::pointer;
use crate::{Check, Cx, Finding};
use mods_core::{
    validate_instance, validate_record, Issue, IssueCode, Report, Severity, ValidationOptions,
};
use serde_json::Value;

/// The members of an issue's context that hold the person's data, or text derived from it,
/// and so appear only when values are asked for (`include_values`): the offending value,
/// a postcode's normal form, a language tag's preferred value, and the date of birth of
/// the other record.
pub(crate) const VALUE_MEMBERS: &[&str] =
    &["value", "normalised", "preferred_value", "other_value"];

/// What is validated: a record document, or one instance of a class.
#[derive(Clone, Copy)]
pub(crate) enum Subject<'a> {
    Record,
    Instance(&'a str),
}

impl Subject<'_> {
    /// Validate `doc` as this subject. An instance class that was accepted once and is
    /// refused now is itself a finding.
    pub(crate) fn validate(
        self,
        cx: &mut Cx,
        doc: &Value,
        opts: &ValidationOptions,
    ) -> Result<Report, Finding> {
        match self {
            Subject::Record => Ok(validate_record(doc, opts)),
            Subject::Instance(class) => {
                let r = validate_instance(class, doc, opts);
                cx.check("instance/class-accepted-consistently", r.is_ok(), || {
                    format!("validate_instance refused {class:?}: {r:?}")
                })?;
                r.map_err(|e| Finding {
                    oracle: "instance/class-accepted-consistently",
                    detail: e.to_string(),
                    known: None,
                })
            }
        }
    }
}

fn show(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| {
            format!(
                "{} {} {} ({})",
                i.severity.as_str(),
                i.code.as_str(),
                i.path,
                i.message
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The invariants every report keeps.
pub(crate) fn invariants(cx: &mut Cx, doc: &Value, r: &Report, opts: &ValidationOptions) -> Check {
    let listed_error = r.issues.iter().any(|i| i.severity == Severity::Error);
    cx.check(
        "report/valid-iff-no-error",
        if r.omitted == 0 {
            r.valid != listed_error
        } else {
            !(r.valid && listed_error)
        },
        || format!("valid = {}, issues: {}", r.valid, show(&r.issues)),
    )?;
    let too_many = r
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::TooManyIssues)
        .count();
    let omitted_ok = if r.omitted == 0 {
        too_many == 0 && r.issues.len() <= opts.max_issues
    } else {
        too_many == 1
            && r.issues.len() == opts.max_issues + 1
            && r.issues.last().is_some_and(|i| {
                i.code == IssueCode::TooManyIssues
                    && i.context.get("omitted").and_then(Value::as_u64) == Some(r.omitted as u64)
            })
    };
    cx.check("report/omitted-accounting", omitted_ok, || {
        format!(
            "omitted = {}, max_issues = {}, {} issues, {too_many} too-many-issues",
            r.omitted,
            opts.max_issues,
            r.issues.len()
        )
    })?;
    for i in &r.issues {
        cx.check(
            "report/no-input-code",
            !i.code.as_str().starts_with("input-"),
            || format!("{} at {} in a report of a parsed document", i.code, i.path),
        )?;
        cx.check(
            "report/path-resolves",
            pointer::resolves_or_absent_member(doc, &i.path),
            || {
                format!(
                    "{} at {:?}: not a pointer into the document",
                    i.code, i.path
                )
            },
        )?;
        cx.check(
            "report/message-present",
            !i.message.trim().is_empty(),
            || format!("{} at {} has no message", i.code, i.path),
        )?;
        let valued = VALUE_MEMBERS.iter().find(|k| i.context.contains_key(**k));
        cx.check(
            "report/no-value-unless-asked",
            opts.include_values || valued.is_none(),
            || format!("{} at {} carries context.{valued:?}", i.code, i.path),
        )?;
    }
    Ok(())
}

fn without_values(r: &Report) -> Report {
    let mut r = r.clone();
    for i in &mut r.issues {
        for k in VALUE_MEMBERS {
            i.context.remove(*k);
        }
    }
    r
}

/// Validation agrees with itself across options: strict only raises `unknown-element` to an
/// error (docs/validation.md); `include_values` only adds the value members of contexts
/// ([`VALUE_MEMBERS`]); a smaller `max_issues` lists a prefix of the same issues; another
/// today only changes the `implausible-date` warnings; the same input gives the same report.
pub(crate) fn differentials(
    cx: &mut Cx,
    subject: Subject<'_>,
    doc: &Value,
    base: &Report,
    seed: u64,
) -> Check {
    let lax = crate::options();
    let again = subject.validate(cx, doc, &lax)?;
    cx.check("report/deterministic", &again == base, || {
        format!(
            "first: {}\nsecond: {}",
            show(&base.issues),
            show(&again.issues)
        )
    })?;

    let strict = subject.validate(cx, doc, &crate::strict())?;
    invariants(cx, doc, &strict, &crate::strict())?;
    let mut raised = base.clone();
    let mut unknown = false;
    for i in &mut raised.issues {
        if i.code == IssueCode::UnknownElement {
            unknown = true;
            i.severity = Severity::Error;
        }
    }
    let validity_ok = if base.omitted == 0 {
        strict.valid == (base.valid && !unknown)
    } else {
        !strict.valid || base.valid
    };
    cx.check(
        "report/strict-only-raises-unknown-element",
        raised.issues == strict.issues && raised.omitted == strict.omitted && validity_ok,
        || {
            format!(
                "lax: {}\nstrict: {}",
                show(&base.issues),
                show(&strict.issues)
            )
        },
    )?;

    let with_values = crate::options().with_include_values(true);
    let valued = subject.validate(cx, doc, &with_values)?;
    invariants(cx, doc, &valued, &with_values)?;
    cx.check(
        "report/include-values-only-adds-values",
        without_values(&valued) == *base,
        || {
            format!(
                "without: {}\nwith: {}",
                show(&base.issues),
                show(&valued.issues)
            )
        },
    )?;

    if base.omitted == 0 {
        let max = 1 + (seed % 3) as usize;
        let small = crate::options().with_max_issues(max);
        let cut = subject.validate(cx, doc, &small)?;
        invariants(cx, doc, &cut, &small)?;
        let n = base.issues.len();
        let ok = if n <= max {
            cut == *base
        } else {
            cut.valid == base.valid
                && cut.omitted == n - max
                && cut.issues[..max] == base.issues[..max]
        };
        cx.check("report/max-issues-lists-a-prefix", ok, || {
            format!(
                "max_issues {max}: {}\nfull: {}",
                show(&cut.issues),
                show(&base.issues)
            )
        })?;
        today_only_moves_implausible_dates(cx, subject, doc, base)?;
    }
    Ok(())
}

/// With another today (1 January 1990, when many of the dates of a record are in the
/// future), the report differs only in `implausible-date` warnings: the other issues are
/// the same, in the same order, and validity is the same.
fn today_only_moves_implausible_dates(
    cx: &mut Cx,
    subject: Subject<'_>,
    doc: &Value,
    base: &Report,
) -> Check {
    let mut earlier = crate::options();
    earlier.today = chrono::NaiveDate::from_ymd_opt(1990, 1, 1);
    let other = subject.validate(cx, doc, &earlier)?;
    invariants(cx, doc, &other, &earlier)?;
    if other.omitted != 0 {
        // more warnings than max_issues: the lists cannot be compared
        return Ok(());
    }
    let rest = |r: &Report| -> Vec<Issue> {
        r.issues
            .iter()
            .filter(|i| i.code != IssueCode::ImplausibleDate)
            .cloned()
            .collect()
    };
    let moved_ok = other
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::ImplausibleDate)
        .all(|i| i.severity == Severity::Warning);
    cx.check(
        "report/today-only-moves-implausible-dates",
        rest(&other) == rest(base) && other.valid == base.valid && moved_ok,
        || {
            format!(
                "today {}: {}\ntoday 1990-01-01: {}",
                crate::today(),
                show(&base.issues),
                show(&other.issues)
            )
        },
    )
}

/// The "no leak" oracle on validation (see [`crate::marker`]).
pub(crate) fn no_leak(
    cx: &mut Cx,
    subject: Subject<'_>,
    doc: &Value,
    base: &Report,
    seed: u64,
) -> Check {
    // identifiers that keep their shape: never repeated by the report
    let digits = marker::long_digit_strings(doc);
    for i in &base.issues {
        let text = format!(
            "{} {} {}",
            i.message,
            i.path,
            serde_json::to_string(&i.context).unwrap_or_default()
        );
        let hit = digits.iter().find(|d| text.contains(d.as_str()));
        cx.check("leak/identifier-in-report", hit.is_none(), || {
            format!("{} at {} repeats {:?}: {text}", i.code, i.path, hit)
        })?;
    }
    let Some(m) = marker::choose_for(doc) else {
        return Ok(());
    };
    let marked = marker::mark(doc, m, seed, Scope::All);
    for include_values in [false, true] {
        let opts = crate::options().with_include_values(include_values);
        let r = subject.validate(cx, &marked, &opts)?;
        invariants(cx, &marked, &r, &opts)?;
        for i in &r.issues {
            let allowed: &[&str] = if include_values { VALUE_MEMBERS } else { &[] };
            let members = marker::leaking_members(&i.context, m, allowed);
            cx.check(
                "leak/value-in-report",
                members.is_empty() && !i.message.contains(m) && !i.path.contains(m),
                || {
                    format!(
                        "include_values {include_values}: {} at {}: message {:?}, context members {members:?}",
                        i.code, i.path, i.message
                    )
                },
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use serde_json::json;

    fn issue(severity: Severity, path: &str) -> Issue {
        Issue {
            code: IssueCode::RequiredElementMissing,
            severity,
            path: path.into(),
            message: "Alert requires Status (1..1)".into(),
            context: Default::default(),
        }
    }

    fn verdict(doc: &Value, r: &Report) -> Option<&'static str> {
        let mut cx = Cx::new(Config::STRICT);
        invariants(&mut cx, doc, r, &crate::options())
            .err()
            .map(|f| f.oracle)
    }

    /// The invariants fail on reports that break them (so a pass means something).
    #[test]
    fn broken_reports_are_caught() {
        let doc = json!({"alert": [{"record_uid": "a"}]});
        let good = Report {
            valid: false,
            issues: vec![issue(Severity::Error, "/alert/0/status")],
            omitted: 0,
        };
        assert_eq!(verdict(&doc, &good), None);
        let valid_with_error = Report {
            valid: true,
            ..good.clone()
        };
        assert_eq!(
            verdict(&doc, &valid_with_error),
            Some("report/valid-iff-no-error")
        );
        let nowhere = Report {
            issues: vec![issue(Severity::Error, "/alert/3/status")],
            ..good.clone()
        };
        assert_eq!(verdict(&doc, &nowhere), Some("report/path-resolves"));
        let mut with_value = good.clone();
        with_value.issues[0]
            .context
            .insert("value".into(), "Green".into());
        assert_eq!(
            verdict(&doc, &with_value),
            Some("report/no-value-unless-asked")
        );
        let uncounted = Report { omitted: 2, ..good };
        assert_eq!(verdict(&doc, &uncounted), Some("report/omitted-accounting"));
    }
}
