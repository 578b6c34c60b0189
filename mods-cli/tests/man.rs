//! `mods man`: one manual page per subcommand (clap_mangen), each a well-formed page that
//! `man` renders where it is installed.

use assert_cmd::Command;
use std::fs;
use tempfile::TempDir;

fn mods() -> Command {
    Command::cargo_bin("mods").expect("the mods binary is built")
}

/// The subcommands `mods --help` lists (without `help`).
fn subcommands() -> Vec<String> {
    let out = mods().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_subcommand_has_a_page() {
    let names = subcommands();
    assert!(names.len() >= 20, "{names:?}");
    assert!(names.contains(&"man".to_owned()));
    let dir = TempDir::new().unwrap();
    mods()
        .args(["man", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for name in std::iter::once("mods".to_owned()).chain(names.iter().map(|n| format!("mods-{n}")))
    {
        let page = fs::read_to_string(dir.path().join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"));
        let title = format!(".TH {name} 1 ");
        assert!(page.contains(&title), "{name}.1 has no {title:?}");
        for section in [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION"] {
            assert!(page.contains(section), "{name}.1 has no {section}");
        }
    }
    // the nested ones too
    assert!(dir.path().join("mods-fhir-export.1").exists());
    // the options of a command are on its page
    let validate = fs::read_to_string(dir.path().join("mods-validate.1")).unwrap();
    assert!(validate.contains("failures\\-only"), "{validate}");

    // rendered by man(1), where it is installed, without a warning
    let man = std::process::Command::new("man")
        .args(["--warnings", "-l"])
        .arg(dir.path().join("mods-validate.1"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output();
    match man {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.contains("NAME") && text.contains("mods-validate"),
                "{text}"
            );
            assert_eq!(String::from_utf8_lossy(&out.stderr), "", "man's warnings");
        }
        Err(_) => eprintln!("SKIPPED rendering: no man(1) here"),
    }
}

#[test]
fn without_out_the_page_of_mods_is_printed() {
    let out = mods().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH mods 1 "));
    assert!(
        page.contains("mods\\-validate(1)"),
        "the subcommands are listed"
    );
}
