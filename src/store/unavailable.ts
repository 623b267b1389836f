import { AppError } from '../core/errors/index.js';

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'nothing is listening there — is PostgreSQL running, and on this host and port?',
  ENOTFOUND: 'that host name does not resolve',
  EAI_AGAIN: 'that host name could not be resolved right now (DNS)',
  ETIMEDOUT: 'the connection timed out (a firewall, or the wrong host?)',
  EHOSTUNREACH: 'that host cannot be reached from here',
  ECONNRESET: 'the server closed the connection',
};

const SQLSTATE: Record<string, string> = {
  '3D000': 'that database does not exist — create it first (`createdb <name>`, or CREATE DATABASE as an admin)',
  '28P01': 'the password was refused',
  '28000': 'the server refused this user from this host (check pg_hba.conf and the user name)',
  '53300': 'the server has no connection slots left (max_connections): lower PITWALL_PG_POOL_SIZE or the number of replicas, or raise max_connections',
  '57P01': 'the server was shut down by an administrator',
  '57P02': 'the server crashed and is restarting',
  '57P03': 'the server is starting up or shutting down and does not take connections yet',
  '08000': 'the connection failed',
  '08001': 'a connection could not be established',
  '08003': 'the connection no longer exists',
  '08004': 'the server rejected the connection',
  '08006': 'the connection failed',
  '42501': 'this user lacks a privilege it needs (it must be able to create tables in the database)',
};

/**
 * Says in plain words why the metadata database could not be used, when the cause is the database being
 * unreachable or refusing us (not a bad request): used at start-up, by `pitwall doctor`, and to answer 503 instead
 * of 500 while the database is down. Undefined for any other error.
 */
export function explainStoreError(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && NETWORK[code]) return NETWORK[code];
    if (code && SQLSTATE[code]) return SQLSTATE[code];
    if (Array.isArray(e.errors) && e.errors.length > 0) return explainStoreError(e.errors[0]);
    const msg = typeof e.message === 'string' ? e.message : '';
    if (/timeout exceeded when trying to connect/i.test(msg)) {
      return 'no database connection became free within 10 s (the database is unreachable or overloaded, or PITWALL_PG_POOL_SIZE is too small for this load)';
    }
    if (/Connection terminated|connection timeout/i.test(msg)) return 'the connection to the database was lost or timed out';
    if (/does not support SSL|SSL/i.test(msg) && /SSL/.test(msg)) return `an SSL problem: ${msg} (set sslmode in the URI to match the server)`;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** The 503 a request gets while the database is down: the client may retry; nothing was half-written. */
export function storeUnavailable(err: unknown): AppError | undefined {
  const why = explainStoreError(err);
  if (!why) return undefined;
  return new AppError('TEMPORARILY_UNAVAILABLE', `The metadata database is unavailable: ${why}. Retry shortly.`, { cause: err });
}

/**
 * Input the database refused that validation did not catch (a value longer than its column, on PostgreSQL, which
 * enforces widths SQLite ignores): a 400, never a 500.
 */
export function storeRejectedInput(err: unknown): AppError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === '22001') return new AppError('INVALID_PARAMETER_VALUE', 'A value is longer than the store allows for that field', { cause: err });
  return undefined;
}
