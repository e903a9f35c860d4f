/** A plain HTTP SRU client for the tests: the response's count, records' 001s and diagnostics, read from the XML. */

export interface SruAnswer {
  status: number;
  text: string;
  /** numberOfRecords */
  count: number | undefined;
  /** the 001 of each record (w42 for union records, the library's own for rec.id=LIB.123) */
  ids: string[];
  /** diagnostic numbers (info:srw/diagnostic/1/N) */
  diagnostics: number[];
  /** diagnostic details, in order */
  details: string[];
  nextRecordPosition: number | undefined;
  headers: Headers;
}

export async function sru(base: string, params: Record<string, string>, init: RequestInit = {}): Promise<SruAnswer> {
  const res = await fetch(`${base}/sru?${new URLSearchParams(params)}`, init);
  return readSru(res);
}

export async function readSru(res: Response): Promise<SruAnswer> {
  const text = await res.text();
  const num = (name: string): number | undefined => {
    const m = new RegExp(`<(?:\\w+:)?${name}>(\\d+)</(?:\\w+:)?${name}>`).exec(text);
    return m ? Number(m[1]) : undefined;
  };
  return {
    status: res.status,
    text,
    count: num('numberOfRecords'),
    ids: [...text.matchAll(/<controlfield tag="001">([^<]*)<\/controlfield>/g)].map((m) => m[1] as string),
    diagnostics: [...text.matchAll(/info:srw\/diagnostic\/1\/(\d+)/g)].map((m) => Number(m[1])),
    details: [...text.matchAll(/<(?:\w+:)?details>([^<]*)<\/(?:\w+:)?details>/g)].map((m) => m[1] as string),
    nextRecordPosition: num('nextRecordPosition'),
    headers: res.headers,
  };
}

/** The 852 fields of each record in a response, as {subfield code: value}. */
export function holdings852(text: string): Array<Record<string, string>> {
  return [...text.matchAll(/<datafield tag="852"[^>]*>(.*?)<\/datafield>/g)].map((m) => {
    const out: Record<string, string> = {};
    for (const s of (m[1] as string).matchAll(/<subfield code="(.)">([^<]*)<\/subfield>/g)) out[s[1] as string] = s[2] as string;
    return out;
  });
}
