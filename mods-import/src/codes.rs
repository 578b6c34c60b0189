//! The closed list of codes the import reports: mapping errors and per-cell findings.

use serde::Serialize;

/// A stable code for an import finding (a row, a cell or a column) or a mapping error.
///
/// Validation issues of the built records keep their own codes from
/// [`mods_core::IssueCode`]; these are the import's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportCode {
    /// The mapping file is not TOML, or has a key this format does not know.
    MappingSyntax,
    /// The mapping's `format` is not one this library reads.
    MappingFormatVersion,
    /// The mapping names a class the MODS version does not have, or one that is not a record class.
    UnknownClass,
    /// The mapping names an element the class does not have.
    UnknownElement,
    /// The element cannot be filled from a column (a reference to another record, or a
    /// group without a `split`), or an option does not fit its type.
    PathNotMappable,
    /// A code in a translation table, a `default` or a `set` value is not in the element's value set.
    CodeNotInValueSet,
    /// A column is mapped twice, or mapped and ignored.
    DuplicateColumn,
    /// The mapping names a column that the input does not have.
    ColumnNotInInput,
    /// An input cannot be read (missing file, unknown format, bad JSON line).
    UnreadableInput,
    /// A source column is neither mapped nor ignored: its cells are not imported.
    UnmappedColumn,
    /// A value has no translation and the column's policy is to report it.
    UnmappedValue,
    /// A value had no translation and the column's `default` code was used instead.
    ValueDefaulted,
    /// A date or date-time matches none of the column's formats (or is partial where the
    /// element needs a full date, or lacks a time the element needs).
    InvalidDate,
    /// A value is not a number, or not a whole number where one is needed.
    InvalidNumber,
    /// A value is not one of the yes/no spellings.
    InvalidYesNo,
    /// A name or address could not be split into its parts.
    SplitFailed,
    /// Rows of one person give different values for an element that holds one value; the
    /// first is kept.
    ConflictingValue,
    /// A row has no value in the person column: it cannot be placed in a record.
    MissingPersonId,
    /// A CSV row has more fields than the header: the row is not imported (its values have
    /// probably shifted).
    TooManyFields,
    /// A CSV row has fewer fields than the header; the missing cells are taken as empty.
    TooFewFields,
    /// A JSON value is an object or an array where a single value is needed.
    NestedValue,
    /// A document path names no readable file.
    AttachmentMissing,
    /// With `grouped = true`, a person's rows are not consecutive.
    PersonNotGrouped,
}

impl ImportCode {
    /// Every code, in a fixed order.
    pub const ALL: [ImportCode; 23] = [
        ImportCode::MappingSyntax,
        ImportCode::MappingFormatVersion,
        ImportCode::UnknownClass,
        ImportCode::UnknownElement,
        ImportCode::PathNotMappable,
        ImportCode::CodeNotInValueSet,
        ImportCode::DuplicateColumn,
        ImportCode::ColumnNotInInput,
        ImportCode::UnreadableInput,
        ImportCode::UnmappedColumn,
        ImportCode::UnmappedValue,
        ImportCode::ValueDefaulted,
        ImportCode::InvalidDate,
        ImportCode::InvalidNumber,
        ImportCode::InvalidYesNo,
        ImportCode::SplitFailed,
        ImportCode::ConflictingValue,
        ImportCode::MissingPersonId,
        ImportCode::TooManyFields,
        ImportCode::TooFewFields,
        ImportCode::NestedValue,
        ImportCode::AttachmentMissing,
        ImportCode::PersonNotGrouped,
    ];

    /// The code as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportCode::MappingSyntax => "mapping-syntax",
            ImportCode::MappingFormatVersion => "mapping-format-version",
            ImportCode::UnknownClass => "unknown-class",
            ImportCode::UnknownElement => "unknown-element",
            ImportCode::PathNotMappable => "path-not-mappable",
            ImportCode::CodeNotInValueSet => "code-not-in-value-set",
            ImportCode::DuplicateColumn => "duplicate-column",
            ImportCode::ColumnNotInInput => "column-not-in-input",
            ImportCode::UnreadableInput => "unreadable-input",
            ImportCode::UnmappedColumn => "unmapped-column",
            ImportCode::UnmappedValue => "unmapped-value",
            ImportCode::ValueDefaulted => "value-defaulted",
            ImportCode::InvalidDate => "invalid-date",
            ImportCode::InvalidNumber => "invalid-number",
            ImportCode::InvalidYesNo => "invalid-yes-no",
            ImportCode::SplitFailed => "split-failed",
            ImportCode::ConflictingValue => "conflicting-value",
            ImportCode::MissingPersonId => "missing-person-id",
            ImportCode::TooManyFields => "too-many-fields",
            ImportCode::TooFewFields => "too-few-fields",
            ImportCode::NestedValue => "nested-value",
            ImportCode::AttachmentMissing => "attachment-missing",
            ImportCode::PersonNotGrouped => "person-not-grouped",
        }
    }

    /// Whether the finding is only a warning (the value was still imported, or nothing was lost).
    pub fn is_warning(self) -> bool {
        matches!(self, ImportCode::ValueDefaulted | ImportCode::TooFewFields)
    }
}

impl std::fmt::Display for ImportCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
