/* The types of @mods-sdk/node (the header of the generated index.d.ts; the function
   declarations below it are generated from src/ by napi-rs). */

/** A document: UTF-8 JSON bytes (a Buffer or Uint8Array, read without a copy), JSON text,
 *  or a plain JSON-like value (objects, arrays, strings, finite numbers, booleans, null). */
export type Document = Uint8Array | ArrayBuffer | string | { [key: string]: unknown } | unknown[]

/** Input limits; each one not given keeps the default. */
export interface Limits {
  maxBytes?: number
  maxDepth?: number
  maxStringBytes?: number
  maxArrayItems?: number
  maxObjectMembers?: number
  maxNodes?: number
}

/** Options of validate, check and validateMany (the layer's names in camelCase). */
export interface ValidateOptions {
  /** Validate the document as one instance of this class (e.g. "alert") of the latest model. */
  class?: string
  /** Elements the model does not define are errors (default: warnings). */
  strict?: boolean
  /** Put each offending value in its issue's context.value (off: records hold people's data). */
  includeValues?: boolean
  /** Most issues listed (default 1000); the rest are counted in `omitted`. */
  maxIssues?: number
  limits?: Limits
  /** FHIR CodeSystem or ValueSet resources loaded into one offline terminology for this call. */
  terminology?: Document[]
  /** Code-system URIs whose terminology is unavailable: their codes are reported code-unchecked. */
  unavailableTerminology?: string[]
  /** The date taken as today (YYYY-MM-DD) by implausible-date; default the clock's date (UTC). */
  today?: string
}

/** validateMany's options: those of validate, and the number of native threads. */
export interface ValidateManyOptions extends ValidateOptions {
  /** Native threads (default: the number of CPUs; 1 validates on one pool thread). */
  workers?: number
}

/** One step of an issue's path: an object key or an array index. */
export type PathSegment = string | number

/** One problem found in a document. */
export interface Issue {
  code: string
  severity: 'error' | 'warning' | 'information'
  /** Where, as keys and indexes (empty for the whole document). */
  path: PathSegment[]
  /** Where, as a JSON pointer ("" for the whole document). */
  pointer: string
  /** A sentence for a person; never the record's data. */
  message: string
  context: { [key: string]: unknown }
}

/** The result of validating one document. */
export interface Report {
  /** No issue of severity error. */
  valid: boolean
  issues: Issue[]
  /** Issues found beyond maxIssues and left out. */
  omitted: number
}

export interface VersionOptions {
  /** A MODS version (default: the version in force). */
  version?: string
}

export interface SearchCodesOptions extends VersionOptions {
  /** One value set (id or URL) instead of all. */
  valueSet?: string
}

export interface SchemaOptions extends VersionOptions {
  /** One class instead of the record document. */
  class?: string
}

export interface MigrateOptions {
  /** Keep what the target version cannot hold in mods_extensions.migration instead of refusing. */
  keepLost?: boolean
}

export interface DiffOptions {
  /** Values before and after in each change (they hold the person's data). */
  includeValues?: boolean
  /** Include Change log entries. */
  includeAudit?: boolean
}

export interface ToFhirOptions {
  type?: 'collection' | 'transaction' | 'document'
  profiles?: 'current' | 'stu2'
  /** Bundle.timestamp, a FHIR instant. */
  timestamp?: string
  allowInvalid?: boolean
}

export interface TransferSummaryOptions {
  timestamp?: string
  profiles?: 'current' | 'stu2'
  allowInvalid?: boolean
}

export interface FromFhirOptions {
  /** Keep every FHIR part no MODS element holds in mods_extensions.fhir_unmapped. */
  keepUnmapped?: boolean
}

export interface MergeOptions {
  /** The date of new records when neither the resources nor the Bundle give one. */
  date?: string
}

/** Options of mergeDischarge (the layer's names in camelCase, and the base record). */
export interface MergeDischargeOptions {
  /** The record_uid of the care actor who commits the merge (the Change log committer). */
  committer: string
  /** The record as it was at admission, for a three-way comparison. */
  base?: Document
  /** When the merge is committed (RFC 3339 with an offset); default now. */
  dateTime?: string
  /** The Change log entries' system identifier (default "mods-sdk merge-discharge"). */
  systemIdentifier?: string
  /** The Discharge details to merge when the discharge document holds several. */
  dischargeUid?: string
  /** Put the home and discharge values in each conflict (off: records hold people's data). */
  includeValues?: boolean
  /** For a FHIR Bundle: the date of new records it gives none for. */
  date?: string
}

