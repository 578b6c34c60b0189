//! `plan-exceeds-funded-envelope` in both engines: the one-pass walk and the legacy oracle
//! report the same issues on the rule's conformance inputs and on the commissioning
//! example's detailed plan (within the envelope, and with one more visit beyond it), with and
//! without values.

use mods_core::{validate::legacy, ValidationOptions};
use serde_json::Value;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn both_engines_agree_on_the_funded_envelope() {
    let dir = root().join("tests/conformance/cases/rules");
    let mut inputs: Vec<Value> = std::fs::read_dir(dir)
        .expect("rules cases")
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("plan-exceeds-funded-envelope")
        })
        .map(|e| {
            let case: Value =
                serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap();
            case["input"].clone()
        })
        .collect();
    assert!(inputs.len() >= 3);
    let plan = std::fs::read_to_string(root().join("examples/flows/commission/detailed-plan.json"))
        .expect("example");
    let plan: Value = serde_json::from_str(&plan).unwrap();
    // the detailed plan keeps within the envelope; with the Saturday visit it would not
    let mut beyond = plan.clone();
    beyond["care_plan"][1]["planned_hours_per_week"] = 9.75.into();
    beyond["care_plan"][1]["weekly_cost"] = 273.into();
    inputs.push(plan);
    inputs.push(beyond);
    let mut warned = 0;
    for include_values in [false, true] {
        let mut opts = ValidationOptions::default().with_include_values(include_values);
        opts.today = chrono::NaiveDate::from_ymd_opt(2026, 3, 1);
        for doc in &inputs {
            let new = mods_core::validate_record(doc, &opts);
            let old = legacy::validate_record(doc, &opts);
            assert_eq!(new.issues, old.issues);
            warned += new
                .issues
                .iter()
                .filter(|i| i.code.as_str() == "plan-exceeds-funded-envelope")
                .count();
        }
    }
    assert!(warned >= 8, "the rule fired {warned} times");
}
