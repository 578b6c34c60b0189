//! Bytes as choices of the model-driven record generator: every oracle, on mostly valid records.
//! The oracles are in mods-fuzz (`Target::GeneratedRecord`), replayed on stable by its tests.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mods_fuzz::Target::GeneratedRecord.fuzz(data);
});
