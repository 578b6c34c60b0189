//! Strict, bounded JSON reading.
//!
//! [`parse_json`] turns bytes into a [`serde_json::Value`] while enforcing [`Limits`]:
//! document size (checked before parsing), nesting depth, string length, array length,
//! object members and total values (all checked while parsing, never after a tree is
//! built). It rejects what other parsers disagree on: duplicate keys, a byte order mark,
//! invalid UTF-8. Every failure is an [`InputError`] with a stable code and, where it has
//! one, the JSON pointer and line/column where it tripped. It never panics.

use crate::issue::{Issue, IssueCode, Severity};
use serde_json::{Map, Value};

/// Bounds on what the reader accepts. Every limit is inclusive: a value exactly at the
/// limit is accepted, one past it is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct Limits {
    /// Largest document, in bytes. Default 16 MiB.
    pub max_bytes: usize,
    /// Deepest nesting of arrays and objects (the top-level value is depth 1). Default 64.
    pub max_depth: usize,
    /// Longest string or key, in bytes of UTF-8. Default 1 MiB.
    pub max_string_bytes: usize,
    /// Most items in one array. Default 100,000.
    pub max_array_items: usize,
    /// Most members in one object. Default 1,000.
    pub max_object_members: usize,
    /// Most JSON values in the whole document. Default 1,000,000.
    pub max_nodes: usize,
}

crate::__option_setters!(Limits {
    with_max_bytes(max_bytes: usize);
    with_max_depth(max_depth: usize);
    with_max_string_bytes(max_string_bytes: usize);
    with_max_array_items(max_array_items: usize);
    with_max_object_members(max_object_members: usize);
    with_max_nodes(max_nodes: usize);
});

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_string_bytes: 1024 * 1024,
            max_array_items: 100_000,
            max_object_members: 1_000,
            max_nodes: 1_000_000,
        }
    }
}

/// Input that could not be read as a JSON document within the limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct InputError {
    /// One of the `input-*` codes of the catalogue.
    pub code: IssueCode,
    /// What went wrong, without any of the input's content.
    pub message: String,
    /// JSON pointer to the value where reading stopped, when known.
    pub path: Option<String>,
    /// 1-based line where reading stopped, when known.
    pub line: Option<usize>,
    /// 1-based column where reading stopped, when known.
    pub column: Option<usize>,
    /// Byte offset, for encoding errors.
    pub offset: Option<usize>,
}

impl InputError {
    pub(crate) fn new(code: IssueCode, message: impl Into<String>) -> Self {
        InputError {
            code,
            message: message.into(),
            path: None,
            line: None,
            column: None,
            offset: None,
        }
    }

    /// The error as an issue (severity error), for reports that mix both.
    pub fn to_issue(&self) -> Issue {
        let mut context = Map::new();
        if let Some(l) = self.line {
            context.insert("line".into(), l.into());
        }
        if let Some(c) = self.column {
            context.insert("column".into(), c.into());
        }
        if let Some(o) = self.offset {
            context.insert("offset".into(), o.into());
        }
        Issue {
            code: self.code,
            severity: Severity::Error,
            path: self.path.clone().unwrap_or_default(),
            message: self.message.clone(),
            context,
        }
    }
}

/// Read `bytes` as one JSON document within `limits`.
///
/// The limits are checked by the same reader that validates records (it builds the
/// `Value` here), so a document passes or fails them the same way on every path.
pub fn parse_json(bytes: &[u8], limits: &Limits) -> Result<Value, InputError> {
    crate::validate::parse_value(bytes, limits)
}

/// The document as text, once its size and encoding are known to be acceptable: no larger
/// than the limit, UTF-8 without a byte order mark.
pub(crate) fn checked_text<'b>(bytes: &'b [u8], limits: &Limits) -> Result<&'b str, InputError> {
    if bytes.len() > limits.max_bytes {
        return Err(InputError::new(
            IssueCode::InputTooLarge,
            format!(
                "the document is {} bytes, more than the limit of {} bytes",
                bytes.len(),
                limits.max_bytes
            ),
        ));
    }
    check_encoding(bytes)
}

/// The message of a syntax error, in words for the person who has to fix the file rather
/// than the parser's (`EOF while parsing a list`, `expected ident`); the position is kept
/// separately. serde_json's own wording (without its position suffix) is kept for a message
/// not known here; it never quotes the input for `Value`.
pub(crate) fn syntax_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    format!("not well-formed JSON: {}", plain_syntax_message(msg))
}

