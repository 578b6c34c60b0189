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
