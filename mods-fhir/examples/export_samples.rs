//! Write FHIR Bundles for the independent validators (`tests/fhir-validators/run.sh`): every
//! example record as every Bundle type and profile set, the hospital transfer summary of
//! every example record (both profile sets), and a sample of generated records (the
//! `mods-fuzz` generator with a fixed seed), each as one Bundle type and as a transfer
//! summary.
//!
//! `cargo run -p mods-fhir --example export_samples -- OUT_DIR [GENERATED_COUNT]`

use mods_fhir::{
    to_fhir, transfer_summary, BundleType, ExportOptions, ProfileSet, TransferOptions,
};
use std::path::{Path, PathBuf};

fn write(
    dir: &Path,
    name: &str,
    record: &serde_json::Value,
    bundle_type: BundleType,
    profiles: ProfileSet,
) -> Result<(), String> {
    let opts = ExportOptions::default()
        .with_bundle_type(bundle_type)
        .with_profiles(profiles)
        .with_timestamp("2025-11-03T12:00:00Z");
    let bundle = to_fhir(record, &opts).map_err(|e| format!("{name}: {e}"))?;
    let set = if profiles == ProfileSet::UkCoreStu2 {
        "stu2"
    } else {
        "current"
    };
    let file = dir.join(format!("{name}-{}-{set}.json", bundle_type.as_str()));
    std::fs::write(
        &file,
        serde_json::to_vec_pretty(&bundle).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("{}: {e}", file.display()))
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: export_samples OUT_DIR [GENERATED_COUNT]")?,
    );
    let generated: usize = args
        .next()
        .map(|s| s.parse().map_err(|_| "GENERATED_COUNT is a number"))
        .transpose()?
        .unwrap_or(40);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/records");
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&examples)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
    {
        let record: serde_json::Value =
            serde_json::from_slice(&std::fs::read(p).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
        let name = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for t in [
            BundleType::Collection,
            BundleType::Transaction,
            BundleType::Document,
        ] {
            for s in [ProfileSet::UkCoreCurrent, ProfileSet::UkCoreStu2] {
                write(&dir, &name, &record, t, s)?;
                n += 1;
            }
        }
        for (s, set) in [
            (ProfileSet::UkCoreCurrent, "current"),
            (ProfileSet::UkCoreStu2, "stu2"),
        ] {
            let opts = TransferOptions::default()
                .with_timestamp("2025-11-03T12:00:00Z")
                .with_profiles(s);
            let doc = transfer_summary(&record, &opts).map_err(|e| format!("{name}: {e}"))?;
            let file = dir.join(format!("{name}-transfer-summary-{set}.json"));
            std::fs::write(
                &file,
                serde_json::to_vec_pretty(&doc).map_err(|e| e.to_string())?,
            )
            .map_err(|e| format!("{}: {e}", file.display()))?;
            n += 1;
        }
    }
    // a validation report as an OperationOutcome: Mr Green's record with a wrong NHS number
    let mut bad: serde_json::Value = serde_json::from_slice(
        &std::fs::read(examples.join("mr-green.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    bad["subject_of_care"]["nhs_number"] = serde_json::json!("9434765918");
    let report = mods_core::validate_record(&bad, &mods_core::ValidationOptions::default());
    let oo = mods_fhir::operation_outcome(&report);
    std::fs::write(
        dir.join("operation-outcome.json"),
        serde_json::to_vec_pretty(&oo).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    // generated records: a fixed byte stream, so the sample is the same on every run
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut made = 0;
    let mut tries = 0;
    while made < generated && tries < generated * 50 {
        tries += 1;
        let bytes: Vec<u8> = (0..1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let record = mods_fuzz::generate::record(&mut arbitrary::Unstructured::new(&bytes));
        if record.get("mods_version").and_then(|v| v.as_str()) != Some("1.0")
            || !mods_core::validate_record(&record, &mods_core::ValidationOptions::default()).valid
        {
            continue;
        }
        let t = [
            BundleType::Collection,
            BundleType::Transaction,
            BundleType::Document,
        ][made % 3];
        write(
            &dir,
            &format!("generated-{made:03}"),
            &record,
            t,
            ProfileSet::UkCoreCurrent,
        )?;
        let doc = transfer_summary(
            &record,
            &TransferOptions::default().with_timestamp("2025-11-03T12:00:00Z"),
        )
        .map_err(|e| format!("generated-{made:03}: {e}"))?;
        std::fs::write(
            dir.join(format!("generated-{made:03}-transfer-summary.json")),
            serde_json::to_vec_pretty(&doc).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        n += 1;
        made += 1;
        n += 1;
    }
    if made < generated {
        return Err(format!(
            "only {made} valid generated records in {tries} tries"
        ));
    }
    println!(
        "wrote {n} Bundles ({made} of generated records) to {}",
        dir.display()
    );
    Ok(())
}
