/** The part of pg-native (node-postgres's libpq binding) Jala uses: synchronous connect and queries. */
declare module 'pg-native' {
  interface TypeParsers {
    getTypeParser(oid: number, format?: string): (text: string) => unknown;
  }
  class Client {
    constructor(config?: { types?: TypeParsers; arrayMode?: boolean });
    connectSync(params?: string): void;
    querySync(text: string, values?: readonly unknown[]): Array<Record<string, unknown>>;
    end(cb?: () => void): void;
    /** the libpq handle: cmdTuples() is the row count of the last command */
    pq: { cmdTuples(): string; finish(): void };
  }
  export default Client;
}
