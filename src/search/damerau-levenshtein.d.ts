// damerau-levenshtein ships no types.
declare module 'damerau-levenshtein' {
  /** Optimal string alignment distance (an adjacent transposition is one edit). */
  export default function distance(a: string, b: string, limit?: number): { steps: number; relative: number; similarity: number };
}
