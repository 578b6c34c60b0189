//! Issues, their closed catalogue of codes, and the validation report.
//!
//! Every problem the library finds in a record is an [`Issue`] with a stable [`IssueCode`],
//! a JSON-pointer path, a [`Severity`], a message that never contains the person's data, and
//! structured context. The catalogue of codes is closed: [`IssueCode::ALL`] lists every code,
//! and [`IssueCode::explanation`] documents each one (`mods explain CODE` prints it).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The record does not conform to MODS; it is invalid.
    Error,
    /// The record conforms, but something deserves attention.
    Warning,
    /// A note; nothing is wrong.
    Information,
}

impl Severity {
    /// The lowercase name used in reports (`error`, `warning`, `information`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! catalogue {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $sev:ident, $title:literal, $explain:literal; )*) => {
        /// A stable issue code from the closed catalogue.
        ///
        /// The string form (`as_str`) is the stable identifier used in reports, in the
        /// conformance corpus and by every binding. Codes are never renamed or reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum IssueCode {
            $( $(#[$doc])* $variant, )*
        }

        impl IssueCode {
            /// Every code in the catalogue, in documentation order.
            pub const ALL: &'static [IssueCode] = &[ $( IssueCode::$variant, )* ];

            /// The stable string identifier, e.g. `nhs-number-check-digit`.
            pub fn as_str(self) -> &'static str {
                match self { $( IssueCode::$variant => $code, )* }
            }

            /// The severity this code has unless the rule that raises it says otherwise
            /// (`unknown-element` is a warning in lax mode and an error in strict mode;
            /// `code-not-in-value-set` is a warning for extensible bindings).
            pub fn default_severity(self) -> Severity {
                match self { $( IssueCode::$variant => Severity::$sev, )* }
            }

            /// A short title.
            pub fn title(self) -> &'static str {
                match self { $( IssueCode::$variant => $title, )* }
            }

            /// What the code means, why it matters and how to put it right.
            pub fn explanation(self) -> &'static str {
                match self { $( IssueCode::$variant => $explain, )* }
            }
        }
    };
}

