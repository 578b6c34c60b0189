//! Identifier checks of Text elements that have a `format`: NHS number, ODS codes by role,
//! UPRN, postcode (with its normal form, and free text for an address abroad), CQC id,
//! GSS code, e-mail address and record uid.

use super::cx::Cx;
use crate::checks::{self, NhsNumberError, PostcodeChange};
use crate::issue::IssueCode;
use crate::model::{ClassDef, ElementDef, IdFormat, Lookup, Model};
use serde_json::{Map, Value};

/// Whether `obj`, an instance of `class`, is an address abroad: the class has a
/// [`checks::COUNTRY_ELEMENT`] and the instance's country code is a code of the element's
/// value set (ISO 3166-1) other than [`checks::UK_POSTCODE_COUNTRIES`]. Its postcode is then
/// free text. A country that is absent, null, not a coding, or a code outside the value set
/// (reported on its own, e.g. `UK`) leaves the address in the UK.
pub(crate) fn abroad(model: Option<&Model>, class: &ClassDef, obj: &Map<String, Value>) -> bool {
    let code = obj
        .get(checks::COUNTRY_ELEMENT)
        .and_then(|c| c.get("code"))
        .and_then(Value::as_str);
    abroad_code(model, class, code)
}

/// [`abroad`], given the code of the instance's country (if it has one that is a string).
pub(crate) fn abroad_code(model: Option<&Model>, class: &ClassDef, code: Option<&str>) -> bool {
    let Some(el) = class.element(checks::COUNTRY_ELEMENT) else {
        return false;
    };
    let Some(code) = code else {
        return false;
    };
    let known = match (&el.lookup, model) {
        (Lookup::ValueSet { value_set, .. }, Some(m)) => {
            m.value_set(value_set).is_some_and(|vs| vs.contains(code))
        }
        _ => true,
    };
    known && !checks::UK_POSTCODE_COUNTRIES.contains(&code)
}

impl Cx<'_, '_> {
    /// Check the value `s` of an element that has an identifier format.
    pub(super) fn identifier(
        &mut self,
        class: &ClassDef,
        el: &ElementDef,
        format: IdFormat,
        s: &str,
    ) {
        // the context only for a value that gets an issue
        let context = |extra: Option<(&str, &'static str)>| {
            let mut c = Self::element_ctx(class, el);
            c.insert("format".into(), format.as_str().into());
            if let Some((k, v)) = extra {
                c.insert(k.into(), v.into());
            }
            c
        };
        let mut extra = None;
        let (code, message) = match format {
            IdFormat::NhsNumber => match checks::check_nhs_number(s) {
                Ok(()) => return,
                Err(NhsNumberError::Format) => (
                    IssueCode::InvalidNhsNumber,
                    format!("{} must be ten digits with no spaces", el.name),
                ),
                Err(NhsNumberError::CheckDigit) => (
                    IssueCode::NhsNumberCheckDigit,
                    format!("{} fails the Modulus 11 check digit", el.name),
                ),
            },
            IdFormat::OdsCode
            | IdFormat::OdsGpPractice
            | IdFormat::OdsPcn
            | IdFormat::OdsTrust
            | IdFormat::OdsTrustSite
            | IdFormat::OdsSubIcb => {
                let Some(role) = format.ods_role() else {
                    return;
                };
                if role.accepts(s) {
                    return;
                }
                extra = Some(("expected_role", role.as_str()));
                (
                    IssueCode::InvalidOdsCode,
                    format!("{} is not {}", el.name, role.form()),
                )
            }
            IdFormat::Uprn if !checks::is_uprn(s) => (
                IssueCode::InvalidUprn,
                format!(
                    "{} is not a UPRN (1 to 12 digits, no leading zero)",
                    el.name
                ),
            ),
            IdFormat::Postcode => {
                if self.abroad {
                    return;
                }
                match checks::normalise_postcode(s) {
                    Some(normal) if normal == s => return,
                    Some(normal) => return self.postcode_not_normal(context(None), el, s, normal),
                    None => (
                        IssueCode::InvalidPostcode,
                        format!(
                            "{} is not a UK postcode, NHS pseudo-postcode, BFPO number or overseas territory postcode{}",
                            el.name,
                            if class.element(checks::COUNTRY_ELEMENT).is_some() {
                                " (for an address abroad, give its country)"
                            } else {
                                ""
                            }
                        ),
                    ),
                }
            }
            IdFormat::CqcId if !checks::is_cqc_id(s) => (
                IssueCode::InvalidIdentifier,
                format!("{} is not a CQC id (1- followed by digits)", el.name),
            ),
            IdFormat::GssCode if !checks::is_gss_code(s) => (
                IssueCode::InvalidIdentifier,
                format!(
                    "{} is not a GSS code (E, W, S or N and eight digits)",
                    el.name
                ),
            ),
            IdFormat::Email if !checks::is_email(s) => (
                IssueCode::InvalidIdentifier,
                format!("{} is not an e-mail address", el.name),
            ),
            IdFormat::Uid if !checks::is_uid(s) => (
                IssueCode::InvalidIdentifier,
                format!(
                    "{} must be 1 to 128 characters with no white space or control characters",
                    el.name
                ),
            ),
            _ => return,
        };
        let mut c = context(extra);
        self.add_value(&mut c, || s.into());
        self.issue(code, None, message, c);
    }

