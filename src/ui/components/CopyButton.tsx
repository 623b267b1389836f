import { useEffect, useState } from 'react';

/** Copies through the Clipboard API where the page may use it (HTTPS, localhost), else through a selected textarea. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    if (!document.execCommand('copy')) throw new Error('copy refused');
  } finally {
    area.remove();
  }
}

/** A small "Copy" button that says "Copied" (or "Copy failed") for a moment after a click. */
export function CopyButton({ text, label = 'Copy', testId = 'copy-button' }: { text: string; label?: string; testId?: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | undefined>(undefined);
  useEffect(() => {
    if (!done) return;
    const t = setTimeout(() => setDone(undefined), 1500);
    return () => clearTimeout(t);
  }, [done]);
  return (
    <button
      type="button"
      className="button button-small"
      data-testid={testId}
      title={`Copy ${text}`}
      onClick={() => copyText(text).then(() => setDone('copied'), () => setDone('failed'))}
    >
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
