//! Building one person's record document from the person's rows.

use std::collections::BTreeMap;
use std::path::Path;

use mods_core::model::{ElementDef, Lookup};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::codes::ImportCode;
use crate::convert::{self, Finding};
use crate::mapping::{Mapping, Target};
use crate::source::Row;

/// What a source column is to the mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// Mapped by the mapping's column at this index.
    Mapped(usize),
    /// Listed under `ignore`.
    Ignored,
    /// Neither.
    Unmapped,
}

/// A finding about one cell while building.
#[derive(Debug)]
pub struct CellFinding {
    /// The row.
    pub row: u64,
    /// The input.
    pub source: u32,
    /// The column index.
    pub column: u32,
    /// Code and message.
    pub finding: Finding,
    /// The cell's text.
    pub value: String,
}

/// An attached file, as the summary records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attachment {
    /// The Document's `record_uid`.
    pub record_uid: String,
    /// The path as the source gives it.
    pub path: String,
    /// The media type, from the file name's extension.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}

/// Where a value in the record came from: (JSON pointer, input, row, column index).
pub type Origin = (String, u32, u64, u32);

/// One person's record, with what the rows gave.
#[derive(Debug, Default)]
pub struct Built {
    /// The record document.
    pub doc: Value,
    /// Findings about cells.
    pub findings: Vec<CellFinding>,
    /// Cells that went into the record, per column index.
    pub mapped: Vec<u32>,
    /// Where each value came from.
    pub origins: Vec<Origin>,
    /// Attached files.
    pub attachments: Vec<Attachment>,
}

struct Instance {
    obj: Map<String, Value>,
    /// (element key, input, row, column)
    from: Vec<(String, u32, u64, u32)>,
    attachment: Option<Attachment>,
}

