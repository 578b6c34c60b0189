//! Defects already known, each recognised by a precise signature.
//!
//! While a defect is open, fuzzing would meet it again and again and stop there. Each one is
//! therefore recognised precisely (not "any failure of this oracle") and, with
//! [`crate::Config::tolerate_known`], counted instead of reported. Its saved reproducer in
//! `fuzz/regressions/<target>/` is listed in the replay test as known-failing: the replay
//! asserts it still fails with exactly this defect, so the day the fix lands the test says
//! so, and the defect is removed from this list (its reproducer stays, as a plain
//! regression that must pass).

use serde_json::Value;

/// A known defect of mods-core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KnownDefect {
    /// Found by fuzzing: 1.1 → 1.0 renames Risk's `care_actor` back to `care_worker`, but
    /// 1.1 accepts any care actor there and 1.0 only a Care worker; a valid 1.1 record whose
    /// risk names, say, an unpaid carer migrates "losslessly" into an invalid 1.0 record
    /// (`reference-wrong-class`).
    NarrowedReferenceGoingDown,
    /// Found by fuzzing: going down with the lossy data kept, a class the target lacks (say
    /// Proxy for subject of care, going to 0.2.1) moves into `mods_extensions.migration`, but
    /// references to its records stay, so the kept record is invalid (`dangling-reference`).
    KeptRecordLeavesDanglingReference,
    /// Found by fuzzing: going down to 0.2.1 (whose Address has no country) with the lossy
    /// data kept, an address abroad loses its country into `mods_extensions.migration` but
    /// keeps its foreign postcode, which 0.2.1 reads as a UK postcode (`invalid-postcode`).
    KeptCountryLeavesForeignPostcode,
}

impl KnownDefect {
    /// Every known defect.
    pub const ALL: [KnownDefect; 3] = [
        KnownDefect::NarrowedReferenceGoingDown,
        KnownDefect::KeptRecordLeavesDanglingReference,
        KnownDefect::KeptCountryLeavesForeignPostcode,
    ];

    /// A short stable id.
    pub fn id(self) -> &'static str {
        match self {
            KnownDefect::NarrowedReferenceGoingDown => "narrowed-reference-going-down",
            KnownDefect::KeptRecordLeavesDanglingReference => {
                "kept-record-leaves-dangling-reference"
            }
            KnownDefect::KeptCountryLeavesForeignPostcode => "kept-country-leaves-foreign-postcode",
        }
    }

    /// One sentence.
    pub fn description(self) -> &'static str {
        match self {
            KnownDefect::NarrowedReferenceGoingDown => {
                "1.1 -> 1.0 keeps a Risk's reference to a care actor that 1.0 only accepts as a care worker"
            }
            KnownDefect::KeptRecordLeavesDanglingReference => {
                "going down with kept data, references to the records moved into the slot dangle"
            }
            KnownDefect::KeptCountryLeavesForeignPostcode => {
                "going down to 0.2.1 with kept data, an address abroad keeps its foreign postcode without its country"
            }
        }
    }
}

/// Whether `doc` holds data kept by an earlier migration.
pub fn has_kept_data(doc: &Value) -> bool {
    doc.pointer("/mods_extensions/migration")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
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
    kept_values(doc).any(|v| holds(v, uid))
}

/// Whether the address at `postcode_path` (a pointer to its postcode) had its country moved
/// into `mods_extensions.migration` of `doc`.
pub fn country_kept_for(doc: &Value, postcode_path: &str) -> bool {
    let Some(address) = postcode_path.strip_suffix("/postcode") else {
        return false;
    };
    let country = format!("{address}/country");
    doc.pointer("/mods_extensions/migration")
        .and_then(Value::as_array)
        .is_some_and(|entries| {
            entries
                .iter()
                .any(|e| e.get("path").and_then(Value::as_str) == Some(country.as_str()))
        })
}

fn kept_values(doc: &Value) -> impl Iterator<Item = &Value> {
    doc.pointer("/mods_extensions/migration")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("value"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn signatures() {
        let kept = json!({"mods_extensions": {"migration": [
            {"path": "/proxy_for_subject_of_care", "value": [{"record_uid": "p-1"}]},
            {"path": "/subject_of_care/address/0/country", "value": {"code": "FR"}}
        ]}});
        assert!(is_kept_record(&kept, "p-1"));
        assert!(!is_kept_record(&kept, "p-2"));
        assert!(has_kept_data(&kept));
        assert!(!has_kept_data(
            &json!({"mods_extensions": {"migration": []}})
        ));
        assert!(country_kept_for(
            &kept,
            "/subject_of_care/address/0/postcode"
        ));
        assert!(!country_kept_for(
            &kept,
            "/subject_of_care/address/1/postcode"
        ));
        assert!(!country_kept_for(&kept, "/subject_of_care/address/0/uprn"));
    }
}
