//! `generated_record`: bytes read as choices of the model-driven generator
//! ([`crate::generate`]), then every oracle of the other targets on the record it gives:
//! validation (of the record and of its written-out bytes), migration with the round trips,
//! and the diff.

use crate::targets::{diff, migrate, record};
use crate::{generate, marker, Check, Cx};
use arbitrary::Unstructured;

pub(crate) fn run(cx: &mut Cx, data: &[u8]) -> Check {
    let doc = generate::record(&mut Unstructured::new(data));
    let seed = marker::seed_of(data);
    let bytes = serde_json::to_vec(&doc).unwrap_or_default();
    let r = mods_core::validate_record_json(&bytes, &crate::options());
    let Ok(r) = r else {
        return cx.check("generated/readable", false, || format!("{r:?}"));
    };
    cx.reached(
        if mods_core::validate_record(&doc, &crate::strict()).valid {
            "generated/valid"
        } else {
            "generated/invalid"
        },
    );
    record::oracles(cx, &doc, &r, seed)?;
    migrate::migrations(cx, &doc, seed)?;
    diff::diffs(cx, &doc, seed)
}
