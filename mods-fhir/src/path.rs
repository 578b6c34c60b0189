//! The small path language of the mapping tables, and reading and writing FHIR JSON by it.
//!
//! A path is a dot-separated list of steps, each naming a FHIR element:
//!
//! | step | meaning on export | meaning on import |
//! |---|---|---|
//! | `name` | the element (an object or a primitive) | the element |
//! | `name[2]` | item 2 of the array, created with empty items before it | item 2 |
//! | `name[system=URI]` | the item whose `system` is `URI`, created when missing | that item |
//! | `name[*]`, `name[*url=URI]` | one new item per MODS value (with `url` set) | every such item |
//!
//! Filter values are compared as text, except `true` and `false`, which are booleans. A
//! path holds at most one `*` step: a repeating MODS element writes one item per value
//! there. The empty path names the resource itself (used by converters that write several
//! elements, such as contact details).
//!
//! Reading marks every leaf it uses as consumed (see [`Consumed`]), so that an import can
//! tell afterwards which parts of a resource no mapping read.

use rustc_hash::FxHashSet;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A plain element.
    Field(String),
    /// An array item by position.
    Index(String, usize),
    /// The array item with these members (found or created).
    Filter(String, Vec<(String, Value)>),
    /// Every array item with these members: one per value.
    Each(String, Vec<(String, Value)>),
}

impl Step {
    /// The element name the step reads.
    pub fn name(&self) -> &str {
        match self {
            Step::Field(n) | Step::Index(n, _) | Step::Filter(n, _) | Step::Each(n, _) => n,
        }
    }
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The steps, outermost first.
    pub steps: Vec<Step>,
    /// The text it was parsed from.
    pub text: String,
    /// `_name` of the first step's element: where a one-step write puts a primitive's
    /// extensions (kept here so writing does not build it each time).
    side: Option<String>,
    /// This path with its last step, a plain element `name`, changed to `_name`: where a
    /// converted value's primitive extension (its sidecar) goes.
    sidecar: Option<Box<Path>>,
}

/// A path in a mapping table is not well formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mapping path `{path}`: {why}")]
pub struct PathError {
    /// The path.
    pub path: String,
    /// What is wrong.
    pub why: &'static str,
}

impl Path {
    /// Parse a path.
    pub fn parse(text: &str) -> Result<Path, PathError> {
        let err = |why| PathError {
            path: text.to_string(),
            why,
        };
        let mut steps = Vec::new();
        if !text.is_empty() {
            for raw in split_steps(text) {
                let raw = raw.map_err(err)?;
                steps.push(parse_step(raw).map_err(err)?);
            }
        }
        if steps.iter().filter(|s| matches!(s, Step::Each(..))).count() > 1 {
            return Err(err("more than one `*` step"));
        }
        let side = steps.first().map(|s| format!("_{}", s.name()));
        let sidecar = match steps.last() {
            Some(Step::Field(name)) => {
                let mut sp = steps.clone();
                let n = sp.len();
                sp[n - 1] = Step::Field(format!("_{name}"));
                Some(Box::new(Path {
                    steps: sp,
                    text: String::new(),
                    side: None,
                    sidecar: None,
                }))
            }
            _ => None,
        };
        Ok(Path {
            steps,
            text: text.to_string(),
            side,
            sidecar,
        })
    }

    /// This path with its last step, a plain element `name`, changed to `_name` (where a
    /// primitive's extensions go); `None` when the last step is not a plain element.
    pub fn sidecar(&self) -> Option<&Path> {
        self.sidecar.as_deref()
    }

    /// Whether a repeating MODS element can be written here (the path has a `*` step).
    pub fn repeats(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::Each(..)))
    }
}

fn split_steps(text: &str) -> impl Iterator<Item = Result<&str, &'static str>> {
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out.into_iter().map(|s| {
        if s.is_empty() {
            Err("empty step")
        } else {
            Ok(s)
        }
    })
}

