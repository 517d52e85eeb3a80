// CSV in and out: RFC 4180 quoting, a byte-order mark so that spreadsheet programs read UTF-8
// (ä, ö, å) correctly, and protection against formula injection when an export is opened in a
// spreadsheet (a cell starting with = + - @ is run as a formula otherwise).

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

function quoteCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  let text = String(cell);
  // Numbers are data, never formulas; only free text gets the apostrophe guard.
  if (typeof cell === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document (CRLF line ends, as RFC 4180 says) with a UTF-8 byte-order mark. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(quoteCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The response headers of a CSV download named `filename` (ASCII only). */
export function csvHeaders(filename: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff'
  };
}

export interface ParsedCsv {
  /** Rows of cells; `line` is the 1-based line of the file where the row starts. */
  rows: { line: number; cells: string[] }[];
  /** Set when the text is not valid CSV (an unterminated quote). */
  error: { line: number } | null;
}

/**
 * Parses CSV as organisations export it: comma or semicolon separated (Finnish Excel uses the
 * semicolon; the header row decides), quoted cells with "" escapes and line breaks, CRLF or LF,
 * an optional byte-order mark. Blank lines are skipped.
 */
export function parseCsv(text: string): ParsedCsv {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstLineEnd = source.search(/\r?\n/);
  const firstLine = firstLineEnd === -1 ? source : source.slice(0, firstLineEnd);
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';

  const rows: ParsedCsv['rows'] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteOpenedOn = 0;
  const endRow = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };

  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
      quoteOpenedOn = line;
    } else if (char === separator) {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      cell += char;
    }
  }
  if (quoted) return { rows, error: { line: quoteOpenedOn } };
  if (cell !== '' || cells.length > 0) endRow();
  return { rows, error: null };
}
