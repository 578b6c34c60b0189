//! The terminology API over the embedded value sets, the offline provider on real UK Core
//! resources (read from `../shared/fhir`: see `support` for what happens when it is missing),
//! and how validation uses providers.

use mods_test_support as support;

use mods_core::bcp47::TagStatus;
use mods_core::model::{self, Lookup, Membership};
use mods_core::terminology::{
    CodeCheck, CodeRequest, OfflineProvider, Terminology, TerminologyProvider,
};
use mods_core::{validate_instance, IssueCode, Severity, ValidationOptions};
use serde_json::json;
use std::sync::Arc;

#[test]
fn lookups_over_embedded_value_sets() {
    let t = Terminology::default();
    assert_eq!(t.display("flag_status", "active"), Some("Active"));
    assert_eq!(t.contains("ethnic_category", "A"), Some(true));
    assert_eq!(t.contains("ethnic_category", "Q"), Some(false));
    assert_eq!(t.contains("no_such_set", "A"), None);
    let gender: Vec<&str> = t
        .codes("gender_identity_code")
        .iter()
        .map(|c| c.code)
        .collect();
    assert_eq!(gender, ["1", "2", "3", "4", "Z", "X"]);
    let sign: Vec<&str> = t
        .search("sign language", None)
        .iter()
        .map(|c| c.code)
        .collect();
    assert!(sign.contains(&"q2") && sign.contains(&"q3") && sign.contains(&"q4"));
    let uses = t.bindings_of("flag_status");
    assert!(uses
        .iter()
        .any(|b| b.class == "alert" && b.element == "status"));
    // by canonical URL too
    let url = t
        .value_set("flag_status")
        .map(|v| v.url)
        .unwrap_or_default();
    assert_eq!(t.value_set(url).map(|v| v.id), Some("flag_status"));
}

#[test]
fn every_value_set_has_source_version_licence_and_a_binding() {
    let t = Terminology::default();
    for vs in t.value_sets() {
        assert!(
            !vs.source.is_empty() && !vs.version.is_empty() && !vs.licence.is_empty(),
            "{}",
            vs.id
        );
        assert!(
            vs.codes().next().is_some() || vs.includes.iter().any(|i| i.grammar.is_some()),
            "{} has no codes",
            vs.id
        );
        assert!(
            !t.bindings_of(vs.id).is_empty(),
            "{} is bound by no element",
            vs.id
        );
    }
}

#[test]
fn every_coded_element_is_bound() {
    for c in model::latest().classes {
        for e in c.elements {
            if matches!(
                e.ty,
                model::ElementType::Lookup | model::ElementType::ReferenceCode
            ) {
                assert!(
                    !matches!(e.lookup, Lookup::None),
                    "{}.{} is unbound",
                    c.technical_name,
                    e.technical_name
                );
            }
        }
    }
}

