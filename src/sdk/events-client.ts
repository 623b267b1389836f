import type { Transport } from './transport.js';

/** A committed change as `/api/v1/events` sends it. */
export interface ChangeEvent {
  entity: 'registered_model' | 'model_version' | 'alias' | 'approval' | 'deployment' | 'resync';
  action: string;
  name?: string;
  new_name?: string;
  version?: string;
  alias?: string;
  /** Publish time, ms since the epoch. */
  at: number;
  /** The server process that made the change. */
  origin: string;
}

/** One Server-Sent Event: its `event:` name and `data:` text. */
export interface SseMessage {
  event: string;
  data: string;
}

/** Splits a text/event-stream body into messages (comments and `retry:` lines skipped), as EventSource does. */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buf = '';
  let event = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.search(/\r?\n/)) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + (buf[nl] === '\r' ? 2 : 1));
        if (line === '') {
          if (data.length > 0 || event) yield { event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
        } else if (line.startsWith(':')) {
          continue;
        } else {
          const i = line.indexOf(':');
          const field = i < 0 ? line : line.slice(0, i);
          const val = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
          if (field === 'event') event = val;
          else if (field === 'data') data.push(val);
        }
      }
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => undefined);
  }
}

/** Live changes from the server (and every replica on its store). */
export class EventsClient {
  constructor(private readonly transport: Transport) {}

  /**
   * Opens the stream and resolves once the server has subscribed it, so no change made after this resolves is
   * missed; `events` then yields each change until `signal` aborts or the caller stops iterating.
   */
  async open(opts: { entities?: ChangeEvent['entity'][]; signal?: AbortSignal } = {}): Promise<{ events: AsyncGenerator<ChangeEvent> }> {
    const res = await this.transport.raw('GET', '/api/v1/events', {
      query: opts.entities?.length ? { entities: opts.entities.join(',') } : undefined,
      signal: opts.signal,
    });
    if (!res.body) throw new Error('the events stream has no body');
    const messages = parseSse(res.body);
    for (;;) {
      const first = await messages.next();
      if (first.done) throw new Error('the events stream ended before it was ready');
      if (first.value.event === 'ready') break;
    }
    async function* events(): AsyncGenerator<ChangeEvent> {
      for await (const m of messages) {
        if (m.event === 'ready' || m.event === 'message') continue;
        yield JSON.parse(m.data) as ChangeEvent;
      }
    }
    return { events: events() };
  }
}
