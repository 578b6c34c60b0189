/** One problem found: the same shape as the CLI's JSON and every other binding. */
export interface Issue {
  /** Stable code from the closed catalogue (`explain(code)` documents it). */
  code: string;
  severity: "error" | "warning" | "information";
  /** Where, as keys and indexes; empty for the whole document. */
  path: (string | number)[];
  /** Where, as an RFC 6901 JSON pointer; "" for the whole document. */
  pointer: string;
  /** A sentence for a person; never the record's data. */
  message: string;
  /** Details; the offending value under `value` only with `include_values`. */
  context: Record<string, unknown>;
}

/** A validation report. */
export interface Report {
  /** No issue of severity "error". */
  valid: boolean;
  issues: Issue[];
  /** Issues beyond `max_issues`, not listed. */
  omitted: number;
}

/** Options of validate, check, validateMany, validateField, validateInstance (JSON names). */
export interface ValidateOptions {
  /** Validate the document as one instance of this class of the latest model. */
  class?: string | null;
  /** Unknown elements are errors, not warnings. */
  strict?: boolean;
  /** Offending values in `context.value` (they are people's data: off by default). */
  include_values?: boolean;
  max_issues?: number;
  limits?: Partial<Record<"max_bytes" | "max_depth" | "max_string_bytes" | "max_array_items" | "max_object_members" | "max_nodes", number>>;
  unavailable_terminology?: string[];
  /** "YYYY-MM-DD" taken as today by `implausible-date` (WebAssembly has no clock: without it that rule is skipped). */
  today?: string | null;
}

/** A document: UTF-8 JSON bytes, JSON text, or a plain object. */
export type Document = Uint8Array | string | object;

/** One choice of a value-set field. */
export interface FormOption { code: string; display: string; system: string; }

/** One element of a class as a form field. */
export interface FormField {
  element: string;
  label: string;
  description: string;
  type: string;
  occurs: "1..1" | "0..1" | "0..*" | "1..*";
  required: boolean;
  repeats: boolean;
  inherited: boolean;
  input: "text" | "number" | "date" | "time" | "datetime" | "checkbox" | "select" | "coding" | "reference" | "group";
  format?: string;
  pattern?: string;
  max_length?: number;
  date_precision?: string[];
  time_optional?: boolean;
  integer?: boolean;
  minimum?: number;
  value_set?: string;
  system?: string;
  strength?: "required" | "extensible" | "preferred";
  options?: FormOption[];
  targets?: string[];
  fields?: FormField[];
}

/** The fields of a class, in the model's order. */
export interface FormSchema {
  mods_version: string;
  class: string;
  name: string;
  description: string;
  fields: FormField[];
}

/** An error of the library: `name` is "ModsError", `code` the kind. */
export interface ModsError extends Error {
  code: "invalid-json" | "limit" | "unknown-option" | "invalid-option" | "unknown-class" | "unknown-element" | "unknown-version" | "unknown-value-set" | "unknown-term" | "unknown-issue-code" | "invalid-terminology" | "migration-refused" | "diff-refused" | "export-refused" | "import-refused" | "merge-refused" | "internal-error";
  [detail: string]: unknown;
}

/** What `check` throws: `name` is "ModsValidationError". */
export interface ModsValidationError extends Error {
  code: "invalid-document";
  issues: Issue[];
  report: Report;
}

/** Validate one record document (or, with `{class}`, one instance of a class). */
export function validate(input: Document, options?: ValidateOptions | null): Report;
/** Validate many documents on the calling thread, one report each, in order. */
export function validateMany(inputs: Document[], options?: ValidateOptions | null): Report[];
/** The report when the document is valid; throws a ModsValidationError otherwise. */
export function check(input: Document, options?: ValidateOptions | null): Report;

/** The fields of a record or component class. */
export function formSchema(className: string, options?: { version?: string | null } | null): FormSchema;
/** One field's issues: `value` is the field's JSON value (null or undefined: empty), `context` the form's other values. */
export function validateField(className: string, element: string, value: unknown, context?: object | null, options?: ValidateOptions | null): Issue[];
/** Validate a whole form (one instance of a class). */
export function validateInstance(className: string, instance: Document, options?: ValidateOptions | null): Report;

export function migrate(input: Document, to: string, options?: { keep_lost?: boolean } | null): any;
export function diff(oldRecord: Document, newRecord: Document, options?: { include_values?: boolean; include_audit?: boolean } | null): any;
export function diffSpec(a: string, b: string): any;
export function schema(version?: string | null, className?: string | null): object;

export function versions(): string[];
export function classes(version?: string | null): any[];
export function valueSets(version?: string | null): any[];
export function codes(valueSet: string, version?: string | null): { value_set: string; system: string; code: string; display: string }[];
export function display(valueSet: string, code: string, version?: string | null): string | null;
export function searchCodes(text: string, valueSet?: string | null, version?: string | null): { value_set: string; system: string; code: string; display: string }[];
export function glossary(term?: string | null): any;
export function searchGlossary(text: string): any[];
export function explain(code: string): { code: string; severity: string; title: string; explanation: string };
export function issueCodes(): string[];

