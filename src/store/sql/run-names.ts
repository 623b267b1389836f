import { randomInt } from 'node:crypto';

const ADJECTIVES = ['amazing', 'bold', 'bright', 'calm', 'clever', 'crisp', 'dapper', 'eager', 'fast', 'gentle', 'happy', 'honest', 'keen', 'lucky', 'merry', 'nimble', 'polite', 'quiet', 'rare', 'sharp', 'silent', 'smooth', 'sunny', 'swift', 'tidy', 'upbeat', 'vivid', 'wise', 'witty', 'zealous'];
const NOUNS = ['ant', 'bass', 'bear', 'bee', 'carp', 'crane', 'deer', 'dove', 'eel', 'elk', 'finch', 'fox', 'gnu', 'hawk', 'hen', 'jay', 'koi', 'lark', 'lynx', 'mole', 'moth', 'newt', 'owl', 'panda', 'quail', 'ray', 'seal', 'slug', 'stork', 'toad', 'wolf', 'wren', 'yak'];

/** A readable run name like MLflow's (`adjective-noun-NNN`). */
export function randomRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
