//! What a validation run carries while it reads: the options, the path to the value being
//! read (a stack of borrowed segments, turned into a JSON pointer only when an issue or an
//! input error needs one), the issues found, the input limits and what the pass keeps for
//! the rules that run after it.

use super::records::{Kept, PendingRef, RecordAt};
use super::{dates, ValidationOptions};
use crate::issue::{Issue, IssueCode, Report, Severity};
use crate::model::{ElementDef, Model};
use crate::parse::{escape_segment, InputError, Limits};
use serde::de;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BinaryHeap;

/// One segment of the path to the value being read. Keys on the stack are always names of
/// the model (`'static`); keys the model does not know are added to a pointer only when one
/// is made (see [`Cx::issue_at_key`] and [`Cx::unwound`]).
#[derive(Clone, Copy, Debug)]
pub(super) enum Seg {
    Key(&'static str),
    Index(usize),
}

/// The JSON type of a value, for `wrong-json-type` and `document-not-object`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }

    pub(super) fn described(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

pub(super) struct Cx<'de, 'o> {
    pub(super) opts: &'o ValidationOptions,
    pub(super) model: Option<&'static Model>,
    pub(super) path: Vec<Seg>,
    /// The issues kept: the first `max_issues` in pointer order (a max-heap, so the last
    /// of them is the one a better-placed issue replaces).
    issues: BinaryHeap<Ranked>,
    /// How many issues have been met, for their order among issues at one pointer.
    met: usize,
    omitted: usize,
    has_error: bool,
    /// Only the verdict is wanted: the first issue of severity error stops the checks (see
    /// [`Cx::verdict_only`]).
    first_error_stops: bool,
    /// An error was met with `first_error_stops`: the rest of the input is only read (for
    /// its syntax and the limits), not checked.
    pub(super) stopped: bool,
    /// Today, for `implausible-date`: the caller's, else the system clock's, if any.
    pub(super) today: Option<chrono::NaiveDate>,
    /// The input limits, when reading bytes; `None` for a `Value` (already read).
    pub(super) limits: Option<Limits>,
    nodes: usize,
    /// Set when one of our own input checks failed, so the error can be classified.
    failure: Option<(IssueCode, String)>,
    /// The pointer of the value being read when the failure was raised.
    failure_at: String,
    /// Segments below `failure_at` that were not on the stack (keys the model does not
    /// know, inside values that are only scanned), innermost first, added while unwinding.
    unwound: Vec<String>,
    /// What the pass keeps for the rules that run after it.
    pub(super) kept: Kept<'de>,
    pub(super) records: Vec<RecordAt>,
    pub(super) refs: Vec<PendingRef<'de>>,
    /// Postcodes of the instances being read, checked when their instance has been read:
    /// (element, the last path segment it was read at, value).
    pub(super) deferred: Vec<(&'static ElementDef, Option<Seg>, Cow<'de, str>)>,
    /// The postcode being checked belongs to an address abroad: it is free text.
    pub(super) abroad: bool,
    /// What the dose rules found, kept for a caller other than the report (set to
    /// `Some(empty)` to ask for it; see [`super::record_value_with_doses`]).
    pub(super) doses: Option<super::Doses>,
}

impl<'de, 'o> Cx<'de, 'o> {
    pub(super) fn new(opts: &'o ValidationOptions, limits: Option<Limits>) -> Self {
        Cx {
            opts,
            model: None,
            path: Vec::with_capacity(16),
            issues: BinaryHeap::new(),
            met: 0,
            omitted: 0,
            has_error: false,
            first_error_stops: false,
            stopped: false,
            today: opts.today.or_else(dates::system_today),
            limits,
            nodes: 0,
            failure: None,
            failure_at: String::new(),
            unwound: Vec::new(),
            kept: Kept::default(),
            records: Vec::new(),
            refs: Vec::new(),
            deferred: Vec::new(),
            abroad: false,
            doses: None,
        }
    }

    /// Ask for the verdict only: no issue is kept, and the first issue of severity error
    /// stops the checks. The rest of the input is still read, within the limits, so a
    /// document that cannot be read fails as it does with a full pass; the rules that run
    /// after the pass are skipped. The report's `valid` is then the full pass's.
    pub(super) fn verdict_only(&mut self) {
        self.first_error_stops = true;
    }

    /// The report: issues in pointer order (see the module documentation), then the count
    /// of those left out.
    pub(super) fn finish(self) -> Report {
        let mut issues: Vec<Issue> = self
            .issues
            .into_sorted_vec()
            .into_iter()
            .map(|r| r.issue)
            .collect();
        if self.omitted > 0 {
            issues.push(Issue {
                code: IssueCode::TooManyIssues,
                severity: Severity::Information,
                path: String::new(),
                message: format!(
                    "{} further issues were found and left out of this report",
                    self.omitted
                ),
                context: ctx(&[("omitted", self.omitted.into())]),
            });
        }
        Report {
            valid: !self.has_error,
            issues,
            omitted: self.omitted,
        }
    }

    /// The input error that stopped the pass: ours (a limit, a duplicate key) with the
    /// pointer and the position (line, column) where it tripped, or a syntax error, worded
    /// and placed by serde_json (`syntax`), without a pointer.
    pub(super) fn input_error(
        &mut self,
        position: Option<(usize, usize)>,
        syntax: impl FnOnce() -> serde_json::Error,
    ) -> InputError {
        let Some((code, message)) = self.failure.take() else {
            let e = syntax();
            let mut err = InputError::new(IssueCode::InputSyntax, crate::parse::syntax_message(&e));
            if e.line() > 0 {
                err.line = Some(e.line());
                // serde_json says column 0 when input ends at the start of a line (empty
                // input, or after a newline); the column is 1-based, so that is column 1
                err.column = Some(e.column().max(1));
            }
            return err;
        };
        let mut err = InputError::new(code, message);
        if let Some((line, column)) = position {
            err.line = Some(line);
            err.column = Some(column);
        }
        let mut p = std::mem::take(&mut self.failure_at);
        for s in self.unwound.iter().rev() {
            p.push('/');
            escape_segment(s, &mut p);
        }
        err.path = Some(p);
        err
    }

    pub(super) fn pointer(&self) -> String {
        pointer(&self.path)
    }

    /// Run `f` with `key` pushed on the path.
    pub(super) fn at<R>(&mut self, key: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Seg::Key(key));
        let r = f(self);
        self.path.pop();
        r
    }

    pub(super) fn issue(
        &mut self,
        code: IssueCode,
        severity: Option<Severity>,
        message: String,
        context: Map<String, Value>,
    ) {
        let severity = severity.unwrap_or(code.default_severity());
        let path = self.pointer();
        self.push(code, severity, path, message, context);
    }

    /// An issue about the member `key` of the object being read (a key the model does not
    /// know, so it is not on the stack).
    pub(super) fn issue_at_key(
        &mut self,
        key: &str,
        code: IssueCode,
        severity: Severity,
        message: String,
        context: Map<String, Value>,
    ) {
        let mut path = self.pointer();
        path.push('/');
        escape_segment(key, &mut path);
        self.push(code, severity, path, message, context);
    }

    /// Add an issue to the report. A report holds at most `max_issues`: the first in
    /// pointer order (so a report cut short lists a prefix of the full one, whatever the
    /// order the issues were met in); the others are counted.
    pub(super) fn push(
        &mut self,
        code: IssueCode,
        severity: Severity,
        path: String,
        message: String,
        context: Map<String, Value>,
    ) {
        if severity == Severity::Error {
            self.has_error = true;
        }
        if self.first_error_stops {
            // only the verdict is wanted: no issue is kept, and an error ends the checks
            self.stopped |= severity == Severity::Error;
            return;
        }
        self.met += 1;
        let new = Ranked {
            met: self.met,
            issue: Issue {
                code,
                severity,
                path,
                message,
                context,
            },
        };
        if self.issues.len() < self.opts.max_issues {
            self.issues.push(new);
            return;
        }
        self.omitted += 1;
        if self.issues.peek().is_some_and(|last| new < *last) {
            self.issues.pop();
            self.issues.push(new);
        }
    }

    /// Put the offending value in the context, when the caller asked for values.
    pub(super) fn add_value(&self, c: &mut Map<String, Value>, v: impl FnOnce() -> Value) {
        if self.opts.include_values {
            c.insert("value".into(), v());
        }
    }

    // ---- input limits (bytes only) ----

    pub(super) fn fail<E: de::Error>(&mut self, code: IssueCode, message: String) -> E {
        let e = E::custom(&message);
        self.failure = Some((code, message));
        self.failure_at = self.pointer();
        self.unwound.clear();
        e
    }

    /// While an error unwinds out of a value that is not on the stack, add its segment.
    pub(super) fn unwound(&mut self, seg: impl FnOnce() -> String) {
        if self.failure.is_some() {
            self.unwound.push(seg());
        }
    }

    pub(super) fn node<E: de::Error>(&mut self) -> Result<(), E> {
        let Some(l) = self.limits else { return Ok(()) };
        self.nodes += 1;
        if self.nodes > l.max_nodes {
            return Err(self.fail(
                IssueCode::InputTooManyNodes,
                format!("the document holds more than {} values", l.max_nodes),
            ));
        }
        Ok(())
    }

    /// A string value: counted, and its length checked.
    pub(super) fn string<E: de::Error>(&mut self, s: &str) -> Result<(), E> {
        self.node()?;
        #[cfg(feature = "fault-injection")]
        crate::fault_injection::string_value(s);
        self.key(s)
    }

    /// A key (or a string): its length checked.
    pub(super) fn key<E: de::Error>(&mut self, s: &str) -> Result<(), E> {
        let Some(l) = self.limits else { return Ok(()) };
        if s.len() > l.max_string_bytes {
            return Err(self.fail(
                IssueCode::InputStringTooLong,
                format!(
                    "a string of {} bytes is longer than the limit of {} bytes",
                    s.len(),
                    l.max_string_bytes
                ),
            ));
        }
        Ok(())
    }

    /// An array or object at `depth`: counted, and its depth checked.
    pub(super) fn container<E: de::Error>(&mut self, depth: usize) -> Result<(), E> {
        self.node()?;
        let Some(l) = self.limits else { return Ok(()) };
        if depth > l.max_depth {
            return Err(self.fail(
                IssueCode::InputTooDeep,
                format!(
                    "arrays and objects are nested deeper than the limit of {}",
                    l.max_depth
                ),
            ));
        }
        Ok(())
    }

    /// After reading item `index` of an array: whether the array is now over the limit.
    /// `on_stack` says whether the array's items are on the path stack.
    pub(super) fn item<E: de::Error>(&mut self, index: usize, on_stack: bool) -> Result<(), E> {
        let Some(l) = self.limits else { return Ok(()) };
        if index >= l.max_array_items {
            let message = format!("an array holds more than {} items", l.max_array_items);
            if on_stack {
                self.path.push(Seg::Index(index));
                let e = self.fail(IssueCode::InputTooManyItems, message);
                self.path.pop();
                return Err(e);
            }
            let e = self.fail(IssueCode::InputTooManyItems, message);
            self.unwound.push(index.to_string());
            return Err(e);
        }
        Ok(())
    }

    /// Before reading member number `count` (0-based) of an object.
    pub(super) fn member<E: de::Error>(&mut self, count: usize) -> Result<(), E> {
        let Some(l) = self.limits else { return Ok(()) };
        if count >= l.max_object_members {
            return Err(self.fail(
                IssueCode::InputTooManyMembers,
                format!("an object holds more than {} members", l.max_object_members),
            ));
        }
        Ok(())
    }

    pub(super) fn duplicate<E: de::Error>(&mut self) -> E {
        self.fail(
            IssueCode::InputDuplicateKey,
            "an object holds the same key twice".to_owned(),
        )
    }
}

pub(super) fn ctx(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

pub(super) fn pointer(segs: &[Seg]) -> String {
    let mut out = String::with_capacity(segs.len() * 24);
    for s in segs {
        out.push('/');
        match s {
            Seg::Key(k) => escape_segment(k, &mut out),
            Seg::Index(i) => push_index(*i, &mut out),
        }
    }
    out
}

/// The decimal digits of `i`, without the formatting machinery.
fn push_index(mut i: usize, out: &mut String) {
    let mut digits = [0u8; 20];
    let mut n = digits.len();
    while n > 0 {
        n -= 1;
        digits[n] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    out.extend(digits[n..].iter().map(|&d| char::from(d)));
}

/// An issue with its place in the report: by pointer, then in the order met.
struct Ranked {
    met: usize,
    issue: Issue,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        pointer_order(&self.issue.path, &other.issue.path).then(self.met.cmp(&other.met))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.met == other.met
    }
}

impl Eq for Ranked {}

/// JSON pointers compared segment by segment: array indexes as numbers, keys as text, a
/// pointer before the pointers below it. Only the segment where the two first differ is
/// looked at (found from their common bytes), so no pointer is split and nothing is
/// allocated: reports are sorted with it.
pub(super) fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering::{Equal, Greater, Less};
    if a == b {
        return Equal;
    }
    // the whole document's pointer comes before every other
    if a.is_empty() {
        return Less;
    }
    if b.is_empty() {
        return Greater;
    }
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let common = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    // the segment the common bytes end in starts after the last `/` among them
    let start = x[..common]
        .iter()
        .rposition(|&c| c == b'/')
        .map_or(0, |i| i + 1);
    fn segment(s: &[u8], start: usize) -> &[u8] {
        let rest = &s[start..];
        &rest[..rest.iter().position(|&c| c == b'/').unwrap_or(rest.len())]
    }
    let (p, q) = (segment(x, start), segment(y, start));
    if p == q {
        // the same segment, which one of them ends with: that one is above the other
        return if x.len() == start + p.len() {
            Less
        } else {
            Greater
        };
    }
    let index = |s: &[u8]| {
        (!s.is_empty() && s.len() < 20 && s.iter().all(u8::is_ascii_digit))
            .then(|| s.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
    };
    match (index(p), index(q)) {
        (Some(i), Some(j)) => i.cmp(&j),
        (Some(_), None) => Less,
        (None, Some(_)) => Greater,
        (None, None) => p.cmp(q),
    }
}

#[cfg(test)]
mod tests {
    use super::pointer_order;
    use std::cmp::Ordering::*;

    #[test]
    fn pointers_write_indexes_in_decimal_and_escape_keys() {
        use super::{pointer, Seg};
        for i in [0, 1, 9, 10, 99, 100, 12_345, usize::MAX] {
            assert_eq!(pointer(&[Seg::Index(i)]), format!("/{i}"));
        }
        assert_eq!(
            pointer(&[Seg::Key("a/b~c"), Seg::Index(7), Seg::Key("é")]),
            "/a~1b~0c/7/é"
        );
        assert_eq!(pointer(&[]), "");
    }

    /// The order by its definition: split into segments, indexes as numbers.
    fn by_segments(a: &str, b: &str) -> std::cmp::Ordering {
        let seg = |s: &str| -> (Option<u64>, String) {
            let idx = (!s.is_empty() && s.len() < 20 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten();
            (idx, s.to_owned())
        };
        let mut xa = a.split('/').skip(1);
        let mut xb = b.split('/').skip(1);
        loop {
            match (xa.next(), xb.next()) {
                (None, None) => return Equal,
                (None, Some(_)) => return Less,
                (Some(_), None) => return Greater,
                (Some(p), Some(q)) if p == q => continue,
                (Some(p), Some(q)) => {
                    let (sp, sq) = (seg(p), seg(q));
                    return match (sp.0, sq.0) {
                        (Some(i), Some(j)) => i.cmp(&j),
                        (Some(_), None) => Less,
                        (None, Some(_)) => Greater,
                        (None, None) => sp.1.cmp(&sq.1),
                    };
                }
            }
        }
    }

    #[test]
    fn pointer_order_is_the_order_by_segments_on_every_short_pointer() {
        let segs = ["", "0", "1", "10", "2", "07", "a", "ab", "b", "~1", "é"];
        let mut pointers = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..3 {
            let next: Vec<String> = last
                .iter()
                .flat_map(|p| segs.iter().map(move |s| format!("{p}/{s}")))
                .collect();
            pointers.extend(next.iter().cloned());
            last = next;
        }
        assert_eq!(pointers.len(), 1 + 11 + 121 + 1331);
        for a in &pointers {
            for b in &pointers {
                assert_eq!(pointer_order(a, b), by_segments(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn pointers_order_by_segment_with_indexes_as_numbers() {
        assert_eq!(pointer_order("/a/2", "/a/10"), Less);
        assert_eq!(pointer_order("/a", "/a/0"), Less);
        assert_eq!(pointer_order("", "/a"), Less);
        assert_eq!(pointer_order("/b", "/a/0"), Greater);
        assert_eq!(pointer_order("/a/x", "/a/x"), Equal);
        assert_eq!(
            pointer_order("/alerts/0/code", "/alerts/0/alert_type"),
            Greater
        );
    }
}