export function toFhir(record: Document, options?: { type?: string; profiles?: string; timestamp?: string | null; allow_invalid?: boolean } | null): object;
export function transferSummary(record: Document, options: { timestamp: string; profiles?: string; allow_invalid?: boolean }): object;
export function fromFhir(bundle: Document, options?: { keep_unmapped?: boolean } | null): any;
export function mergeGpRecord(record: Document, bundle: Document, options?: { date?: string | null } | null): any;
export function importDischarge(record: Document, bundle: Document, options?: { date?: string | null } | null): any;
export function mergeDischarge(
  record: Document,
  discharge: Document,
  options: {
    committer: string;
    base?: Document | null;
    dateTime?: string | null;
    systemIdentifier?: string | null;
    dischargeUid?: string | null;
    includeValues?: boolean;
    date?: string | null;
  },
): { record: any; report: { discharge_uid: string; admission_uid?: string; three_way: boolean; changes: any[]; conflicts: any[]; notes: any[]; validation: any; fhir?: any } };
export function operationOutcome(record: Document): object;

/** Options of `mar`. */
export interface MarOptions {
  /** The last day of a period, YYYY-MM-DD (default: the one day `date`). */
  to?: string | null;
  /** Validate in strict mode for the report in the view. */
  strict?: boolean;
  /** Put offending values in the validation report's context.value. */
  includeValues?: boolean;
  /** The date taken as today by the validation rules that need one, YYYY-MM-DD. */
  today?: string | null;
}
/** A coded value: the record's display, else the value set's. */
export interface MarCoded { code: string | null; system: string | null; display: string | null; }
/** Who gave (or witnessed) a dose; `class` is the record's class, `role` in plain words. */
export interface MarActor { pointer: string; record_uid: string; class: string; name: string | null; role: string; relationship: MarCoded | null; }
/** The Medication record a dose names. */
export interface MarMedicine {
  pointer: string; record_uid: string; name: string | null; code: MarCoded | null;
  dose_instructions: string | null; dose_quantity: number | null; dose_unit: MarCoded | null;
  frequency: string | null; as_required: boolean | null;
  minimum_interval_hours: number | null; maximum_dose_per_24_hours: number | null;
}
/** One Medication administration; `warnings` are positions in `MarView.warnings`. */
export interface MarDose {
  pointer: string; record_uid: string | null; date: string | null; time: string | null;
  status: MarCoded | null; counted: boolean; medicine: MarMedicine | null; product: MarCoded | null;
  amount: number | null; unit: MarCoded | null; route: MarCoded | null;
  given_by: MarActor | null; given_by_role: MarCoded | null; witnessed_by: MarActor | null;
  information_source: MarCoded | null; report_reliability: MarCoded | null;
  as_required: boolean | null; reason_given: string | null; reason_not_given: string | null;
  warnings: number[];
}
/** A warning of the view; its message never holds the person's data. */
export interface MarWarning {
  code: "dose-within-minimum-interval" | "maximum-dose-per-24-hours-exceeded" | "medicine-under-two-records" | "dose-reported-not-recorded" | "unresolved-reference" | "dose-time-missing" | "administration-date-missing" | "no-administration-class";
  dose: string | null;
  message: string;
  context: Record<string, unknown>;
}
/** A person's medication administration record for a period (docs/flows/mar.md). */
export interface MarView {
  mods_version: string;
  person: { record_uid: string | null; name: string | null; nhs_number: string | null; date_of_birth: string | null };
  period: { from: string; to: string; look_back_from: string };
  doses: MarDose[];
  earlier_doses: MarDose[];
  warnings: MarWarning[];
  validation: { valid: boolean; issues: unknown[]; omitted: number };
}
/** A person's medication administration record for a day: every dose, who gave it, every warning. */
export function mar(record: Document, date: string, options?: MarOptions | null): MarView;
/** The view made by `mar` as text for a person to read (what `mods mar` prints). */
export function marText(view: MarView | string): string;
/** Day against day (docs/flows/days.md): a person's daily care notes of two days or periods compared. */
export function compareDays(record: Document, day: string, against: string, options?: CompareDaysOptions | null): DayComparison;

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

/** Options of commissionPackage (docs/flows/commission.md). */
export interface CommissionPackageOptions {
  /** The record uid of the care plan commissioned. */
  plan: string;
  /** The record uid of the provider (default: the one care provider the plan's services name). */
  provider?: string | null;
  /** The record uid of the sending organisation (default: the only local authority). */
  sender?: string | null;
  /** Put offending values in the validation report's context.value. */
  includeValues?: boolean;
  /** The date taken as today (YYYY-MM-DD) by the validation (default: the clock's date). */
  today?: string | null;
}
/** Options of commissionAccept (docs/flows/commission.md). */
export interface CommissionAcceptOptions {
  /** When it was accepted, an RFC 3339 date and time (default: the clock's time). */
  date?: string | null;
  /** The record uid of the care actor accepting it (default: the provider's registered manager). */
  committer?: string | null;
  systemIdentifier?: string | null;
  /** Start a new record when no record has the package's NHS number. */
  newPerson?: boolean;
  includeValues?: boolean;
  /** The date taken as today (YYYY-MM-DD) by the validation (default: the clock's date). */
  today?: string | null;
}
/** The package of care the provider receives, with what building it found. */
export interface CommissionPackage {
  package: { [key: string]: unknown };
  report: { complete: boolean; unresolved: unknown[]; validation: unknown; [key: string]: unknown };
}
/** The provider's record with the package merged in, and how it was merged. */
export interface CommissionAccepted {
  record: { [key: string]: unknown };
  report: { person: "matched" | "new"; validation: unknown; [key: string]: unknown };
}
/** The package of care the provider receives, built from the council's record for one plan. */
export function commissionPackage(record: Document, options: CommissionPackageOptions): CommissionPackage;
/** A package of care merged into the provider's record of the person. */
export function commissionAccept(provider: Document, pkg: Document, options?: CommissionAcceptOptions | null): CommissionAccepted;

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

