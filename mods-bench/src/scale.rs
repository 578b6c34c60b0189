//! A record scaled k times: every collection repeated, each repeat with fresh uids.
//!
//! Repeat `c` (1 ≤ c < k) of the collections is a copy of every record of every collection
//! in which each string naming a record uid of the document (the subject of care's aside)
//! becomes `<uid>-c<c>`: the repeated records' own `record_uid`s and the references
//! between them, so each repeat is a self-contained copy of the original's records that
//! refers to the same subject of care. The scaled record therefore stays as valid as its
//! original: no duplicate uid, no dangling reference, and rules over a person's records
//! (dose intervals, for example) see each repeat's medications with their own
//! administrations. Its report has k times the original's issues.
//!
//! One more change keeps the repeats apart: the dose rules take doses of one product code
//! under several Medication records as one medicine (a medicine recorded twice), so each
//! `medication_code` of a repeat gets the repeat's number appended to its code (`…02`),
//! still digits, like the SNOMED CT and dm+d identifiers it stands for.

use crate::doc::Node;
use std::collections::HashSet;

/// Members of a record document that are not collections of records.
const NOT_COLLECTIONS: &[&str] = &["mods_version", "subject_of_care", "mods_extensions"];

/// `record` with its collections repeated `k` times (`k` = 0 or 1: an unchanged copy).
pub fn scale_record(record: &Node, k: usize) -> Node {
    let mut doc = record.clone();
    let Node::Object(members) = &mut doc else {
        return doc;
    };
    let subject = record
        .get("subject_of_care")
        .and_then(|s| s.get("record_uid"))
        .and_then(Node::as_str);
    let mut uids: HashSet<String> = HashSet::new();
    for (key, value) in members.iter() {
        if let (false, Node::Array(items)) = (NOT_COLLECTIONS.contains(&key.as_str()), value) {
            for item in items {
                if let Some(uid) = item.get("record_uid").and_then(Node::as_str) {
                    uids.insert(uid.to_owned());
                }
            }
        }
    }
    if let Some(subject) = subject {
        uids.remove(subject);
    }
    for (key, value) in members.iter_mut() {
        if NOT_COLLECTIONS.contains(&key.as_str()) {
            continue;
        }
        let Node::Array(items) = value else { continue };
        let originals = items.clone();
        for c in 1..k {
            for item in &originals {
                let mut copy = item.clone();
                rename(&mut copy, &uids, c);
                items.push(copy);
            }
        }
    }
    doc
}

fn rename(node: &mut Node, uids: &HashSet<String>, c: usize) {
    match node {
        Node::String(s) if uids.contains(s.as_str()) => *s = format!("{s}-c{c}"),
        Node::Array(items) => items.iter_mut().for_each(|n| rename(n, uids, c)),
        Node::Object(members) => {
            for (key, n) in members.iter_mut() {
                if key == "medication_code" {
                    if let Some(Node::String(code)) = n.get_mut("code") {
                        code.push_str(&format!("{c:02}"));
                    }
                }
                rename(n, uids, c);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_collections_with_fresh_uids_and_keeps_the_subject() {
        let record = Node::parse(
            br#"{"mods_version": "1.0",
                 "subject_of_care": {"record_uid": "soc", "person_demographics": "pd"},
                 "person_demographics": [{"record_uid": "pd"}],
                 "alert": [{"record_uid": "al", "subject_of_care": "soc", "location": "loc"}],
                 "medication": [{"record_uid": "med", "medication_code": {"code": "123"}}],
                 "location": [{"record_uid": "loc"}]}"#,
        )
        .unwrap();
        let scaled = scale_record(&record, 3);
        assert_eq!(
            serde_json::to_string(&scaled.get("alert").unwrap()).unwrap(),
            concat!(
                r#"[{"record_uid":"al","subject_of_care":"soc","location":"loc"},"#,
                r#"{"record_uid":"al-c1","subject_of_care":"soc","location":"loc-c1"},"#,
                r#"{"record_uid":"al-c2","subject_of_care":"soc","location":"loc-c2"}]"#
            )
        );
        assert_eq!(
            serde_json::to_string(&scaled.get("medication").unwrap()).unwrap(),
            concat!(
                r#"[{"record_uid":"med","medication_code":{"code":"123"}},"#,
                r#"{"record_uid":"med-c1","medication_code":{"code":"12301"}},"#,
                r#"{"record_uid":"med-c2","medication_code":{"code":"12302"}}]"#
            )
        );
        // the subject of care is not repeated, and still names the original demographics
        assert_eq!(scaled.get("subject_of_care"), record.get("subject_of_care"));
        assert_eq!(scale_record(&record, 1), record);
        assert_eq!(scale_record(&record, 0), record);
    }
}
