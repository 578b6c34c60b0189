//! The glossary of agreed MODS terms (use case 8): definitions in plain words, the
//! synonyms different organisations use, and links to the classes and elements that
//! realise each term. Generated from `mods-core/spec/glossary.json`.

use serde::Serialize;

/// The whole glossary.
#[derive(Debug, Serialize)]
pub struct Glossary {
    /// Version of the glossary data.
    pub glossary_version: &'static str,
    /// The MODS version whose classes and elements it links to.
    pub mods_version: &'static str,
    /// The terms, in glossary order.
    pub terms: &'static [Term],
}

/// One agreed term.
#[derive(Debug, Serialize)]
pub struct Term {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// The preferred term.
    pub term: &'static str,
    /// The agreed definition.
    pub definition: &'static str,
    /// Other words organisations use, with a note on each.
    pub synonyms: &'static [Synonym],
    /// Ids of terms this one is often confused with.
    pub not_to_be_confused_with: &'static [&'static str],
    /// Technical names of the classes that realise the term.
    pub classes: &'static [&'static str],
    /// `class.element` technical names of the elements that realise the term.
    pub elements: &'static [&'static str],
    /// Use cases (UC1..UC8) that rely on it.
    pub use_cases: &'static [&'static str],
    /// Sources drawn on.
    pub sources: &'static [TermSource],
}

/// A synonym.
#[derive(Debug, Serialize)]
pub struct Synonym {
    /// The other word.
    pub term: &'static str,
    /// Who uses it, and how it differs.
    pub note: &'static str,
}

/// A source of a definition.
#[derive(Debug, Serialize)]
pub struct TermSource {
    /// Title.
    pub title: &'static str,
    /// Address.
    pub url: &'static str,
}

/// The glossary.
pub fn glossary() -> &'static Glossary {
    &crate::generated::glossary::GLOSSARY
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase().replace(['-', '_'], " ")
}

/// Find a term by id, preferred term or synonym (case-insensitive; `-`, `_` and spaces
/// are the same).
pub fn lookup(text: &str) -> Option<&'static Term> {
    let q = norm(text);
    let terms = glossary().terms;
    terms
        .iter()
        .find(|t| norm(t.id) == q || norm(t.term) == q)
        .or_else(|| {
            terms
                .iter()
                .find(|t| t.synonyms.iter().any(|s| norm(s.term) == q))
        })
}

/// Terms whose term, synonyms or definition mention `text`.
pub fn search(text: &str) -> Vec<&'static Term> {
    let q = text.trim().to_lowercase();
    glossary()
        .terms
        .iter()
        .filter(|t| {
            t.term.to_lowercase().contains(&q)
                || t.synonyms
                    .iter()
                    .any(|s| s.term.to_lowercase().contains(&q))
                || t.definition.to_lowercase().contains(&q)
        })
        .collect()
}

/// The terms that link to a class.
pub fn terms_for_class(technical_name: &str) -> Vec<&'static Term> {
    glossary()
        .terms
        .iter()
        .filter(|t| t.classes.contains(&technical_name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_has_a_term_and_lookups_work() {
        for c in crate::model::latest().classes {
            assert!(
                !terms_for_class(c.technical_name).is_empty(),
                "{}",
                c.technical_name
            );
        }
        assert_eq!(lookup("unpaid carer").map(|t| t.id), Some("unpaid-carer"));
        assert_eq!(lookup("Unpaid-Carer").map(|t| t.id), Some("unpaid-carer"));
        assert!(lookup("informal carer").is_some());
        assert!(lookup("no such term at all").is_none());
        assert!(!search("budget").is_empty());
    }
}
