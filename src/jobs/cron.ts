import cronParser from 'cron-parser';
import { invalidJobOption } from './errors.js';

/**
 * Cron expressions through cron-parser 4.9, the parser pg-boss uses: five fields (minute hour day month weekday) or
 * six with seconds first, names (`MON`, `JAN`), ranges, steps, and `@hourly`-style aliases.
 */

/** How late a slot may be and still enqueue (pg-boss's rule): after a longer outage only later slots run. */
export const CRON_GRACE_MS = 60_000;

export function validateCron(expr: unknown, tz = 'UTC'): string {
  if (typeof expr !== 'string' || expr.trim() === '' || expr.length > 255) throw invalidJobOption('cron must be a cron expression such as "*/5 * * * *"', 'cron');
  const fields = expr.trim().split(/\s+/);
  if (!expr.trim().startsWith('@') && (fields.length < 5 || fields.length > 6)) {
    throw invalidJobOption(`cron '${expr}' must have five fields (minute hour day month weekday) or six (seconds first)`, 'cron');
  }
  try {
    cronParser.parseExpression(expr, { tz }).next();
  } catch (e) {
    throw invalidJobOption(`Invalid cron expression '${expr}': ${(e as Error).message}`, 'cron');
  }
  return expr.trim();
}

/** The latest slot at or before `nowMs` (epoch ms). */
export function latestSlot(expr: string, tz: string, nowMs: number): number {
  return cronParser.parseExpression(expr, { tz, currentDate: new Date(nowMs + 1) }).prev().getTime();
}

/** The first slot after `nowMs`. */
export function nextSlot(expr: string, tz: string, nowMs: number): number {
  return cronParser.parseExpression(expr, { tz, currentDate: new Date(nowMs) }).next().getTime();
}

/**
 * The slot to run now, or null: the latest slot at or before `nowMs` when it is newer than `lastSlot` and less than
 * `CRON_GRACE_MS` old.
 */
export function dueSlot(expr: string, tz: string, nowMs: number, lastSlot: number | null): number | null {
  const slot = latestSlot(expr, tz, nowMs);
  if (nowMs - slot >= CRON_GRACE_MS) return null;
  if (lastSlot !== null && slot <= lastSlot) return null;
  return slot;
}
