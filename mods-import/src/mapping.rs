//! The mapping file: its TOML form ([`MappingFile`]) and the form checked against the model
//! ([`Mapping`]). The format is described in `docs/import.md`.

use std::collections::{BTreeMap, HashMap};

use mods_core::model::{self, ClassDef, ClassKind, ElementDef, ElementType, Lookup, Model};
use serde::Deserialize;

use crate::codes::ImportCode;

/// The mapping format this library reads (`format = 1`).
pub const FORMAT_VERSION: u32 = 1;

/// Classes that hold one instance per person; every other class gets one instance per row
/// that fills it.
pub const PERSON_CLASSES: [&str; 2] = ["subject_of_care", "person_demographics"];

/// The mapping file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    /// The version of the mapping format; must be [`FORMAT_VERSION`].
    pub format: u32,
    /// The MODS version of the records written (default: the current one).
    pub mods_version: Option<String>,
    /// The column that identifies a person.
    pub person: String,
    /// `true` when the rows of each person are consecutive in the input (no sort needed).
    #[serde(default)]
    pub grouped: bool,
    /// The start of every `record_uid` written (default `import`).
    pub uid_prefix: Option<String>,
    /// Columns deliberately not imported.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Values set on every instance of a class the import creates: path → value.
    #[serde(default)]
    pub set: BTreeMap<String, toml::Value>,
    /// One entry per mapped column.
    #[serde(default)]
    pub column: Vec<ColumnFile>,
}

/// One `[[column]]` of the mapping file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnFile {
    /// The column's name in the input (CSV header or JSON key).
    pub name: String,
    /// `class.element` or `class.group.element`.
    pub path: String,
    /// Date formats (chrono `strftime` syntax), tried in order.
    pub date_formats: Option<Vec<String>>,
    /// The UTC offset of date-times in the source that carry none, e.g. `+00:00`.
    pub utc_offset: Option<String>,
    /// Translations from source values (compared trimmed, ignoring case) to codes.
    #[serde(default)]
    pub codes: BTreeMap<String, String>,
    /// The code used when the cell is empty, and, with `unmapped = "default"`, when the
    /// value has no translation.
    pub default: Option<String>,
    /// What to do with a value that has no translation.
    #[serde(default)]
    pub unmapped: UnmappedPolicy,
    /// Split the cell: `name`, `address` or `list`.
    pub split: Option<Split>,
    /// The separator for `split = "list"` (default `;`).
    pub separator: Option<String>,
    /// The cell is the path of a file to attach as a Document.
    #[serde(default)]
    pub attach: bool,
}

/// What to do with a value that has no translation to a code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmappedPolicy {
    /// Report the cell (`unmapped-value`) and leave the element out.
    #[default]
    Report,
    /// Use the column's `default` code and report a warning (`value-defaulted`).
    Default,
    /// Keep the value as the code; validation judges it.
    Keep,
}

/// How a cell is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// A person's name: `FAMILY, Given Middle` or `[Title] Given Middle Family`.
    Name,
    /// An address: comma-separated lines, the town, then the postcode.
    Address,
    /// A list of values for a repeating element.
    List,
}

/// A mapping error: what is wrong and where in the mapping.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MappingError {
    /// The error's code.
    pub code: ImportCode,
    /// Where: `column[2].path`, `set."alert.status"`, `person`, ...
    pub at: String,
    /// What is wrong, for a person.
    pub message: String,
}

impl std::fmt::Display for MappingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {}: {}", self.code, self.at, self.message)
    }
}

/// Where a column's values go.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The record class.
    pub class: &'static ClassDef,
    /// The element of the class.
    pub element: &'static ElementDef,
    /// The element of the component, for `class.group.element`.
    pub sub: Option<&'static ElementDef>,
}

impl Target {
    /// The element whose type the value takes.
    pub fn leaf(&self) -> &'static ElementDef {
        self.sub.unwrap_or(self.element)
    }

    /// Whether the class has one instance per person.
    pub fn person_level(&self) -> bool {
        PERSON_CLASSES.contains(&self.class.technical_name)
    }
}

