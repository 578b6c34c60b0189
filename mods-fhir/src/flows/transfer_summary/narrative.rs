//! The XHTML narrative of a document section, written from the records alone.
//!
//! Every word a reader sees is either a value of the record (a text, a date, a number, a
//! code's display as the record gives it or as the MODS value set names it, or the name of a
//! record another one references), or a label from the MODS model (an element's name), or
//! one of the few connecting words below (`Yes`, `No`, `Nothing recorded.`, ...). Nothing is
//! written about the person that the record does not say.

use mods_core::model::{ClassDef, ElementDef, ElementType, Lookup, Model};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A section's narrative when the record has no records for it.
pub const NOTHING_RECORDED: &str = "Nothing recorded.";
/// A section's narrative when the record has records for it, none of them current.
pub const NONE_CURRENT: &str = "None current.";

/// What the narrative needs of the record: its model, and every record by uid (to name the
/// records a value references).
pub struct Ctx<'r> {
    model: &'static mods_core::model::Model,
    by_uid: BTreeMap<&'r str, (&'static ClassDef, &'r Value)>,
}

impl<'r> Ctx<'r> {
    /// Index a record document.
    pub fn new(model: &'static Model, record: &'r Value) -> Self {
        let mut by_uid = BTreeMap::new();
        if let (Some(c), Some(soc)) = (
            model.class("subject_of_care"),
            record.get("subject_of_care"),
        ) {
            if let Some(uid) = soc.get("record_uid").and_then(Value::as_str) {
                by_uid.insert(uid, (c, soc));
            }
        }
        // versioned records only: a Change log's `record_uid` names the record it changed
        for class in model.record_classes().filter(|c| c.versioned) {
            for item in record
                .get(class.technical_name)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(uid) = item.get("record_uid").and_then(Value::as_str) {
                    by_uid.entry(uid).or_insert((class, item));
                }
            }
        }
        Ctx { model, by_uid }
    }

    /// The name a reader knows a record by: a person's name, an organisation's or a
    /// location's name, a description or a title; else its uid.
    pub fn name_of(&self, uid: &str) -> String {
        let Some((_, item)) = self.by_uid.get(uid) else {
            return uid.to_string();
        };
        if let Some(n) = item.get("person_name").and_then(|n| match n {
            Value::Array(a) => a.first(),
            one => Some(one),
        }) {
            if let Some(s) = person_name(n) {
                return s;
            }
        }
        for key in [
            "organisation_name",
            "location_name",
            "medication_name",
            "need_description",
            "outcome_description",
            "service_description",
            "strength_description",
            "document_title",
        ] {
            if let Some(s) = item.get(key).and_then(Value::as_str) {
                return s.to_string();
            }
        }
        uid.to_string()
    }

    /// The text of a value of an element (a repeating element's values joined by `; `);
    /// `None` when there is nothing to show.
    pub fn value_text(&self, el: &ElementDef, v: &Value) -> Option<String> {
        let parts = self.values(el, v);
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// The texts of the values of an element (one for an element that does not repeat).
    pub fn values(&self, el: &ElementDef, v: &Value) -> Vec<String> {
        match v {
            Value::Array(a) => a.iter().filter_map(|x| self.one(el, x)).collect(),
            one => self.one(el, one).into_iter().collect(),
        }
    }

    fn one(&self, el: &ElementDef, v: &Value) -> Option<String> {
        let s = match (el.ty, v) {
            (_, Value::Null) => return None,
            (ElementType::YesNo, Value::Bool(b)) => if *b { "Yes" } else { "No" }.to_string(),
            (ElementType::Group, Value::Object(_)) => self.group(el, v)?,
            (ElementType::Lookup, Value::String(uid))
                if matches!(el.lookup, Lookup::Reference { .. }) =>
            {
                self.name_of(uid)
            }
            (ElementType::Lookup | ElementType::ReferenceCode, Value::Object(o)) => {
                let code = o.get("code").and_then(Value::as_str);
                match o.get("display").and_then(Value::as_str) {
                    Some(d) => d.to_string(),
                    None => match (code, &el.lookup) {
                        (Some(c), Lookup::ValueSet { value_set, .. }) => self
                            .model
                            .value_set(value_set)
                            .and_then(|vs| vs.display(c))
                            .unwrap_or(c)
                            .to_string(),
                        (Some(c), _) => c.to_string(),
                        (None, _) => return None,
                    },
                }
            }
            (_, Value::String(s)) => s.clone(),
            (_, Value::Number(n)) => n.to_string(),
            (_, Value::Bool(b)) => b.to_string(),
            _ => return None,
        };
        (!s.trim().is_empty()).then_some(s)
    }

    fn group(&self, el: &ElementDef, v: &Value) -> Option<String> {
        match el.component {
            Some("person_name") => return person_name(v),
            Some("address") => return address(v),
            _ => {}
        }
        let comp = self.model.class(el.component?)?;
        let parts: Vec<String> = comp
            .elements
            .iter()
            .filter_map(|e| {
                let t = self.value_text(e, v.get(e.technical_name)?)?;
                Some(format!("{}: {t}", e.name))
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// One record as a list item: the class's name in italics (`with_class`), the headline
    /// in bold, then `Label: value` per element (in the order given) that has a value.
    pub fn item(
        &self,
        class: &ClassDef,
        value: &Value,
        headline: &[&str],
        fields: &[&str],
        with_class: bool,
    ) -> String {
        let mut out = String::from("<li>");
        if with_class {
            out.push_str("<i>");
            out.push_str(&xhtml(class.name));
            out.push_str("</i>: ");
        }
        // `first`: nothing yet on the current line; `wrote`: an element was written
        let mut first = true;
        let mut wrote = false;
        let head = headline.iter().find_map(|name| {
            let el = class.element(name)?;
            Some((el, self.value_text(el, value.get(name)?)?))
        });
        if let Some((_, text)) = &head {
            out.push_str("<b>");
            out.push_str(&xhtml(text));
            out.push_str("</b>");
            first = false;
        }
        for name in fields {
            if head
                .as_ref()
                .is_some_and(|(el, _)| el.technical_name == *name)
            {
                continue;
            }
            let Some(el) = class.element(name) else {
                continue;
            };
            let texts = value
                .get(name)
                .map(|v| self.values(el, v))
                .unwrap_or_default();
            if texts.is_empty() {
                continue;
            }
            if !first {
                out.push_str("<br/>");
            }
            first = false;
            wrote = true;
            out.push_str(&xhtml(el.name));
            out.push(':');
            if let [one] = texts.as_slice() {
                out.push(' ');
                out.push_str(&xhtml(one));
            } else {
                // several values: a list, since a value may itself hold `;` or `,`
                out.push_str("<ul>");
                for t in &texts {
                    out.push_str("<li>");
                    out.push_str(&xhtml(t));
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
                first = true;
            }
        }
        if head.is_none() && !wrote && !with_class {
            // nothing to show but that the record exists: its class's name
            out.push_str("<i>");
            out.push_str(&xhtml(class.name));
            out.push_str("</i>");
        }
        out.push_str("</li>");
        out
    }
}

/// A person's name: title, given names, family name, suffix.
pub fn person_name(v: &Value) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(t) = v.get("title").and_then(Value::as_str) {
        parts.push(t);
    }
    for g in v
        .get("given_name")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(g) = g.as_str() {
            parts.push(g);
        }
    }
    for key in ["family_name", "name_suffix"] {
        if let Some(s) = v.get(key).and_then(Value::as_str) {
            parts.push(s);
        }
    }
    let s = parts.join(" ");
    (!s.trim().is_empty()).then_some(s)
}

/// An address on one line: its lines, town, county and postcode.
pub fn address(v: &Value) -> Option<String> {
    let mut parts: Vec<&str> = v
        .get("address_line")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for key in ["town_or_city", "county", "postcode"] {
        if let Some(s) = v.get(key).and_then(Value::as_str) {
            parts.push(s);
        }
    }
    let s = parts.join(", ");
    (!s.trim().is_empty()).then_some(s)
}

/// Text as XHTML: `&`, `<`, `>` and `"` escaped, line breaks as `<br/>`, and characters
/// XML does not allow left out.
pub fn xhtml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br/>");
                }
            }
            '\n' => out.push_str("<br/>"),
            '\t' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A generated Narrative from XHTML content (already escaped).
pub fn narrative(inner: &str) -> Value {
    json!({
        "status": "generated",
        "div": format!("<div xmlns=\"http://www.w3.org/1999/xhtml\">{inner}</div>"),
    })
}

/// A paragraph of plain text.
pub fn paragraph(text: &str) -> String {
    format!("<p>{}</p>", xhtml(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xhtml_escapes_and_drops_what_xml_forbids() {
        assert_eq!(
            xhtml("a < b & \"c\" > d\r\ne\u{7}f"),
            "a &lt; b &amp; &quot;c&quot; &gt; d<br/>ef"
        );
    }

    #[test]
    fn names_and_addresses() {
        let n = json!({"title": "Mrs", "given_name": ["Linda", "May"], "family_name": "Whitfield"});
        assert_eq!(person_name(&n).as_deref(), Some("Mrs Linda May Whitfield"));
        assert_eq!(person_name(&json!({})), None);
        let a = json!({"address_line": ["52 Burnage Lane"], "town_or_city": "Manchester", "postcode": "M19 2NL"});
        assert_eq!(
            address(&a).as_deref(),
            Some("52 Burnage Lane, Manchester, M19 2NL")
        );
    }
}
