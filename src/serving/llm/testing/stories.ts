import path from 'node:path';
import { SHARED_MODELS } from '../../testing/titanic.js';

/** Test-only. stories260K: Karpathy's trained 260K-parameter Llama (TinyStories) as GGUF, from `../shared/models`. */
export const STORIES_FILE = path.join(SHARED_MODELS, 'stories260K/stories260K.gguf');

/** How the model continues "Once upon a time" at temperature 0 (llama2.c's README shows the same text). */
export const STORIES_LILY = ', there was a little girl named Lily. She loved to play outside in the park.';