fn parse_step(raw: &str) -> Result<Step, &'static str> {
    let Some(open) = raw.find('[') else {
        return Ok(Step::Field(raw.to_string()));
    };
    if !raw.ends_with(']') {
        return Err("a `[` without its `]` at the end of the step");
    }
    let name = raw[..open].to_string();
    let inner = &raw[open + 1..raw.len() - 1];
    if let Ok(n) = inner.parse::<usize>() {
        return Ok(Step::Index(name, n));
    }
    let (each, inner) = match inner.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let mut filters = Vec::new();
    if !inner.is_empty() {
        for part in inner.split(',') {
            let (k, v) = part.split_once('=').ok_or("a filter without `=`")?;
            let v = match v {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                other => Value::String(other.to_string()),
            };
            filters.push((k.to_string(), v));
        }
    }
    if each {
        Ok(Step::Each(name, filters))
    } else if filters.is_empty() {
        Err("an empty `[]`")
    } else {
        Ok(Step::Filter(name, filters))
    }
}

/// Escape one JSON-pointer segment.
pub fn escape(seg: &str) -> std::borrow::Cow<'_, str> {
    if seg.contains(['~', '/']) {
        std::borrow::Cow::Owned(seg.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(seg)
    }
}

/// Append one segment to a JSON pointer held in `buf`.
fn push_seg(buf: &mut String, seg: &str) {
    buf.push('/');
    buf.push_str(&escape(seg));
}

fn push_index(buf: &mut String, i: usize) {
    buf.push('/');
    if i < 10 {
        buf.push(char::from(b'0' + i as u8));
    } else {
        use std::fmt::Write as _;
        let _ = write!(buf, "{i}");
    }
}

/// Why a value could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutError {
    /// Something is already there (another element wrote it, or a fixed value).
    Occupied,
    /// The path runs through something that is not an object or array.
    Shape,
}

fn matches(item: &Value, filters: &[(String, Value)]) -> bool {
    filters.iter().all(|(k, v)| item.get(k) == Some(v))
}

/// What a write at a path can change in a resource, kept so that a failed write can be
/// undone without copying whole arrays: the members the first step names, an array's length,
/// and the one item a filter step would merge into.
#[derive(Debug)]
pub struct Snapshot<'p> {
    parts: Vec<Part<'p>>,
}

#[derive(Debug)]
enum Part<'p> {
    /// A member as it was (absent: `None`).
    Member(Cow<'p, str>, Option<Value>),
    /// An array member: its length (absent: `None`) and the item (position, value) a write
    /// may change in place.
    Array(&'p str, Option<usize>, Option<(usize, Value)>),
}

impl<'p> Snapshot<'p> {
    /// What writes at `path` (and the `_name` siblings of a first step) can change in `root`;
    /// for the empty path, which merges objects into the root, `merged` names their members.
    pub fn take<'k>(
        root: &Value,
        path: &'p Path,
        merged: impl IntoIterator<Item = &'k str>,
    ) -> Snapshot<'p> {
        let mut parts = Vec::with_capacity(2);
        match path.steps.first() {
            // the empty path merges objects into the root: the members they have may change
            None => {
                for k in merged {
                    parts.push(Part::Member(
                        Cow::Owned(k.to_string()),
                        root.get(k).cloned(),
                    ));
                }
            }
            Some(Step::Field(name)) => {
                parts.push(Part::Member(Cow::Borrowed(name), root.get(name).cloned()));
            }
            Some(Step::Index(name, n)) => {
                let arr = root.get(name).and_then(Value::as_array);
                let item = arr.and_then(|a| a.get(*n)).map(|v| (*n, v.clone()));
                parts.push(Part::Array(name, arr.map(Vec::len), item));
            }
            Some(Step::Filter(name, filters)) => {
                let arr = root.get(name).and_then(Value::as_array);
                let item = arr.and_then(|a| {
                    a.iter()
                        .position(|i| matches(i, filters))
                        .map(|p| (p, a[p].clone()))
                });
                parts.push(Part::Array(name, arr.map(Vec::len), item));
            }
            Some(Step::Each(name, _)) => {
                let arr = root.get(name).and_then(Value::as_array);
                parts.push(Part::Array(name, arr.map(Vec::len), None));
            }
        }
        // a one-step write puts a primitive's extensions in its `_name` sibling
        if let Some(side) = &path.side {
            parts.push(Part::Member(Cow::Borrowed(side), root.get(side).cloned()));
        }
        Snapshot { parts }
    }

    /// Put `root` back as it was when the snapshot was taken (for the members it covers).
    pub fn restore(self, root: &mut Value) {
        let Some(obj) = root.as_object_mut() else {
            return;
        };
        for part in self.parts {
            match part {
                Part::Member(k, Some(v)) => {
                    obj.insert(k.into_owned(), v);
                }
                Part::Member(k, None) => {
                    obj.remove(k.as_ref());
                }
                Part::Array(k, None, _) => {
                    obj.remove(k);
                }
                Part::Array(k, Some(len), item) => match obj.get_mut(k) {
                    Some(Value::Array(a)) => {
                        a.truncate(len);
                        if let Some((p, v)) = item {
                            if let Some(slot) = a.get_mut(p) {
                                *slot = v;
                            }
                        }
                    }
                    _ => {
                        // the write cannot have replaced an array; nothing else to undo
                    }
                },
            }
        }
    }
}

