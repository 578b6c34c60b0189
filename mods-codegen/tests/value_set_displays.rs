//! Every embedded value set (or include of a multi-system set) whose `system` is a UK Core
//! code system held in the reference folder (`../shared/fhir/ukcore/CodeSystem`) uses that
//! code system's codes with its displays, in every MODS version, unless a documented exception below says otherwise.

use mods_test_support as support;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A known, deliberate difference from the UK Core code system.
struct Exception {
    value_set: &'static str,
    /// `None`: displays may differ for every code; `Some(code)`: this code is not in the
    /// UK Core code system.
    missing_code: Option<&'static str>,
    reason: &'static str,
}

const EXCEPTIONS: &[Exception] = &[
    Exception {
        value_set: "language_code",
        missing_code: None,
        reason: "Displays are the ISO 639-1 English names (one name per language); UK Core \
                 HumanLanguage joins every ISO 639-2 name with ';' (\"Spanish; Castilian\") \
                 or inverts them (\"Greek, Modern (1453-)\"). The codes are the same.",
    },
    Exception {
        value_set: "language_code",
        missing_code: Some("sh"),
        reason: "sh (Serbo-Croatian) is still an ISO 639-1 code, though deprecated there; \
                 UK Core HumanLanguage does not have it.",
    },
];

/// system URL → (file name, code → display), for every UK Core CodeSystem in `dir`.
fn uk_core_code_systems(dir: &Path) -> HashMap<String, (String, HashMap<String, String>)> {
    fn walk(concepts: &[Value], out: &mut HashMap<String, String>) {
        for c in concepts {
            if let Some(code) = c["code"].as_str() {
                let display = c["display"].as_str().unwrap_or_default();
                out.insert(code.to_owned(), display.to_owned());
            }
            if let Some(nested) = c["concept"].as_array() {
                walk(nested, out);
            }
        }
    }
    let mut systems = HashMap::new();
    for entry in std::fs::read_dir(dir).expect("CodeSystem folder").flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable CodeSystem");
        let cs: Value = serde_json::from_str(&text).expect("CodeSystem is JSON");
        let Some(url) = cs["url"].as_str() else {
            continue;
        };
        let mut codes = HashMap::new();
        walk(
            cs["concept"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default(),
            &mut codes,
        );
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        systems.insert(url.to_owned(), (file, codes));
    }
    systems
}

/// (spec file name, spec JSON) for every MODS version.
fn spec_files() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mods-core/spec");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("spec folder").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("mods-") && name.ends_with(".json") {
            let text = std::fs::read_to_string(e.path()).expect("readable spec");
            out.push((name, serde_json::from_str(&text).expect("spec is JSON")));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(!out.is_empty(), "no spec files");
    out
}

/// The parts of a value set, one per code system: `(system, the part holding its codes)`.
/// A single-system set is one part (the set itself); a set with `includes` has one per include.
fn parts(vs: &Value) -> Vec<(&str, &Value)> {
    match vs["includes"].as_array() {
        Some(includes) => includes
            .iter()
            .filter_map(|i| Some((i["system"].as_str()?, i)))
            .collect(),
        None => vs["system"].as_str().map(|s| (s, vs)).into_iter().collect(),
    }
}

/// Differences of one value set (or include) from its UK Core code system, as
/// (code, what differs).
fn differences(vs: &Value, codes: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in vs["codes"].as_array().into_iter().flatten() {
        let code = c["code"].as_str().unwrap_or_default();
        let display = c["display"].as_str().unwrap_or_default();
        match codes.get(code) {
            None => out.push((code.to_owned(), "not in the code system".to_owned())),
            Some(theirs) if theirs != display => out.push((
                code.to_owned(),
                format!("display {display:?}, the code system says {theirs:?}"),
            )),
            Some(_) => {}
        }
    }
    out
}

#[test]
fn uk_core_value_sets_match_their_code_systems() {
    const TEST: &str = "uk_core_value_sets_match_their_code_systems";
    let Some(dir) = support::shared_path("fhir/ukcore/CodeSystem", TEST) else {
        return;
    };
    let systems = uk_core_code_systems(&dir);
    assert!(!systems.is_empty(), "no CodeSystem in {}", dir.display());
    let mut problems = Vec::new();
    let mut used = vec![false; EXCEPTIONS.len()];
    let mut compared = BTreeMap::new();
    for (file, spec) in spec_files() {
        for vs in spec["value_sets"].as_array().expect("value_sets") {
            let id = vs["id"].as_str().unwrap_or_default();
            for (system, part) in parts(vs) {
                let Some((cs_file, codes)) = systems.get(system) else {
                    continue;
                };
                compared.insert(id.to_owned(), cs_file.clone());
                for (code, what) in differences(part, codes) {
                    let missing = !codes.contains_key(&code);
                    let excused = EXCEPTIONS.iter().position(|e| {
                        e.value_set == id
                            && match e.missing_code {
                                Some(c) => missing && c == code,
                                None => !missing,
                            }
                    });
                    match excused {
                        Some(i) => used[i] = true,
                        None => problems.push(format!("{file} {id} {code}: {what} ({cs_file})")),
                    }
                }
            }
        }
    }
    for (e, used) in EXCEPTIONS.iter().zip(&used) {
        assert!(!e.reason.is_empty());
        if !used {
            problems.push(format!(
                "the exception for {} {:?} is no longer needed: remove it",
                e.value_set, e.missing_code
            ));
        }
    }
    assert!(
        compared.contains_key("activity_location_type_code")
            && compared.contains_key("ethnic_category")
            && compared.contains_key("language_code")
            && compared.contains_key("person_relationship_type"),
        "expected to compare the UK Core value sets, compared {compared:?}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn differences_are_found() {
    let codes: HashMap<String, String> = [("A01", "Patient's Home"), ("A02", "Carer's Home")]
        .into_iter()
        .map(|(c, d)| (c.to_owned(), d.to_owned()))
        .collect();
    let vs = serde_json::json!({"codes": [
        {"code": "A01", "display": "PATIENT's Home"},
        {"code": "A02", "display": "Carer's Home"},
        {"code": "Z99", "display": "Nowhere"}
    ]});
    let found = differences(&vs, &codes);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "A01");
    assert!(found[0].1.contains("PATIENT's Home"));
    assert_eq!(
        found[1],
        ("Z99".to_owned(), "not in the code system".to_owned())
    );
}