/** The merged record, and the report: changes, conflicts, notes, validation (and fhir). */
export interface MergedDischarge {
  record: { [key: string]: unknown }
  report: {
    discharge_uid: string
    admission_uid?: string
    three_way: boolean
    changes: Array<{ action: 'created' | 'updated'; class: string; record_uid: string; version_number: number; path: string; elements?: string[]; change_log: string; description: string }>
    conflicts: Array<{ reason: 'changed-at-home' | 'removed-at-home' | 'record-differs'; class: string; record_uid: string; element?: string; path: string; message: string; home?: unknown; discharge?: unknown }>
    notes: Array<{ kind: string; path?: string; message: string }>
    validation: { [key: string]: unknown }
    fhir?: { [key: string]: unknown }
  }
}

/** Options of commissionPackage (docs/flows/commission.md). */
export interface CommissionPackageOptions {
  /** The record uid of the care plan commissioned. */
  plan: string
  /** The record uid of the provider (default: the one care provider the plan's services name). */
  provider?: string
  /** The record uid of the sending organisation (default: the only local authority). */
  sender?: string
  includeValues?: boolean
  /** The date taken as today (YYYY-MM-DD) by the validation. */
  today?: string
}

/** Options of commissionAccept (docs/flows/commission.md). */
export interface CommissionAcceptOptions {
  /** When it was accepted, an RFC 3339 date and time (default: now). */
  date?: string
  /** The record uid of the care actor accepting it (default: the provider's registered manager). */
  committer?: string
  systemIdentifier?: string
  /** Start a new record when no record has the package's NHS number. */
  newPerson?: boolean
  includeValues?: boolean
  today?: string
}

export interface CommissionPackage {
  package: { [key: string]: unknown }
  report: { complete: boolean; unresolved: unknown[]; validation: unknown; [key: string]: unknown }
}

export interface CommissionAccepted {
  record: { [key: string]: unknown }
  report: { person: 'matched' | 'new'; validation: unknown; [key: string]: unknown }
}

/** The layer's JSON shapes, as they are (snake_case names are the data's own). */
export type ClassDef = { technical_name: string; name: string; [key: string]: unknown }
export type ValueSetDef = { id: string; [key: string]: unknown }
export interface Code {
  value_set: string
  system: string
  code: string
  display: string
}
export type GlossaryTerm = { id: string; term: string; [key: string]: unknown }
export interface Glossary {
  terms: GlossaryTerm[]
  [key: string]: unknown
}
export interface Explanation {
  code: string
  title: string
  severity: string
  explanation: string
}
export type Migration = { record: { [key: string]: unknown }; [key: string]: unknown }
export type RecordDiff = { [key: string]: unknown }
export type FhirResource = { resourceType: string; [key: string]: unknown }
export interface FromFhir {
  record: { [key: string]: unknown }
  report: { issues: unknown[]; validation: unknown; [key: string]: unknown }
}
export interface Merged {
  record: { [key: string]: unknown }
  report: { [key: string]: unknown }
}

/** Day against day (docs/flows/days.md): the options of compareDays. */
export interface CompareDaysOptions {
  /** Take the other side's notes from this document (the same person's). */
  againstRecord?: Document
}
/** How two sides compare: only_day is on the day's side only, only_against on the other's only. */
export type DayVerdict = 'same' | 'changed' | 'only_day' | 'only_against'
export interface DayEntry {
  date: string
  note: string
  time: string | null
  value: unknown
  shown: string
}
export interface DayElementComparison {
  element: string
  element_name: string
  kind: 'text' | 'number' | 'code' | 'reference' | 'other'
  day: DayEntry[]
  against: DayEntry[]
  verdict: DayVerdict
  usual?: { day: unknown; against: unknown }
  difference?: number
}
export interface DaySide {
  span: string
  days: number
  document: 'record' | 'against_record'
  notes: string[]
  dates_with_notes: string[]
}
export interface DayComparison {
  mods_version: string
  day: DaySide
  against: DaySide
  periods: { period: string | null; period_name: string; elements: DayElementComparison[] }[]
  fluid_intake: {
    day: { per_day: { date: string; total_ml: number; notes: number }[]; total_ml: number; usual_per_day_ml: number | null }
    against: { per_day: { date: string; total_ml: number; notes: number }[]; total_ml: number; usual_per_day_ml: number | null }
    difference_ml: number | null
    verdict: DayVerdict | null
  }
  mood: {
    day: { counts: { code: string; display: string; count: number }[]; usual: string[] }
    against: { counts: { code: string; display: string; count: number }[]; usual: string[] }
    verdict: DayVerdict | null
  }
  medicines: {
    medication: string | null
    name: string
    day: { taken: number; administrations: { [key: string]: unknown }[] }
    against: { taken: number; administrations: { [key: string]: unknown }[] }
    verdict: DayVerdict
  }[]
  helpers: {
    day: { reference: string; name: string | null; class: string | null; role: string | null; notes: number; doses: number }[]
    against: { reference: string; name: string | null; class: string | null; role: string | null; notes: number; doses: number }[]
    only_day: string[]
    only_against: string[]
    verdict: DayVerdict | null
  }
  unresolved: { document: 'record' | 'against_record'; pointer: string; reference: string; expected: string[]; found_class: string | null }[]
  skipped_notes: { document: 'record' | 'against_record'; pointer: string; record_uid: string | null; reason: 'not_an_object' | 'no_date' | 'not_a_full_date' }[]
  validation: { record: { [key: string]: unknown }; against_record: { [key: string]: unknown } | null }
}

