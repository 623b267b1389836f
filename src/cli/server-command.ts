import { isAppError } from '../core/errors/index.js';
import type { ServerFlags } from './args.js';
import { CliError } from './errors.js';

/**
 * `pitwall server`: starts the server and returns once it listens; the open socket keeps the process alive and the
 * server handles SIGTERM/SIGINT itself. Imported lazily so other commands never load the server's dependencies.
 */
export async function serverCommand(flags: ServerFlags): Promise<void> {
  const { startServer } = await import('../server.js');
  try {
    await startServer(flags);
  } catch (e) {
    throw toCliError(e, flags);
  }
}

/** Expected start-up failures (bad config, port taken) become one-line messages; anything else stays a crash. */
export function toCliError(e: unknown, flags: ServerFlags): unknown {
  const err = e as { name?: string; code?: unknown; message?: string; address?: string; port?: number };
  if (isAppError(e)) return new CliError(e.message);
  const where = `${err?.address ?? flags.server?.host ?? '127.0.0.1'}:${err?.port ?? flags.server?.port ?? 5000}`;
  if (err?.code === 'EADDRINUSE') return new CliError(`cannot listen on ${where}: the address is already in use (another pitwall server?)`);
  if (err?.code === 'EACCES') return new CliError(`cannot listen on ${where}: permission denied`);
  if (err?.code === 'EADDRNOTAVAIL') return new CliError(`cannot listen on ${where}: no such address on this machine`);
  return e;
}
