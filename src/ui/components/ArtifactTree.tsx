import type { ArtifactFile } from '../../sdk/registry-types.js';
import { formatBytes, sortArtifacts } from '../artifact-preview.js';
import { client } from '../client.js';
import { useAsync } from '../hooks/useAsync.js';
import { ErrorMessage } from './ErrorMessage.js';
import { Spinner } from './Spinner.js';

export interface TreeProps {
  readonly runId: string;
  readonly selected: string | undefined;
  readonly expanded: ReadonlySet<string>;
  readonly onToggle: (dir: string) => void;
  readonly onSelect: (file: ArtifactFile) => void;
  /** Reports each listing, so the owner knows the size of a file selected from the URL. */
  readonly onListed: (files: readonly ArtifactFile[]) => void;
}

/** One level of a run's artifact tree; directories list their children when expanded (one request per directory). */
export function ArtifactTree({ files, depth, ...props }: TreeProps & { files: readonly ArtifactFile[]; depth: number }) {
  return (
    <ul className="tree" role={depth === 0 ? 'tree' : 'group'} aria-label={depth === 0 ? 'Artifacts' : undefined}>
      {sortArtifacts(files).map((f) => (f.isDir ? <DirEntry key={f.path} file={f} depth={depth} {...props} /> : <FileEntry key={f.path} file={f} depth={depth} {...props} />))}
    </ul>
  );
}

const indent = (depth: number) => ({ paddingLeft: 8 + depth * 16 });

function FileEntry({ file, depth, selected, onSelect }: TreeProps & { file: ArtifactFile; depth: number }) {
  const active = selected === file.path;
  return (
    <li role="treeitem" aria-selected={active}>
      <button
        type="button"
        className={active ? 'tree-item selected' : 'tree-item'}
        style={indent(depth)}
        onClick={() => onSelect(file)}
        data-testid="artifact-file"
        data-path={file.path}
      >
        <span className="tree-icon" aria-hidden="true">
          ▫
        </span>
        <span className="tree-name">{file.name}</span>
        <span className="tree-size">{file.fileSize === undefined ? '' : formatBytes(file.fileSize)}</span>
      </button>
    </li>
  );
}

function DirEntry({ file, depth, ...props }: TreeProps & { file: ArtifactFile; depth: number }) {
  const open = props.expanded.has(file.path);
  return (
    <li role="treeitem" aria-expanded={open} aria-selected={false}>
      <button
        type="button"
        className="tree-item tree-dir"
        style={indent(depth)}
        onClick={() => props.onToggle(file.path)}
        data-testid="artifact-dir"
        data-path={file.path}
      >
        <span className="tree-icon" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="tree-name">{file.name}/</span>
      </button>
      {open && <DirChildren dir={file.path} depth={depth + 1} {...props} />}
    </li>
  );
}

function DirChildren({ dir, depth, ...props }: TreeProps & { dir: string; depth: number }) {
  const listing = useAsync(async () => {
    const res = await client.artifacts.listRun(props.runId, dir);
    props.onListed(res.files);
    return res.files;
  }, [props.runId, dir]);
  if (listing.error !== undefined) {
    return (
      <div style={indent(depth)}>
        <ErrorMessage error={listing.error} onRetry={listing.reload} />
      </div>
    );
  }
  if (!listing.data) {
    return (
      <div className="tree-loading" style={indent(depth)}>
        <Spinner inline label="Listing…" />
      </div>
    );
  }
  if (listing.data.length === 0) {
    return (
      <div className="muted small" style={indent(depth + 1)}>
        empty
      </div>
    );
  }
  return <ArtifactTree files={listing.data} depth={depth} {...props} />;
}
