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
