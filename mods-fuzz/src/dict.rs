//! The libFuzzer dictionary `fuzz/mods.dict`, generated from the model.
//!
//! Mutating bytes at random seldom spells `"care_worker_category"` or a value-set code; a
//! dictionary gives the fuzzer the words of the format. Every token here comes from the model
//! tables of every supported version (class and element technical names, value-set codes,
//! code-system and value-set URLs, the versions themselves) or from a short fixed list of
//! shapes the rules care about (dates and partial dates in every form, times, offsets,
//! identifiers: ODS codes by role, postcodes in their accepted forms, language tags;
//! numbers at the edges, escapes). `cargo run -p mods-fuzz -- dict` writes the file; a test checks it is fresh.

use mods_core::model::{self, ClassKind, Lookup};
use std::collections::BTreeSet;

/// Shapes the value rules care about, written as JSON string or number tokens.
const SHAPES: &[&str] = &[
    // dates, partial dates, times, date-times and offsets
    "\"2024-02-29\"",
    "\"2023-02-29\"",
    "\"1900-02-29\"",
    "\"0000-01-01\"",
    "\"9999-12-31\"",
    "\"2024-13-01\"",
    "\"2024-00-10\"",
    "\"1948\"",
    "\"1948-07\"",
    "\"19\"",
    "\"--02-29\"",
    "\"--11\"",
    "\"--13-01\"",
    "\"12:30\"",
    "\"23:59:59\"",
    "\"24:00\"",
    "\"23:59:60\"",
    "\"2026-11-01\"",
    "\"2026-11-01T10:15:00Z\"",
    "\"2026-11-01T10:15:00+01:00\"",
    "\"2026-11-01t10:15:00z\"",
    "\"2026-11-01T10:15:00.123456789-05:00\"",
    "+00:00",
    "-00:00",
    "+14:00",
    "T23:59",
    // identifiers
    "\"9434765919\"",
    "\"9434765918\"",
    "\"943 476 5919\"",
    "\"LS11 5DT\"",
    "\"GIR 0AA\"",
    "\"sw1a 2aa\"",
    "\"RZ701\"",
    "\"RXH\"",
    "\"A81001\"",
    "\"U12345\"",
    "\"00Q\"",
    "\"X2C4Y\"",
    "\"ZZ99 3VZ\"",
    "\"BFPO 61\"",
    "\"ASCN 1ZZ\"",
    "\"M1   1AE\"",
    "\"en-GB\"",
    "\"zh-Hant-HK\"",
    "\"i-klingon\"",
    "\"x-private\"",
    "\"1-101234567\"",
    "\"E08000035\"",
    "\"100050917736\"",
    "\"someone@example.org\"",
    // numbers at the edges
    "-0",
    "0.5",
    "1e400",
    "-1",
    "9007199254740991",
    "9007199254740993",
    "1.0",
    // structure
    "{\"code\":\"",
    "\"code\":",
    "\"system\":",
    "\"display\":",
    "\"record_uid\":",
    "\"version_number\":",
    "\"mods_version\":",
    "\"mods_extensions\":",
    "{\"migration\":[{",
    "\"from_version\":",
    "\"to_version\":",
    "\"path\":",
    "\"class\":",
    "\"element\":",
    "\"value\":",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "\"\"",
    "\" \"",
    // escapes
    "\\u0000",
    "\\ud800",
    "\\udc00",
    "\\u00e9",
    "\\\"",
    "\\/",
];

fn quoted(s: &str) -> Vec<u8> {
    serde_json::to_vec(&s).unwrap_or_default()
}

/// Every token, sorted and without repeats.
pub fn tokens() -> BTreeSet<Vec<u8>> {
    let mut out: BTreeSet<Vec<u8>> = SHAPES.iter().map(|s| s.as_bytes().to_vec()).collect();
    for m in model::models() {
        out.insert(quoted(m.mods_version));
        for c in m.classes {
            out.insert(quoted(c.technical_name));
            if c.kind != ClassKind::Abstract {
                // the first line of a validate_instance_json input
                out.insert(format!("{}\n", c.technical_name).into_bytes());
            }
            for e in c.elements {
                out.insert(quoted(e.technical_name));
                match &e.lookup {
                    Lookup::External {
                        system, value_set, ..
                    } => {
                        out.insert(quoted(system));
                        if let Some(v) = value_set {
                            out.insert(quoted(v));
                        }
                    }
                    Lookup::ValueSet { .. } | Lookup::Reference { .. } | Lookup::None => {}
                }
            }
        }
        for vs in m.value_sets {
            out.insert(quoted(vs.url));
            for system in vs.systems() {
                out.insert(quoted(system));
            }
            for (_, code) in vs.codes() {
                out.insert(quoted(code.code));
            }
        }
    }
    out
}

/// One dictionary line: the token between quotes, with `\`, `"` and every byte outside
/// printable ASCII escaped the way libFuzzer reads them (`\\`, `\"`, `\xNN`).
fn line(token: &[u8]) -> String {
    let mut s = String::from("\"");
    for &b in token {
        match b {
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            0x20..=0x7e => s.push(char::from(b)),
            _ => s.push_str(&format!("\\x{b:02X}")),
        }
    }
    s.push('"');
    s
}

/// The dictionary file's text.
pub fn dictionary() -> String {
    let mut out = String::from(
        "# libFuzzer dictionary of MODS tokens, generated from the model by\n\
         # `cargo run -p mods-fuzz -- dict` (do not edit; a test checks it is fresh).\n",
    );
    for t in tokens() {
        out.push_str(&line(&t));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_escape_what_libfuzzer_needs() {
        assert_eq!(line(b"\"alert\""), r#""\"alert\"""#);
        assert_eq!(line(b"\\u0000"), r#""\\u0000""#);
        assert_eq!(line(b"alert\n"), r#""alert\x0A""#);
        assert_eq!(line("é".as_bytes()), r#""\xC3\xA9""#);
    }
}
