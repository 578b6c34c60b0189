//! Any bytes as a record document: validate_record_json and its report oracles.
//! The oracles are in mods-fuzz (`Target::ValidateRecordJson`), replayed on stable by its tests.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mods_fuzz::Target::ValidateRecordJson.fuzz(data);
});
