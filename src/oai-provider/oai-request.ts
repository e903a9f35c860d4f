/**
 * OAI-PMH 2.0 request arguments → a checked request, or the protocol's error: badVerb for a
 * missing, unknown or repeated verb; badArgument for a missing, unknown, repeated or malformed
 * argument (and for a resumptionToken sent with others, or from/until of different granularities
 * or the wrong way round).
 */
import type { ProtocolParams } from '../common/protocol-response.ts';
import { fromBound, parseDateArgument, untilBound } from './oai-datestamp.ts';

export type OaiVerb = 'Identify' | 'ListMetadataFormats' | 'ListSets' | 'ListIdentifiers' | 'ListRecords' | 'GetRecord';

export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

export interface OaiError {
  code: OaiErrorCode;
  message: string;
}

export type OaiRequest =
  | { verb: 'Identify' }
  | { verb: 'ListMetadataFormats'; identifier?: string }
  | { verb: 'ListSets'; resumptionToken?: string }
  | { verb: 'GetRecord'; identifier: string; metadataPrefix: string }
  | {
      verb: 'ListIdentifiers' | 'ListRecords';
      resumptionToken?: string;
      metadataPrefix?: string;
      set?: string;
      /** inclusive bounds at seconds */
      from?: string;
      until?: string;
    };

export interface ParsedOaiRequest {
  /** the arguments as they may be echoed in <request> (none after badVerb or badArgument) */
  echo: Record<string, string>;
  result: { ok: true; request: OaiRequest } | { ok: false; error: OaiError };
}

const ARGUMENTS: Record<OaiVerb, { required: readonly string[]; optional: readonly string[]; exclusive?: string }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
};

const SET_SPEC = /^[A-Za-z0-9\-_.!~*'()]+(?::[A-Za-z0-9\-_.!~*'()]+)*$/;
const PREFIX = /^[A-Za-z0-9\-_.!~*'()]+$/;

function bad(code: OaiErrorCode, message: string): ParsedOaiRequest {
  return { echo: {}, result: { ok: false, error: { code, message } } };
}

export function parseOaiRequest(params: ProtocolParams): ParsedOaiRequest {
  const verbs = params.get('verb') ?? [];
  if (verbs.length === 0) return bad('badVerb', 'the verb argument is missing');
  if (verbs.length > 1) return bad('badVerb', 'the verb argument is repeated');
  const verb = verbs[0] as string;
  if (!(verb in ARGUMENTS)) return bad('badVerb', `"${verb}" is not an OAI-PMH verb`);
  const spec = ARGUMENTS[verb as OaiVerb];
  const args: Record<string, string> = {};
  for (const [name, values] of params) {
    if (name === 'verb') continue;
    if (values.length > 1) return bad('badArgument', `the argument ${name} is repeated`);
    if (!spec.required.includes(name) && !spec.optional.includes(name) && spec.exclusive !== name) {
      return bad('badArgument', `${verb} has no argument ${name}`);
    }
    args[name] = values[0] as string;
  }
  if (spec.exclusive !== undefined && args[spec.exclusive] !== undefined) {
    if (Object.keys(args).length > 1) return bad('badArgument', `${spec.exclusive} is an exclusive argument: nothing else may come with it`);
    const token = args[spec.exclusive] as string;
    const echo = { verb, [spec.exclusive]: token };
    return { echo, result: { ok: true, request: { verb: verb as 'ListSets' | 'ListIdentifiers' | 'ListRecords', resumptionToken: token } } };
  }
  for (const name of spec.required) {
    if (args[name] === undefined || args[name] === '') return bad('badArgument', `${verb} needs the argument ${name}`);
  }
  if (args.metadataPrefix !== undefined && !PREFIX.test(args.metadataPrefix)) return bad('badArgument', 'the metadataPrefix is not a valid prefix');
  if (args.set !== undefined && !SET_SPEC.test(args.set)) return bad('badArgument', 'the set is not a valid setSpec');
  const from = args.from === undefined ? undefined : parseDateArgument(args.from);
  const until = args.until === undefined ? undefined : parseDateArgument(args.until);
  if (args.from !== undefined && !from) return bad('badArgument', 'from is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)');
  if (args.until !== undefined && !until) return bad('badArgument', 'until is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)');
  if (from && until && from.granularity !== until.granularity) return bad('badArgument', 'from and until have different granularities');
  if (from && until && fromBound(from) > untilBound(until)) return bad('badArgument', 'from is later than until');
  const echo = { verb, ...args };
  switch (verb as OaiVerb) {
    case 'Identify':
      return { echo, result: { ok: true, request: { verb: 'Identify' } } };
    case 'ListMetadataFormats':
      return { echo, result: { ok: true, request: args.identifier !== undefined ? { verb: 'ListMetadataFormats', identifier: args.identifier } : { verb: 'ListMetadataFormats' } } };
    case 'ListSets':
      return { echo, result: { ok: true, request: { verb: 'ListSets' } } };
    case 'GetRecord':
      return { echo, result: { ok: true, request: { verb: 'GetRecord', identifier: args.identifier as string, metadataPrefix: args.metadataPrefix as string } } };
    default:
      return {
        echo,
        result: {
          ok: true,
          request: {
            verb: verb as 'ListIdentifiers' | 'ListRecords',
            metadataPrefix: args.metadataPrefix as string,
            ...(args.set !== undefined ? { set: args.set } : {}),
            ...(from ? { from: fromBound(from) } : {}),
            ...(until ? { until: untilBound(until) } : {}),
          },
        },
      };
  }
}