/// Write `value` at `path` under `root` (an object). With a `*` step, `each_new` says
/// whether to start a new array item there (the first write of each MODS value).
pub fn put(root: &mut Value, path: &Path, value: Value) -> Result<(), PutError> {
    put_steps(root, &path.steps, value)
}

fn put_steps(node: &mut Value, steps: &[Step], value: Value) -> Result<(), PutError> {
    let Some((step, rest)) = steps.split_first() else {
        // the empty path: merge an object into the node
        return merge(node, value);
    };
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    let obj = node.as_object_mut().ok_or(PutError::Shape)?;
    let last = rest.is_empty();
    match step {
        Step::Field(name) => {
            if last {
                match obj.get_mut(name) {
                    None => {
                        obj.insert(name.clone(), value);
                        Ok(())
                    }
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    Some(_) => Err(PutError::Occupied),
                }
            } else {
                let child = obj.entry(name.clone()).or_insert(Value::Null);
                put_steps(child, rest, value)
            }
        }
        Step::Index(name, n) => {
            let arr = array_of(obj, name)?;
            while arr.len() <= *n {
                arr.push(Value::Null);
            }
            let item = &mut arr[*n];
            if last {
                if item.is_null() {
                    *item = value;
                    Ok(())
                } else if item.is_object() && value.is_object() {
                    merge(item, value)
                } else {
                    Err(PutError::Occupied)
                }
            } else {
                put_steps(item, rest, value)
            }
        }
        Step::Filter(name, filters) => {
            let arr = array_of(obj, name)?;
            let pos = match arr.iter().position(|i| matches(i, filters)) {
                Some(p) => p,
                None => {
                    arr.push(filter_item(filters));
                    arr.len() - 1
                }
            };
            let item = &mut arr[pos];
            if last {
                merge(item, value)
            } else {
                put_steps(item, rest, value)
            }
        }
        Step::Each(name, filters) => {
            let arr = array_of(obj, name)?;
            let mut item = filter_item(filters);
            if last {
                if filters.is_empty() {
                    item = value;
                } else {
                    merge(&mut item, value)?;
                }
            } else {
                put_steps(&mut item, rest, value)?;
            }
            arr.push(item);
            Ok(())
        }
    }
}

fn filter_item(filters: &[(String, Value)]) -> Value {
    let mut m = Map::new();
    for (k, v) in filters {
        m.insert(k.clone(), v.clone());
    }
    Value::Object(m)
}

fn array_of<'a>(
    obj: &'a mut Map<String, Value>,
    name: &str,
) -> Result<&'a mut Vec<Value>, PutError> {
    obj.entry(name.to_string())
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
        .ok_or(PutError::Shape)
}

/// Merge the members of `value` (an object) into `node`; a member already present with a
/// different value is [`PutError::Occupied`].
fn merge(node: &mut Value, value: Value) -> Result<(), PutError> {
    if node.is_null() {
        *node = value;
        return Ok(());
    }
    let (Some(obj), Value::Object(add)) = (node.as_object_mut(), value) else {
        return Err(PutError::Occupied);
    };
    for (k, v) in &add {
        if let Some(existing) = obj.get(k) {
            let both = |f: fn(&Value) -> bool| f(existing) && f(v);
            if existing != v && !both(Value::is_object) && !both(Value::is_array) {
                return Err(PutError::Occupied);
            }
        }
    }
    for (k, v) in add {
        match obj.get_mut(&k) {
            Some(existing) if existing.is_object() && v.is_object() => merge(existing, v)?,
            // arrays (telecom, extension) gain the new items
            Some(Value::Array(items)) => {
                if let Value::Array(more) = v {
                    items.extend(more);
                }
            }
            Some(_) => {}
            None => {
                obj.insert(k, v);
            }
        }
    }
    Ok(())
}

