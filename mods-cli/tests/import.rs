//! `mods import`: the commands of `examples/legacy-import/README.md`, checked against what it
//! says, and the round trip: every cell of the example export is in a record or in the report.
//! Also bad input: a mapping naming an unknown element, a mapping that is not TOML.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

fn mods() -> Command {
    Command::cargo_bin("mods").expect("the mods binary is built")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn example() -> PathBuf {
    repo().join("examples/legacy-import")
}

fn readme() -> String {
    std::fs::read_to_string(example().join("README.md")).expect("README")
}

/// The README's `mods import` commands, with their output paths moved into `tmp`.
fn readme_commands(tmp: &Path) -> Vec<Vec<String>> {
    readme()
        .lines()
        .filter(|l| l.starts_with("mods import "))
        .map(|l| {
            l.split_whitespace()
                .skip(1)
                .map(|w| match w {
                    "report.csv" => tmp.join("report.csv").display().to_string(),
                    "legacy-records/" => tmp.join("legacy-records").display().to_string(),
                    w => w.to_string(),
                })
                .collect()
        })
        .collect()
}

struct Report {
    by_code: BTreeMap<String, usize>,
    cells: HashSet<(u64, String)>,
    rows: HashSet<u64>,
    columns: HashSet<String>,
}

fn read_report(path: &Path) -> Report {
    let mut r = csv::Reader::from_path(path).expect("report.csv");
    let mut report = Report {
        by_code: BTreeMap::new(),
        cells: HashSet::new(),
        rows: HashSet::new(),
        columns: HashSet::new(),
    };
    for rec in r.records() {
        let rec = rec.expect("a report row");
        let (row, column, code) = (&rec[1], &rec[2], &rec[3]);
        *report.by_code.entry(code.to_string()).or_default() += 1;
        assert_eq!(
            &rec[9], "",
            "no value in the report without --include-values"
        );
        match (row.parse::<u64>().ok(), column) {
            (Some(n), "") => {
                report.rows.insert(n);
            }
            (Some(n), c) => {
                report.cells.insert((n, c.to_string()));
            }
            (None, c) => {
                report.columns.insert(c.to_string());
            }
        }
    }
    report
}

#[test]
fn the_readme_commands_do_what_it_says_and_every_cell_is_accounted_for() {
    let tmp = tempfile::tempdir().unwrap();
    let commands = readme_commands(tmp.path());
    assert_eq!(commands.len(), 2, "a dry run and an import");
    let text = readme();

    // the dry run: the summary lines the README quotes, the report's counts by code
    let out = mods()
        .current_dir(repo())
        .args(&commands[0])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the report has errors");
    let stdout = String::from_utf8(out.stdout).unwrap();
    for quoted in text
        .lines()
        .filter(|l| l.starts_with("dry run: ") || l.starts_with("cells: "))
    {
        assert!(
            stdout.lines().any(|l| l == quoted),
            "the README's `{quoted}` is not in:\n{stdout}"
        );
    }
    let report = read_report(&tmp.path().join("report.csv"));
    let table: BTreeMap<String, usize> = text
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((code.to_string(), cells.get(2)?.parse().ok()?))
        })
        .collect();
    assert_eq!(report.by_code, table, "the README's table of codes");

    // the import: one file per person, the summary beside the folder
    let out = mods()
        .current_dir(repo())
        .args(&commands[1])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let dir = tmp.path().join("legacy-records");
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("legacy-records.summary.json")).unwrap(),
    )
    .unwrap();
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 300);
    assert!(text.contains("(300 files)"));
    assert_eq!(summary["persons"], 300);
    assert_eq!(
        (
            summary["classes"]["alert"].as_u64(),
            summary["classes"]["personal_contact"].as_u64()
        ),
        (Some(318), Some(318))
    );
    assert!(text.contains("318\nalerts and 318 personal contacts"));
    for a in summary["attachments"].as_array().unwrap() {
        let body = std::fs::read(example().join(a["path"].as_str().unwrap())).unwrap();
        assert_eq!(a["size"].as_u64(), Some(body.len() as u64));
    }

    // the records by client id
    let mut records: HashMap<String, String> = HashMap::new();
    for f in &files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let id = doc["subject_of_care"]["local_identifier"][0]
            .as_str()
            .unwrap()
            .to_string();
        records.insert(id, serde_json::to_string(&doc).unwrap());
    }

    // the round trip, cell by cell
    let mapping = mods_import::Mapping::parse(
        &std::fs::read_to_string(example().join("mapping.toml")).unwrap(),
    )
    .unwrap();
    let codes = |col: &str, v: &str| -> String {
        let c = mapping.columns.iter().find(|c| c.name == col).unwrap();
        c.codes
            .get(&v.trim().to_lowercase())
            .cloned()
            .unwrap_or_else(|| panic!("{col}: no code"))
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(example().join("clients.csv"))
        .unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let (mut cells, mut imported) = (0u64, 0u64);
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.unwrap();
        let row = i as u64 + 2;
        if rec.len() != header.len() {
            assert!(
                report.rows.contains(&row),
                "row {row} with too many fields is reported"
            );
            cells += rec
                .iter()
                .take(header.len())
                .filter(|v| !v.trim().is_empty())
                .count() as u64;
            continue;
        }
        let record = records.get(rec[0].trim());
        for (col, v) in header.iter().zip(rec.iter()) {
            if v.trim().is_empty() {
                continue;
            }
            cells += 1;
            if col == "team"
                || report.cells.contains(&(row, col.clone()))
                || report.columns.contains(col)
                || report.rows.contains(&row)
            {
                continue;
            }
            imported += 1;
            let json = record.unwrap_or_else(|| panic!("row {row}: no record"));
            let expect = match col.as_str() {
                "client_id" | "nhs_no" | "alert_note" | "contact_phone" | "letter_path" => {
                    format!("\"{v}\"")
                }
                "gender" | "ethnicity" | "orientation" | "alert_type" | "contact_relationship" => {
                    format!("\"code\":\"{}\"", codes(col, v))
                }
                "dob" | "died" | "alert_date" => format!("\"{}\"", iso_date(v)),
                "alert_raised" => format!("\"{}T{}:00Z\"", iso_date(&v[..10]), &v[11..]),
                "client_name" | "contact_name" => {
                    let family = match v.split_once(',') {
                        Some((f, _)) => f.trim(),
                        None => v.split_whitespace().last().unwrap(),
                    };
                    format!("\"family_name\":\"{family}\"")
                }
                "address" => format!("\"postcode\":\"{}\"", v.rsplit(',').next().unwrap().trim()),
                other => panic!("a column the test does not know: {other}"),
            };
            assert!(
                json.contains(&expect),
                "row {row} column {col}: {expect} not in the record"
            );
        }
    }
    let total: u64 = summary["columns"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c["cells"].as_u64().unwrap())
        .sum();
    assert_eq!(total, cells, "the summary counts every cell with a value");
    let summed: u64 = summary["columns"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c["imported"].as_u64().unwrap())
        .sum();
    assert!(
        imported <= summed && imported > 6000,
        "{imported} of {summed}"
    );
    for (name, c) in summary["columns"].as_object().unwrap() {
        let n = |k: &str| c[k].as_u64().unwrap();
        assert_eq!(
            n("cells"),
            n("imported") + n("ignored") + n("reported"),
            "column {name}"
        );
    }
}

