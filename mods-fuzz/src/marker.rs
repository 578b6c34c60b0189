//! The "no leak" oracle.
//!
//! Reports, change lists and diffs must never carry the person's data unless values were
//! asked for (`include_values`). A check that an output "contains no input string" cannot be
//! sound on its own: a name such as "must" may occur in a message by chance. So the input is
//! rewritten instead: string *values* (never keys, which are names chosen by the producing
//! system and may appear in paths) get a marker character, chosen among a few rare ones so
//! that it occurs neither in the input nor in any text the library writes. The marker then
//! may appear in an output only where values are allowed to go, and anywhere else it is a
//! leak, even a single character of it. Which strings are marked, and how (replaced, marker
//! before, after or in the middle), is decided from a seed, so that some values keep their
//! shape and reach the rules that only run on well-formed values.
//!
//! A value that must keep its exact shape to reach a rule (a ten-digit NHS number that fails
//! only its check digit) cannot carry a marker; for those, [`long_digit_strings`] lists the
//! long digit strings of a document, which outputs must not contain either.

use serde_json::{Map, Value};

/// Marker candidates: characters that no text of the library contains.
const CANDIDATES: [char; 4] = ['\u{A66E}', '\u{2E3B}', '\u{1F9EA}', '\u{10FFFD}'];

/// A marker character that does not occur in `input` (a document's text, keys included).
pub fn choose(input: &str) -> Option<char> {
    CANDIDATES.into_iter().find(|c| !input.contains(*c))
}

/// A marker character that occurs nowhere in `doc`, keys included.
pub fn choose_for(doc: &Value) -> Option<char> {
    choose(&doc.to_string())
}

/// A 64-bit hash of bytes (FNV-1a), the seed of a rewrite.
pub fn seed_of(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn mix(mut z: u64) -> u64 {
    // splitmix64
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Which string values a rewrite may touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every string value.
    All,
    /// Every string value, but in the migration slot (`mods_extensions.migration`) only the
    /// kept `value`s: the entries' `path`, `class` and versions are written by the library
    /// and are reported back by design when the data is restored.
    KeptValuesOnly,
}

/// Rewrite the string values of `doc`: about two in three get the marker `m`. The top-level
/// `mods_version` is left alone (it picks the model and is not the person's data).
pub fn mark(doc: &Value, m: char, seed: u64, scope: Scope) -> Value {
    let mut n = 0u64;
    let mut out = doc.clone();
    walk(&mut out, m, seed, &mut n, scope, Place::Top);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Top,
    Ordinary,
    Extensions,
    Protected,
}

fn walk(v: &mut Value, m: char, seed: u64, n: &mut u64, scope: Scope, place: Place) {
    match v {
        Value::String(s) => {
            if place == Place::Protected {
                return;
            }
            *n += 1;
            let r = mix(seed ^ n.wrapping_mul(0x2545_f491_4f6c_dd1d));
            let mk: String = std::iter::repeat_n(m, 3).collect();
            *s = match r % 6 {
                0 | 1 => return,
                2 => mk,
                3 => format!("{mk}{s}"),
                4 => format!("{s}{mk}"),
                _ => {
                    let mut cut = s.len() / 2;
                    while !s.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    format!("{}{mk}{}", &s[..cut], &s[cut..])
                }
            };
        }
        Value::Array(items) => {
            for i in items {
                walk(i, m, seed, n, scope, place);
            }
        }
        Value::Object(o) => {
            for (k, item) in o.iter_mut() {
                let next = match (scope, place) {
                    // the version picks the model; it is not the person's data
                    (_, Place::Top) if k == "mods_version" => Place::Protected,
                    (Scope::All, _) => Place::Ordinary,
                    (Scope::KeptValuesOnly, Place::Top) if k == "mods_extensions" => {
                        Place::Extensions
                    }
                    (Scope::KeptValuesOnly, Place::Extensions) if k == "migration" => {
                        Place::Protected
                    }
                    (Scope::KeptValuesOnly, Place::Protected) if k == "value" => Place::Ordinary,
                    (_, Place::Top) => Place::Ordinary,
                    (_, p) => p,
                };
                walk(item, m, seed, n, scope, next);
            }
        }
        _ => {}
    }
}

/// Insert the marker after the opening and before the closing quote of every string of a
/// JSON text (keys too: this is for input that could not be parsed, whose error messages
/// must not quote the input at all).
pub fn mark_bytes(bytes: &[u8], m: char) -> Vec<u8> {
    let mut buf = [0u8; 4];
    let mk = m.encode_utf8(&mut buf).as_bytes().to_vec();
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let (mut inside, mut escaped) = (false, false);
    for &b in bytes {
        if inside {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                out.extend_from_slice(&mk);
                inside = false;
            }
            out.push(b);
        } else {
            out.push(b);
            if b == b'"' {
                out.extend_from_slice(&mk);
                inside = true;
            }
        }
    }
    out
}

