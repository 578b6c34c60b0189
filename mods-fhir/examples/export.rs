//! Export a MODS record file as a FHIR Bundle on stdout (a development aid; the CLI has `mods fhir export`).
fn main() {
    let path = std::env::args().nth(1).expect("a record file");
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    let bundle = mods_fhir::to_fhir(&record, &mods_fhir::ExportOptions::default()).expect("export");
    println!("{}", serde_json::to_string_pretty(&bundle).expect("write"));
}