/// A mapped column, checked against the model.
#[derive(Debug)]
pub struct Column {
    /// The column's name.
    pub name: String,
    /// The path as written.
    pub path: String,
    /// Where the values go.
    pub target: Target,
    /// Date formats.
    pub date_formats: Vec<String>,
    /// Offset for date-times without one.
    pub utc_offset: Option<chrono::FixedOffset>,
    /// Translations, keyed by the trimmed, lower-cased source value.
    pub codes: HashMap<String, String>,
    /// Default code.
    pub default: Option<String>,
    /// Unmapped-value policy.
    pub unmapped: UnmappedPolicy,
    /// Split.
    pub split: Option<Split>,
    /// List separator.
    pub separator: String,
    /// A document path.
    pub attach: bool,
}

/// A value the mapping sets on every instance of a class it creates.
#[derive(Debug)]
pub struct SetValue {
    /// Where.
    pub target: Target,
    /// The value as a JSON value of the element's form (a code becomes `{"code", "display"}`).
    pub value: serde_json::Value,
}

/// A mapping checked against the model.
#[derive(Debug)]
pub struct Mapping {
    /// The model of the records written.
    pub model: &'static Model,
    /// The person column.
    pub person: String,
    /// Whether the input is already grouped by person.
    pub grouped: bool,
    /// The uid prefix.
    pub uid_prefix: String,
    /// Ignored columns.
    pub ignore: Vec<String>,
    /// Mapped columns.
    pub columns: Vec<Column>,
    /// Values set on every created instance.
    pub set: Vec<SetValue>,
}

/// The default date formats: ISO 8601 and UK `dd/mm/yyyy`.
pub const DEFAULT_DATE_FORMATS: [&str; 2] = ["%Y-%m-%d", "%d/%m/%Y"];

impl Mapping {
    /// Read and check a mapping; every error found is returned, not only the first.
    pub fn parse(text: &str) -> Result<Mapping, Vec<MappingError>> {
        let file: MappingFile = toml::from_str(text).map_err(|e| {
            vec![MappingError {
                code: ImportCode::MappingSyntax,
                at: "mapping".into(),
                message: e.message().to_string(),
            }]
        })?;
        Mapping::check(file)
    }

