//! Any bytes as a record document: diff_records of the record with itself and with a rewritten copy.
//! The oracles are in mods-fuzz (`Target::DiffRecords`), replayed on stable by its tests.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mods_fuzz::Target::DiffRecords.fuzz(data);
});
