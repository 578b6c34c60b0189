//! JSON pointers (RFC 6901): syntax, and resolution against a document.

use serde_json::Value;

/// The unescaped segments of a pointer, or `None` when it is not a pointer: it must be empty
/// or start with `/`, and every `~` must be followed by `0` or `1`.
pub fn segments(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/')
        .map(|seg| {
            let mut out = String::with_capacity(seg.len());
            let mut chars = seg.chars();
            while let Some(c) = chars.next() {
                if c == '~' {
                    match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return None,
                    }
                } else {
                    out.push(c);
                }
            }
            Some(out)
        })
        .collect()
}

/// The value at `segs` in `doc`. Array indices must be written canonically (`0`, `12`, never
/// `012` or `+1`).
pub fn resolve<'v>(doc: &'v Value, segs: &[String]) -> Option<&'v Value> {
    let mut at = doc;
    for s in segs {
        at = match at {
            Value::Object(o) => o.get(s)?,
            Value::Array(a) => {
                let canonical = s == "0" || (!s.starts_with('0') && !s.is_empty());
                if !canonical || !s.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                a.get(s.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(at)
}

/// Whether `pointer` names a value of `doc`, or a member that is absent from an object of
/// `doc` (where a missing element is reported).
pub fn resolves_or_absent_member(doc: &Value, pointer: &str) -> bool {
    let Some(segs) = segments(pointer) else {
        return false;
    };
    if resolve(doc, &segs).is_some() {
        return true;
    }
    match segs.split_last() {
        Some((_, parent)) => matches!(resolve(doc, parent), Some(Value::Object(_))),
        None => false,
    }
}

/// Escape one segment.
pub fn escape(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn syntax() {
        assert_eq!(segments(""), Some(vec![]));
        assert_eq!(segments("/a~1b/~0"), Some(vec!["a/b".into(), "~".into()]));
        assert_eq!(segments("a"), None);
        assert_eq!(segments("/a~2"), None);
        assert_eq!(segments("/a~"), None);
        assert_eq!(segments("/"), Some(vec![String::new()]));
    }

    #[test]
    fn resolution() {
        let doc = json!({"a": [{"b": 1}], "": {"x/y": 2}});
        assert!(resolves_or_absent_member(&doc, "/a/0/b"));
        assert!(resolves_or_absent_member(&doc, "/a/0/missing"));
        assert!(!resolves_or_absent_member(&doc, "/a/1"));
        assert!(!resolves_or_absent_member(&doc, "/a/00"));
        assert!(!resolves_or_absent_member(&doc, "/a/0/b/c"));
        assert!(resolves_or_absent_member(&doc, "//x~1y"));
        assert!(resolves_or_absent_member(&doc, ""));
        assert_eq!(escape("a/~b"), "a~1~0b");
    }
}
