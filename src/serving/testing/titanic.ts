import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Test-only: the shared models serving tests run on, and titanic passengers as KServe V2 requests. */
export const SHARED_MODELS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/models');
export const TITANIC_FILE = path.join(SHARED_MODELS, 'sklearn-titanic/pipeline_titanic_nozipmap.onnx');
export const MNIST_FILE = path.join(SHARED_MODELS, 'mnist/mnist-8.onnx');

export type Passenger = [pclass: number, sex: string, age: number, fare: number, embarked: string];

export const PASSENGERS: Passenger[] = [
  [3, 'male', 22, 7.25, 'S'],
  [1, 'female', 38, 71.28, 'C'],
  [3, 'female', 26, 7.92, 'S'],
];

/** KServe V2 inputs for the titanic pipeline: one [n, 1] tensor per column. */
export function titanicV2(rows: Passenger[] = PASSENGERS) {
  const col = (i: number) => rows.map((r) => r[i]!);
  return {
    inputs: [
      { name: 'pclass', datatype: 'INT64', shape: [rows.length, 1], data: col(0) },
      { name: 'sex', datatype: 'BYTES', shape: [rows.length, 1], data: col(1) },
      { name: 'age', datatype: 'FP32', shape: [rows.length, 1], data: col(2) },
      { name: 'fare', datatype: 'FP32', shape: [rows.length, 1], data: col(3) },
      { name: 'embarked', datatype: 'BYTES', shape: [rows.length, 1], data: col(4) },
    ],
  };
}
