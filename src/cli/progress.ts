import { formatBytes, formatDuration } from './format.js';
import type { CliIo } from './io.js';

/** Keeps the end of `s` (the file name) within `max` characters. */
const tail = (s: string, max: number): string => (s.length <= max ? s : `…${s.slice(s.length - Math.max(0, max - 1))}`);

/** One progress line: `label  [#####-----]  45%  12.3 MB / 27.0 MB  4.5 MB/s`, fitted to `width` cells. */
export function formatProgress(label: string, done: number, total: number, elapsedMs: number, width = 80): string {
  const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const stats = `${String(pct).padStart(3)}%  ${formatBytes(done).padStart(7)} / ${formatBytes(total)}  ${formatBytes(rate).padStart(7)}/s`;
  const room = width - stats.length - 6; // two gaps of two spaces and the brackets
  if (room < 18) return `${tail(label, Math.max(8, width - stats.length - 2))}  ${stats}`;
  const name = tail(label, room - 10);
  const barWidth = Math.min(30, room - name.length);
  const filled = Math.round((pct / 100) * barWidth);
  return `${name}  [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]  ${stats}`;
}

export interface Progress {
  update(done: number, total: number): void;
  /** Ends the display: a TTY line is replaced by the final one. */
  finish(): void;
}

/**
 * A progress display on `io.progress`: on a terminal one line redrawn at most every 100 ms; elsewhere a plain line
 * every 10 s (so logs of long uploads show life, short ones stay quiet); nothing when `io.progress` is absent.
 */
export function startProgress(io: CliIo, label: string): Progress {
  const p = io.progress;
  const clock = io.now ?? Date.now;
  const t0 = clock();
  let last = -Infinity;
  let state = { done: 0, total: 0 };
  let drawn = false;
  const line = () => formatProgress(label, state.done, state.total, clock() - t0, Math.max(40, (p?.columns || 80) - 1));
  return {
    update(done, total) {
      state = { done, total };
      if (!p) return;
      const now = clock();
      if (now - last < (p.tty ? 100 : 10_000)) return;
      last = now;
      if (p.tty) {
        p.write(`\r${line()}\u001b[K`);
        drawn = true;
      } else if (now - t0 >= 10_000) {
        p.write(`${line()}\n`);
      }
    },
    finish() {
      if (p?.tty && drawn) p.write(`\r${line()}\u001b[K\n`);
    },
  };
}

const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Spinner {
  /** What is happening now (`titanic: loading titanic@champion`). */
  update(text: string): void;
  /** Ends the display: a TTY line is erased (the command prints the outcome itself). */
  finish(): void;
}

/**
 * A spinner for waits of unknown length on `io.progress`: on a terminal `⠋ <text>  4.2s`, redrawn every 100 ms;
 * elsewhere a plain line every 10 s once the wait passes 10 s; nothing when `io.progress` is absent.
 */
export function startSpinner(io: CliIo, text: string): Spinner {
  const p = io.progress;
  const clock = io.now ?? Date.now;
  const t0 = clock();
  let current = text;
  let frame = 0;
  let lastLine = t0;
  const elapsed = () => formatDuration(clock() - t0);
  const draw = () => {
    if (!p?.tty) return;
    const line = `${SPINNER_FRAMES[frame++ % SPINNER_FRAMES.length]} ${current}  ${elapsed()}`;
    p.write(`\r${line.slice(0, Math.max(20, (p.columns || 80) - 1))}\u001b[K`);
  };
  const timer = p?.tty ? setInterval(draw, 100) : undefined;
  timer?.unref();
  draw();
  return {
    update(t) {
      current = t;
      if (!p || p.tty) return;
      const now = clock();
      if (now - lastLine >= 10_000) {
        lastLine = now;
        p.write(`${current} (${elapsed()})\n`);
      }
    },
    finish() {
      if (timer !== undefined) clearInterval(timer);
      if (p?.tty) p.write('\r\u001b[K');
    },
  };
}