#[test]
fn offline_provider_reads_real_uk_core_resources() {
    let Some(dir) = support::shared_path(
        "fhir/ukcore",
        "offline_provider_reads_real_uk_core_resources",
    ) else {
        return;
    };
    let mut p = OfflineProvider::new();
    for f in [
        "CodeSystem/CodeSystem-UKCore-MedicationRequestCategory.json",
        "ValueSet/ValueSet-UKCore-PersonRelationshipType.json",
    ] {
        let bytes = std::fs::read(dir.join(f)).expect("readable");
        p.load_fhir_json(&bytes)
            .unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    let cs = "https://fhir.hl7.org.uk/CodeSystem/UKCore-MedicationRequestCategory";
    let ask = |system, code, value_set| {
        p.check_code(&CodeRequest {
            system,
            code,
            value_set,
        })
    };
    assert!(matches!(
        ask(cs, "primarycare", None),
        CodeCheck::Valid { inactive: true, .. }
    ));
    assert_eq!(ask(cs, "no-such-code", None), CodeCheck::Invalid);
    assert_eq!(
        ask("http://snomed.info/sct", "22298006", None),
        CodeCheck::NotCovered
    );
    let vs = Some("https://fhir.hl7.org.uk/ValueSet/UKCore-PersonRelationshipType");
    let role = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
    assert!(matches!(
        ask(role, "SON", vs),
        CodeCheck::Valid {
            inactive: false,
            ..
        }
    ));
    assert_eq!(ask(role, "NOTAROLE", vs), CodeCheck::Invalid);

    // validation: an unpaid carer whose relationship is not in the UK Core value set is
    // warned about (extensible binding); one that is passes
    let opts = ValidationOptions::default().with_terminology(Arc::new(p));
    let carer = |code: &str| {
        json!({"record_uid": "uc-1", "version_number": 1, "subject_of_care": "soc-1",
               "person_name": {"given_name": ["Tom"], "family_name": "Smith"},
               "relationship_to_subject_of_care": {"code": code}})
    };
    let ok = validate_instance("unpaid_carer", &carer("SON"), &opts).expect("class exists");
    assert!(ok.issues.is_empty(), "{:?}", ok.issues);
    let bad = validate_instance("unpaid_carer", &carer("NOTAROLE"), &opts).expect("class exists");
    assert_eq!(bad.issues.len(), 1, "{:?}", bad.issues);
    assert_eq!(bad.issues[0].code, IssueCode::CodeNotInValueSet);
    assert_eq!(bad.issues[0].severity, Severity::Warning);
    assert_eq!(bad.issues[0].path, "/relationship_to_subject_of_care/code");
}

#[test]
fn rf2_refset_latest_row_wins() {
    let mut p = OfflineProvider::new();
    p.load_rf2_refset(
        "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\n\
         a\t20200101\t1\tm\t900000000000497000\t111\n\
         b\t20230101\t0\tm\t900000000000497000\t111\n\
         c\t20230101\t1\tm\t900000000000497000\t222\n",
    )
    .expect("loads");
    let ask = |code| {
        p.check_code(&CodeRequest {
            system: "http://snomed.info/sct",
            code,
            value_set: None,
        })
    };
    assert!(matches!(
        ask("111"),
        CodeCheck::Valid { inactive: true, .. }
    ));
    assert!(matches!(
        ask("222"),
        CodeCheck::Valid {
            inactive: false,
            ..
        }
    ));
    assert_eq!(ask("333"), CodeCheck::Invalid);
    assert!(p.load_rf2_refset("not a refset").is_err());
    let e = OfflineProvider::new()
        .load_fhir_json(br#"{"resourceType":"Patient"}"#)
        .unwrap_err();
    assert!(e.to_string().contains("a Patient resource"), "{e}");
    // a resourceType that is not a type name is input text: never repeated in the error
    let e = OfflineProvider::new()
        .load_fhir_json(br#"{"resourceType":"Arthur Green 9434765919"}"#)
        .unwrap_err();
    assert!(
        !e.to_string().contains("Arthur") && !e.to_string().contains("9434765919"),
        "{e}"
    );
}

/// Providers are asked in order; the first that covers the system answers.
#[test]
fn providers_are_asked_in_order() {
    struct Fixed(&'static str, CodeCheck);
    impl TerminologyProvider for Fixed {
        fn name(&self) -> &str {
            self.0
        }
        fn check_code(&self, _: &CodeRequest<'_>) -> CodeCheck {
            self.1.clone()
        }
    }
    let allergy = json!({"record_uid": "a-1", "version_number": 1, "subject_of_care": "soc-1",
                         "date": "2026-11-20", "causative_agent": {"code": "123"}});
    let opts = ValidationOptions::default()
        .with_terminology(Arc::new(Fixed("first", CodeCheck::NotCovered)))
        .with_terminology(Arc::new(Fixed("second", CodeCheck::Invalid)))
        .with_terminology(Arc::new(Fixed(
            "third",
            CodeCheck::Unavailable {
                reason: "down".into(),
            },
        )));
    let r = validate_instance("allergy", &allergy, &opts).expect("class exists");
    assert_eq!(r.issues.len(), 1);
    assert_eq!(r.issues[0].code, IssueCode::UnknownCode);
    assert_eq!(r.issues[0].context["provider"], "second");
}

#[test]
fn embedded_value_sets_answer_as_a_provider() {
    let t = Terminology::default();
    let flag = "http://hl7.org/fhir/flag-status";
    let ask = |system, code, value_set| {
        t.check_code(&CodeRequest {
            system,
            code,
            value_set,
        })
    };
    assert!(matches!(
        ask(flag, "active", None),
        CodeCheck::Valid {
            inactive: false,
            ..
        }
    ));
    assert_eq!(ask(flag, "nope", None), CodeCheck::Invalid);
    assert_eq!(
        ask("http://snomed.info/sct", "123", None),
        CodeCheck::NotCovered
    );
    assert_eq!(
        ask(flag, "active", Some("https://example.org/ValueSet/unknown")),
        CodeCheck::NotCovered
    );
}

/// A value set spanning several code systems answers for each code in the system it names.
#[test]
fn multi_system_value_sets_check_each_code_in_its_own_system() {
    let t = Terminology::default();
    let v2 = "http://terminology.hl7.org/CodeSystem/v2-0131";
    let v3 = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
    let uk = "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdditionalPersonRelationshipRole";
    let rel = "person_relationship_type";
    let m = |system, code| t.membership(rel, system, code).expect("the set exists");
    assert!(
        matches!(m(Some(v2), "N"), Membership::Listed(i, c) if i.system == v2 && c.display == "Next-of-Kin")
    );
    assert!(matches!(m(Some(v3), "WIFE"), Membership::Listed(i, _) if i.system == v3));
    assert!(matches!(m(Some(uk), "Carer"), Membership::Listed(i, _) if i.system == uk));
    assert_eq!(m(Some(v3), "XYZ"), Membership::NotInSet);
    assert_eq!(m(Some(v3), "N"), Membership::NotInSet); // N is a v2-0131 code
    assert_eq!(m(Some(v2), "O"), Membership::NotInSet); // excluded by UK Core
    assert_eq!(
        m(Some("http://snomed.info/sct"), "N"),
        Membership::OtherSystem
    );
    assert!(matches!(m(None, "Carer"), Membership::Listed(i, _) if i.system == uk));
    assert!(matches!(m(Some(v2), "CP"), Membership::Listed(_, c) if c.inactive));
    // entries carry their own system, for forms
    let codes = t.codes(rel);
    assert!(codes.iter().any(|e| e.code == "N" && e.system == v2));
    assert!(codes.iter().any(|e| e.code == "WIFE" && e.system == v3));
    // as a provider, by canonical URL
    let url = "https://fhir.hl7.org.uk/ValueSet/UKCore-PersonRelationshipType";
    let ask = |system, code| {
        t.check_code(&CodeRequest {
            system,
            code,
            value_set: Some(url),
        })
    };
    assert!(matches!(
        ask(v2, "N"),
        CodeCheck::Valid {
            inactive: false,
            ..
        }
    ));
    assert_eq!(ask(v3, "XYZ"), CodeCheck::Invalid);
    assert_eq!(ask(v3, "Carer"), CodeCheck::Invalid);

    // BCP 47 beside the listed UK Core HumanLanguage codes
    let bcp47 = "urn:ietf:bcp:47";
    let human = "https://fhir.hl7.org.uk/CodeSystem/UKCore-HumanLanguage";
    let lang = |system, code| t.membership("language_code", system, code).expect("exists");
    assert!(matches!(
        lang(Some(bcp47), "bfi"),
        Membership::Grammar(_, TagStatus::Known)
    ));
    assert!(matches!(
        lang(Some(bcp47), "en-GB"),
        Membership::Grammar(_, TagStatus::Known)
    ));
    assert!(matches!(lang(Some(human), "gu"), Membership::Listed(..)));
    assert_eq!(lang(Some(human), "bfi"), Membership::NotInSet);
    assert_eq!(lang(Some(bcp47), "en_GB"), Membership::NotInSet);
    assert!(matches!(
        lang(Some(bcp47), "xyz"),
        Membership::Grammar(_, TagStatus::UnknownLanguage)
    ));
    assert!(matches!(lang(None, "en"), Membership::Listed(..)));
    assert!(matches!(
        lang(None, "en-GB"),
        Membership::Grammar(_, TagStatus::Known)
    ));
    assert_eq!(t.contains("language_code", "bfi"), Some(true));
    assert_eq!(t.contains("language_code", "xyz"), Some(false));
}

/// The embedded relationship value set agrees with UK Core's own expansion: every code of
/// it, in the same system, with the same display and inactive flag; the only codes we add
/// are the two v3 RoleCode codes retired after that expansion.
#[test]
fn relationship_value_set_agrees_with_uk_core() {
    let Some(dir) =
        support::shared_path("fhir/ukcore", "relationship_value_set_agrees_with_uk_core")
    else {
        return;
    };
    let bytes = std::fs::read(dir.join("ValueSet/ValueSet-UKCore-PersonRelationshipType.json"))
        .expect("readable");
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    let vs = model::latest()
        .value_set("person_relationship_type")
        .expect("embedded");
    assert_eq!(v["url"], vs.url);
    let mut theirs = std::collections::BTreeSet::new();
    for c in v["expansion"]["contains"].as_array().expect("an expansion") {
        let (system, code) = (c["system"].as_str().unwrap(), c["code"].as_str().unwrap());
        theirs.insert((system, code));
        let ours = vs
            .include(system)
            .and_then(|i| i.code(code))
            .unwrap_or_else(|| panic!("{system} {code} missing"));
        assert_eq!(Some(ours.display), c["display"].as_str(), "{code}");
        assert_eq!(ours.inactive, c["inactive"] == true, "{code}");
    }
    let extra: Vec<&str> = vs
        .codes()
        .filter(|(i, c)| !theirs.contains(&(i.system, c.code)))
        .map(|(_, c)| c.code)
        .collect();
    assert_eq!(extra, ["MTHINLOAW", "SISLINLAW"]);
    assert!(vs
        .codes()
        .filter(|(_, c)| extra.contains(&c.code))
        .all(|(_, c)| c.inactive));
}

/// The language value set says UK Core HumanLanguage is retired, as UK Core records it.
#[test]
fn uk_core_human_language_is_retired_as_the_note_says() {
    let Some(dir) = support::shared_path(
        "fhir/ukcore",
        "uk_core_human_language_is_retired_as_the_note_says",
    ) else {
        return;
    };
    let vs = model::latest()
        .value_set("language_code")
        .expect("embedded");
    for f in [
        "CodeSystem/CodeSystem-UKCore-HumanLanguage.json",
        "ValueSet/ValueSet-UKCore-HumanLanguage.json",
    ] {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join(f)).expect("readable")).expect("JSON");
        assert_eq!(v["status"], "retired", "{f}");
        assert_eq!(v["date"], "2023-12-12", "{f}");
    }
    let note = vs.note.unwrap_or_default();
    assert!(note.contains("retired") && note.contains("2023-12-12"));
    assert!(vs.version.contains(mods_core::bcp47::REGISTRY_DATE));
    let patient: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("StructureDefinition/UKCore-Patient.json")).expect("readable"),
    )
    .expect("JSON");
    let binding = patient["differential"]["element"]
        .as_array()
        .expect("elements")
        .iter()
        .find(|e| e["id"] == "Patient.communication.language")
        .map(|e| e["binding"]["valueSet"].clone());
    assert_eq!(
        binding,
        Some("http://hl7.org/fhir/ValueSet/all-languages".into())
    );
}

#[test]
fn schemars_schemas_exist_for_every_class() {
    for c in model::latest().classes {
        let s = mods_core::generated::class_schema(model::latest().mods_version, c.technical_name);
        assert_eq!(
            s.is_some(),
            c.kind != model::ClassKind::Abstract,
            "{}",
            c.technical_name
        );
    }
    let r = mods_core::generated::record_schema("1.0").expect("record schema");
    assert_eq!(
        r.get("$schema").and_then(|v| v.as_str()),
        Some("https://json-schema.org/draft/2020-12/schema")
    );
    assert!(mods_core::generated::record_schema("9.9").is_none());
}
