// Database access for the Auth service: one pooled client per request, explicit transactions,
// and timestamps kept as Postgres wrote them (microseconds), which JS Dates would truncate.
import pg from 'pg';

export type Db = pg.PoolClient;

const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;

/**
 * Turns Postgres' text form of a timestamp ("2024-05-01 12:00:00.123456+02", or without an
 * offset for `timestamp`, which GoTrue fills with UTC) into the RFC 3339 form GoTrue's JSON uses
 * ("2024-05-01T10:00:00.123456Z"), keeping the sub-second digits.
 */
export function toRfc3339(pgText: string): string {
  const match = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2}(?::?\d{2}){0,2})?$/.exec(pgText);
  if (!match) return pgText;
  const [, date, time, fraction = '', offset = '+00'] = match;
  const offsetParts = offset.slice(1).split(':');
  const isoOffset = `${offset[0]}${(offsetParts[0] ?? '00').padStart(2, '0')}:${(offsetParts[1] ?? '00').padStart(2, '0')}`;
  const utc = new Date(`${date}T${time}${isoOffset}`);
  if (Number.isNaN(utc.getTime())) return pgText;
  const wholeSeconds = utc.toISOString().slice(0, 19);
  const trimmedFraction = fraction.replace(/0+$/, '');
  return `${wholeSeconds}${trimmedFraction === '.' ? '' : trimmedFraction}Z`;
}

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === TIMESTAMPTZ_OID || oid === TIMESTAMP_OID) return (value: string) => toRfc3339(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export async function query<Row extends pg.QueryResultRow = Record<string, unknown>>(
  db: Db,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const result = await db.query<Row>({ text, values, types: typeParsers });
  return result.rows;
}

export async function queryOne<Row extends pg.QueryResultRow = Record<string, unknown>>(
  db: Db,
  text: string,
  values: unknown[] = [],
): Promise<Row | undefined> {
  const rows = await query<Row>(db, text, values);
  return rows[0];
}

/** Runs `work` with a pooled connection, outside any transaction. */
export async function withConnection<T>(pool: pg.Pool, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  try {
    return await work(db);
  } finally {
    db.release();
  }
}

/**
 * Error that still commits the transaction it is thrown from: GoTrue revokes a refresh token
 * family and then answers 400, and the revocation must survive the error.
 */
export class CommitThenThrow extends Error {
  constructor(readonly inner: unknown) {
    super('commit then throw');
  }
}

export async function withTransaction<T>(pool: pg.Pool, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  let broken = false;
  try {
    await db.query('begin');
    try {
      const result = await work(db);
      await db.query('commit');
      return result;
    } catch (error) {
      if (error instanceof CommitThenThrow) {
        await db.query('commit');
        throw error.inner;
      }
      await db.query('rollback').catch(() => {
        broken = true;
      });
      throw error;
    }
  } finally {
    // A connection whose rollback failed is in an unknown state; do not hand it to the next request.
    db.release(broken ? true : undefined);
  }
}
