//! Identifier systems, code systems and extension URLs: the ones UK Core and HL7 define, and
//! the project's own where UK Core has none (documented as a NamingSystem in
//! `docs/fhir-naming-system.json`).

/// NHS number (UK Core).
pub const NHS_NUMBER: &str = "https://fhir.nhs.uk/Id/nhs-number";
/// ODS organisation code (UK Core; US spelling as published).
pub const ODS_ORGANISATION: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
/// ODS site code (UK Core).
pub const ODS_SITE: &str = "https://fhir.nhs.uk/Id/ods-site-code";
/// GMC number (UK Core).
pub const GMC: &str = "https://fhir.hl7.org.uk/Id/gmc-number";
/// NMC PIN (UK Core).
pub const NMC: &str = "https://fhir.hl7.org.uk/Id/nmc-number";
/// HCPC number (UK Core).
pub const HCPC: &str = "https://fhir.hl7.org.uk/Id/hcpc-number";
/// GPhC number (UK Core).
pub const GPHC: &str = "https://fhir.hl7.org.uk/Id/gphc-number";

/// The professional registers UK Core names an identifier system for, by the code of the
/// MODS `registration_body` value set.
pub const REGISTERS: &[(&str, &str)] =
    &[("gmc", GMC), ("nmc", NMC), ("hcpc", HCPC), ("gphc", GPHC)];

/// Project identifier system: a MODS record's `record_uid`.
pub const RECORD_UID: &str = "https://mods-sdk.org/fhir/Id/record-uid";
/// Project identifier system: a local identifier of the person (MODS `local_identifier`).
pub const LOCAL_IDENTIFIER: &str = "https://mods-sdk.org/fhir/Id/local-identifier";
/// Project identifier system: CQC location id.
pub const CQC_LOCATION: &str = "https://mods-sdk.org/fhir/Id/cqc-location-id";
/// Project identifier system: CQC provider id.
pub const CQC_PROVIDER: &str = "https://mods-sdk.org/fhir/Id/cqc-provider-id";
/// Project identifier system: ONS GSS code of a local authority.
pub const GSS_CODE: &str = "https://mods-sdk.org/fhir/Id/ons-gss-code";

/// Project identifier system: a derived resource (a view of records whose elements travel in
/// their own resources: PractitionerRole, CareTeam, demographic Observations); the value is
/// the UUID of its full URL, stable across exports.
pub const DERIVED_RESOURCE: &str = "https://mods-sdk.org/fhir/Id/derived-resource";

/// Project code system: a MODS element (`<class>.<element>`), as an Observation's code where
/// no standard code is known.
pub const MODS_ELEMENT: &str = "https://mods-sdk.org/fhir/CodeSystem/mods-element";
/// Project code system: the MODS class a resource carries (`meta.tag`, `Basic.code`).
pub const MODS_CLASS: &str = "https://mods-sdk.org/fhir/CodeSystem/mods-class";
/// Project code system: the MODS version of an exported record (`Bundle.meta.tag`).
pub const MODS_VERSION: &str = "https://mods-sdk.org/fhir/CodeSystem/mods-version";
/// Project code system: the issue codes of validation and import reports.
pub const MODS_ISSUE: &str = "https://mods-sdk.org/fhir/CodeSystem/mods-issue";

/// Base of the project's element extensions: `<base>/<class>/<element>` carries a MODS
/// element that has no FHIR home (or whose FHIR form cannot hold it exactly).
pub const ELEMENT_EXTENSION_BASE: &str = "https://mods-sdk.org/fhir/StructureDefinition/mods";
/// Project extension: a MODS record merged into the resource of another (Person
/// demographics into the Patient): sub-extensions `class`, `record_uid`, `version_number`,
/// `position`.
pub const MERGED_RECORD: &str = "https://mods-sdk.org/fhir/StructureDefinition/mods-merged-record";
/// Project extension on a primitive code: the MODS coding exactly, when the code alone does
/// not give it back (a display, or a system written out).
pub const MODS_CODING: &str = "https://mods-sdk.org/fhir/StructureDefinition/mods-coding";
/// Project extension on a `Coding.system`: the MODS value wrote the system out although it
/// is the bound value set's own.
pub const SYSTEM_WRITTEN: &str =
    "https://mods-sdk.org/fhir/StructureDefinition/mods-system-written";
/// Project extension on a `Basic` resource: the record's `mods_extensions` object, as JSON text.
pub const RECORD_EXTENSIONS: &str =
    "https://mods-sdk.org/fhir/StructureDefinition/mods-record-extensions";

/// Project extension: a member of a record (or component) that is not a MODS element
/// (kept by lax validation with a warning), carried exactly: sub-extensions `name` and
/// `json` (its value as JSON text).
pub const UNKNOWN_MEMBER: &str =
    "https://mods-sdk.org/fhir/StructureDefinition/mods-unknown-member";

/// HL7: why a required element has no value.
pub const DATA_ABSENT_REASON: &str = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

/// The URL of the element extension of `class.element`.
pub fn element_extension(class: &str, element: &str) -> String {
    // pieces pushed into one allocation: export writes one per element extension, and
    // `format!` costs several times as much
    let mut url =
        String::with_capacity(ELEMENT_EXTENSION_BASE.len() + class.len() + element.len() + 2);
    url.push_str(ELEMENT_EXTENSION_BASE);
    url.push('/');
    url.push_str(class);
    url.push('/');
    url.push_str(element);
    url
}
