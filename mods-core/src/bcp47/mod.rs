//! BCP 47 language tags (RFC 5646), the code system `urn:ietf:bcp:47` that FHIR and UK Core
//! bind human languages to (`Patient.communication.language`, value set `all-languages`).
//!
//! A tag is checked in two steps:
//!
//! 1. **Well-formed**: it follows the ABNF of RFC 5646 section 2.1: a primary language
//!    subtag (2–3 letters with up to three extended language subtags, or 4–8 letters), then
//!    optionally a script (4 letters), a region (2 letters or 3 digits), variants (5–8
//!    letters or digits, or a digit and 3 letters or digits), extensions (a singleton other
//!    than `x` and subtags of 2–8 letters or digits) and a private-use part (`x` and subtags
//!    of 1–8); or a private-use tag alone (`x-...`); or one of the 26 grandfathered tags.
//!    Case does not matter. [`parse`] does this.
//! 2. **Known language**: the primary language subtag is registered in the IANA Language
//!    Subtag Registry (every ISO 639-1 code, and the ISO 639-2, 639-3 and 639-5 codes:
//!    `bfi` British Sign Language is one), or is in the private-use range `qaa`–`qtz`. The
//!    registry's language subtags are embedded ([`REGISTRY_DATE`]); a subtag registered
//!    later than that is reported as unknown until the tables are regenerated
//!    (`scripts/gen_language_subtags.py`). [`check`] does both steps.
//!
//! The other subtags (extended language, script, region, variant, extension) are checked
//! for their shape only, not looked up in the registry; nor are duplicate variants or
//! extension singletons refused (RFC 5646 calls such a tag well-formed but not valid).
//!
//! ```
//! use mods_core::bcp47::{check, TagStatus};
//!
//! assert_eq!(check("en-GB"), TagStatus::Known);
//! assert_eq!(check("bfi"), TagStatus::Known);               // British Sign Language
//! assert_eq!(check("en_GB"), TagStatus::Malformed);
//! assert_eq!(check("xyz"), TagStatus::UnknownLanguage);     // well-formed, not registered
//! assert_eq!(check("iw"), TagStatus::Deprecated { preferred: Some("he") });
//! ```

pub mod registry;

pub use registry::FILE_DATE as REGISTRY_DATE;

/// The code system URI of BCP 47 language tags.
pub const SYSTEM: &str = "urn:ietf:bcp:47";

/// A well-formed language tag, split into its parts (the slices keep the tag's case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LanguageTag<'a> {
    /// A tag built from subtags (`langtag` in RFC 5646).
    Tag(Subtags<'a>),
    /// A private-use tag, `x-` followed by private subtags.
    PrivateUse(&'a str),
    /// One of the grandfathered tags of RFC 5646 section 2.2.8 (`i-klingon`, `en-GB-oed`...).
    Grandfathered(&'a str),
}

/// The subtags of a `langtag`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subtags<'a> {
    /// The primary language subtag.
    pub language: &'a str,
    /// Extended language subtags (at most three).
    pub extlangs: Vec<&'a str>,
    /// The script subtag.
    pub script: Option<&'a str>,
    /// The region subtag.
    pub region: Option<&'a str>,
    /// Variant subtags.
    pub variants: Vec<&'a str>,
    /// Extensions, each a singleton and its subtags (`u-co-phonebk`).
    pub extensions: Vec<&'a str>,
    /// The private-use part, `x` and its subtags.
    pub private_use: Option<&'a str>,
}

/// What [`parse`] found wrong: the tag does not follow the grammar of RFC 5646.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// The verdict of [`check`] on a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagStatus {
    /// Well-formed, and its primary language subtag is registered (or private use); or a
    /// grandfathered tag that is not deprecated.
    Known,
    /// Well-formed, but its primary language subtag (or the grandfathered tag) is
    /// deprecated in the registry; `preferred` is what the registry says to use instead.
    Deprecated {
        /// The registry's `Preferred-Value`, when it gives one.
        preferred: Option<&'static str>,
    },
    /// Well-formed, but the primary language subtag is not in the registry.
    UnknownLanguage,
    /// Not a well-formed language tag.
    Malformed,
}

fn alpha(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn alnum(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// The grandfathered tag `tag` names, matched without regard to case.
fn grandfathered(tag: &str) -> Option<&'static (&'static str, Option<&'static str>, bool)> {
    registry::GRANDFATHERED
        .iter()
        .find(|(g, _, _)| g.eq_ignore_ascii_case(tag))
}

/// The part of `tag` made of its subtags `from..to` (`parts` is `tag` split at `-`).
fn span<'a>(tag: &'a str, parts: &[&str], from: usize, to: usize) -> &'a str {
    let offset = |i: usize| parts[..i].iter().map(|p| p.len() + 1).sum::<usize>();
    &tag[offset(from)..offset(to) - 1]
}

/// Split a tag into its parts, or say it is not well-formed (RFC 5646 section 2.1).
pub fn parse(tag: &str) -> Result<LanguageTag<'_>, Malformed> {
    if grandfathered(tag).is_some() {
        return Ok(LanguageTag::Grandfathered(tag));
    }
    parse_grammar(tag)
}

