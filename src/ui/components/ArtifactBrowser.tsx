import { useCallback, useRef, useState } from 'react';
import type { ArtifactFile } from '../../sdk/registry-types.js';
import { storePathOf, joinArtifactPath } from '../../sdk/artifact-client.js';
import { ancestorsOf } from '../artifact-preview.js';
import { client } from '../client.js';
import { useAsync } from '../hooks/useAsync.js';
import { ArtifactPreview } from './ArtifactPreview.js';
import { ArtifactTree } from './ArtifactTree.js';
import { ErrorMessage } from './ErrorMessage.js';
import { Spinner } from './Spinner.js';

interface Props {
  readonly runId: string;
  /** The selected file, relative to the run's artifact root (kept in the URL by the owner). */
  readonly selected: string | undefined;
  readonly onSelect: (path: string) => void;
}

/** A run's artifacts: an expandable tree on the left, a preview of the selected file on the right. */
export function ArtifactBrowser({ runId, selected, onSelect }: Props) {
  const root = useAsync(() => client.artifacts.listRun(runId), [runId]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(selected ? ancestorsOf(selected) : []));
  const sizes = useRef(new Map<string, number | undefined>());
  const [, bump] = useState(0);

  const onListed = useCallback(
    (files: readonly ArtifactFile[]) => {
      let hit = false;
      for (const f of files) {
        if (!f.isDir) sizes.current.set(f.path, f.fileSize);
        if (f.path === selected) hit = true;
      }
      if (hit) bump((n) => n + 1);
    },
    [selected],
  );
  const onToggle = useCallback(
    (dir: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (next.has(dir)) next.delete(dir);
        else next.add(dir);
        return next;
      }),
    [],
  );

  if (root.error !== undefined) return <ErrorMessage error={root.error} testId="artifacts-error" onRetry={root.reload} />;
  if (!root.data) return <Spinner label="Listing artifacts…" />;
  const files = root.data.files;
  for (const f of files) if (!f.isDir) sizes.current.set(f.path, f.fileSize);
  if (files.length === 0) {
    return (
      <p className="empty" data-testid="artifacts-empty">
        No artifacts logged. Log files with <span className="mono">mlflow.log_artifact("plot.png")</span> or upload them to{' '}
        <span className="mono">{root.data.rootUri}</span>.
      </p>
    );
  }
  let base: string | undefined;
  let baseError: unknown;
  try {
    base = storePathOf(root.data.rootUri);
  } catch (e) {
    baseError = e;
  }
  return (
    <div className="artifact-browser" data-testid="artifact-browser">
      <nav className="artifact-tree">
        <ArtifactTree
          files={files}
          depth={0}
          runId={runId}
          selected={selected}
          expanded={expanded}
          onToggle={onToggle}
          onSelect={(f) => onSelect(f.path)}
          onListed={onListed}
        />
      </nav>
      <div className="artifact-pane">
        {baseError !== undefined ? (
          <ErrorMessage error={baseError} testId="preview-error" />
        ) : selected && base !== undefined ? (
          <ArtifactPreview key={selected} path={selected} storePath={joinArtifactPath(base, selected)} size={sizes.current.get(selected)} />
        ) : (
          <p className="muted preview-hint">Select a file to preview it.</p>
        )}
      </div>
    </div>
  );
}
