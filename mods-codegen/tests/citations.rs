//! Citations in the spec data and the docs: no address on a non-production host, and every
//! provenance source filed under the kind its address (or, without one, its text) calls for.
//! The rules are the table in docs/spec-format.md ("Source kinds").

use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// (file name, text) of every spec file (the model of each version, the glossary, the
/// migrations).
fn spec_texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["mods-core/spec", "mods-core/spec/migrations"] {
        for e in std::fs::read_dir(repo().join(dir))
            .expect("spec folder")
            .flatten()
        {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&p).expect("readable");
                out.push((format!("{dir}/{}", e.file_name().to_string_lossy()), text));
            }
        }
    }
    out.sort();
    out
}

/// Every `http(s)://` address in a text.
fn urls(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("http") {
        let tail = &rest[i..];
        if tail.starts_with("https://") || tail.starts_with("http://") {
            let end = tail
                .find(|c: char| c.is_whitespace() || "\"'<>()[]`\\,".contains(c))
                .unwrap_or(tail.len());
            out.push(&tail[..end]);
            rest = &tail[end..];
        } else {
            rest = &tail[4..];
        }
    }
    out
}

/// `(host, path)` of an `http(s)` address, host in lower case.
fn host_and_path(url: &str) -> (String, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    (rest[..end].to_ascii_lowercase(), &rest[end..])
}

/// Why a host is not a production one, or `None` when it is. Hosts are split into labels
/// at `.` and `-`; a label naming an environment (non-prod, UAT, staging, test, dev,
/// sandbox...) or a known continuous-build site marks a non-production host. Placeholder
/// hosts of code samples (`example.org`) are not citations and are not flagged.
fn non_production(host: &str) -> Option<&'static str> {
    const CI_BUILDS: &[&str] = &["build.fhir.org"];
    if CI_BUILDS.contains(&host) {
        return Some("a continuous-integration build, not a publication");
    }
    let labels: Vec<&str> = host.split(['.', '-']).collect();
    let env = |l: &str| {
        let base = l.trim_end_matches(|c: char| c.is_ascii_digit());
        matches!(
            base,
            "nonprod"
                | "uat"
                | "staging"
                | "stage"
                | "stg"
                | "test"
                | "testing"
                | "dev"
                | "development"
                | "sandbox"
                | "preprod"
                | "int"
                | "integration"
                | "qa"
        )
    };
    if labels.iter().any(|l| env(l)) || labels.windows(2).any(|w| w == ["non", "prod"]) {
        return Some("a non-production environment");
    }
    None
}

#[test]
fn no_citation_uses_a_non_production_host() {
    let mut texts = spec_texts();
    for dir in ["docs", "examples", "tests/conformance"] {
        for e in std::fs::read_dir(repo().join(dir))
            .expect("folder")
            .flatten()
        {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "md") {
                let text = std::fs::read_to_string(&p).expect("readable");
                texts.push((format!("{dir}/{}", e.file_name().to_string_lossy()), text));
            }
        }
    }
    texts.push((
        "README.md".into(),
        std::fs::read_to_string(repo().join("README.md")).expect("README"),
    ));
    let mut problems = Vec::new();
    let mut seen = 0;
    for (file, text) in &texts {
        for url in urls(text) {
            seen += 1;
            let (host, _) = host_and_path(url);
            if let Some(why) = non_production(&host) {
                problems.push(format!("{file}: {url} ({host} is {why})"));
            }
        }
    }
    assert!(seen > 100, "expected many addresses, found {seen}");
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn non_production_hosts_are_recognised() {
    for bad in [
        "standards-non-prod-main-standards-ingress.nonprod.standards.nhs.uk",
        "sd-asc-uat5-ui-asc.metadata.works",
        "int.api.service.nhs.uk",
        "sandbox.api.service.nhs.uk",
        "staging.example-standards.nhs.uk",
        "build.fhir.org",
        "dev.standards.nhs.uk",
    ] {
        assert!(non_production(bad).is_some(), "{bad}");
    }
    for good in [
        "standards.nhs.uk",
        "www.datadictionary.nhs.uk",
        "archive.datadictionary.nhs.uk",
        "data.digitisingsocialcare.co.uk",
        "www.legislation.gov.uk",
        "digital.nhs.uk",
        "developer.nhs.uk",
        "hl7.org",
        "ig.phase2.scip.synanetics.cloud",
        "specifications.openehr.org",
        "contsys.org",
    ] {
        assert_eq!(non_production(good), None, "{good}");
    }
    assert_eq!(
        urls("see https://a.b/c?d=1, and (http://e.f/g) \"https://h.i\""),
        ["https://a.b/c?d=1", "http://e.f/g", "https://h.i"]
    );
}

