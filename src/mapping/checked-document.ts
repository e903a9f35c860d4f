/**
 * The mapping's check of a document against the RecordDocument schema, without the schema's cost in
 * the usual case. The mapping builds documents that pass (a failure is a mapping bug, or data no
 * rule foresaw): a plain check, made once from the schema's own definition and never more lenient
 * than the schema, recognises them and returns what the schema's parse returns (a fresh object, the
 * schema's key order, unknown keys dropped); anything it is not sure of goes to the schema itself,
 * which decides and explains.
 */
import type { z } from 'zod';
import { RecordDocument } from '../catalog/record-document.ts';

/** What a check returns when the schema must decide. */
const UNSURE = Symbol('unsure');
type Check = (value: unknown) => unknown;

const SURROGATE = /[\ud800-\udfff]/;

/** The parts of a zod definition the check is made from (zod 4's `_zod.def`). */
interface Definition {
  type: string;
  checks?: Array<{ _zod: { def: { check: string; format?: string; minimum?: number; pattern?: RegExp } } }>;
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
  innerType?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  coerce?: boolean;
}

const definitionOf = (schema: z.ZodType): Definition => (schema as unknown as { _zod: { def: Definition } })._zod.def;

/**
 * A check for what a schema accepts, for the kinds of schema RecordDocument is made of (strings with
 * a minimum length or a pattern, numbers, safe integers, enums, arrays, objects of required and
 * optional properties); undefined for any other kind or check, and then the schema decides everything.
 * `undefinedIsAbsent`: the object's properties that are undefined count as absent (not its parts').
 */
export function compileCheck(schema: z.ZodType, undefinedIsAbsent = false): Check | undefined {
  const def = definitionOf(schema);
  if (def.coerce === true) return undefined;
  const checks = def.checks ?? [];
  switch (def.type) {
    case 'string': {
      let min = 0;
      const patterns: RegExp[] = [];
      for (const c of checks) {
        const d = c._zod.def;
        if (d.check === 'min_length' && typeof d.minimum === 'number') min = Math.max(min, d.minimum);
        else if (d.check === 'string_format' && d.format === 'regex' && d.pattern instanceof RegExp && !d.pattern.global && !d.pattern.sticky) patterns.push(d.pattern);
        else return undefined;
      }
      // the schema counts code points where UTF-16 units leave it in doubt: a string with a surrogate is left to it
      return (v) =>
        typeof v === 'string' && v.length >= min && (v.length >= 2 * min || !SURROGATE.test(v)) && patterns.every((p) => p.test(v)) ? v : UNSURE;
    }
    case 'number': {
      let integer = false;
      for (const c of checks) {
        const d = c._zod.def;
        if (d.check === 'number_format' && d.format === 'safeint') integer = true;
        else return undefined;
      }
      return (v) => (typeof v === 'number' && (integer ? Number.isSafeInteger(v) : Number.isFinite(v)) ? v : UNSURE);
    }
    case 'enum': {
      if (checks.length > 0 || def.entries === undefined) return undefined;
      const values: ReadonlySet<unknown> = new Set(Object.values(def.entries));
      return (v) => (values.has(v) ? v : UNSURE);
    }
    case 'array': {
      const element = checks.length === 0 && def.element ? compileCheck(def.element) : undefined;
      if (!element) return undefined;
      // an array whose elements come back as they are (strings) is returned as it is, not copied:
      // equal to the schema's copy, and the mapping's arrays are the document's own
      return (v) => {
        if (!Array.isArray(v)) return UNSURE;
        let out: unknown[] | undefined;
        for (let i = 0; i < v.length; i++) {
          if (!(i in v)) return UNSURE;
          const e = element(v[i]);
          if (e === UNSURE) return UNSURE;
          if (out !== undefined) out.push(e);
          else if (e !== v[i]) (out = v.slice(0, i)).push(e);
        }
        return out ?? v;
      };
    }
    case 'object': {
      if (checks.length > 0 || def.shape === undefined || def.catchall !== undefined) return undefined;
      const keys: string[] = [];
      const propertyChecks: Check[] = [];
      const optional: boolean[] = [];
      for (const [key, property] of Object.entries(def.shape)) {
        const pdef = definitionOf(property);
        const isOptional = pdef.type === 'optional';
        const inner = isOptional ? pdef.innerType : property;
        if (isOptional && (pdef.checks ?? []).length > 0) return undefined;
        const check = inner ? compileCheck(inner) : undefined;
        if (!check || key === '__proto__') return undefined;
        keys.push(key);
        propertyChecks.push(check);
        optional.push(isOptional);
      }
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return UNSURE;
        const input = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k] as string;
          const value = input[key];
          if (value === undefined) {
            // absent and optional: left out, as the schema does; present as undefined: the schema
            // decides, unless asked to take it as absent
            if (optional[k] === true && (undefinedIsAbsent || !(key in input))) continue;
            return UNSURE;
          }
          const checked = (propertyChecks[k] as Check)(value);
          if (checked === UNSURE) return UNSURE;
          out[key] = checked;
        }
        return out;
      };
    }
    default:
      return undefined;
  }
}

const checkDocument = compileCheck(RecordDocument, true);

/** The plain check could be made from the schema (if not, every document goes to the schema). */
export const HAS_PLAIN_CHECK = checkDocument !== undefined;

/**
 * RecordDocument.safeParse of the document without its undefined properties (the mapping leaves
 * the properties it has no value for undefined): the same result, cheaper when the document is
 * plainly valid. The document's undefined properties are deleted only when the schema decides.
 */
export function checkedDocument(doc: unknown): ReturnType<typeof RecordDocument.safeParse> {
  const out = checkDocument === undefined ? UNSURE : checkDocument(doc);
  if (out !== UNSURE) return { success: true, data: out as RecordDocument };
  if (typeof doc === 'object' && doc !== null) {
    const o = doc as Record<string, unknown>;
    for (const key in o) if (o[key] === undefined) delete o[key];
  }
  return RecordDocument.safeParse(doc);
}
