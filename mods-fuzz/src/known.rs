//! Defects already known, each recognised by a precise signature.
//!
//! While a defect is open, fuzzing would meet it again and again and stop there. Each one is
//! therefore recognised precisely (not "any failure of this oracle") and, with
//! [`crate::Config::tolerate_known`], counted instead of reported. Its saved reproducer in
//! `fuzz/regressions/<target>/` is listed in the replay test as known-failing: the replay
//! asserts it still fails with exactly this defect, so the day the fix lands the test says
//! so, and the defect is removed from this list (its reproducer stays, as a plain
//! regression that must pass).

use serde_json::{Map, Value};

/// A known defect of mods-core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KnownDefect {
    /// `diff_records(A, A)` reports changes when two instances of a collection share a
    /// `record_uid`: each is matched with the first of them.
    DiffSharedUid,
    /// 1.0 → 0.2.1 → 1.0, with the lossy data kept or with nothing lost, does not give the
    /// record back exactly: care workers come back in another order, and the
    /// `care_worker_category` coding that marks them comes back as the value set writes it:
    /// its `display` added where there was none or replacing any other, its `system` dropped.
    DownUpInexact,
    /// A 0.2.1 Wish becomes a Preference on the way up and stays one on the way down: the
    /// round trip changes the record without reporting a loss.
    WishLostGoingDown,
    /// Data kept in `mods_extensions.migration` is restored on the way back without being
    /// checked, so a valid record can migrate into an invalid one.
    KeptRestoredUnvalidated,
    /// Found by fuzzing: 1.1 → 1.0 renames Risk's `care_actor` back to `care_worker`, but
    /// 1.1 accepts any care actor there and 1.0 only a Care worker; a valid 1.1 record whose
    /// risk names, say, the subject of care migrates "losslessly" into an invalid 1.0 record
    /// (`reference-wrong-class`).
    NarrowedReferenceGoingDown,
    /// Found by fuzzing: going down with the lossy data kept, a class the target lacks (say
    /// Proxy for subject of care, going to 0.2.1) moves into `mods_extensions.migration`, but
    /// references to its records stay, so the kept record is invalid (`dangling-reference`).
    KeptRecordLeavesDanglingReference,
    /// Found by fuzzing: going down to 0.2.1, a care worker that goes back to being a GP or a
    /// local authority professional keeps an element 0.2.1 does not have there (a
    /// `version_number` other than 1), neither dropped nor reported as a loss: the record is
    /// invalid in strict mode (`unknown-element`).
    UnmergedInstanceKeepsElement,
}

impl KnownDefect {
    /// Every known defect.
    pub const ALL: [KnownDefect; 7] = [
        KnownDefect::DiffSharedUid,
        KnownDefect::DownUpInexact,
        KnownDefect::WishLostGoingDown,
        KnownDefect::KeptRestoredUnvalidated,
        KnownDefect::NarrowedReferenceGoingDown,
        KnownDefect::KeptRecordLeavesDanglingReference,
        KnownDefect::UnmergedInstanceKeepsElement,
    ];

    /// A short stable id.
    pub fn id(self) -> &'static str {
        match self {
            KnownDefect::DiffSharedUid => "diff-shared-uid",
            KnownDefect::DownUpInexact => "down-up-inexact",
            KnownDefect::WishLostGoingDown => "wish-lost-going-down",
            KnownDefect::KeptRestoredUnvalidated => "kept-restored-unvalidated",
            KnownDefect::NarrowedReferenceGoingDown => "narrowed-reference-going-down",
            KnownDefect::KeptRecordLeavesDanglingReference => {
                "kept-record-leaves-dangling-reference"
            }
            KnownDefect::UnmergedInstanceKeepsElement => "unmerged-instance-keeps-element",
        }
    }

    /// One sentence.
    pub fn description(self) -> &'static str {
        match self {
            KnownDefect::DiffSharedUid => {
                "diff_records(A, A) reports phantom changes when two instances share a record_uid"
            }
            KnownDefect::DownUpInexact => {
                "1.0 -> 0.2.1 -> 1.0 (lossy data kept or not) reorders care workers and rewrites their care_worker_category coding"
            }
            KnownDefect::WishLostGoingDown => {
                "a 0.2.1 wish comes back down as a preference, lost silently"
            }
            KnownDefect::KeptRestoredUnvalidated => {
                "data kept in mods_extensions.migration is restored unvalidated on the way back"
            }
            KnownDefect::NarrowedReferenceGoingDown => {
                "1.1 -> 1.0 keeps a Risk's reference to a care actor that 1.0 only accepts as a care worker"
            }
            KnownDefect::KeptRecordLeavesDanglingReference => {
                "going down with kept data, references to the records moved into the slot dangle"
            }
            KnownDefect::UnmergedInstanceKeepsElement => {
                "a care worker unmerged into 0.2.1's GP or LA professional keeps a version_number, unreported"
            }
        }
    }
}

/// Whether two instances of one collection of `doc` share a `record_uid`.
pub fn shares_record_uid(doc: &Value) -> bool {
    let Some(o) = doc.as_object() else {
        return false;
    };
    o.values().filter_map(Value::as_array).any(|items| {
        let mut uids: Vec<&str> = items
            .iter()
            .filter_map(|i| i.get("record_uid").and_then(Value::as_str))
            .collect();
        let n = uids.len();
        uids.sort_unstable();
        uids.dedup();
        uids.len() != n
    })
}

