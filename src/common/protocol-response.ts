/**
 * What a catalog-server protocol (SRU, OAI-PMH, later ISO 18626) answers, independent of the HTTP
 * library that carries it: a status, headers, and a body that is one string or a stream of chunks
 * written as the client reads them.
 */

export interface ProtocolResponse {
  status: number;
  headers: Record<string, string>;
  body: string | AsyncIterable<string>;
}

/** A request's parameters (query string or form body): every value of each name, in order. */
export type ProtocolParams = ReadonlyMap<string, readonly string[]>;

export interface ProtocolRequest {
  params: ProtocolParams;
  /** the URL the request was made to, as the client sees it (for baseURL and explain) */
  url: URL;
  method: 'GET' | 'POST';
  /** a POST body that is not a form (whose fields are in `params`): its media type and text */
  body?: { type: string; text: string };
}

export const XML_CONTENT_TYPE = 'text/xml; charset=UTF-8';

/** Params from a query string or a form body. */
export function paramsOf(search: URLSearchParams): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of search) {
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}