    /// Check a parsed mapping file against the model.
    pub fn check(file: MappingFile) -> Result<Mapping, Vec<MappingError>> {
        let mut errors = Vec::new();
        let err = |errors: &mut Vec<MappingError>, code, at: String, message: String| {
            errors.push(MappingError { code, at, message })
        };
        if file.format != FORMAT_VERSION {
            err(
                &mut errors,
                ImportCode::MappingFormatVersion,
                "format".into(),
                format!(
                    "mapping format {} is not known; this library reads format {FORMAT_VERSION}",
                    file.format
                ),
            );
            return Err(errors);
        }
        let model = match &file.mods_version {
            None => model::latest(),
            Some(v) => match model::model(v) {
                Some(m) => m,
                None => {
                    err(
                        &mut errors,
                        ImportCode::MappingFormatVersion,
                        "mods_version".into(),
                        format!(
                            "MODS version {v} is not known (known: {})",
                            model::supported_versions()
                        ),
                    );
                    return Err(errors);
                }
            },
        };
        if file.person.trim().is_empty() {
            err(
                &mut errors,
                ImportCode::PathNotMappable,
                "person".into(),
                "the person column is empty".into(),
            );
        }
        let mut seen: HashMap<&str, String> = HashMap::new();
        for (i, name) in file.ignore.iter().enumerate() {
            if let Some(prev) = seen.insert(name, format!("ignore[{i}]")) {
                err(
                    &mut errors,
                    ImportCode::DuplicateColumn,
                    format!("ignore[{i}]"),
                    format!("column `{name}` is already named at {prev}"),
                );
            }
        }
        let mut columns = Vec::new();
        for (i, c) in file.column.iter().enumerate() {
            let at = format!("column[{i}]");
            if let Some(prev) = seen.insert(&c.name, at.clone()) {
                err(
                    &mut errors,
                    ImportCode::DuplicateColumn,
                    at.clone(),
                    format!("column `{}` is already named at {prev}", c.name),
                );
            }
            match resolve(model, &c.path) {
                Err((code, message)) => err(&mut errors, code, format!("{at}.path"), message),
                Ok(target) => match check_column(model, c, target, &at) {
                    Ok(col) => columns.push(col),
                    Err(mut e) => errors.append(&mut e),
                },
            }
        }
        let mut set = Vec::new();
        for (path, value) in &file.set {
            let at = format!("set.\"{path}\"");
            match resolve(model, path) {
                Err((code, message)) => err(&mut errors, code, at, message),
                Ok(target) => {
                    let text = match value {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Integer(n) => n.to_string(),
                        toml::Value::Float(n) => n.to_string(),
                        toml::Value::Boolean(b) => b.to_string(),
                        _ => {
                            err(
                                &mut errors,
                                ImportCode::PathNotMappable,
                                at,
                                "a set value must be a string, number or boolean".into(),
                            );
                            continue;
                        }
                    };
                    match crate::convert::literal(model, target.leaf(), &text) {
                        Ok(value) => set.push(SetValue { target, value }),
                        Err((code, message)) => err(&mut errors, code, at, message),
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Mapping {
            model,
            person: file.person,
            grouped: file.grouped,
            uid_prefix: file.uid_prefix.unwrap_or_else(|| "import".into()),
            ignore: file.ignore,
            columns,
            set,
        })
    }

    /// Check that every column the mapping names is in the input's header.
    pub fn check_header(&self, header: &[String]) -> Vec<MappingError> {
        let mut errors = Vec::new();
        let has = |n: &str| header.iter().any(|h| h == n);
        if !has(&self.person) {
            errors.push(MappingError {
                code: ImportCode::ColumnNotInInput,
                at: "person".into(),
                message: format!("the person column `{}` is not in the input", self.person),
            });
        }
        for (i, c) in self.columns.iter().enumerate() {
            if !has(&c.name) {
                errors.push(MappingError {
                    code: ImportCode::ColumnNotInInput,
                    at: format!("column[{i}]"),
                    message: format!("column `{}` is not in the input", c.name),
                });
            }
        }
        errors
    }
}

/// Resolve `class.element` or `class.group.element` against the model.
fn resolve(model: &'static Model, path: &str) -> Result<Target, (ImportCode, String)> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err((
            ImportCode::UnknownElement,
            format!("`{path}` is not a path of the form class.element or class.group.element"),
        ));
    }
    let class = match model.class(parts[0]) {
        Some(c) if c.kind == ClassKind::Record => c,
        Some(_) => {
            return Err((
                ImportCode::UnknownClass,
                format!(
                    "`{}` is not a record class of MODS {}",
                    parts[0], model.mods_version
                ),
            ))
        }
        None => {
            return Err((
                ImportCode::UnknownClass,
                format!("MODS {} has no class `{}`", model.mods_version, parts[0]),
            ))
        }
    };
    let element = class.element(parts[1]).ok_or_else(|| {
        (
            ImportCode::UnknownElement,
            format!("class `{}` has no element `{}`", parts[0], parts[1]),
        )
    })?;
    if matches!(element.technical_name, "record_uid" | "version_number")
        || matches!(element.lookup, Lookup::Reference { .. })
    {
        return Err((
            ImportCode::PathNotMappable,
            format!("`{path}` is set by the import (a record identifier or a reference to another record)"),
        ));
    }
    let sub = if parts.len() == 3 {
        let comp = element
            .component
            .and_then(|c| model.class(c))
            .ok_or_else(|| {
                (
                    ImportCode::UnknownElement,
                    format!(
                        "`{}.{}` is not a group, so it has no element `{}`",
                        parts[0], parts[1], parts[2]
                    ),
                )
            })?;
        let sub = comp.element(parts[2]).ok_or_else(|| {
            (
                ImportCode::UnknownElement,
                format!(
                    "the group `{}.{}` has no element `{}`",
                    parts[0], parts[1], parts[2]
                ),
            )
        })?;
        if sub.ty == ElementType::Group || matches!(sub.lookup, Lookup::Reference { .. }) {
            return Err((
                ImportCode::PathNotMappable,
                format!("`{path}` cannot be filled from a column"),
            ));
        }
        Some(sub)
    } else {
        None
    };
    Ok(Target {
        class,
        element,
        sub,
    })
}