/** An error of mods-sdk; `code` is the layer's stable code, details in camelCase. */
export declare class ModsError extends Error {
  code:
    | 'invalid-json'
    | 'limit'
    | 'unknown-option'
    | 'invalid-option'
    | 'unknown-class'
    | 'unknown-version'
    | 'unknown-value-set'
    | 'unknown-term'
    | 'unknown-issue-code'
    | 'invalid-terminology'
    | 'migration-refused'
    | 'diff-refused'
    | 'export-refused'
    | 'import-refused'
    | 'merge-refused'
    | 'internal-error'
  issueCode?: string
  pointer?: string | null
  line?: number | null
  column?: number | null
  offset?: number | null
  option?: string
  known?: string[]
  location?: string | null
  [detail: string]: unknown
}

/** Thrown by check: the record has at least one error. */
export declare class ModsValidationError extends Error {
  report: Report
  issues: Issue[]
}

/** Validate and throw ModsValidationError when the record has an error; the report otherwise. */
export declare function check(input: Document, options?: ValidateOptions): Report

/** Options of `mar` (docs/flows/mar.md). */
export interface MarOptions {
  /** The last day of a period, YYYY-MM-DD (default: the one day `date`). */
  to?: string
  /** Validate in strict mode for the report in the view. */
  strict?: boolean
  /** Put offending values in the validation report's context.value. */
  includeValues?: boolean
  /** The date the validation rules that need one take as today, YYYY-MM-DD. */
  today?: string
}

/** The kinds of warning of the medication administration record view. */
export type MarWarningCode =
  | 'dose-within-minimum-interval'
  | 'maximum-dose-per-24-hours-exceeded'
  | 'medicine-under-two-records'
  | 'dose-reported-not-recorded'
  | 'unresolved-reference'
  | 'dose-time-missing'
  | 'administration-date-missing'
  | 'no-administration-class'

/** A coded value: the record's display, else the value set's. */
export interface MarCoded {
  code: string | null
  system: string | null
  display: string | null
}

/** The Medication record a dose names. */
export interface MarMedicine {
  pointer: string
  record_uid: string
  name: string | null
  code: MarCoded | null
  dose_instructions: string | null
  dose_quantity: number | null
  dose_unit: MarCoded | null
  frequency: string | null
  as_required: boolean | null
  minimum_interval_hours: number | null
  maximum_dose_per_24_hours: number | null
}

/** Who gave (or witnessed) a dose, with their role in plain words. */
export interface MarActor {
  pointer: string
  record_uid: string
  /** The record's class: care_worker, unpaid_carer, subject_of_care... */
  class: string
  name: string | null
  role: string
  relationship: MarCoded | null
}

/** One Medication administration. */
export interface MarDose {
  pointer: string
  record_uid: string | null
  date: string | null
  time: string | null
  status: MarCoded | null
  counted: boolean
  medicine: MarMedicine | null
  product: MarCoded | null
  amount: number | null
  unit: MarCoded | null
  route: MarCoded | null
  given_by: MarActor | null
  given_by_role: MarCoded | null
  witnessed_by: MarActor | null
  information_source: MarCoded | null
  report_reliability: MarCoded | null
  as_required: boolean | null
  reason_given: string | null
  reason_not_given: string | null
  /** Positions in MarView.warnings. */
  warnings: number[]
}

