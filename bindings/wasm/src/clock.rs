//! The clock's date and time, from JavaScript: the core has no clock on
//! `wasm32-unknown-unknown`, so the binding gives the defaults every other target takes
//! from its own clock (`today`, `asOf`, `date`).

/// The clock's date and time in UTC, whole seconds (`2026-03-10T09:30:00Z`).
pub fn now() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    format!("{}Z", iso.get(..19).unwrap_or(&iso))
}

/// The clock's date in UTC (`2026-03-10`).
#[cfg(any(feature = "conformance", feature = "share", feature = "mi"))]
pub fn today() -> String {
    let now = now();
    now.get(..10).unwrap_or(&now).to_owned()
}
