//! Any bytes as a record document: migrate to every version, and the round trips of valid records.
//! The oracles are in mods-fuzz (`Target::Migrate`), replayed on stable by its tests.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mods_fuzz::Target::Migrate.fuzz(data);
});
