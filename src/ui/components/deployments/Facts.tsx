import type { ReactNode } from 'react';

/** One labelled value; the test id goes on the value. */
export type Fact = [label: string, value: ReactNode, testId?: string];

/** Labelled values side by side, wrapping: a target's facts and counters. */
export function Facts({ items, testId }: { items: Fact[]; testId: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {items.map(([k, v, id]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd data-testid={id}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
