//! Any bytes as a FHIR Bundle (or one resource): mods_fhir::from_fhir and its oracles.
//! The oracles are in mods-fuzz (`Target::FhirImport`), replayed on stable by its tests.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mods_fuzz::Target::FhirImport.fuzz(data);
});
