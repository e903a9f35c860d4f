// sastrawijs ships types that its package.json "exports" hide from NodeNext resolution.
declare module 'sastrawijs' {
  export class Stemmer {
    stem(word: string): string;
  }
}
