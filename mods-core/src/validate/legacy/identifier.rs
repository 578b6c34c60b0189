//! Identifier checks of Text elements that have a `format`: NHS number, ODS codes by role,
//! UPRN, postcode (with its normal form, and free text for an address abroad), CQC id,
//! GSS code, e-mail address and record uid.

use super::Cx;
use crate::checks::{self, NhsNumberError, PostcodeChange};
use crate::issue::IssueCode;
use crate::model::{ClassDef, ElementDef, IdFormat};
use serde_json::{Map, Value};

impl Cx<'_, '_> {
    /// Check the value `s` (the JSON value `v`) of an element that has an identifier
    /// format.
    pub(super) fn identifier(
        &mut self,
        class: &ClassDef,
        el: &ElementDef,
        format: IdFormat,
        v: &Value,
        s: &str,
    ) {
        let mut c = Self::element_ctx(class, el);
        c.insert("format".into(), format.as_str().into());
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
                c.insert("expected_role".into(), role.as_str().into());
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
                    Some(normal) => return self.postcode_not_normal(c, el, v, s, normal),
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
        self.add_value(&mut c, v);
        self.issue(code, None, message, c);
    }

    /// An accepted postcode `s` whose normal form is `normal`: a note when they differ. The
    /// message names the kind of change only; the normal form, derived from the person's
    /// postcode, goes into the context only when values are included.
    fn postcode_not_normal(
        &mut self,
        mut c: Map<String, Value>,
        el: &ElementDef,
        v: &Value,
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
        self.add_value(&mut c, v);
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