/// The JSON pointers (relative to a resource) of the parts an import has read.
#[derive(Debug, Default, Clone)]
pub struct Consumed {
    set: FxHashSet<String>,
}

impl Consumed {
    /// Mark a pointer (and everything under it) as read.
    pub fn mark(&mut self, pointer: String) {
        self.set.insert(pointer);
    }

    /// Whether this pointer, or one above it, has been read.
    pub fn covers(&self, pointer: &str) -> bool {
        if self.set.contains(pointer) {
            return true;
        }
        let mut p = pointer;
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if self.set.contains(p) {
                return true;
            }
        }
        false
    }

    /// Whether every leaf under `value` at `pointer` has been read.
    pub fn covers_all(&self, value: &Value, pointer: &str) -> bool {
        if self.covers(pointer) {
            return true;
        }
        let mut buf = String::with_capacity(pointer.len() + 32);
        buf.push_str(pointer);
        self.covers_all_buf(value, &mut buf)
    }

    /// `covers_all` below a node none of whose ancestors is marked: only the node itself
    /// needs looking up.
    fn covers_all_buf(&self, value: &Value, buf: &mut String) -> bool {
        if self.set.contains(buf.as_str()) {
            return true;
        }
        let len = buf.len();
        let all = match value {
            Value::Object(m) => m.iter().all(|(k, v)| {
                push_seg(buf, k);
                let ok = self.covers_all_buf(v, buf);
                buf.truncate(len);
                ok
            }),
            Value::Array(a) => a.iter().enumerate().all(|(i, v)| {
                push_index(buf, i);
                let ok = self.covers_all_buf(v, buf);
                buf.truncate(len);
                ok
            }),
            _ => false,
        };
        buf.truncate(len);
        all
    }

    /// Every leaf under `value` at `pointer` that no mapping read, as (pointer, value).
    pub fn residue<'v>(&self, value: &'v Value, pointer: &str, out: &mut Vec<(String, &'v Value)>) {
        if self.covers(pointer) {
            return;
        }
        let mut buf = String::with_capacity(pointer.len() + 32);
        buf.push_str(pointer);
        self.residue_buf(value, &mut buf, out);
    }

    fn residue_buf<'v>(
        &self,
        value: &'v Value,
        buf: &mut String,
        out: &mut Vec<(String, &'v Value)>,
    ) {
        // no ancestor is marked (checked on the way down): only the node itself
        if self.set.contains(buf.as_str()) {
            return;
        }
        let len = buf.len();
        match value {
            Value::Object(m) => {
                for (k, v) in m {
                    push_seg(buf, k);
                    self.residue_buf(v, buf, out);
                    buf.truncate(len);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    push_index(buf, i);
                    self.residue_buf(v, buf, out);
                    buf.truncate(len);
                }
            }
            _ => out.push((buf.clone(), value)),
        }
    }
}

/// The nodes at `path` under `root` (at pointer `base`) that are not yet wholly read, with
/// their pointers. Filter members of matched items are marked read.
pub fn get<'v>(
    root: &'v Value,
    base: &str,
    path: &Path,
    consumed: &mut Consumed,
) -> Vec<(String, &'v Value)> {
    let mut out = Vec::new();
    let mut buf = String::with_capacity(base.len() + 48);
    buf.push_str(base);
    get_steps(root, &mut buf, &path.steps, consumed, &mut out);
    out
}

