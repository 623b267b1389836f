/** A small deterministic PRNG (mulberry32) for tests: the same generated data on every run and every dialect. */
export { mulberry32 as prng } from '../prng.js';