/// serde_json's syntax error message (without position) in plain words.
fn plain_syntax_message(msg: &str) -> &str {
    match msg {
        "EOF while parsing a list" => "the input ends inside an array (a `]` is missing)",
        "EOF while parsing an object" => "the input ends inside an object (a `}` is missing)",
        "EOF while parsing a string" => "the input ends inside a string (a closing `\"` is missing)",
        "EOF while parsing a value" => "the input is empty or ends where a value should be",
        "expected `:`" => "a `:` should follow the member name",
        "expected `,` or `]`" => "a `,` or `]` should follow the array item",
        "expected `,` or `}`" => "a `,` or `}` should follow the object member",
        "expected ident" => {
            "a word that is not `true`, `false` or `null` (text needs double quotes)"
        }
        "expected value" => {
            "a value should be here (text needs double quotes; comments, NaN and Infinity are not JSON)"
        }
        "expected `\"`" | "key must be a string" => {
            "a member name should be here, in double quotes"
        }
        "invalid escape" => {
            "a backslash escape JSON does not have (it has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
        }
        "invalid number" => "a number JSON does not allow (such as a leading zero or a sign alone)",
        "number out of range" => "a number too large to represent",
        "invalid unicode code point" => "a \\u escape that is not a Unicode character",
        "lone leading surrogate in hex escape" => {
            "a \\u escape holding half of a surrogate pair without the other half"
        }
        "unexpected end of hex escape" => "a \\u escape cut short (it needs four hex digits)",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "a control character (such as a line break or a tab) inside a string; write it as an escape (\\n, \\t)"
        }
        "trailing comma" => "a comma after the last item of an array or object",
        "trailing characters" => {
            "more after the end of the document (one JSON document per file; NDJSON holds one per line)"
        }
        other => other,
    }
}

