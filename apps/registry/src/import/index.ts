/**
 * Importing a department's list (摸排名单) for one township: the template officers fill, reading the
 * uploaded file, and validating it into SubmissionRows. Pure apart from the Buffers in and out.
 */
export * from './columns.js';
export { buildTemplate, INSTRUCTIONS_SHEET_NAME, TEMPLATE_INPUT_ROWS } from './template.js';
export {
  readSheet,
  isSheet,
  columnLetter,
  DEFAULT_MAX_ROWS,
  TEMPLATE_SHEET_NAME,
  type ReadSheetOptions,
  type ReadSheetResult,
  type Sheet,
  type SheetRow,
} from './parse.js';
export {
  validateRows,
  parseDate,
  ISSUE_CODES,
  type ImportIssueCode,
  type ValidationContext,
  type ValidationResult,
} from './validate.js';
