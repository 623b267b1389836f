import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelSignature } from '../engine.js';

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

/** The titanic pipeline's signature as the ONNX engine reads it. */
export const TITANIC_SIGNATURE: ModelSignature = {
  inputs: [
    { name: 'pclass', datatype: 'INT64', shape: [-1, 1] },
    { name: 'sex', datatype: 'BYTES', shape: [-1, 1] },
    { name: 'age', datatype: 'FP32', shape: [-1, 1] },
    { name: 'fare', datatype: 'FP32', shape: [-1, 1] },
    { name: 'embarked', datatype: 'BYTES', shape: [-1, 1] },
  ],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1] },
    { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
  ],
};

/** MNIST's signature: a fixed batch of one. */
export const MNIST_SIGNATURE: ModelSignature = {
  inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28] }],
  outputs: [{ name: 'Plus214_Output_0', datatype: 'FP32', shape: [1, 10] }],
};
