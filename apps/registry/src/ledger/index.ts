/** The township ledger (信息台账) export, and reading one back (tests, re-imports). */
export {
  buildLedger,
  readLedger,
  readLedgerTotals,
  ageOn,
  difficultyTotalLabel,
  sourceTotalLabel,
  DIFFICULTY_TYPE_LABELS,
  LEDGER_SHEET_NAME,
  TOTAL_LABELS,
  type LedgerChild,
  type LedgerInput,
  type LedgerCheckResult,
  type LedgerReadBack,
} from './ledger.js';