/// Whether `m` occurs anywhere in `v`, keys included.
pub fn occurs_in(v: &Value, m: char) -> bool {
    match v {
        Value::String(s) => s.contains(m),
        Value::Array(a) => a.iter().any(|x| occurs_in(x, m)),
        Value::Object(o) => o.iter().any(|(k, x)| k.contains(m) || occurs_in(x, m)),
        _ => false,
    }
}

/// The members of `o` where `m` occurs, other than those named in `allowed`.
pub fn leaking_members(o: &Map<String, Value>, m: char, allowed: &[&str]) -> Vec<String> {
    o.iter()
        .filter(|(k, v)| !allowed.contains(&k.as_str()) && (k.contains(m) || occurs_in(v, m)))
        .map(|(k, _)| k.clone())
        .collect()
}

/// String values of `doc` made of ten or more ASCII digits that occur nowhere else in `doc`
/// as a key or inside a number: the identifiers (NHS numbers, UPRNs) that a report must not
/// repeat, and that no text of the library can contain by chance without also echoing them.
pub fn long_digit_strings(doc: &Value) -> Vec<String> {
    let (mut strings, mut other) = (Vec::new(), String::new());
    fn collect(v: &Value, strings: &mut Vec<String>, other: &mut String) {
        match v {
            Value::String(s) if s.len() >= 10 && s.bytes().all(|b| b.is_ascii_digit()) => {
                strings.push(s.clone())
            }
            Value::Number(n) => {
                other.push_str(&n.to_string());
                other.push(' ');
            }
            Value::Array(a) => a.iter().for_each(|x| collect(x, strings, other)),
            Value::Object(o) => {
                for (k, x) in o {
                    other.push_str(k);
                    other.push(' ');
                    collect(x, strings, other);
                }
            }
            _ => {}
        }
    }
    collect(doc, &mut strings, &mut other);
    strings.sort();
    strings.dedup();
    strings.retain(|s| !other.contains(s.as_str()));
    strings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn marks_values_not_keys() {
        let doc = json!({"a": ["x", "y", "z", "w", "v", "u", "t", "s"], "b": {"c": "d"}});
        let m = choose_for(&doc).unwrap_or('?');
        let marked = mark(&doc, m, 7, Scope::All);
        assert!(occurs_in(&marked, m));
        assert!(marked
            .as_object()
            .is_some_and(|o| o.keys().all(|k| !k.contains(m))));
        // deterministic
        assert_eq!(marked, mark(&doc, m, 7, Scope::All));
    }

    #[test]
    fn kept_metadata_is_protected() {
        let doc = json!({"mods_extensions": {"migration": [
            {"path": "/alert", "class": "alert", "value": ["a", "b", "c", "d", "e", "f", "g"]}]}});
        let m = '\u{A66E}';
        for seed in 0..32 {
            let marked = mark(&doc, m, seed, Scope::KeptValuesOnly);
            let e = &marked["mods_extensions"]["migration"][0];
            assert_eq!(e["path"], "/alert");
            assert_eq!(e["class"], "alert");
        }
    }

    #[test]
    fn bytes_are_marked_inside_strings_only() {
        let m = '\u{A66E}';
        let out = mark_bytes(br#"{"a":"b\"c",1}"#, m);
        let text = String::from_utf8(out).unwrap_or_default();
        assert_eq!(text, "{\"ꙮaꙮ\":\"ꙮb\\\"cꙮ\",1}");
    }

    #[test]
    fn leaks_are_found_in_any_member_but_the_allowed_ones() {
        let m = '\u{A66E}';
        let ctx = json!({"class": "alert", "value": "ꙮꙮꙮGreen", "nested": [{"x": "aꙮ"}]});
        let o = ctx.as_object().cloned().unwrap_or_default();
        assert_eq!(
            leaking_members(&o, m, &["value"]),
            vec!["nested".to_owned()]
        );
        assert_eq!(
            leaking_members(&o, m, &[]),
            vec!["nested".to_owned(), "value".to_owned()]
        );
        let clean = json!({"class": "alert", "element": "free_text"});
        assert!(leaking_members(clean.as_object().unwrap_or(&Map::new()), m, &[]).is_empty());
    }

    #[test]
    fn digit_strings() {
        let doc =
            json!({"n": "9434765919", "k": "12345678901", "12345678901": 1, "x": 94347659190u64});
        assert_eq!(long_digit_strings(&doc), Vec::<String>::new());
        let doc = json!({"n": "9434765919"});
        assert_eq!(long_digit_strings(&doc), vec!["9434765919".to_owned()]);
    }
}
