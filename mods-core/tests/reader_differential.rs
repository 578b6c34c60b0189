//! The engine's own reader against the engine as it was over serde_json's visitor layer
//! (`validate::serde_pass`, behind the `legacy-engine` feature): on the example records, on
//! thousands of byte-level mutations of them and on hand-picked edge cases, under default
//! and tight limits, both give the same report or the same input error (code, message,
//! pointer, line, column, offset).
//!
//! `cargo test -p mods-core --features legacy-engine --test reader_differential`

#![cfg(feature = "legacy-engine")]

use mods_core::validate::serde_pass;
use mods_core::{validate_instance_json, validate_record_json, Limits, ValidationOptions};

/// A small, seeded pseudo-random source (xorshift64*), so that a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes that change what a JSON reader does.
const BYTES: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"\\",
    b" ",
    b"\n",
    b"\t",
    b"0",
    b"1",
    b"-",
    b"+",
    b".",
    b"e",
    b"E",
    b"n",
    b"t",
    b"f",
    b"null",
    b"true",
    b"1e400",
    b"01",
    b"-0",
    b"1.",
    b"\\u00e9",
    b"\\ud83d\\ude00",
    b"\\ud800",
    b"\\udc00",
    b"\\ud800\\u0041",
    b"\\x",
    b"\x01",
    b"\xc3\xa9",
    b"[[[[[[[[",
    b"]]]]]]]]",
    b"{\"a\":{\"a\":",
    b"\"k\":1,",
    b"\"k\":1,\"k\":2",
    b"123456789012345678901234567890",
    b"18446744073709551616",
    b"1.5e-3",
];

fn mutate(rng: &mut Rng, doc: &[u8]) -> Vec<u8> {
    let mut out = doc.to_vec();
    for _ in 0..=rng.below(3) {
        if out.is_empty() {
            out.extend_from_slice(BYTES[rng.below(BYTES.len())]);
            continue;
        }
        let at = rng.below(out.len());
        match rng.below(4) {
            0 => {
                out.remove(at);
            }
            1 => {
                let b = BYTES[rng.below(BYTES.len())];
                out.splice(at..at, b.iter().copied());
            }
            2 => {
                let b = BYTES[rng.below(BYTES.len())];
                let end = (at + b.len()).min(out.len());
                out.splice(at..end, b.iter().copied());
            }
            _ => out.truncate(at),
        }
    }
    out
}

fn limits(rng: &mut Rng) -> Limits {
    match rng.below(4) {
        0 => Limits::default(),
        1 => Limits::default()
            .with_max_depth(1 + rng.below(8))
            .with_max_string_bytes(4 + rng.below(30))
            .with_max_array_items(1 + rng.below(4))
            .with_max_object_members(2 + rng.below(10))
            .with_max_nodes(5 + rng.below(400)),
        // deeper than serde_json's own recursion limit
        2 => Limits::default().with_max_depth(200),
        _ => Limits::default()
            .with_max_nodes(50 + rng.below(2_000))
            .with_max_object_members(5 + rng.below(40)),
    }
}

fn same(input: &[u8], opts: &ValidationOptions) {
    let new = validate_record_json(input, opts);
    let old = serde_pass::validate_record_json(input, opts);
    assert_eq!(
        format!("{new:?}"),
        format!("{old:?}"),
        "record: {:?} with {:?}",
        String::from_utf8_lossy(input),
        opts.limits
    );
    let new = validate_instance_json("alert", input, opts);
    let old = serde_pass::validate_instance_json("alert", input, opts);
    let new = new.map_err(|e| e.to_string());
    let old = old.map_err(|e| e.to_string());
    assert_eq!(
        format!("{new:?}"),
        format!("{old:?}"),
        "instance: {:?}",
        String::from_utf8_lossy(input)
    );
}

fn records() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/records");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    out.sort();
    out
}