/// Build the record of the person `key` from the rows.
pub fn build(
    mapping: &Mapping,
    roles: &[ColumnRole],
    key: &str,
    rows: &[Row],
    base_dir: &Path,
) -> Built {
    let model = mapping.model;
    let hash = {
        let d = Sha256::digest(key.as_bytes());
        d.iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let uid = format!("{}-{hash}", mapping.uid_prefix);
    let mut built = Built::default();
    let mut person: BTreeMap<&'static str, Instance> = BTreeMap::new();
    let mut collections: BTreeMap<&'static str, Vec<Instance>> = BTreeMap::new();
    for row in rows {
        let mut row_instances: BTreeMap<&'static str, Instance> = BTreeMap::new();
        for (col, text) in &row.cells {
            let ColumnRole::Mapped(ci) = roles[*col as usize] else {
                continue;
            };
            let column = &mapping.columns[ci];
            let mut found = |finding: Finding| {
                built.findings.push(CellFinding {
                    row: row.row,
                    source: row.source,
                    column: *col,
                    finding,
                    value: text.clone(),
                });
            };
            let converted = match convert::cell(model, column, text) {
                Ok(c) => c,
                Err(f) => {
                    found(f);
                    continue;
                }
            };
            let mut attachment = None;
            if column.attach {
                match attach(base_dir, text.trim()) {
                    Ok(a) => attachment = Some(a),
                    Err(f) => {
                        found(f);
                        continue;
                    }
                }
            }
            if let Some(w) = converted.warning {
                found(w);
            }
            let t = column.target;
            let inst = if t.person_level() {
                person
                    .entry(t.class.technical_name)
                    .or_insert_with(new_instance)
            } else {
                row_instances
                    .entry(t.class.technical_name)
                    .or_insert_with(new_instance)
            };
            if let Some(a) = attachment {
                if a.media_type != "application/octet-stream"
                    && !inst.obj.contains_key("document_mime_type")
                {
                    inst.obj
                        .insert("document_mime_type".into(), json!(a.media_type));
                }
                inst.attachment = Some(a);
            }
            match place(&mut inst.obj, t, converted.values) {
                Ok(()) => {
                    inst.from.push((
                        t.element.technical_name.to_string(),
                        row.source,
                        row.row,
                        *col,
                    ));
                    built.mapped.push(*col);
                }
                Err(f) => found(f),
            }
        }
        // defaults of the row's empty cells, and the mapping's set values
        for (class, mut inst) in row_instances {
            fill_defaults(mapping, class, &mut inst.obj);
            let list = collections.entry(class).or_default();
            if !list.iter().any(|i| i.obj == inst.obj) {
                list.push(inst);
            } else if let Some(i) = list.iter_mut().find(|i| i.obj == inst.obj) {
                i.from.extend(inst.from);
            }
        }
    }
    // the person-level classes
    let mut soc = person
        .remove("subject_of_care")
        .unwrap_or_else(new_instance);
    // Person demographics is made when a value lands in it, or when the mapping gives it a
    // default or a set value (an empty cell then means the default).
    let pd_defaults = mapping
        .columns
        .iter()
        .any(|c| c.default.is_some() && c.target.class.technical_name == "person_demographics")
        || mapping
            .set
            .iter()
            .any(|s| s.target.class.technical_name == "person_demographics");
    let pd = person
        .remove("person_demographics")
        .or_else(|| pd_defaults.then(new_instance));
    fill_defaults(mapping, "subject_of_care", &mut soc.obj);
    let mut doc = Map::new();
    doc.insert("mods_version".into(), json!(model.mods_version));
    let mut soc_obj = Map::new();
    soc_obj.insert("record_uid".into(), json!(uid));
    soc_obj.insert("version_number".into(), json!(1));
    soc_obj.extend(std::mem::take(&mut soc.obj));
    if let Some(mut pd) = pd {
        fill_defaults(mapping, "person_demographics", &mut pd.obj);
        let pd_uid = format!("{uid}-pd");
        soc_obj.insert("person_demographics".into(), json!(pd_uid));
        let mut obj = Map::new();
        obj.insert("record_uid".into(), json!(pd_uid));
        obj.insert("version_number".into(), json!(1));
        obj.extend(pd.obj);
        doc.insert("person_demographics".into(), json!([obj]));
        for (el, s, r, c) in pd.from {
            built
                .origins
                .push((format!("/person_demographics/0/{el}"), s, r, c));
        }
    }
    for (el, s, r, c) in soc.from {
        built
            .origins
            .push((format!("/subject_of_care/{el}"), s, r, c));
    }
    doc.insert("subject_of_care".into(), Value::Object(soc_obj));
    for (class, list) in collections {
        let cdef = model.class(class).expect("resolved by the mapping");
        let mut out = Vec::new();
        for (i, inst) in list.into_iter().enumerate() {
            let mut obj = Map::new();
            let iuid = format!("{uid}-{}-{}", class.replace('_', "-"), i + 1);
            obj.insert("record_uid".into(), json!(iuid));
            obj.insert("version_number".into(), json!(1));
            if let Some(e) = cdef.element("subject_of_care") {
                if matches!(e.lookup, Lookup::Reference { .. }) {
                    obj.insert("subject_of_care".into(), json!(uid));
                }
            }
            obj.extend(inst.obj);
            if let Some(mut a) = inst.attachment {
                a.record_uid = iuid;
                built.attachments.push(a);
            }
            for (el, s, r, c) in inst.from {
                built.origins.push((format!("/{class}/{i}/{el}"), s, r, c));
            }
            out.push(Value::Object(obj));
        }
        doc.insert(class.into(), Value::Array(out));
    }
    built.doc = Value::Object(doc);
    built
}

fn new_instance() -> Instance {
    Instance {
        obj: Map::new(),
        from: Vec::new(),
        attachment: None,
    }
}

/// Defaults of mapped columns (their cells were empty) and `set` values, where the element
/// has no value yet.
fn fill_defaults(mapping: &Mapping, class: &str, obj: &mut Map<String, Value>) {
    let model = mapping.model;
    for c in &mapping.columns {
        if c.target.class.technical_name != class {
            continue;
        }
        if let Some(d) = &c.default {
            if let Ok(v) = convert::literal(model, c.target.leaf(), d) {
                let _ = place_if_absent(obj, c.target, v);
            }
        }
    }
    for s in &mapping.set {
        if s.target.class.technical_name == class {
            let _ = place_if_absent(obj, s.target, s.value.clone());
        }
    }
}

fn place_if_absent(obj: &mut Map<String, Value>, t: Target, v: Value) -> Result<(), Finding> {
    let present = match t.sub {
        None => obj.contains_key(t.element.technical_name),
        Some(sub) => match obj.get(t.element.technical_name) {
            Some(Value::Array(a)) => a.first().and_then(|g| g.get(sub.technical_name)).is_some(),
            Some(g) => g.get(sub.technical_name).is_some(),
            None => false,
        },
    };
    if present {
        return Ok(());
    }
    place(obj, t, vec![v])
}

/// Put values at the target in an instance: a repeating element gathers distinct values; a
/// single one keeps the first and reports a different later one.
fn place(obj: &mut Map<String, Value>, t: Target, values: Vec<Value>) -> Result<(), Finding> {
    match t.sub {
        None => put(obj, t.element, values, t),
        Some(sub) => {
            let el = t.element;
            let slot = obj.entry(el.technical_name).or_insert_with(|| {
                if el.occurs.repeats() {
                    json!([{}])
                } else {
                    json!({})
                }
            });
            let group = match slot {
                Value::Array(a) => {
                    if a.is_empty() {
                        a.push(json!({}));
                    }
                    &mut a[0]
                }
                g => g,
            };
            match group {
                Value::Object(g) => put(g, sub, values, t),
                _ => Err((
                    ImportCode::ConflictingValue,
                    format!(
                        "`{}` already holds a value of another form",
                        el.technical_name
                    ),
                )),
            }
        }
    }
}

fn put(
    obj: &mut Map<String, Value>,
    el: &ElementDef,
    values: Vec<Value>,
    t: Target,
) -> Result<(), Finding> {
    let key = el.technical_name;
    if el.occurs.repeats() {
        let slot = obj.entry(key).or_insert_with(|| json!([]));
        if let Value::Array(a) = slot {
            for v in values {
                if !a.contains(&v) {
                    a.push(v);
                }
            }
        }
        return Ok(());
    }
    let mut values = values.into_iter();
    let Some(v) = values.next() else {
        return Ok(());
    };
    match obj.get(key) {
        None => {
            obj.insert(key.into(), v);
            Ok(())
        }
        Some(old) if *old == v => Ok(()),
        Some(_) => Err((
            ImportCode::ConflictingValue,
            format!("`{}` holds one value and an earlier row of the person gave another; the first is kept", path_of(t)),
        )),
    }
}

fn path_of(t: Target) -> String {
    match t.sub {
        None => format!("{}.{}", t.class.technical_name, t.element.technical_name),
        Some(s) => format!(
            "{}.{}.{}",
            t.class.technical_name, t.element.technical_name, s.technical_name
        ),
    }
}

/// Check a document file and record its type, size and checksum.
fn attach(base_dir: &Path, path: &str) -> Result<Attachment, Finding> {
    let missing = || {
        (
            ImportCode::AttachmentMissing,
            "the document file does not exist or cannot be read".to_string(),
        )
    };
    let full = base_dir.join(path);
    let mut file = std::fs::File::open(&full).map_err(|_| missing())?;
    if !file.metadata().map(|m| m.is_file()).unwrap_or(false) {
        return Err(missing());
    }
    let mut hasher = Sha256::new();
    let size = std::io::copy(&mut file, &mut hasher).map_err(|_| missing())?;
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Attachment {
        record_uid: String::new(),
        path: path.to_string(),
        media_type: media_type(path).to_string(),
        size,
        sha256,
    })
}

/// The media type of a file, by its extension.
pub fn media_type(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "rtf" => "application/rtf",
        "txt" => "text/plain",
        "html" | "htm" => "text/html",
        "xml" => "application/xml",
        "json" => "application/json",
        "csv" => "text/csv",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "tif" | "tiff" => "image/tiff",
        "gif" => "image/gif",
        _ => "application/octet-stream",
    }
}
