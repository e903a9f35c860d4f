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
    /** notifications of the channels LISTENed to (reading them switches the connection to async mode), and connection errors */
    on(event: 'notification', listener: (n: { relname: string; extra: string; be_pid: number }) => void): this;
    on(event: 'error', listener: (e: Error) => void): this;
    /** the libpq handle: cmdTuples() is the row count of the last command */
    pq: {
      cmdTuples(): string;
      finish(): void;
      /** blocking PQexec: the result is then read with resultStatus / resultErrorMessage */
      exec(text: string): void;
      resultStatus(): string;
      resultErrorMessage(): string;
      errorMessage(): string;
      /** COPY FROM STDIN: 1 sent, 0 would block (never on a blocking connection), -1 failed */
      putCopyData(data: Buffer): number;
      putCopyEnd(errorMessage?: string): number;
      /** the next result of the command; false when there is none */
      getResult(): boolean;
      /** PQsetnonblocking: true when the mode was set */
      setNonBlocking(on: boolean): boolean;
      /** PQflush: 0 all sent, 1 some still held (the socket is full), -1 failed */
      flush(): number;
    };
  }
  export default Client;
}