fn options(rng: &mut Rng) -> ValidationOptions {
    let mut opts = ValidationOptions::default()
        .with_today(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    opts.limits = limits(rng);
    opts.include_values = rng.below(2) == 0;
    opts
}

#[test]
fn example_records_and_their_mutations_read_the_same() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let docs = records();
    assert!(!docs.is_empty());
    for doc in &docs {
        same(doc, &ValidationOptions::default());
    }
    let mut errors = 0;
    for _ in 0..1_500 {
        let doc = &docs[rng.below(docs.len())];
        let input = mutate(&mut rng, doc);
        let opts = options(&mut rng);
        if validate_record_json(&input, &opts).is_err() {
            errors += 1;
        }
        same(&input, &opts);
    }
    // the mutations reach the reader's errors, not only reports
    assert!(errors > 500, "{errors}");
}

#[test]
fn small_documents_read_the_same() {
    let mut rng = Rng(0x5EED_1234_ABCD_0002);
    let seeds: &[&[u8]] = &[
        br#"{"mods_version":"1.0","subject_of_care":{"name":"A","x":[1,{"y":null}]}}"#,
        br#"{"alert_type":{"code":"x","system":"s"},"extra":{"a":[true,false,"\u00e9"]}}"#,
        b"{ \"mods_version\" : \"1.0\" ,\n \"alerts\" : [ { } , { \"k\" : 1 } ] }\n",
        b"[1, -0, 1.5e3, 18446744073709551615, 18446744073709551616, \"\\ud83d\\ude00\"]",
        b"",
        b"  \n ",
    ];
    for _ in 0..4_000 {
        let seed = seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, seed);
        let opts = options(&mut rng);
        same(&input, &opts);
    }
}

#[test]
fn edge_cases_read_the_same() {
    let deep = |n: usize, open: &str, close: &str| {
        format!("{}{}", open.repeat(n), close.repeat(n)).into_bytes()
    };
    let mut cases: Vec<Vec<u8>> = vec![
        deep(127, "[", "]"),
        deep(128, "[", "]"),
        deep(129, "[", "]"),
        deep(65, "[", "]"),
        b"[".repeat(100_000),
        br#"{"a":"#.repeat(200),
        br#"{"a":1 , "a":2}"#.to_vec(),
        b"{\"a\":1 \n\n ,\"a\" \n :2}".to_vec(),
        b"[1,2,3 \n ,4]".to_vec(),
        b"[1,2,3 \n ]".to_vec(),
        b"[[],[],[]]".to_vec(),
        b"{\"a\":{},\"b\":[]}".to_vec(),
        b"{\"a\":{\"b\":{ \n }},\"c\":[[ \n ], \n 1]}".to_vec(),
        b"[{\"a\":[{}]},{},[]]".to_vec(),
        b"\"\\ud800\"".to_vec(),
        b"\"\\udc00\"".to_vec(),
        b"\"\\ud800\\\"".to_vec(),
        b"\"\\u12\"".to_vec(),
        b"1e400".to_vec(),
        b"-1e400".to_vec(),
        b"1e-400".to_vec(),
        b"9".repeat(400),
        b"-".to_vec(),
        b"[-]".to_vec(),
        b"[1.]".to_vec(),
        b"[1e]".to_vec(),
        b"[1e+]".to_vec(),
        b"nul".to_vec(),
        b"[nulL]".to_vec(),
        b"{\"a\"}".to_vec(),
        b"{\"a\" 1}".to_vec(),
        b"{,}".to_vec(),
        b"{\"a\":1,}".to_vec(),
        b"[,1]".to_vec(),
        b"\"a\x01b\"".to_vec(),
        b"{\"mods_version\":\"9.9\",\"x\":[1,2,{\"y\":\"z\"}]}".to_vec(),
        b"{\"x\":[1,2],\"mods_version\":1}".to_vec(),
    ];
    for n in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] {
        cases.push(format!("[{}]", vec!["1"; n].join(",")).into_bytes());
        cases.push(format!("[{}]", vec!["\"abcd\""; n].join(" , ")).into_bytes());
        cases.push(
            format!(
                "{{{}}}",
                (0..n)
                    .map(|i| format!("\"k{i}\" : [{i}]"))
                    .collect::<Vec<_>>()
                    .join(",\n")
            )
            .into_bytes(),
        );
    }
    let mut rng = Rng(0x5EED_1234_ABCD_0003);
    for case in &cases {
        same(case, &ValidationOptions::default());
        for _ in 0..20 {
            let opts = options(&mut rng);
            same(case, &opts);
        }
    }
}