/// The known defects that explain why `back` (the record after a round trip) differs from
/// `original`; empty when none does.
pub fn round_trip_difference(original: &Value, back: &Value) -> Vec<KnownDefect> {
    let moved = wishes_as_preferences(original);
    if moved.as_ref() == Some(back) {
        return vec![KnownDefect::WishLostGoingDown];
    }
    if same_but_order_and_display(original, back) {
        return vec![KnownDefect::DownUpInexact];
    }
    if moved.is_some_and(|m| same_but_order_and_display(&m, back)) {
        return vec![KnownDefect::WishLostGoingDown, KnownDefect::DownUpInexact];
    }
    Vec::new()
}

/// `doc` with its wishes appended to its preferences, when it has wishes.
fn wishes_as_preferences(doc: &Value) -> Option<Value> {
    let mut out = doc.clone();
    let o = out.as_object_mut()?;
    let Some(Value::Array(wishes)) = o.remove("wish") else {
        return None;
    };
    match o
        .entry("preference")
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(p) => p.extend(wishes),
        _ => return None,
    }
    Some(out)
}

/// The element whose coding marks care workers merged from 0.2.1's separate classes.
const MARKER: &str = "care_worker_category";

/// Whether `b` is `a` with the instances of some collections in another order and the
/// `display` and `system` of `care_worker_category` codings added, replaced or dropped.
fn same_but_order_and_display(a: &Value, b: &Value) -> bool {
    let (Some(oa), Some(ob)) = (a.as_object(), b.as_object()) else {
        return false;
    };
    if oa.len() != ob.len() {
        return false;
    }
    oa.iter().all(|(k, va)| {
        let Some(vb) = ob.get(k) else { return false };
        match (va, vb) {
            (Value::Array(xs), Value::Array(ys)) if xs.len() == ys.len() => {
                let key = |v: &Value| without_marker_display(v, None).to_string();
                let mut xs: Vec<&Value> = xs.iter().collect();
                let mut ys: Vec<&Value> = ys.iter().collect();
                xs.sort_by_cached_key(|v| key(v));
                ys.sort_by_cached_key(|v| key(v));
                xs.iter().zip(&ys).all(|(x, y)| {
                    without_marker_display(x, None) == without_marker_display(y, None)
                })
            }
            _ => without_marker_display(va, None) == without_marker_display(vb, None),
        }
    })
}

/// `v` without the `display` and `system` of its `care_worker_category` codings.
fn without_marker_display(v: &Value, key: Option<&str>) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| {
                    !(key == Some(MARKER) && matches!(k.as_str(), "display" | "system"))
                })
                .map(|(k, x)| (k.clone(), without_marker_display(x, Some(k))))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| without_marker_display(x, key)).collect()),
        other => other.clone(),
    }
}

/// Whether `doc` holds data kept by an earlier migration.
pub fn has_kept_data(doc: &Value) -> bool {
    doc.pointer("/mods_extensions/migration")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

/// Whether `path` lies at or under one of `restored` (pointers).
pub fn under(path: &str, restored: &[&str]) -> bool {
    restored.iter().any(|r| {
        path == *r
            || path
                .strip_prefix(r)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Whether the `record_uid` `uid` belongs to a record moved into `mods_extensions.migration`
/// of `doc`.
pub fn is_kept_record(doc: &Value, uid: &str) -> bool {
    fn holds(v: &Value, uid: &str) -> bool {
        match v {
            Value::Object(o) => {
                o.get("record_uid").and_then(Value::as_str) == Some(uid)
                    || o.values().any(|x| holds(x, uid))
            }
            Value::Array(a) => a.iter().any(|x| holds(x, uid)),
            _ => false,
        }
    }
    doc.pointer("/mods_extensions/migration")
        .and_then(Value::as_array)
        .is_some_and(|entries| {
            entries
                .iter()
                .any(|e| e.get("value").is_some_and(|v| holds(v, uid)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn signatures() {
        assert!(shares_record_uid(
            &json!({"alert": [{"record_uid": "a"}, {"record_uid": "a"}]})
        ));
        assert!(!shares_record_uid(
            &json!({"alert": [{"record_uid": "a"}, {"record_uid": "b"}]})
        ));
        let a = json!({"care_worker": [{"record_uid": "1"}, {"record_uid": "2", "care_worker_category": {"code": "x", "display": "Mine"}}]});
        let b = json!({"care_worker": [{"record_uid": "2", "care_worker_category": {"code": "x", "display": "X"}}, {"record_uid": "1"}]});
        assert_eq!(
            round_trip_difference(&a, &b),
            vec![KnownDefect::DownUpInexact]
        );
        let c = json!({"care_worker": [{"record_uid": "2", "care_worker_category": {"code": "y"}}, {"record_uid": "1"}]});
        assert!(round_trip_difference(&a, &c).is_empty());
        // a display added anywhere else is not this defect
        let d = json!({"care_worker": [{"record_uid": "1", "role": {"code": "x"}}]});
        let e =
            json!({"care_worker": [{"record_uid": "1", "role": {"code": "x", "display": "X"}}]});
        assert!(round_trip_difference(&d, &e).is_empty());
        let w = json!({"wish": [{"record_uid": "w"}], "preference": [{"record_uid": "p"}]});
        let p = json!({"preference": [{"record_uid": "p"}, {"record_uid": "w"}]});
        assert_eq!(
            round_trip_difference(&w, &p),
            vec![KnownDefect::WishLostGoingDown]
        );
        assert!(under("/alert/0/date", &["/alert"]));
        assert!(!under("/alerts", &["/alert"]));
        assert!(!under("/alert", &[]));
        let kept = json!({"mods_extensions": {"migration": [{"value": [{"record_uid": "p-1"}]}]}});
        assert!(is_kept_record(&kept, "p-1"));
        assert!(!is_kept_record(&kept, "p-2"));
    }
}
