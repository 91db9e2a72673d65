import { parse106 } from '../../../numbering/number106.ts';
import { parseDate, parseTimestamp } from '../../../numbering/time.ts';
import { isUsccShaped, normaliseUscc } from '../../../numbering/uscc.ts';
import type { ImportIssue } from './report.ts';

/** Where a row's problems go: the job's report (ImportJob). */
export interface IssueSink {
  report(issue: ImportIssue): void;
  warn(issue: ImportIssue): void;
}

/** Access to the cells of one row, reporting problems against the row's line. */
export class RowReader {
  constructor(
    private readonly sink: IssueSink,
    private readonly label: string,
    readonly line: number,
    private readonly cells: string[],
    private readonly columns: Map<string, number>,
  ) {}

  bad = false;

  raw(column: string): string {
    const index = this.columns.get(column);
    return index === undefined ? '' : (this.cells[index] ?? '').trim();
  }

  issue(column: string | null, value: string | null, code: string, params?: Record<string, string | number>): null {
    this.bad = true;
    this.sink.report({ file: this.label, line: this.line, column, value, code, params });
    return null;
  }

  /** An optional cell kept as it is although it does not parse: the row is imported, the import reports it. */
  warning(column: string, value: string, code: string, params?: Record<string, string | number>): void {
    this.sink.warn({ file: this.label, line: this.line, column, value, code, params });
  }

  required(column: string, maxLength: number): string | null {
    const value = this.raw(column);
    if (value === '') return this.issue(column, null, 'cell.required');
    return this.checkLength(column, value, maxLength);
  }

  optional(column: string, maxLength: number): string | null {
    const value = this.raw(column);
    return value === '' ? null : this.checkLength(column, value, maxLength);
  }

  private checkLength(column: string, value: string, maxLength: number): string | null {
    if (value.includes('\uFFFD')) return this.issue(column, value, 'cell.not_utf8');
    if ([...value].length > maxLength) return this.issue(column, value, 'cell.too_long', { max: maxLength });
    return value;
  }

  uscc(column: string, required = true): string | null {
    const raw = this.raw(column);
    if (raw === '') return required ? this.issue(column, null, 'cell.required') : null;
    const value = normaliseUscc(raw);
    return isUsccShaped(value) ? value : this.issue(column, raw, 'uscc.bad_shape');
  }

  number106(column: string, kind: 'prefix' | 'number'): string | null {
    const raw = this.raw(column);
    if (raw === '') return this.issue(column, null, 'cell.required');
    const parsed = parse106(raw, kind);
    return parsed.ok ? parsed.value : this.issue(column, raw, parsed.code);
  }

  date(column: string, required: boolean): string | null {
    const raw = this.raw(column);
    if (raw === '') return required ? this.issue(column, null, 'cell.required') : null;
    const parsed = parseDate(raw);
    return parsed.ok ? parsed.value : this.issue(column, raw, parsed.code);
  }

  timestamp(column: string, required: boolean): Date | null {
    const raw = this.raw(column);
    if (raw === '') return required ? this.issue(column, null, 'cell.required') : null;
    const parsed = parseTimestamp(raw);
    if (!parsed.ok) return this.issue(column, raw, parsed.code);
    // Stored as DATETIME, which keeps whole seconds: drop the rest now so keys built from it match later.
    return new Date(Math.floor(parsed.value.getTime() / 1000) * 1000);
  }
}

/** Splits a cell listing several values (`a|b|c`), trimmed, empty parts dropped. */
export function splitList(value: string): string[] {
  return value
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