/** A warning of the view; its message never holds the person's data. */
export interface MarWarning {
  code: MarWarningCode
  dose: string | null
  message: string
  context: { [key: string]: unknown }
}

/** A person's medication administration record for a period. */
export interface MarView {
  mods_version: string
  person: { record_uid: string | null; name: string | null; nhs_number: string | null; date_of_birth: string | null }
  period: { from: string; to: string; look_back_from: string }
  doses: MarDose[]
  earlier_doses: MarDose[]
  warnings: MarWarning[]
  validation: { valid: boolean; issues: unknown[]; omitted: number }
}

/* ---------------------------------------------------------------- records in bulk */

/** Options of conformance (docs/conformance.md). */
export interface ConformanceOptions {
  /** The MODS version to assess against (default: the version in force). */
  version?: string
  /** Validate in strict mode (unknown elements are errors) for the validation status. */
  strict?: boolean
  /** The date taken as today (YYYY-MM-DD) by the validation rules that need one (default: the clock's date, UTC). */
  today?: string
}

/** What a record lacks, with where the requirement comes from; never a value of the record. */
export interface ConformanceGap {
  code: 'class-missing' | 'element-missing' | 'version-mismatch' | 'version-unsupported' | 'unreadable'
  /** Where, as a JSON pointer (`/consent`, `/subject_of_care/ethnicity`). */
  path: string
  /** The elements missing (any one of them would do, for an expectation). */
  elements: string[]
  basis: 'published' | 'provisional' | 'profile' | 'document'
  message: string
}

/** One class of the assessment. */
export interface ConformanceClass {
  class: string
  name: string
  /** A class every record must hold for the person. */
  person_class: boolean
  instances: number
  requirements: number
  met: number
  /** met / requirements, from 0 to 1. */
  score: number
  gaps: ConformanceGap[]
}

/** How far a record meets a MODS version (distinct from validity). */
export interface Assessment {
  mods_version: string
  record_version: string | null
  conformant: boolean
  score: number
  validation: { valid: boolean; errors: number; warnings: number }
  classes: ConformanceClass[]
  gaps: ConformanceGap[]
}

/** Options of share (docs/share.md): at least one of purpose, policy and component; not both purpose and policy. */
export interface ShareOptions {
  /** A built-in purpose: 'hospital-admission', 'gp', 'family-carer', 'local-authority-review', 'commissioning'. */
  purpose?: string
  /** A policy of your own, as TOML text (the format is in docs/share.md). */
  policy?: string
  /** A component to extract ('about-me', 'needs', 'care-plan', 'carers', 'medication', 'allergies', 'alerts-and-risks', 'contacts'). */
  component?: string
  /** The date taken as today (YYYY-MM-DD): a consent given until an earlier date has lapsed (default: the clock's date, UTC). */
  today?: string
  /** Put offending values in the view's validation issues' context.value. */
  includeValues?: boolean
}

/** One line of a share manifest: what was withheld and why; never a value. */
export interface ShareWithheld {
  class: string
  element?: string
  count: number
  reason:
    | 'not-in-component'
    | 'not-in-policy'
    | 'element-not-in-policy'
    | 'unknown-element'
    | 'consent-refused'
    | 'consent-withdrawn'
    | 'consent-lapsed'
    | 'requires-withheld-record'
    | 'audits-withheld-record'
    | 'reference-removed'
    | 'not-a-record'
  via?: string
  rule?: string
  consent?: { pointer: string; purpose: string; decision: string; lapsed: boolean }
}

/** What was kept and withheld, by class, element and reason; no person data. */
export interface ShareManifest {
  mods_version: string
  purpose?: { id: string; title: string; origin: 'built-in' | 'custom' }
  component?: string
  today: string
  classes: { [cls: string]: { input: number; kept: number; withheld: number } }
  withheld: ShareWithheld[]
  members_withheld: string[]
}

/** A view of a record and its manifest. */
export interface Shared {
  /** A MODS record document (with mods_extensions.share). */
  view: { [key: string]: unknown }
  manifest: ShareManifest
  /** The view's validation report. */
  validation: Report
}