catalogue! {
    /// The input is not well-formed JSON.
    InputSyntax = "input-syntax", Error, "Input is not well-formed JSON",
        "The bytes are not one well-formed JSON document (RFC 8259): a syntax error, an empty input, trailing data after the document, a comment, a trailing comma, NaN or Infinity, a number too large to represent, or an invalid escape such as a lone surrogate. Nothing was validated. Fix the producer so that it writes standard JSON.";
    /// The input is not UTF-8.
    InputEncoding = "input-encoding", Error, "Input is not UTF-8",
        "JSON exchanged between systems must be UTF-8 without a byte order mark (RFC 8259 section 8.1). The input had invalid UTF-8 bytes, a byte order mark, or looked like UTF-16 or UTF-32. The context gives the byte offset. Re-encode the file as UTF-8 without a BOM.";
    /// The same key appears twice in one JSON object.
    InputDuplicateKey = "input-duplicate-key", Error, "Duplicate key in a JSON object",
        "One JSON object holds the same key twice. Parsers disagree on which value wins (first or last), so the record could mean different things to different systems; it is rejected rather than guessed. The path points at the object; remove one of the two values.";
    /// Nesting is deeper than the limit.
    InputTooDeep = "input-too-deep", Error, "Nesting deeper than the limit",
        "Arrays and objects are nested deeper than the configured limit (default 64; a MODS record needs fewer than 10). Such input only exists to exhaust a parser's stack, so it is rejected while parsing. The path points at the first value past the limit.";
    /// The document is larger than the limit.
    InputTooLarge = "input-too-large", Error, "Document larger than the limit",
        "The document is larger than the configured size limit (default 16 MiB; a record with years of daily notes is well under 1 MiB). It was rejected before parsing. Split the data into one document per person, or raise the limit deliberately.";
    /// A string is longer than the limit.
    InputStringTooLong = "input-string-too-long", Error, "String longer than the limit",
        "A string (or object key) is longer than the configured limit (default 1 MiB). Free text in a care record never needs that much; store long documents elsewhere and refer to them with a Document record.";
    /// An array holds more items than the limit.
    InputTooManyItems = "input-too-many-items", Error, "Array longer than the limit",
        "An array holds more items than the configured limit (default 100,000).";
    /// An object holds more members than the limit.
    InputTooManyMembers = "input-too-many-members", Error, "Object with more members than the limit",
        "A JSON object holds more members than the configured limit (default 1,000). No MODS class has more than a few dozen elements.";
    /// The document holds more values than the limit.
    InputTooManyNodes = "input-too-many-nodes", Error, "More values than the limit",
        "The document holds more JSON values in total than the configured limit (default 1,000,000), which bounds the memory validation needs.";
    /// The document is not a JSON object.
    DocumentNotObject = "document-not-object", Error, "Document is not a JSON object",
        "A record document (or a single class instance) must be a JSON object. The input was an array, a string, a number, true, false or null.";
    /// `mods_version` is missing.
    ModsVersionMissing = "mods-version-missing", Error, "mods_version is missing",
        "Every record document states the MODS version it is written to in `mods_version` (for example \"1.0\"), so that its meaning survives later versions of the standard. Add it.";
    /// `mods_version` names a version this library does not support.
    ModsVersionUnsupported = "mods-version-unsupported", Error, "MODS version not supported",
        "`mods_version` is not a string naming a MODS version this library supports. The context lists the supported versions. Nothing else was validated, since the model to validate against is unknown.";
    /// A key the model does not define.
    UnknownElement = "unknown-element", Warning, "Element not in the model",
        "The object holds a key that the MODS model does not define for this class (or, at the top of a record document, a key that is not a class collection). In lax mode (the default) this is a warning, so records carrying supplier-specific fields still validate; in strict mode it is an error. Check the spelling: technical names are lowercase_with_underscores, e.g. `first_language`.";
    /// A required element is absent, null or empty.
    RequiredElementMissing = "required-element-missing", Error, "Required element missing",
        "The model says this element must occur (1..1 or 1..*), but it is absent, null, or an empty array. The path points where the element belongs.";
    /// An optional element is given as null.
    NullValue = "null-value", Warning, "Optional element given as null",
        "An optional element is present with the value null. MODS records leave out what they do not hold; omit the key instead of writing null.";
    /// A text value is empty or only white space.
    EmptyValue = "empty-value", Error, "Empty text",
        "A Text element or a reference is an empty string or only white space. Leave an unknown value out rather than writing an empty one. (An empty code in a coding is `invalid-coding`.)";
    /// The JSON type does not fit the element.
    WrongJsonType = "wrong-json-type", Error, "Wrong JSON type",
        "The value has the wrong JSON type for its element: for example a number where Text is expected, a single value where the element repeats (repeating elements are always arrays), or an array where it does not. The context gives the expected and the found type.";
    /// Not a valid date.
    InvalidDate = "invalid-date", Error, "Not a valid date",
        "A Date must be written YYYY-MM-DD and name a real day (2023-02-29 does not exist). Where the model allows a partial date (the Event Date, \"any combination of day, month, year, century\"; onset dates; the date of death), these forms are also accepted, as ISO 8601 writes them: YYYY-MM (a month: 2021-03), YYYY (a year: 2021), YY (a century: 19 is the years 1900 to 1999), --MM-DD (a day and month, year unknown: --03-15) and --MM (a month, year unknown: --03). A day alone is not accepted.";
    /// Not a valid time.
    InvalidTime = "invalid-time", Error, "Not a valid time",
        "A Time must be written HH:MM or HH:MM:SS on the 24-hour clock (00:00 to 23:59:59), without a date or an offset.";
    /// Not a valid date and time.
    InvalidDateTime = "invalid-date-time", Error, "Not a valid date and time",
        "A Date and Time must be written as RFC 3339, YYYY-MM-DDTHH:MM[:SS[.fraction]] followed by Z or an offset such as +01:00. The offset is required: a time without one is ambiguous across the clock change. Where the model makes the time optional (the Change log Date, published as \"date, or date with time\"), a date YYYY-MM-DD alone is also accepted.";
    /// Not a valid number for the element.
    InvalidNumber = "invalid-number", Error, "Not a valid number",
        "The number does not fit the element: counts must be whole numbers from 0 to 9007199254740991 (2^53 - 1), written without a fraction, so that every language reads them the same; some elements also have a minimum (version numbers start at 1). The context gives the expected form.";
    /// An NHS number that is not ten digits.
    InvalidNhsNumber = "invalid-nhs-number", Error, "NHS number not ten digits",
        "An NHS number is exactly ten ASCII digits with no spaces or other characters (format n10). Numbers made of one repeated digit are also rejected: they pass the check digit but are never issued. Take the number from the Personal Demographics Service.";
    /// An NHS number whose check digit is wrong.
    NhsNumberCheckDigit = "nhs-number-check-digit", Error, "NHS number check digit wrong",
        "The tenth digit of an NHS number is a Modulus 11 check digit: multiply the first nine digits by 10 down to 2, sum, take the remainder after dividing by 11 and subtract it from 11 (11 becomes 0; 10 means the number is invalid). The number fails this check, so at least one digit is wrong.";
    /// Not a valid ODS code.
    InvalidOdsCode = "invalid-ods-code", Error, "Not a valid ODS code",
        "Organisation and site codes are issued by the Organisation Data Service (ODS). An element for any organisation or site takes 3 to 9 upper-case letters and digits; an element for one role takes that role's format: a GP practice a letter and five digits (A81001), a primary care network U and five digits (U12345), a sub-ICB location two digits and a letter (00Q) or five characters letter, digit, letter, digit, letter (X2C4Y), an NHS trust R or T and two letters or digits (RXH), a trust site five characters (RXH01). The context gives the format and the expected role, so a trust code in a GP practice element is reported as such. Look the code up in the ODS (https://digital.nhs.uk/services/organisation-data-service).";
    /// Not a valid UPRN.
    InvalidUprn = "invalid-uprn", Error, "Not a valid UPRN",
        "A Unique Property Reference Number is a whole number of 1 to 12 digits, greater than zero, with no leading zeros (OS AddressBase), written as a string of digits.";
    /// Not a valid UK postcode.
    InvalidPostcode = "invalid-postcode", Error, "Not a valid UK postcode",
        "A UK postcode: a Royal Mail postcode (SW1A 1AA, LS11 5DT, GIR 0AA, and those of Gibraltar, Guernsey, Jersey and the Isle of Man), an NHS pseudo-postcode ZZ99 followed by a digit, a letter and Z (ZZ99 3VZ no fixed abode, ZZ99 3WZ not known, ZZ99 3CZ England not otherwise stated, a country pseudo-postcode for an overseas visitor), a BFPO number (BFPO and 1 to 4 digits) or a British Overseas Territory postcode (STHL 1ZZ, FIQQ 1ZZ...). Any letter case is accepted, with one space, no space, or the spaces of the 8-character NHS Postcode Directory form (LS1  4AP); any other spacing, punctuation or `BFPO c/o` is not. An address abroad carries its `country` (ISO 3166-1, not GB, GG, IM or JE) and its postcode is then free text.";
    /// A postcode accepted but not written in its normal form.
    PostcodeNotNormalised = "postcode-not-normalised", Information, "Postcode not in its normal form",
        "The postcode is valid but not written in its normal form: upper case, with one space before the last three characters (SW1A 1AA; BFPO 61 for a BFPO number). It was in lower case, had no space, or had the 8-character padding of the NHS Postcode Directory (LS1  4AP). The record stays valid; store the normal form so that look-ups and matching work. The message says what to change (the letter case, the spacing or both); because a postcode identifies a handful of households, the normal form itself is given (as `context.normalised`) only when values are included.";
    /// Not a valid identifier of another kind.
    InvalidIdentifier = "invalid-identifier", Error, "Not a valid identifier",
        "An identifier does not have the form its element requires; the context names the format: `uid` (record uids: 1 to 128 characters, no white space or control characters), `cqc_id` (CQC location or provider id: 1- followed by digits), `gss_code` (ONS GSS code: a letter E, W, S or N and eight digits), `email` (an e-mail address).";
    /// A coding object is malformed.
    InvalidCoding = "invalid-coding", Error, "Malformed coding",
        "A coded element is written as an object with `code` (a non-empty string) and optionally `system` and `display` (strings). The object lacks a code, has an empty one, or a member is not a string.";
    /// A code is not in the bound value set.
    CodeNotInValueSet = "code-not-in-value-set", Error, "Code not in the value set",
        "The code is not in the value set the element is bound to. For a required binding this is an error; for an extensible binding it is a warning, since other codes may be used when none in the set fits. For a value set that spans several code systems, the code must be in the system the coding names (`N` is an HL7 v2-0131 code, not a v3 RoleCode one); under `urn:ietf:bcp:47` it must be a well-formed BCP 47 language tag (RFC 5646). The context names the value set; `mods codes VALUE_SET` lists its codes.";
    /// A coding names a code system other than the bound one.
    CodeSystemMismatch = "code-system-mismatch", Error, "Code from the wrong code system",
        "The coding's `system` is not the code system the element is bound to, nor, for a value set that spans several code systems, any of them (the path points at the system; the context gives `expected_system` or `expected_systems`). For a required binding this is an error; for an extensible binding other systems are allowed, with a warning. Leave `system` out to use the bound value set's system.";
    /// A code that its terminology marks inactive.
    CodeInactive = "code-inactive", Warning, "Inactive code",
        "The code exists but is inactive (retired) in its value set or code system, or is a BCP 47 language tag whose language subtag the IANA Language Subtag Registry deprecates (`iw`, now `he`). Records written before it was retired may keep it; new records should use an active code.";
    /// A code that does not exist in its terminology.
    UnknownCode = "unknown-code", Error, "Code does not exist",
        "A terminology provider (an offline file or a terminology server) says the code does not exist in the code system the element is bound to, for example a mistyped SNOMED CT concept id. Also: a well-formed BCP 47 language tag whose primary language subtag is not registered in the IANA Language Subtag Registry (no ISO 639 code, such as `xyz`); its severity is then the binding's (an error for a required binding).";
    /// A code that could not be checked.
    CodeUnchecked = "code-unchecked", Warning, "Code could not be checked",
        "The code is bound to a terminology that a configured provider covers, but the provider could not answer (a terminology server was down or too slow). The code is reported as unchecked, never as valid; validate again when the terminology is available. The context gives the provider and the reason.";
    /// A start comes after its end.
    DateOrder = "date-order", Error, "Dates out of order",
        "Two dates of one instance are out of order: a start after its end, a date of death before the date of birth. Partial dates are compared only as far as both are known. The path points at the later-named element.";
    /// A date that cannot be right: a birth or an event in the future, a birth too long ago.
    ImplausibleDate = "implausible-date", Warning, "Implausible date",
        "A well-formed date that is very unlikely to be right: a date of birth more than one day after today or more than 125 years before it (no one has lived longer), or the date of something that has already happened (an event's date, an onset, a resolution, an audit entry, a death) more than one day after today. One day is allowed for time zones and entries made just after midnight. Partial dates are compared as far as they are known: the year 2027 is in the future, the century 20 is not, and a date without a year is never compared. Today is the system clock's date (UTC) unless the caller sets it (`today` in the validation options, `mods validate --today`); where there is no clock (WebAssembly without a host clock) the check runs only when the caller sets it. The context says which limit was crossed (`reason`: `future` or `too-old`) and the `today` used. It is a warning: check the date with whoever recorded it.";
    /// The date of birth disagrees with the person's demographics record.
    DateOfBirthMismatch = "date-of-birth-mismatch", Error, "Date of birth disagrees with the demographics",
        "The subject of care states a date of birth, and so does the Person demographics record it references (`subject_of_care.person_demographics`), and the two are different days. One of them is wrong, and systems would disagree about the person's age and identity. The path points at the subject of care's date of birth; `context.other` is the JSON pointer of the other date. Correct the wrong one (PDS is the usual source of truth).";
    /// Two records share a record uid.
    DuplicateRecordUid = "duplicate-record-uid", Error, "Record uid used twice",
        "Every record in a document has its own `record_uid` (versions of one record share it across documents, never within one). The path points at the second use.";
    /// A reference does not resolve.
    DanglingReference = "dangling-reference", Error, "Reference does not resolve",
        "A reference names a record_uid that no record in this document has. References must resolve inside the record so that it can be read, transferred and checked on its own: include the referenced record (for example the care worker or location) in the document.";
    /// A reference resolves to a record of the wrong class.
    ReferenceWrongClass = "reference-wrong-class", Error, "Reference to the wrong class",
        "A reference resolves, but to a record of a class the element does not allow (for example a Location where a Care actor is expected). The context names the allowed classes and the class found.";
    /// A dose given inside the minimum interval.
    DoseWithinMinimumInterval = "dose-within-minimum-interval", Warning, "Dose inside the minimum interval",
        "Two doses of the same medicine were recorded as given less than its minimum interval apart. Doses are of the same medicine when their dm+d / SNOMED CT codes are equal, even under two Medication records (one kept by the care provider, one by the family); the context then names the other record in `previous_medication`. The interval is the later administration's, else its Medication record's; across two records, the larger of the two records' intervals. Dates and times are read as UK time (GMT or BST); in the hour the clocks change, the reading that brings the doses closer is used (`time_uncertain`). This is how a double dose, for example one by a relative and one by a care worker, becomes visible. Check with the people involved and follow the medication incident procedure.";
    /// More than the maximum dose given in 24 hours.
    MaximumDosePer24HoursExceeded = "maximum-dose-per-24-hours-exceeded", Warning, "More than the maximum dose in 24 hours",
        "The doses of one medicine given in some 24 hours (a rolling window, not a calendar day; across every Medication record with the same dm+d / SNOMED CT code) add up to more than the Medication record's `maximum_dose_per_24_hours`. Amounts are the administrations' `dose_given`, or the Medication record's `dose_quantity` when a dose does not say; only doses in the maximum's unit (the Medication record's `dose_unit`) are added, and the context counts the others in `not_summed`. The path points at the dose that took the total over; the context gives the first dose of the window (`window_start`), `window_end`, the `total` and the `maximum`. Check with the people involved and follow the medication incident procedure.";
    /// A care plan plans more time or cost than is funded for its services.
    PlanExceedsFundedEnvelope = "plan-exceeds-funded-envelope", Warning, "Care plan beyond the funded envelope",
        "A care plan's `planned_hours_per_week` is more than the sum of the `funded_hours_per_week` of the Service records its `services` element names, or its `weekly_cost` is more than the sum of their `weekly_cost` (each service counted once; a service without the figure adds nothing, and the check runs only when at least one of them has it). This is how a provider's detailed plan that has grown past the time and budget the local authority commissioned becomes visible before the care is delivered (use case 2). The context names the element compared (`element`), the services' element (`funded_element`) and the services counted (`services`); with values, the plan's figure (`value`) and the funded total (`other_value`, one of the value members `include_values` adds). It is a warning, not an error: the plan is a true record of what was planned, and a top-up or a change to the funding may be under way; agree the plan with the commissioner or bring it back within the envelope.";
    /// The report was cut short.
    TooManyIssues = "too-many-issues", Information, "Report truncated",
        "The record has more issues than the configured maximum (default 1,000); the rest were counted but not listed. The context gives how many were left out.";
    /// Validation of the record stopped on a bug (a panic) in mods-sdk.
    InternalError = "internal-error", Error, "Internal error (a bug in mods-sdk)",
        "Validating this record stopped on an internal error: a bug in mods-sdk, not a fault of the record, which may or may not be valid (it is reported invalid because it was not fully checked). The message and the context's `location` give only where in the code it happened (file and line). No input is quoted: the text of an internal error can contain the data being read, so it is never shown. Please report it to the mods-sdk maintainers with that location and, if you can, a record of the same shape with made-up data. The other records of a batch are validated as usual; the `mods` CLI exits with status 2 when any record hit an internal error. No record can be written to expect this code, so the conformance corpus has no case for it.";
}