/// The kind a source must be filed under, from its address or, when it has none, its text.
/// `Err` when no rule covers it (add one, here and in docs/spec-format.md).
fn expected_kind(reference: &str) -> Result<&'static str, String> {
    // A numbered information standard (DAPB4022, DCB1605) is one wherever it is published.
    let numbered = ["DAPB", "DCB"].iter().any(|p| {
        reference.match_indices(p).any(|(i, _)| {
            let digits = &reference[i + p.len()..];
            digits.len() >= 4 && digits.bytes().take(4).all(|b| b.is_ascii_digit())
        })
    });
    if numbered {
        return Ok("information standard");
    }
    if let Some(url) = urls(reference).first() {
        let (host, path) = host_and_path(url);
        let host = host.strip_prefix("www.").unwrap_or(&host);
        return Ok(match host {
            "standards.nhs.uk" if path.contains("/data-browser") => "MODS data browser",
            "standards.nhs.uk" | "metadata.atlassian.net" | "data.digitisingsocialcare.co.uk" => {
                "MODS guidance"
            }
            "ig.phase2.scip.synanetics.cloud" => "SCIP logical model",
            "fhir.hl7.org.uk" | "simplifier.net" => "UK Core profile",
            "hl7.org" if path.starts_with("/fhir") => "HL7 FHIR",
            "datadictionary.nhs.uk"
            | "archive.datadictionary.nhs.uk"
            | "v3.datadictionary.nhs.uk" => "NHS Data Dictionary",
            "theprsb.org" => "PRSB standard",
            "legislation.gov.uk" => "legislation",
            "nhsconnect.github.io" | "digital.nhs.uk" | "england.nhs.uk" => {
                "NHS England specification"
            }
            "contsys.org" | "iso.org" => "ISO standard",
            "docs.os.uk" => "Ordnance Survey specification",
            "tsa-voice.org.uk" => "industry standard",
            "marketingteam125.wixsite.com" if path.starts_with("/ascglossary") => "glossary",
            _ => return Err(format!("no rule for host {host}")),
        });
    }
    let words: Vec<&str> = reference.split_whitespace().collect();
    let names_law = words.windows(2).any(|w| {
        matches!(w[0], "Act" | "Regulations")
            && w[1].len() == 4
            && w[1].bytes().all(|b| b.is_ascii_digit())
    });
    if names_law {
        return Ok("legislation");
    }
    if reference.starts_with("UKCore-") || reference.starts_with("Extension-UKCore-") {
        return Ok("UK Core profile");
    }
    Err("no rule for a reference without an address".into())
}

#[test]
fn every_source_is_filed_under_the_kind_its_address_calls_for() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (file, text) in spec_texts() {
        if !file.starts_with("mods-core/spec/mods-") {
            continue;
        }
        let spec: Value = serde_json::from_str(&text).expect("spec is JSON");
        for class in spec["classes"].as_array().expect("classes") {
            let name = class["technical_name"].as_str().unwrap_or_default();
            for s in class["provenance"]["sources"].as_array().expect("sources") {
                checked += 1;
                let kind = s["kind"].as_str().unwrap_or_default();
                let reference = s["ref"].as_str().unwrap_or_default();
                match expected_kind(reference) {
                    Ok(want) if want == kind => {}
                    Ok(want) => problems.push(format!(
                        "{file} {name}: {reference:?} is filed as {kind:?}, should be {want:?}"
                    )),
                    Err(e) => problems.push(format!("{file} {name}: {reference:?}: {e}")),
                }
                // A data-browser page's class id, when given, is the one in its address.
                if let Some(id) = s["class_id"].as_u64() {
                    if !reference.ends_with(&format!("classId={id}"))
                        && !reference.contains(&format!("classId={id}&"))
                    {
                        problems.push(format!(
                            "{file} {name}: class_id {id} is not the page {reference}"
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 300, "checked only {checked} sources");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn kind_rules_read_addresses_and_texts() {
    let browser = "https://standards.nhs.uk/published-standards/x/data-specification/data-browser?classId=464180";
    assert_eq!(expected_kind(browser), Ok("MODS data browser"));
    assert_eq!(
        expected_kind("https://standards.nhs.uk/published-standards/adult-social-care-record-mods/adult-social-care-record-mods-implementation-guidance?page=23"),
        Ok("MODS guidance")
    );
    assert_eq!(
        expected_kind("https://www.legislation.gov.uk/uksi/2015/313/regulation/2"),
        Ok("legislation")
    );
    assert_eq!(
        expected_kind("https://www.datadictionary.nhs.uk/data_elements/ethnic_category.html"),
        Ok("NHS Data Dictionary")
    );
    assert_eq!(
        expected_kind("https://theprsb.org/standards/aboutme/"),
        Ok("PRSB standard")
    );
    assert_eq!(
        expected_kind("https://marketingteam125.wixsite.com/ascglossary/asc-glossary-sources/professional-records-standards-body"),
        Ok("glossary")
    );
    assert_eq!(
        expected_kind("Mental Capacity Act 2005 ss2-4 and Code of Practice"),
        Ok("legislation")
    );
    assert_eq!(
        expected_kind("DCB1605 Accessible Information Standard (NHS England), https://www.england.nhs.uk/accessibleinfo"),
        Ok("information standard")
    );
    assert_eq!(
        expected_kind("TSA Quality Standards Framework https://www.tsa-voice.org.uk/"),
        Ok("industry standard")
    );
    assert_eq!(expected_kind("UKCore-Patient"), Ok("UK Core profile"));
    assert!(expected_kind("https://unknown.example.net/x").is_err());
    assert!(expected_kind("a book").is_err());
}
