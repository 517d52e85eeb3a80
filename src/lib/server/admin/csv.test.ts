import { describe, expect, it } from 'vitest';
import { csvHeaders, parseCsv, toCsv } from './csv';

describe('toCsv', () => {
  it('quotes separators, quotes and line breaks, and keeps Finnish letters with a byte-order mark', () => {
    const text = toCsv(['name', 'note'], [['Turvakoti "Kaisla"', 'a,b'], ['Ähtäri', 'one\ntwo'], ['x', null]]);
    expect(text).toBe('\uFEFFname,note\r\n"Turvakoti ""Kaisla""","a,b"\r\nÄhtäri,"one\ntwo"\r\nx,\r\n');
  });

  it('defuses text that a spreadsheet would run as a formula, but leaves negative numbers alone', () => {
    const text = toCsv(['a', 'b', 'c'], [['=HYPERLINK("http://x")', '@SUM(A1)', -3]]);
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(text).toContain("'@SUM(A1)");
    expect(text.trim().endsWith(',-3')).toBe(true);
  });

  it('reads back what it writes', () => {
    const rows = [['a;b', 'c "d"', 'e\r\nf'], ['', 'g', 'h']];
    const parsed = parseCsv(toCsv(['x', 'y', 'z'], rows));
    expect(parsed.error).toBeNull();
    expect(parsed.rows.map((row) => row.cells)).toEqual([['x', 'y', 'z'], ...rows]);
  });
});

describe('parseCsv', () => {
  it('detects semicolons (Finnish spreadsheets) and numbers rows by the line they start on', () => {
    const parsed = parseCsv('name;kind\n\n"Koti\nA";shelter\nB;shelter\n');
    expect(parsed.rows).toEqual([
      { line: 1, cells: ['name', 'kind'] },
      { line: 3, cells: ['Koti\nA', 'shelter'] },
      { line: 5, cells: ['B', 'shelter'] }
    ]);
  });

  it('reports an unterminated quote with the line where it opened', () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n').error).toEqual({ line: 2 });
  });
});

describe('csvHeaders', () => {
  it('makes the response a download with a safe file name', () => {
    const headers = csvHeaders('audit 2026/11.csv');
    expect(headers['content-disposition']).toBe('attachment; filename="audit_2026_11.csv"');
    expect(headers['content-type']).toBe('text/csv; charset=utf-8');
  });
});