fn iso_date(v: &str) -> String {
    let parts: Vec<&str> = v.split('/').collect();
    match parts.as_slice() {
        [d, m, y] => format!("{y}-{m}-{d}"),
        [m, y] => format!("{y}-{m}"),
        _ => v.to_string(),
    }
}

#[test]
fn a_mapping_naming_an_unknown_element_is_exit_2_and_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let map = tmp.path().join("map.toml");
    std::fs::write(&map, "format = 1\nperson = \"id\"\n[[column]]\nname = \"id\"\npath = \"subject_of_care.shoe_size\"\n").unwrap();
    let csv = tmp.path().join("in.csv");
    std::fs::write(&csv, "id\n1\n").unwrap();
    let out = mods()
        .arg("import")
        .arg("--mapping")
        .arg(&map)
        .arg("--dry-run")
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown-element at column[0].path"), "{err}");
    std::fs::write(&map, "format = [\n").unwrap();
    let out = mods()
        .arg("import")
        .arg("--mapping")
        .arg(&map)
        .arg("--dry-run")
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("mapping-syntax"));
}

#[test]
fn ndjson_out_and_json_report_and_values_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let map = tmp.path().join("map.toml");
    std::fs::write(
        &map,
        "format = 1\nperson = \"id\"\n[[column]]\nname = \"id\"\npath = \"subject_of_care.local_identifier\"\n[[column]]\nname = \"name\"\npath = \"subject_of_care.person_name\"\nsplit = \"name\"\n[[column]]\nname = \"eth\"\npath = \"person_demographics.ethnicity\"\n",
    )
    .unwrap();
    let csv = tmp.path().join("in.csv");
    std::fs::write(&csv, "id,name,eth\n1,Ann Smith,Klingon\n2,Bo Li,A\n").unwrap();
    let out_file = tmp.path().join("out.ndjson");
    let out = mods()
        .arg("import")
        .arg("--mapping")
        .arg(&map)
        .arg(&csv)
        .arg("--out")
        .arg(&out_file)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["summary"]["persons"], 2);
    assert!(report["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["code"] == "unmapped-value" && e["row"] == 2 && e["column"] == "eth"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Klingon"));
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap().lines().count(),
        2
    );
    assert!(tmp.path().join("out.summary.json").exists());
    let out = mods()
        .arg("import")
        .arg("--mapping")
        .arg(&map)
        .arg(&csv)
        .arg("--dry-run")
        .arg("--include-values")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Klingon"));
}