/// The `langtag` and `privateuse` productions of RFC 5646 (the grandfathered list aside).
fn parse_grammar(tag: &str) -> Result<LanguageTag<'_>, Malformed> {
    let parts: Vec<&str> = tag.split('-').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 8 || !alnum(p))
    {
        return Err(Malformed);
    }
    let is_x = |p: &str| p.eq_ignore_ascii_case("x");
    // a private-use part: `x` and one or more subtags of 1-8, to the end
    let private = |i: usize| is_x(parts[i]) && i + 1 < parts.len();
    if is_x(parts[0]) {
        return if private(0) {
            Ok(LanguageTag::PrivateUse(tag))
        } else {
            Err(Malformed)
        };
    }
    let language = parts[0];
    if language.len() < 2 || !alpha(language) {
        return Err(Malformed);
    }
    let mut t = Subtags {
        language,
        ..Subtags::default()
    };
    let mut i = 1;
    let n = parts.len();
    if language.len() <= 3 {
        while i < n && t.extlangs.len() < 3 && parts[i].len() == 3 && alpha(parts[i]) {
            t.extlangs.push(parts[i]);
            i += 1;
        }
    }
    if i < n && parts[i].len() == 4 && alpha(parts[i]) {
        t.script = Some(parts[i]);
        i += 1;
    }
    if i < n
        && ((parts[i].len() == 2 && alpha(parts[i])) || (parts[i].len() == 3 && digits(parts[i])))
    {
        t.region = Some(parts[i]);
        i += 1;
    }
    while i < n {
        let p = parts[i];
        let variant =
            (5..=8).contains(&p.len()) || (p.len() == 4 && p.as_bytes()[0].is_ascii_digit());
        if !variant {
            break;
        }
        t.variants.push(p);
        i += 1;
    }
    while i < n && parts[i].len() == 1 && !is_x(parts[i]) {
        let start = i;
        i += 1;
        while i < n && parts[i].len() >= 2 {
            i += 1;
        }
        if i == start + 1 {
            return Err(Malformed); // a singleton with no subtag
        }
        t.extensions.push(span(tag, &parts, start, i));
    }
    if i < n {
        if !private(i) {
            return Err(Malformed);
        }
        t.private_use = Some(span(tag, &parts, i, n));
    }
    Ok(LanguageTag::Tag(t))
}

/// Whether a primary language subtag (2–8 letters, any case) is in the registry, and
/// whether it is deprecated there.
fn language_status(language: &str) -> TagStatus {
    let l = language.to_ascii_lowercase();
    let b = l.as_bytes();
    let listed = |list: &str| list.split(' ').any(|s| s == &l[l.len() - 2..]);
    let known = match b.len() {
        2 => registry::TWO_LETTER.split(' ').any(|s| s == l),
        3 if b[0] == b'q' && (b'a'..=b't').contains(&b[1]) => return TagStatus::Known,
        3 => listed(registry::THREE_LETTER[usize::from(b[0] - b'a')]),
        _ => false,
    };
    if !known {
        return TagStatus::UnknownLanguage;
    }
    match registry::DEPRECATED.binary_search_by(|(s, _)| (*s).cmp(l.as_str())) {
        Ok(i) => TagStatus::Deprecated {
            preferred: registry::DEPRECATED[i].1,
        },
        Err(_) => TagStatus::Known,
    }
}

/// Check a language tag: well-formed, and its primary language subtag registered.
pub fn check(tag: &str) -> TagStatus {
    match parse(tag) {
        Err(Malformed) => TagStatus::Malformed,
        Ok(LanguageTag::PrivateUse(_)) => TagStatus::Known,
        Ok(LanguageTag::Grandfathered(g)) => match grandfathered(g) {
            Some((_, preferred, true)) => TagStatus::Deprecated {
                preferred: *preferred,
            },
            _ => TagStatus::Known,
        },
        Ok(LanguageTag::Tag(t)) => language_status(t.language),
    }
}

/// A regular expression matching exactly the well-formed tags (what [`parse`] accepts), for
/// JSON Schema `pattern`: anchored, in the common syntax of ECMA-262, Python's `re` and the
/// `regex` crate, case-insensitive through character classes (ECMA-262 has no inline flag).
/// It does not check that the language subtag is registered.
pub fn pattern() -> String {
    let a = "[A-Za-z]";
    let an = "[A-Za-z0-9]";
    let language = format!("(?:{a}{{2,3}}(?:-{a}{{3}}){{0,3}}|{a}{{4,8}})");
    let script = format!("(?:-{a}{{4}})?");
    let region = format!("(?:-(?:{a}{{2}}|[0-9]{{3}}))?");
    let variants = format!("(?:-(?:{an}{{5,8}}|[0-9]{an}{{3}}))*");
    let extensions = format!("(?:-[0-9A-WYZa-wyz](?:-{an}{{2,8}})+)*");
    let private = format!("[Xx](?:-{an}{{1,8}})+");
    let ci = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphabetic() {
                    format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                } else {
                    c.to_string()
                }
            })
            .collect()
    };
    // the grandfathered tags that the langtag production does not already match
    let irregular: Vec<String> = registry::GRANDFATHERED
        .iter()
        .map(|(g, _, _)| *g)
        .filter(|g| parse_grammar(g).is_err())
        .map(ci)
        .collect();
    format!(
        "^(?:{language}{script}{region}{variants}{extensions}(?:-{private})?|{private}|{})$",
        irregular.join("|")
    )
}

#[cfg(test)]
mod tests;
