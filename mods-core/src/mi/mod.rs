//! Management information with agreed terms (use case 8): counts of people and records by
//! coded categories, with small-number suppression ([`Aggregator`]), and client-level
//! extracts with pseudonymised person ids ([`Extractor`]). Both take one record at a time,
//! so a caller streams any number of records in flat memory. See `docs/mi.md`.

mod aggregate;
mod extract;
mod field;
mod person;
mod profile;
mod pseudonym;
mod render;
mod suppress;

pub use aggregate::{Aggregator, Category, FieldInfo, Row, Table, Unreadable};
pub use extract::{Extractor, RecordRows};
pub use field::{Field, FieldKind, AGE_BAND, ALIASES, NOT_RECORDED};
pub use person::{age, age_band, band_of, date_of_birth, person_key, today, AGE_BANDS};
pub use profile::{profile, profile_names, Column, EventDef, Profile, ProfileSource};
pub use pseudonym::{Key, MIN_KEY_BYTES};
pub use render::{count, rows_csv, to_csv, to_html, to_svg, to_text};
pub use suppress::Suppression;

/// Why an aggregate or extract cannot be made. No message holds a record's data or the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MiError {
    /// No field to count by.
    #[error("no field to count by: give at least one (e.g. ethnicity, age_band)")]
    NoFields,
    /// A field that is neither a short name, `age_band`, nor a `class.element`.
    #[error(
        "unknown field {field:?}: give class.element (e.g. person_demographics.ethnicity), \
         age_band, or a short name ({})",
        short_names()
    )]
    UnknownField {
        /// The field given.
        field: String,
    },
    /// An element whose values are not codes.
    #[error(
        "{field:?} is not coded (it is {ty}): counts are made only by coded elements, \
         whose categories are agreed"
    )]
    NotCoded {
        /// The field given.
        field: String,
        /// What it is.
        ty: &'static str,
    },
    /// A field given twice.
    #[error("field {field:?} is given twice")]
    RepeatedField {
        /// The field given.
        field: String,
    },
    /// No built-in profile of that name.
    #[error("unknown profile {profile:?}; the profiles are {}", known.join(", "))]
    UnknownProfile {
        /// The name given.
        profile: String,
        /// The names there are.
        known: Vec<String>,
    },
    /// A profile that does not fit the MODS version.
    #[error("profile {profile:?} cannot be used: {message}")]
    InvalidProfile {
        /// Its name.
        profile: String,
        /// Why.
        message: String,
    },
    /// No key for pseudonyms.
    #[error("no pseudonymisation key: give one in a file or an environment variable")]
    MissingKey,
    /// A key too short to be safe.
    #[error(
        "the pseudonymisation key is {bytes} bytes; at least {} are needed",
        pseudonym::MIN_KEY_BYTES
    )]
    ShortKey {
        /// Its length.
        bytes: usize,
    },
}

fn short_names() -> String {
    let mut names: Vec<&str> = ALIASES.iter().map(|(a, _)| *a).collect();
    names.push(AGE_BAND);
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::parse_date;
    use serde_json::json;

    fn agg(by: &[&str]) -> Aggregator {
        let by: Vec<String> = by.iter().map(|s| s.to_string()).collect();
        Aggregator::new(
            crate::model::latest(),
            &by,
            parse_date("2026-01-01").unwrap(),
            Suppression::NONE,
        )
        .unwrap()
    }

    fn person(nhs: &str, eth: &str, needs: &[&str]) -> serde_json::Value {
        json!({"mods_version": "1.0",
            "subject_of_care": {"record_uid": format!("s{nhs}"), "nhs_number": nhs,
                "date_of_birth": "1950-05-05"},
            "person_demographics": [{"record_uid": "d", "ethnicity": {"code": eth}}],
            "need": needs.iter().map(|n| json!({"need_domain": {"code": n}})).collect::<Vec<_>>()})
    }

    #[test]
    fn people_are_counted_once_and_records_each_time() {
        let mut a = agg(&["ethnicity"]);
        a.add(&person("1", "A", &[]));
        a.add(&person("1", "A", &[])); // the same person's second record
        a.add(&person("2", "A", &[]));
        a.add(&person("3", "B", &[]));
        a.add(&json!({"subject_of_care": {}}));
        let t = a.finish();
        let rows: Vec<(String, Option<u64>, Option<u64>)> = t
            .rows
            .iter()
            .map(|r| (r.categories[0].code.clone(), r.people, r.records))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("A".into(), Some(2), Some(3)),
                ("B".into(), Some(1), Some(1)),
                (NOT_RECORDED.into(), Some(1), Some(1)),
            ]
        );
        assert_eq!((t.total_people, t.total_records), (Some(4), Some(5)));
        assert_eq!(
            t.rows[0].categories[0].label.as_deref(),
            Some("White - British")
        );
    }

    #[test]
    fn a_person_with_several_needs_is_in_each_and_fields_cross() {
        let mut a = agg(&["need", "age_band"]);
        a.add(&person("1", "A", &["a", "b", "a"]));
        let t = a.finish();
        assert_eq!(t.rows.len(), 2);
        assert!(t.rows.iter().all(|r| r.categories[1].code == "75-84"));
        assert_eq!(t.total_people, Some(1));
    }

    #[test]
    fn fields_that_are_not_coded_or_unknown_are_refused() {
        let m = crate::model::latest();
        let d = parse_date("2026-01-01").unwrap();
        let s = Suppression::default();
        let e = |by: &str| Aggregator::new(m, &[by.to_owned()], d, s).err().unwrap();
        assert!(matches!(
            e("need.need_description"),
            MiError::NotCoded { .. }
        ));
        assert!(matches!(
            e("subject_of_care.date_of_birth"),
            MiError::NotCoded { .. }
        ));
        assert!(matches!(
            e("care_plan.needs_addressed"),
            MiError::NotCoded { .. }
        ));
        assert!(matches!(e("shoe_size"), MiError::UnknownField { .. }));
        assert!(matches!(e("need.shoe_size"), MiError::UnknownField { .. }));
        assert!(matches!(e(" , "), MiError::NoFields));
        assert!(matches!(
            e("need,need_domain"),
            MiError::RepeatedField { .. }
        ));
        assert!(e("need.need_description").to_string().contains("not coded"));
    }

    #[test]
    fn extracts_hold_no_name_address_birth_date_or_free_text() {
        let key = Key::new(&[7u8; 32]).unwrap();
        let x = Extractor::new(
            crate::model::latest(),
            profile("dhsc-cld").unwrap(),
            key.clone(),
            parse_date("2026-01-01").unwrap(),
        )
        .unwrap();
        let mut r = person("4010232137", "A", &["x"]);
        r["subject_of_care"]["person_name"] = json!([{"family_name": "Zebedee"}]);
        r["need"][0]["date"] = json!("2025-02-01");
        r["need"][0]["need_description"] = json!("Needs help washing");
        let out = x.rows(&r);
        assert!(out.identified);
        assert_eq!(out.rows.len(), 1);
        let line = out.rows[0].join(",");
        for secret in ["Zebedee", "washing", "1950", "4010232137"] {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
        assert_eq!(out.rows[0][0], key.pseudonym("nhs:4010232137"));
        assert_eq!(out.rows[0][3], "65-74"); // at the event, not at as_of
        let h = x.header();
        assert_eq!(
            out.rows[0][h.iter().position(|c| c == "Event_Type").unwrap()],
            "Assessment"
        );
        // no event: still one row, so the person is not lost
        let out = x.rows(&person("1", "A", &[]));
        assert_eq!(out.rows.len(), 1);
    }
}
