import { formatBytes, IMAGE_MAX_BYTES, PREVIEW_BYTES } from '../artifact-preview.js';
import { client } from '../client.js';
import { useArtifactPreview } from '../hooks/useArtifactPreview.js';
import { ErrorMessage } from './ErrorMessage.js';
import { Spinner } from './Spinner.js';

interface Props {
  /** Path relative to the run's artifact root (shown). */
  readonly path: string;
  /** Path inside the artifact store (fetched). */
  readonly storePath: string;
  /** Bytes, when the listing said. */
  readonly size: number | undefined;
}

/**
 * A file's preview: text (first 64 KiB), CSV as a table (first 100 rows), JSON pretty-printed, images inline;
 * anything else gets a download link with its size.
 */
export function ArtifactPreview({ path, storePath, size }: Props) {
  const { preview, error, loading } = useArtifactPreview(storePath);
  const url = client.artifacts.url(storePath);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const download = (
    <a href={url} download={name} data-testid="artifact-download">
      Download{size !== undefined ? ` (${formatBytes(size)})` : ''}
    </a>
  );
  let body;
  if (error !== undefined) body = <ErrorMessage error={error} testId="preview-error" />;
  else if (loading || !preview) body = <Spinner label="Loading preview…" />;
  else if (preview.kind === 'image') {
    body =
      size !== undefined && size > IMAGE_MAX_BYTES ? (
        <p className="muted">This image is {formatBytes(size)}, too large to show here. {download}</p>
      ) : (
        <div className="preview-image">
          <img src={url} alt={name} data-testid="preview-image" />
        </div>
      );
  } else if (preview.kind === 'binary') {
    body = (
      <p className="preview-binary" data-testid="preview-binary">
        No preview for this kind of file. {download}
      </p>
    );
  } else if (preview.kind === 'json') {
    body = (
      <pre className="preview-text" data-testid="preview-json">
        {preview.text}
      </pre>
    );
  } else if (preview.kind === 'text') {
    body = (
      <>
        {preview.text === '' ? (
          <p className="muted">Empty file.</p>
        ) : (
          <pre className="preview-text" data-testid="preview-text">
            {preview.text}
          </pre>
        )}
        {preview.truncated && <p className="preview-note">Showing the first {formatBytes(PREVIEW_BYTES)}{size !== undefined ? ` of ${formatBytes(size)}` : ''}.</p>}
      </>
    );
  } else {
    const t = preview.table;
    body = (
      <>
        <div className="table-scroll preview-csv">
          <table className="table" data-testid="preview-csv">
            <thead>
              <tr>
                <th className="num muted">#</th>
                {t.header.map((h, i) => (
                  <th key={i}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((r, i) => (
                <tr key={i} data-testid="csv-row">
                  <td className="num muted">{i + 1}</td>
                  {r.map((c, j) => (
                    <td key={j}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="preview-note">
          {t.rows.length} row{t.rows.length === 1 ? '' : 's'}
          {t.more ? ` shown — the first ${t.rows.length === 0 ? 0 : t.rows.length} of a longer file` : ''}.
        </p>
      </>
    );
  }
  return (
    <div className="preview" data-testid="artifact-preview" data-path={path}>
      <div className="preview-head">
        <span className="mono break">{path}</span>
        {size !== undefined && <span className="muted">{formatBytes(size)}</span>}
        <span className="preview-download">{download}</span>
      </div>
      {body}
    </div>
  );
}
