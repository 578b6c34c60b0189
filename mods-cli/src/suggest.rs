//! "Did you mean": the names closest to a mistyped one, by edit distance (optimal string
//! alignment, so a swap of two neighbouring characters is one edit), ignoring case.

/// The candidates within a small edit distance of `query`, closest first (at most three):
/// one edit for a name of up to 7 characters, then one more for every 8 (a one-character
/// typo always finds its name). Exact matches (ignoring case) are left out: the caller has
/// already failed to find `query`.
pub fn similar<'a>(query: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let limit = 1 + q.chars().count() / 8;
    let mut near: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = strsim::osa_distance(&q, &c.to_lowercase());
            (d > 0 && d <= limit).then_some((d, c))
        })
        .collect();
    near.sort_unstable();
    near.dedup_by(|a, b| a.1 == b.1);
    near.into_iter().take(3).map(|(_, c)| c).collect()
}

/// ` (did you mean `a` or `b`?)` for the candidates near `query`, or nothing.
pub fn did_you_mean<'a>(query: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let near = similar(query, candidates);
    if near.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = near.iter().map(|c| format!("`{c}`")).collect();
    format!(" (did you mean {}?)", quoted.join(" or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_typo_is_found_and_far_names_are_not() {
        let names = ["alert", "allergy", "incident", "care_plan"];
        assert_eq!(similar("alrt", names), ["alert"]);
        assert_eq!(similar("aelrt", names), ["alert"], "a swap is one edit");
        assert_eq!(similar("Alerts", names), ["alert"]);
        assert_eq!(similar("incidnet", names), ["incident"]);
        assert!(similar("zzz", names).is_empty());
        assert!(
            similar("alert", names).is_empty(),
            "no suggestion of itself"
        );
        assert!(similar("", names).is_empty());
        assert_eq!(
            did_you_mean("care-plan", names),
            " (did you mean `care_plan`?)"
        );
        assert_eq!(did_you_mean("qqq", names), "");
    }
}