/// `ptr` holds the pointer of `node`; it is extended for each step and put back as it was.
fn get_steps<'v>(
    node: &'v Value,
    ptr: &mut String,
    steps: &[Step],
    consumed: &mut Consumed,
    out: &mut Vec<(String, &'v Value)>,
) {
    let Some((step, rest)) = steps.split_first() else {
        if !consumed.covers_all(node, ptr) {
            out.push((ptr.clone(), node));
        }
        return;
    };
    let Some(child) = node.get(step.name()) else {
        return;
    };
    let len = ptr.len();
    push_seg(ptr, step.name());
    match step {
        Step::Field(_) => get_steps(child, ptr, rest, consumed, out),
        Step::Index(_, n) => {
            if let Some(item) = child.as_array().and_then(|a| a.get(*n)) {
                push_index(ptr, *n);
                get_steps(item, ptr, rest, consumed, out);
            }
        }
        Step::Filter(_, filters) | Step::Each(_, filters) => {
            if let Some(items) = child.as_array() {
                let clen = ptr.len();
                for (i, item) in items.iter().enumerate() {
                    ptr.truncate(clen);
                    if !matches(item, filters) {
                        continue;
                    }
                    push_index(ptr, i);
                    if consumed.covers_all(item, ptr) {
                        continue;
                    }
                    let before = out.len();
                    get_steps(item, ptr, rest, consumed, out);
                    if out.len() > before {
                        for (k, _) in filters {
                            let ilen = ptr.len();
                            push_seg(ptr, k);
                            consumed.mark(ptr.clone());
                            ptr.truncate(ilen);
                        }
                        if matches!(step, Step::Filter(..)) {
                            break;
                        }
                    }
                }
            }
        }
    }
    ptr.truncate(len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_rejects() {
        let p = Path::parse("identifier[system=https://x/y].value").unwrap();
        assert_eq!(p.steps.len(), 2);
        assert!(matches!(&p.steps[0], Step::Filter(n, f) if n == "identifier" && f.len() == 1));
        assert!(Path::parse("a[*].b[*]").is_err());
        assert!(Path::parse("a..b").is_err());
        assert!(Path::parse("a[]").is_err());
        assert!(Path::parse("a[x").is_err());
        assert!(Path::parse("").unwrap().steps.is_empty());
    }

    #[test]
    fn a_snapshot_undoes_a_failed_write() {
        let before = json!({
            "resourceType": "Patient",
            "identifier": [{"system": "S", "value": "1"}, {"system": "T"}],
            "name": [{"family": "A"}],
            "gender": "male",
            "extension": [{"url": "u"}]
        });
        let cases = [
            // a filter step merging into an existing item, then failing further down
            (
                "identifier[system=T].value",
                json!("2"),
                "identifier[system=S].value",
            ),
            // an each step appending, then a second write failing
            ("name[*].family", json!("B"), "gender"),
            // a field written, then a conflicting write
            ("birthDate", json!("2000-01-01"), "gender"),
        ];
        for (first, v, clash) in cases {
            let mut r = before.clone();
            let p = Path::parse(first).unwrap();
            let c = Path::parse(clash).unwrap();
            let snap = Snapshot::take(&r, &p, []);
            let snap2 = Snapshot::take(&r, &c, []);
            put(&mut r, &p, v.clone()).unwrap();
            assert_ne!(r, before, "{first} wrote");
            assert!(put(&mut r, &c, json!("x")).is_err(), "{clash} clashes");
            snap2.restore(&mut r);
            snap.restore(&mut r);
            assert_eq!(r, before, "{first} undone");
        }
        // the empty path: an object merged into the resource, its members undone
        let mut r = before.clone();
        let p = Path::parse("").unwrap();
        let snap = Snapshot::take(&r, &p, ["telecom", "gender"]);
        put(&mut r, &p, json!({"telecom": [{"value": "1"}]})).unwrap();
        snap.restore(&mut r);
        assert_eq!(r, before);
    }

    #[test]
    fn put_then_get() {
        let mut r = json!({});
        let p = Path::parse("identifier[system=S].value").unwrap();
        put(&mut r, &p, json!("123")).unwrap();
        assert_eq!(r, json!({"identifier": [{"system": "S", "value": "123"}]}));
        assert_eq!(put(&mut r, &p, json!("456")), Err(PutError::Occupied));
        let e = Path::parse("name[*].given").unwrap();
        put(&mut r, &e, json!(["A"])).unwrap();
        put(&mut r, &e, json!(["B"])).unwrap();
        assert_eq!(r["name"], json!([{"given": ["A"]}, {"given": ["B"]}]));
        let mut c = Consumed::default();
        let got = get(&r, "", &p, &mut c);
        assert_eq!(
            got,
            vec![("/identifier/0/value".to_string(), &json!("123"))]
        );
        for (ptr, _) in &got {
            c.mark(ptr.clone());
        }
        assert!(c.covers("/identifier/0/system"));
        assert!(
            get(&r, "", &p, &mut c).is_empty(),
            "read parts are not read twice"
        );
        let mut res = Vec::new();
        c.residue(&r, "", &mut res);
        assert_eq!(res.len(), 2);
    }
}
