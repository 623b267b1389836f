import type { TensorSpec } from '../../sdk/registry-types.js';
import { formatShape } from '../model-format.js';

/** A model's inputs and outputs: name, element type and shape (symbolic dimensions as named, unknown as `?`). */
export function SignatureTable({ inputs, outputs }: { inputs: readonly TensorSpec[]; outputs: readonly TensorSpec[] }) {
  const group = (label: string, specs: readonly TensorSpec[], role: 'input' | 'output') => (
    <>
      <tr className="group-row">
        <th colSpan={3}>
          {label} ({specs.length})
        </th>
      </tr>
      {specs.length === 0 ? (
        <tr>
          <td colSpan={3} className="muted">
            none declared
          </td>
        </tr>
      ) : (
        specs.map((t, i) => (
          <tr key={`${role}:${t.name}:${i}`} data-testid={`signature-${role}`} data-name={t.name}>
            <td className="mono">{t.name}</td>
            <td className="mono" data-col="dtype">
              {t.dtype}
            </td>
            <td className="mono" data-col="shape">
              {formatShape(t.shape)}
            </td>
          </tr>
        ))
      )}
    </>
  );
  return (
    <div className="table-scroll">
      <table className="table" data-testid="signature-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Shape</th>
          </tr>
        </thead>
        <tbody>
          {group('Inputs', inputs, 'input')}
          {group('Outputs', outputs, 'output')}
        </tbody>
      </table>
    </div>
  );
}
