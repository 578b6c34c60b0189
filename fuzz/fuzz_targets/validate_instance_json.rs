//! A class name, a newline, any bytes as an instance: validate_instance_json and its report oracles.
//! The oracles are in mods-fuzz (`Target::ValidateInstanceJson`), replayed on stable by its tests.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mods_fuzz::Target::ValidateInstanceJson.fuzz(data);
});