impl IssueCode {
    /// Look a code up by its stable string identifier.
    pub fn from_code(code: &str) -> Option<IssueCode> {
        IssueCode::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for IssueCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for IssueCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        IssueCode::from_code(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown issue code `{s}`")))
    }
}

/// One problem found in a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Stable code from the closed catalogue.
    pub code: IssueCode,
    /// How serious it is.
    pub severity: Severity,
    /// JSON pointer (RFC 6901) to the value concerned; `""` is the whole document.
    pub path: String,
    /// A sentence for a person. Never contains the record's data.
    pub message: String,
    /// Structured details (element, class, expected form...). Holds the offending value
    /// under `value` only when the caller opted in with
    /// [`ValidationOptions::include_values`](crate::ValidationOptions::include_values).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub context: Map<String, Value>,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(
            f,
            "{} {} {}: {}",
            self.severity, self.code, path, self.message
        )
    }
}

/// The result of validating one record or instance: every issue found.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Report {
    /// `true` when no issue has severity `error`.
    pub valid: bool,
    /// The issues, in document order of discovery.
    pub issues: Vec<Issue>,
    /// Issues found beyond the maximum and left out of `issues`.
    #[serde(default)]
    pub omitted: usize,
}

impl Report {
    /// Issues of severity `error`.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    /// Issues of severity `warning`.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.errors().count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.warnings().count()
    }

    /// The report of a document that could not be read at all.
    pub fn from_input_error(err: &crate::InputError) -> Report {
        Report {
            valid: false,
            issues: vec![err.to_issue()],
            omitted: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for c in IssueCode::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {c}");
            assert!(c
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            assert!(c.explanation().len() > 40, "{c} needs an explanation");
            assert_eq!(IssueCode::from_code(c.as_str()), Some(*c));
        }
        assert_eq!(IssueCode::from_code("no-such-code"), None);
    }

    #[test]
    fn issue_serialises_with_string_code() {
        let i = Issue {
            code: IssueCode::DanglingReference,
            severity: Severity::Error,
            path: "/alert/0/subject_of_care".into(),
            message: "m".into(),
            context: Map::new(),
        };
        let v = serde_json::to_value(&i).unwrap();
        assert_eq!(v["code"], "dangling-reference");
        assert_eq!(v["severity"], "error");
        let back: Issue = serde_json::from_value(v).unwrap();
        assert_eq!(back, i);
    }
}
