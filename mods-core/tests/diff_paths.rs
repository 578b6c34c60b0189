//! Every path of a record diff is a JSON pointer into the record (RFC 6901), whatever the
//! keys: a top-level key with `/` or `~` is escaped. Found by fuzzing (`diff_records`).

use mods_core::history::{diff_records, DiffOptions};
use serde_json::json;

#[test]
fn top_level_keys_are_escaped_in_diff_paths() {
    let old = json!({
        "mods_version": "1.0",
        "subject_of_care": {"record_uid": "soc-1", "version_number": 1,
                            "person_name": [{"given_name": ["Arthur"], "family_name": "Green"}]},
        "local/extra": "one",
        "a~b": 1
    });
    let mut new = old.clone();
    new["local/extra"] = json!("two");
    new["a~b"] = json!(2);
    let d = diff_records(&old, &new, &DiffOptions::default()).expect("diff");
    let mut paths: Vec<&str> = d.changes.iter().map(|c| c.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["/a~0b", "/local~1extra"]);
    for p in paths {
        assert!(
            new.pointer(p).is_some(),
            "{p} does not point into the record"
        );
    }
}