#[test]
fn a_missing_input_or_an_unknown_extension_is_exit_2_and_no_progress_bar_off_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let map = example().join("mapping.toml");
    let out = mods()
        .arg("import")
        .arg("--mapping")
        .arg(&map)
        .arg("--dry-run")
        .arg(tmp.path().join("gone.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("unreadable-input"));
    let odd = tmp.path().join("export.xls");
    std::fs::write(&odd, "x").unwrap();
    let out = mods()
        .arg("import")
        .arg("--mapping")
        .arg(&map)
        .arg("--dry-run")
        .arg(&odd)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // a successful run off a terminal writes nothing to stderr (no progress bar)
    let csv = tmp.path().join("in.csv");
    std::fs::write(&csv, "id\n1\n").unwrap();
    let m = tmp.path().join("m.toml");
    std::fs::write(&m, "format = 1\nperson = \"id\"\n[[column]]\nname = \"id\"\npath = \"subject_of_care.local_identifier\"\n").unwrap();
    let out = mods()
        .arg("import")
        .arg("--mapping")
        .arg(&m)
        .arg("--dry-run")
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "no person name: the record does not validate"
    );
}

/// On a terminal (a pseudo-terminal made by util-linux `script`), `mods import` shows its
/// progress on stderr as it reads, and clears it before the summary; the summary and the
/// report lines are still whole.
#[test]
fn a_progress_line_on_a_terminal() {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_script {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "util-linux `script` is needed for the terminal test in CI"
        );
        eprintln!("SKIPPED a_progress_line_on_a_terminal: no util-linux `script` here");
        return;
    }
    // the example's rows ten times over: enough rows for several progress updates
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example().join("clients.csv")).unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let mut big = format!("{header}\n");
    for _ in 0..10 {
        big.push_str(rows);
        if !rows.ends_with('\n') {
            big.push('\n');
        }
    }
    let csv = tmp.path().join("clients.csv");
    std::fs::write(&csv, big).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("mods");
    let command = format!(
        "{} import --mapping {} --base-dir {} --dry-run {} > /dev/null",
        bin.display(),
        example().join("mapping.toml").display(),
        example().display(),
        csv.display()
    );
    // `script` runs the command on a pseudo-terminal and copies what it writes there (here
    // stderr only: stdout goes to /dev/null) to its own stdout
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .output()
        .unwrap();
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(
        tty.contains("rows read") || tty.contains("reading"),
        "no progress on the terminal: {tty:?}"
    );
    // cleared: the line is erased before the process ends (ESC [2K, or a carriage return
    // and blanks)
    assert!(
        tty.contains("\u{1b}[2K") || tty.contains('\r'),
        "the progress line is not cleared: {tty:?}"
    );
    assert_eq!(out.status.code(), Some(1), "the report has errors: {tty:?}");
    // off a terminal the same command draws nothing
    let plain = mods()
        .args(["import", "--mapping"])
        .arg(example().join("mapping.toml"))
        .arg("--base-dir")
        .arg(example())
        .arg("--dry-run")
        .arg(&csv)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&plain.stderr);
    assert!(
        !err.contains("rows read") && !err.contains("reading"),
        "{err}"
    );
}