fn check_column(
    model: &'static Model,
    c: &ColumnFile,
    target: Target,
    at: &str,
) -> Result<Column, Vec<MappingError>> {
    let mut errors = Vec::new();
    let leaf = target.leaf();
    let mut bad = |code, key: &str, message: String| {
        errors.push(MappingError {
            code,
            at: format!("{at}.{key}"),
            message,
        })
    };
    match c.split {
        Some(Split::Name) if leaf.component != Some("person_name") => {
            bad(ImportCode::PathNotMappable, "split", format!("split = \"name\" needs a person name group, not `{}`", c.path))
        }
        Some(Split::Address) if leaf.component != Some("address") => {
            bad(ImportCode::PathNotMappable, "split", format!("split = \"address\" needs an address group, not `{}`", c.path))
        }
        Some(Split::List) if !leaf.occurs.repeats() => {
            bad(ImportCode::PathNotMappable, "split", format!("split = \"list\" needs a repeating element, and `{}` holds one value", c.path))
        }
        None if leaf.ty == ElementType::Group => bad(
            ImportCode::PathNotMappable,
            "path",
            format!("`{}` is a group: name one of its elements, or split the column (split = \"name\" or \"address\")", c.path),
        ),
        _ => {}
    }
    if c.attach
        && (target.class.technical_name != "document"
            || leaf.technical_name != "documentation_location")
    {
        bad(
            ImportCode::PathNotMappable,
            "attach",
            "attach = true goes with the path document.documentation_location".into(),
        );
    }
    let coded = matches!(
        leaf.lookup,
        Lookup::ValueSet { .. } | Lookup::External { .. }
    );
    if !coded && (!c.codes.is_empty() || c.default.is_some()) && leaf.ty != ElementType::Text {
        bad(
            ImportCode::PathNotMappable,
            "codes",
            format!(
                "`{}` is not coded, so it takes no translations or default code",
                c.path
            ),
        );
    }
    for (from, code) in &c.codes {
        if let Err((kind, message)) = crate::convert::literal(model, leaf, code) {
            bad(kind, &format!("codes.\"{from}\""), message);
        }
    }
    if let Some(d) = &c.default {
        if let Err((kind, message)) = crate::convert::literal(model, leaf, d) {
            bad(kind, "default", message);
        }
    }
    if c.unmapped == UnmappedPolicy::Default && c.default.is_none() {
        bad(
            ImportCode::PathNotMappable,
            "unmapped",
            "unmapped = \"default\" needs a default".into(),
        );
    }
    let utc_offset = match &c.utc_offset {
        None => None,
        Some(s) => match parse_offset(s) {
            Some(o) => Some(o),
            None => {
                bad(
                    ImportCode::PathNotMappable,
                    "utc_offset",
                    format!("`{s}` is not an offset such as +00:00"),
                );
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Column {
        name: c.name.clone(),
        path: c.path.clone(),
        target,
        date_formats: c
            .date_formats
            .clone()
            .unwrap_or_else(|| DEFAULT_DATE_FORMATS.iter().map(|s| s.to_string()).collect()),
        utc_offset,
        codes: c
            .codes
            .iter()
            .map(|(k, v)| (k.trim().to_lowercase(), v.clone()))
            .collect(),
        default: c.default.clone(),
        unmapped: c.unmapped,
        split: c.split,
        separator: c.separator.clone().unwrap_or_else(|| ";".into()),
        attach: c.attach,
    })
}

fn parse_offset(s: &str) -> Option<chrono::FixedOffset> {
    if s == "Z" {
        return chrono::FixedOffset::east_opt(0);
    }
    chrono::DateTime::parse_from_str(&format!("2000-01-01T00:00:00{s}"), "%Y-%m-%dT%H:%M:%S%:z")
        .ok()
        .map(|d| *d.offset())
}