    /// An accepted postcode `s` whose normal form is `normal`: a note when they differ. The
    /// message names the kind of change only; the normal form, derived from the person's
    /// postcode, goes into the context only when values are included.
    fn postcode_not_normal(
        &mut self,
        mut c: Map<String, Value>,
        el: &ElementDef,
        s: &str,
        normal: String,
    ) {
        if s == normal {
            return;
        }
        let change = PostcodeChange::between(s, &normal);
        let what = match (change.case, change.spacing) {
            (true, true) => "in upper case with one space before the last three characters",
            (true, false) => "in upper case",
            _ => "with one space before the last three characters",
        };
        let changes: Vec<Value> = [(change.case, "case"), (change.spacing, "spacing")]
            .into_iter()
            .filter(|(needed, _)| *needed)
            .map(|(_, name)| name.into())
            .collect();
        c.insert("changes".into(), Value::Array(changes));
        self.add_value(&mut c, || s.into());
        if self.opts.include_values {
            c.insert("normalised".into(), normal.into());
        }
        self.issue(
            IssueCode::PostcodeNotNormalised,
            None,
            format!("{} is valid; its normal form is written {what}", el.name),
            c,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{validate_instance, validate_record, IssueCode, Severity, ValidationOptions};
    use serde_json::{json, Value};

    fn address(postcode: &str, country: Option<&str>) -> Value {
        let mut a = json!({ "address_line": ["1 High Street"], "postcode": postcode });
        if let Some(c) = country {
            a["country"] = json!({ "code": c });
        }
        a
    }

    #[test]
    fn a_postcode_not_in_normal_form_is_a_note_with_the_normal_form_only_on_request() {
        let a = address("ls1  4ap", None);
        let r = validate_instance("address", &a, &ValidationOptions::default()).unwrap();
        assert!(r.valid);
        assert_eq!(r.issues.len(), 1);
        let i = &r.issues[0];
        assert_eq!(i.code, IssueCode::PostcodeNotNormalised);
        assert_eq!(i.severity, Severity::Information);
        assert_eq!(i.path, "/postcode");
        assert_eq!(i.context["changes"], json!(["case", "spacing"]));
        assert!(i.context.get("normalised").is_none() && i.context.get("value").is_none());
        let text = serde_json::to_string(i).unwrap().to_ascii_uppercase();
        assert!(!text.contains("LS1") && !text.contains("4AP"), "{text}");

        let opts = ValidationOptions {
            include_values: true,
            ..ValidationOptions::default()
        };
        let r = validate_instance("address", &a, &opts).unwrap();
        let i = &r.issues[0];
        assert_eq!(i.context["normalised"], "LS1 4AP");
        assert_eq!(i.context["value"], "ls1  4ap");
        assert!(!i.message.contains("LS1") && !i.message.contains("ls1"));
    }

    #[test]
    fn the_message_names_the_change_needed() {
        let message = |p: &str| {
            let r = validate_instance("address", &address(p, None), &Default::default()).unwrap();
            (
                r.issues[0].message.clone(),
                r.issues[0].context["changes"].clone(),
            )
        };
        let (m, c) = message("sw1a 1aa");
        assert!(m.ends_with("in upper case"), "{m}");
        assert_eq!(c, json!(["case"]));
        let (m, c) = message("SW1A1AA");
        assert!(
            m.ends_with("one space before the last three characters"),
            "{m}"
        );
        assert_eq!(c, json!(["spacing"]));
    }

    #[test]
    fn an_address_abroad_has_a_free_text_postcode_and_a_uk_one_does_not() {
        for (postcode, country, issue) in [
            ("75008", Some("FR"), None),
            ("KY1-1234", Some("KY"), None),
            ("anything at all", Some("US"), None),
            ("75008", Some("GB"), Some(IssueCode::InvalidPostcode)),
            ("75008", None, Some(IssueCode::InvalidPostcode)),
            ("JE2 3AB", Some("JE"), None),
            (
                "je2 3ab",
                Some("JE"),
                Some(IssueCode::PostcodeNotNormalised),
            ),
            ("75008", Some("IM"), Some(IssueCode::InvalidPostcode)),
        ] {
            let r = validate_instance("address", &address(postcode, country), &Default::default())
                .unwrap();
            let codes: Vec<IssueCode> = r.issues.iter().map(|i| i.code).collect();
            assert_eq!(
                codes,
                issue.into_iter().collect::<Vec<_>>(),
                "{postcode} {country:?}"
            );
        }
        // a country outside the value set is its own error, and does not make the address
        // one abroad
        let r = validate_instance(
            "address",
            &address("75008", Some("UK")),
            &Default::default(),
        )
        .unwrap();
        let mut codes: Vec<IssueCode> = r.issues.iter().map(|i| i.code).collect();
        codes.sort();
        assert_eq!(
            codes,
            vec![IssueCode::InvalidPostcode, IssueCode::CodeNotInValueSet]
        );
    }

    #[test]
    fn the_hint_to_give_a_country_comes_only_where_an_address_can_hold_one() {
        let doc = |version: &str| {
            json!({
                "mods_version": version,
                "subject_of_care": {
                    "record_uid": "soc-1", "version_number": 1,
                    "person_name": [{ "family_name": "Green", "given_name": ["Arthur"] }],
                    "address": [{ "address_line": ["1 rue du Faubourg"], "postcode": "75008" }],
                },
            })
        };
        let message = |version: &str| {
            let r = validate_record(&doc(version), &ValidationOptions::default());
            let i = r
                .issues
                .iter()
                .find(|i| i.code == IssueCode::InvalidPostcode);
            i.map(|i| i.message.clone()).unwrap_or_default()
        };
        assert!(message("1.0").ends_with("(for an address abroad, give its country)"));
        let old = message("0.2.1");
        assert!(!old.is_empty() && !old.contains("country"), "{old}");
    }

    #[test]
    fn an_ods_code_of_another_role_names_the_role_expected() {
        let gp = json!({
            "record_uid": "gp-1", "version_number": 1, "organisation_name": "High Street Surgery",
            "gp_practice_code": "RXH", "primary_care_network": "A81001",
            "sub_icb_location_code": "RXH01",
        });
        let r = validate_instance("gp_practice", &gp, &Default::default()).unwrap();
        let roles: Vec<(&str, &Value)> = r
            .issues
            .iter()
            .map(|i| {
                assert_eq!(i.code, IssueCode::InvalidOdsCode);
                (i.path.as_str(), &i.context["expected_role"])
            })
            .collect();
        assert_eq!(
            roles,
            vec![
                ("/gp_practice_code", &json!("gp_practice")),
                ("/primary_care_network", &json!("primary_care_network")),
                ("/sub_icb_location_code", &json!("sub_icb_location")),
            ]
        );
        assert!(r.issues[0].message.contains("a letter and five digits"));
        assert!(r.issues.iter().all(|i| i.context.get("value").is_none()));
    }
}