/** A purpose's policy, with every rule's rationale. */
export interface SharePolicy {
  id: string
  title: string
  recipient: string
  description: string
  consent_purposes: string[]
  sources: string[]
  rules: Array<{ class: string; elements?: string[]; except?: string[]; rationale: string }>
  withhold: Array<{ class: string; rationale: string }>
  origin: 'built-in' | 'custom'
}

/** A named component and the classes it is made of. */
export interface ShareComponent {
  id: string
  title: string
  description: string
  classes: string[]
}

/** Options of aggregate and its CSV, text and HTML forms (docs/mi.md). */
export interface AggregateOptions {
  /** The fields: `class.element` of a coded element, a short name ('ethnicity', 'gender_identity', 'need', 'care_setting'...) or 'age_band'; one string (comma-separated for several) or a list. */
  by: string | string[]
  /** The MODS version whose model resolves the fields and labels the codes. */
  version?: string
  /** The date ages are taken on (YYYY-MM-DD; default: the clock's date, UTC). */
  asOf?: string
  /** Suppress small numbers (default true). */
  suppress?: boolean
  /** The largest count suppressed (default 7). */
  threshold?: number
  /** What other counts are rounded to (default 5). */
  roundTo?: number
}

/** A row of the table: `<field>` (the code) and `<field>_label` per field, then people and records (null where suppressed), in that order. */
export type AggregateRow = { [field: string]: string | number | null }

/** A record that could not be read: where and why, never its content. */
export interface Unreadable {
  input: string
  /** Its 1-based position in the list. */
  line: number | null
  reason: string
}

/** The table of counts. */
export interface AggregateTable {
  mods_version: string
  as_of: string
  fields: Array<{ field: string; path: string; label: string; term: string | null }>
  suppression: { threshold: number; round_to: number }
  rows: AggregateRow[]
  total_people: number | null
  total_records: number | null
  /** Records that could not be read: counted, not dropped. */
  unreadable: number
  unreadable_examples: Unreadable[]
}

/** Options of extract (docs/mi.md). */
export interface ExtractOptions {
  /** The pseudonymisation key, at least 32 bytes (a string is taken as UTF-8); used for this call only, never kept or shown. */
  key: Uint8Array | string
  /** The profile (default 'dhsc-cld'; see extractProfiles()). */
  profile?: string
  /** The MODS version the profile is checked against. */
  version?: string
  /** The date ages are taken on for people with no event (YYYY-MM-DD; default: the clock's date, UTC). */
  asOf?: string
  /** Write MODS codes in every column, untranslated (default false: a column with one of the profile's code lists, such as Ethnicity, gets the collection's values). */
  modsCodes?: boolean
}

/** A client-level extract: rows in column order, the person known by a keyed pseudonym. */
export interface Extract {
  profile: string
  columns: string[]
  rows: Array<{ [column: string]: string }>
  records: number
  /** Records naming no person (their rows have an empty id). */
  unidentified: number
  unreadable: Unreadable[]
}

/** Options of importLegacy (docs/import.md). */
export interface LegacyImportOptions {
  /** 'csv' (the default), 'ndjson' or 'json'. */
  format?: 'csv' | 'ndjson' | 'json'
  /** Report only: no records. */
  dryRun?: boolean
  /** Put offending values in the report entries (values are personal data). */
  includeValues?: boolean
  /** The folder the mapping's document paths are relative to (default: the working folder). */
  baseDir?: string
  /** Rows held in memory before spilling to disk while grouping by person (default 50,000). */
  chunkRows?: number
  /** The input's name in the report (default 'input'). */
  name?: string
}

/** One entry of an import's report: where (row, column), what (an issue code); a value only when asked. */
export interface ImportEntry {
  source: string
  row?: number
  column?: string
  code: string
  severity: 'error' | 'warning' | 'information'
  message: string
  pointer?: string
  record_uid?: string
  cells?: number
  value?: string
}

/** What an import did: every source cell accounted for per column. */
export interface ImportSummary {
  dry_run: boolean
  rows: number
  persons: number
  invalid_records: number
  findings: { [code: string]: number }
  errors: number
  warnings: number
  columns: { [column: string]: { role: string; cells: number; imported: number; ignored: number; reported: number } }
  classes: { [cls: string]: number }
  attachments: Array<{ record_uid: string; path: string; media_type: string; size: number; sha256: string }>
  spill_files: number
}

/** The records (one per person; none on a dry run), the report entries and the summary. */
export interface LegacyImported {
  records: Array<{ [key: string]: unknown }>
  entries: ImportEntry[]
  summary: ImportSummary
}
