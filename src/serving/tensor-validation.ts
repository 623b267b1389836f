import { invalidParam } from '../core/errors/index.js';
import { DATATYPES, type Datatype, type ModelSignature, type Tensor } from './engine.js';

const field = (name: string) => `inputs[${name}]`;

function checkData(t: Tensor, count: number): void {
  if (!Array.isArray(t.data)) throw invalidParam(`Input '${t.name}': data must be an array`, field(t.name));
  if (t.data.length !== count) {
    throw invalidParam(`Input '${t.name}': shape [${t.shape.join(', ')}] holds ${count} values, but data has ${t.data.length}`, field(t.name));
  }
  const want = t.datatype === 'BYTES' ? 'string' : t.datatype === 'BOOL' ? 'boolean' : 'number';
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i];
    const ok = want === 'number' ? typeof v === 'number' && (Number.isFinite(v) || t.datatype.startsWith('FP')) && (t.datatype.startsWith('FP') || Number.isInteger(v)) : typeof v === want;
    if (!ok) throw invalidParam(`Input '${t.name}': data[${i}] is ${JSON.stringify(v)}, not a ${t.datatype} value`, field(t.name));
  }
}

/**
 * Checks a request's tensors against the model's signature: every declared input present once, no unknown name, the
 * declared datatype, the declared rank, fixed dimensions matching, and data filling the shape. Each refusal is a 400
 * naming the tensor (`field: inputs[<name>]`).
 */
export function validateInputs(signature: ModelSignature, inputs: readonly Tensor[]): void {
  const declared = new Map(signature.inputs.map((s) => [s.name, s]));
  const seen = new Set<string>();
  for (const t of inputs) {
    const spec = declared.get(t.name);
    if (!spec) throw invalidParam(`Unknown input '${t.name}': the model takes ${signature.inputs.map((s) => s.name).join(', ')}`, field(t.name));
    if (seen.has(t.name)) throw invalidParam(`Input '${t.name}' is given twice`, field(t.name));
    seen.add(t.name);
    if (!(DATATYPES as readonly string[]).includes(t.datatype)) throw invalidParam(`Input '${t.name}': unknown datatype '${t.datatype}'`, field(t.name));
    if (t.datatype !== spec.datatype) throw invalidParam(`Input '${t.name}' must be ${spec.datatype}, got ${t.datatype}`, field(t.name));
    if (!Array.isArray(t.shape) || t.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw invalidParam(`Input '${t.name}': shape must be a list of non-negative integers`, field(t.name));
    }
    if (t.shape.length !== spec.shape.length) {
      throw invalidParam(`Input '${t.name}' must have ${spec.shape.length} dimensions [${spec.shape.map((d) => (d < 0 ? '?' : d)).join(', ')}], got [${t.shape.join(', ')}]`, field(t.name));
    }
    spec.shape.forEach((d, i) => {
      if (d >= 0 && t.shape[i] !== d) throw invalidParam(`Input '${t.name}': dimension ${i} must be ${d}, got ${t.shape[i]}`, field(t.name));
    });
    checkData(t, t.shape.reduce((a, b) => a * b, 1));
  }
  const missing = signature.inputs.find((s) => !seen.has(s.name));
  if (missing) throw invalidParam(`Missing input '${missing.name}' (${missing.datatype} [${missing.shape.map((d) => (d < 0 ? '?' : d)).join(', ')}])`, field(missing.name));
}

export type { Datatype };