fn check_encoding(bytes: &[u8]) -> Result<&str, InputError> {
    let enc = |msg: &str, offset: usize| {
        let mut e = InputError::new(IssueCode::InputEncoding, msg);
        e.offset = Some(offset);
        e
    };
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(enc(
            "the document starts with a UTF-8 byte order mark; JSON must not",
            0,
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(enc(
            "the document starts with a UTF-16 or UTF-32 byte order mark; JSON must be UTF-8",
            0,
        ));
    }
    if bytes.len() >= 2 && (bytes[0] == 0 || bytes[1] == 0) {
        return Err(enc(
            "the document looks like UTF-16 or UTF-32 (a zero byte at its start); JSON must be UTF-8",
            0,
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        enc(
            "the document holds bytes that are not valid UTF-8",
            e.valid_up_to(),
        )
    })
}

/// Escape one JSON-pointer segment (RFC 6901).
pub(crate) fn escape_segment(seg: &str, out: &mut String) {
    if !seg.bytes().any(|b| b == b'~' || b == b'/') {
        out.push_str(seg);
        return;
    }
    for ch in seg.chars() {
        match ch {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(input: &[u8]) -> InputError {
        parse_json(input, &Limits::default()).unwrap_err()
    }

    #[test]
    fn accepts_plain_json() {
        let v = parse_json(br#"{"a":[1,2,{"b":null}],"c":"x"}"#, &Limits::default()).unwrap();
        assert_eq!(v["a"][2]["b"], Value::Null);
    }

    #[test]
    fn syntax_errors_are_worded_without_parser_jargon_and_placed_1_based() {
        // (input, words the message must hold, line, column)
        let cases: [(&[u8], &str, usize, usize); 10] = [
            (
                b"{\"alert\": [",
                "ends inside an array (a `]` is missing)",
                1,
                11,
            ),
            (b"{\"a\": \"x", "ends inside a string", 1, 8),
            (b"{\"a\": 1,\n}", "a comma after the last item", 2, 1),
            (
                b"{\"a\": \"x\\qy\"}",
                "a backslash escape JSON does not have",
                1,
                10,
            ),
            (b"", "the input is empty", 1, 1),
            (b"{\"a\": tru}", "not `true`, `false` or `null`", 1, 10),
            (b"{\"a\" 1}", "a `:` should follow the member name", 1, 6),
            (b"{\"a\": 01}", "a number JSON does not allow", 1, 8),
            (b"{} x", "more after the end of the document", 1, 4),
            (b"{\"a\": \"x\ny\"}", "a control character", 2, 0),
        ];
        for (input, words, line, column) in cases {
            let e = err(input);
            assert_eq!(e.code, IssueCode::InputSyntax);
            assert!(
                e.message.contains(words),
                "{:?}: {}",
                String::from_utf8_lossy(input),
                e.message
            );
            for jargon in ["EOF", "ident", "while parsing", "expected value"] {
                assert!(!e.message.contains(jargon), "{jargon} in {}", e.message);
            }
            assert_eq!(e.line, Some(line), "{}", e.message);
            if column > 0 {
                assert_eq!(e.column, Some(column), "{}", e.message);
            }
        }
    }

    #[test]
    fn duplicate_key_has_path_and_position() {
        let e = err(br#"{"a":{"nhs":"1","nhs":"2"}}"#);
        assert_eq!(e.code, IssueCode::InputDuplicateKey);
        assert_eq!(e.path.as_deref(), Some("/a"));
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn depth_limit_is_inclusive() {
        let limits = Limits::default();
        let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(parse_json(ok.as_bytes(), &limits).is_ok());
        let bad = format!("{}{}", "[".repeat(65), "]".repeat(65));
        let e = parse_json(bad.as_bytes(), &limits).unwrap_err();
        assert_eq!(e.code, IssueCode::InputTooDeep);
        assert_eq!(e.path.as_deref().map(|p| p.matches('/').count()), Some(64));
    }

    #[test]
    fn an_error_deep_in_objects_is_placed_by_their_keys() {
        let bad = format!("{}1{}", r#"{"k":"#.repeat(65), "}".repeat(65));
        let e = parse_json(bad.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(e.code, IssueCode::InputTooDeep);
        assert_eq!(e.path, Some("/k".repeat(64)));
        let e = err(br#"{"a":{"b":{"c":1,"c":2}}}"#);
        assert_eq!(e.code, IssueCode::InputDuplicateKey);
        assert_eq!(e.path.as_deref(), Some("/a/b"));
    }

    #[test]
    fn very_deep_input_is_rejected_without_overflow() {
        let bad = "[".repeat(1_000_000);
        assert_eq!(err(bad.as_bytes()).code, IssueCode::InputTooDeep);
        let bad = r#"{"a":"#.repeat(100_000);
        assert_eq!(err(bad.as_bytes()).code, IssueCode::InputTooDeep);
    }

    #[test]
    fn encodings() {
        assert_eq!(err(b"\xEF\xBB\xBF{}").code, IssueCode::InputEncoding);
        assert_eq!(err(b"\xFF\xFE{\x00}\x00").code, IssueCode::InputEncoding);
        assert_eq!(err(b"{\x00}\x00").code, IssueCode::InputEncoding);
        let e = err(b"{\"a\":\"\xC0\xAF\"}");
        assert_eq!(e.code, IssueCode::InputEncoding);
        assert_eq!(e.offset, Some(6));
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            &b""[..],
            b"   ",
            b"{",
            b"{}{}",
            b"[1,]",
            b"{\"a\":NaN}",
            b"// c\n{}",
            b"{\"a\":1e400}",
            b"\"\\ud800\"",
            b"{'a':1}",
            b"[01]",
        ] {
            assert_eq!(err(bad).code, IssueCode::InputSyntax, "{bad:?}");
        }
    }

    #[test]
    fn size_limits() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        assert_eq!(
            parse_json(b"[1,2,3,4,5,6]", &limits).unwrap_err().code,
            IssueCode::InputTooLarge
        );
        let limits = Limits {
            max_string_bytes: 3,
            ..Limits::default()
        };
        assert!(parse_json(br#"["abc"]"#, &limits).is_ok());
        let e = parse_json(br#"{"k":["abcd"]}"#, &limits).unwrap_err();
        assert_eq!(e.code, IssueCode::InputStringTooLong);
        assert_eq!(e.path.as_deref(), Some("/k/0"));
        let limits = Limits {
            max_array_items: 2,
            ..Limits::default()
        };
        assert!(parse_json(b"[1,2]", &limits).is_ok());
        let e = parse_json(b"[1,2,3]", &limits).unwrap_err();
        assert_eq!(e.code, IssueCode::InputTooManyItems);
        let limits = Limits {
            max_object_members: 1,
            ..Limits::default()
        };
        assert_eq!(
            parse_json(br#"{"a":1,"b":2}"#, &limits).unwrap_err().code,
            IssueCode::InputTooManyMembers
        );
        let limits = Limits {
            max_nodes: 3,
            ..Limits::default()
        };
        assert!(parse_json(b"[1,2]", &limits).is_ok());
        assert_eq!(
            parse_json(b"[1,2,3]", &limits).unwrap_err().code,
            IssueCode::InputTooManyNodes
        );
    }

    #[test]
    fn positions_are_one_based() {
        let e = err(b"");
        assert_eq!((e.line, e.column), (Some(1), Some(1)));
        let e = err(b"{\n");
        assert_eq!((e.line, e.column), (Some(2), Some(1)));
        let e = err(b"[1,]");
        assert_eq!((e.line, e.column), (Some(1), Some(4)));
    }

    #[test]
    fn messages_do_not_echo_input() {
        let e = err(br#"{"nhs_number":"9434765919","nhs_number":"9434765919"}"#);
        assert!(!e.message.contains("9434765919"));
        let e = err(br#"{"name": "Arthur Green" "#);
        assert!(!e.to_string().contains("Arthur"));
    }
}
