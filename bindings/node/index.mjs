// @mods-sdk/node as an ES module: the same functions and classes as the CommonJS entry
// point (index.js), which loads the native addon.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const mods = require('./index.js')

export const {
  validate,
  check,
  validateMany,
  versions,
  latestVersion,
  classes,
  valueSets,
  codes,
  display,
  searchCodes,
  glossary,
  glossaryTerm,
  searchGlossary,
  explain,
  issueCodes,
  schema,
  migrate,
  diff,
  diffSpec,
  toFhir,
  transferSummary,
  fromFhir,
  mergeGpRecord,
  importDischarge,
  mergeDischarge,
  operationOutcome,
  mar,
  marText,
  compareDays,
  commissionPackage,
  commissionAccept,
  coreVersion,
  __napiBindingTarget,
  ModsError,
  ModsValidationError,
} = mods
export default mods
