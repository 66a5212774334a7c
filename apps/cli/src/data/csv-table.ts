import { CliError } from '../cli-error.js';

/** A CSV file as a header row and data rows of strings. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Parses comma-separated text with a header row (RFC 4180: quoted fields may hold commas,
 * newlines and doubled quotes). Blank lines are skipped.
 *
 * @example
 * const { header, rows } = parseCsv('date,births\n1969-01-01,8486\n');
 */
export function parseCsv(text: string, source: string): CsvTable {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const endRecord = (): void => {
    if (fieldStarted || record.length > 0) {
      record.push(field);
      records.push(record);
    }
    record = [];
    field = '';
    fieldStarted = false;
  };
  for (let k = 0; k < text.length; k++) {
    const character = text[k];
    if (quoted) {
      if (character === '"' && text[k + 1] === '"') {
        field += '"';
        k++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') {
      quoted = true;
      fieldStarted = true;
    } else if (character === ',') {
      record.push(field);
      field = '';
      fieldStarted = true;
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[k + 1] === '\n') k++;
      endRecord();
    } else {
      field += character;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CliError(`${source}: a quoted field is not closed before the end of the file.`);
  endRecord();
  if (records.length === 0) throw new CliError(`${source} is empty: expected a header row and data rows.`);
  return { header: records[0].map((name) => name.trim()), rows: records.slice(1) };
}

/** The numbers of one column, by header name or 0-based index; a bad cell names its row. */
export function numericColumn(table: CsvTable, column: string, source: string): Float64Array {
  let index = table.header.indexOf(column);
  if (index < 0 && /^\d+$/.test(column)) index = Number(column);
  if (index < 0 || index >= table.header.length) {
    throw new CliError(`${source} has no column '${column}'. Its columns: ${table.header.join(', ')}.`);
  }
  const values = new Float64Array(table.rows.length);
  table.rows.forEach((row, k) => {
    const cell = (row[index] ?? '').trim();
    const value = cell === '' ? Number.NaN : Number(cell);
    if (!Number.isFinite(value)) {
      throw new CliError(
        `${source}, row ${k + 2}: column '${table.header[index]}' holds ${JSON.stringify(cell)}, not a number. Clean or fill the data first.`,
      );
    }
    values[k] = value;
  });
  return values;
}
