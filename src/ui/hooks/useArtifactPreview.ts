import { useEffect, useState } from 'react';
import { client } from '../client.js';
import {
  CSV_ROWS,
  extensionOf,
  headText,
  looksLikeText,
  parseCsv,
  prettyJson,
  previewKind,
  PREVIEW_BYTES,
  readHead,
  type CsvTable,
} from '../artifact-preview.js';

export type Preview =
  | { readonly kind: 'text'; readonly text: string; readonly truncated: boolean; readonly bytesRead: number }
  | { readonly kind: 'csv'; readonly table: CsvTable; readonly truncated: boolean }
  | { readonly kind: 'json'; readonly text: string }
  | { readonly kind: 'image' }
  | { readonly kind: 'binary' };

export interface PreviewState {
  readonly preview: Preview | undefined;
  readonly error: unknown;
  readonly loading: boolean;
}

/** What to show for a file, reading at most its first PREVIEW_BYTES; images and binaries are not fetched at all. */
async function loadPreview(storePath: string, signal: AbortSignal): Promise<Preview> {
  const kind = previewKind(storePath);
  if (kind === 'image') return { kind: 'image' };
  if (kind === 'binary') return { kind: 'binary' };
  const download = await client.artifacts.download(storePath, { signal });
  const head = await readHead(download.body, PREVIEW_BYTES);
  if (kind === 'unknown' && !looksLikeText(head.bytes.subarray(0, 8192))) return { kind: 'binary' };
  const text = headText(head);
  if (kind === 'csv') {
    const table = parseCsv(text, { delimiter: extensionOf(storePath) === 'tsv' ? '\t' : ',', maxRows: CSV_ROWS, complete: !head.truncated });
    return { kind: 'csv', table, truncated: head.truncated };
  }
  if (kind === 'json' && !head.truncated) {
    const pretty = prettyJson(text);
    if (pretty !== null) return { kind: 'json', text: pretty };
  }
  return { kind: 'text', text, truncated: head.truncated, bytesRead: head.bytes.length };
}

/**
 * The preview of the artifact at `storePath` (none while undefined). Switching files aborts the previous download,
 * so clicking through large files never leaves streams running.
 */
export function useArtifactPreview(storePath: string | undefined): PreviewState {
  const [state, setState] = useState<PreviewState>({ preview: undefined, error: undefined, loading: false });
  useEffect(() => {
    if (storePath === undefined) {
      setState({ preview: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    setState({ preview: undefined, error: undefined, loading: true });
    loadPreview(storePath, controller.signal).then(
      (preview) => {
        if (!controller.signal.aborted) setState({ preview, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ preview: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [storePath]);
  return state;
}
