import type { ModelManifest } from '../../sdk/registry-types.js';
import { formatBytes } from '../artifact-preview.js';
import { formatCount, shortSha } from '../model-format.js';
import { SignatureTable } from './SignatureTable.js';

type Gguf = NonNullable<ModelManifest['gguf']>;
type Onnx = NonNullable<ModelManifest['onnx']>;

/** What the registry read from a version's files: flavor, signature, format facts (ONNX, GGUF) and the file list. */
export function ManifestSection({ manifest }: { manifest: ModelManifest | null }) {
  if (!manifest) {
    return (
      <section className="card" data-testid="manifest">
        <h2>Model files</h2>
        <p className="muted">The registry could not read this version's files (no manifest).</p>
      </section>
    );
  }
  const totalBytes = manifest.files.reduce((s, f) => s + f.size, 0);
  return (
    <section className="card" data-testid="manifest">
      <div className="card-head">
        <h2>
          Model files <span className="flavor" data-testid="flavor">{manifest.flavor}</span>
        </h2>
        {manifest.modelFile && (
          <span className="muted small">
            read from <span className="mono">{manifest.modelFile}</span>
          </span>
        )}
      </div>
      {manifest.onnx && <OnnxFacts onnx={manifest.onnx} />}
      {manifest.gguf && <GgufFacts gguf={manifest.gguf} />}
      {manifest.signature ? (
        <>
          <h3 className="subhead">Signature</h3>
          <SignatureTable inputs={manifest.signature.inputs} outputs={manifest.signature.outputs} />
        </>
      ) : (
        manifest.flavor !== 'gguf' && <p className="muted">No signature.</p>
      )}
      {manifest.inputExample !== undefined && (
        <details className="details">
          <summary>Input example</summary>
          <pre className="code-block">{JSON.stringify(manifest.inputExample, null, 2)}</pre>
        </details>
      )}
      <h3 className="subhead">
        Files <span className="muted">({manifest.files.length}, {formatBytes(totalBytes)})</span>
      </h3>
      <div className="table-scroll">
        <table className="table" data-testid="files-table">
          <thead>
            <tr>
              <th>Path</th>
              <th className="num">Size</th>
              <th>SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {manifest.files.map((f) => (
              <tr key={f.path} data-testid="file-row">
                <td className="mono break">{f.path}</td>
                <td className="num nowrap" title={`${f.size.toLocaleString('en-US')} bytes`}>
                  {formatBytes(f.size)}
                </td>
                <td className="mono" title={f.sha256}>
                  {shortSha(f.sha256)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Facts({ items, testId }: { items: [string, string | undefined][]; testId: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {items
        .filter((i): i is [string, string] => i[1] !== undefined && i[1] !== '')
        .map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

function OnnxFacts({ onnx }: { onnx: Onnx }) {
  return (
    <Facts
      testId="onnx-facts"
      items={[
        ['IR version', String(onnx.irVersion)],
        ['Opsets', onnx.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')],
        ['Producer', [onnx.producerName, onnx.producerVersion].filter(Boolean).join(' ')],
        ['Batch dimension', onnx.batchDimension],
      ]}
    />
  );
}

function GgufFacts({ gguf }: { gguf: Gguf }) {
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  return (
    <>
      <Facts
        testId="gguf-facts"
        items={[
          ['Architecture', gguf.architecture],
          ['Name', gguf.name],
          ['Context length', gguf.contextLength?.toLocaleString('en-US')],
          ['Quantization', gguf.quantization],
          ['Parameters', gguf.parameterCount === undefined ? undefined : formatCount(gguf.parameterCount)],
          ['Embedding length', gguf.embeddingLength?.toLocaleString('en-US')],
          ['Blocks', gguf.blockCount === undefined ? undefined : String(gguf.blockCount)],
          ['Tensors', String(gguf.tensorCount)],
          ['BOS / EOS', gguf.bosToken !== undefined || gguf.eosToken !== undefined ? `${str(gguf.bosToken) ?? '—'} / ${str(gguf.eosToken) ?? '—'}` : undefined],
          ['GGUF version', String(gguf.version)],
        ]}
      />
      {gguf.chatTemplate && (
        <details className="details" data-testid="chat-template">
          <summary>Chat template ({gguf.chatTemplate.length.toLocaleString('en-US')} characters)</summary>
          <pre className="code-block">{gguf.chatTemplate}</pre>
        </details>
      )}
    </>
  );
}
