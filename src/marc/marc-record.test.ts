import { describe, expect, it } from 'vitest';
import { dataFields, fieldsWithTag, type MarcDataField, type MarcRecord } from './marc-record.ts';

const field = (tag: string, a: string): MarcDataField => ({ tag, ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: a }] });

describe('fields by tag', () => {
  it('gives the data fields of a tag in record order, for whichever record is asked about', () => {
    const one: MarcRecord = { leader: ' '.repeat(24), fields: [{ tag: '001', value: '1' }, field('650', 'x'), field('245', 't'), field('650', 'y')] };
    const two: MarcRecord = { leader: ' '.repeat(24), fields: [field('650', 'z')] };
    expect(fieldsWithTag(one, '650').map((f) => f.subfields[0]?.value)).toEqual(['x', 'y']);
    expect(fieldsWithTag(two, '650').map((f) => f.subfields[0]?.value)).toEqual(['z']);
    expect(fieldsWithTag(one, '650').map((f) => f.subfields[0]?.value)).toEqual(['x', 'y']);
    expect(fieldsWithTag(one, '001')).toEqual([]);
    expect(dataFields(one, '245', '650').map((f) => f.subfields[0]?.value)).toEqual(['x', 't', 'y']);
  });

  it('notices a field added to the record since it was last asked about', () => {
    const record: MarcRecord = { leader: ' '.repeat(24), fields: [field('650', 'x')] };
    expect(fieldsWithTag(record, '650')).toHaveLength(1);
    record.fields.push(field('650', 'y'));
    expect(fieldsWithTag(record, '650')).toHaveLength(2);
  });

  it('gives copies from dataFields, so that a caller changing its list changes nothing for the next', () => {
    const record: MarcRecord = { leader: ' '.repeat(24), fields: [field('650', 'x')] };
    const list = dataFields(record, '650');
    list.push(field('650', 'added'));
    list.length = 0;
    expect(dataFields(record, '650')).toHaveLength(1);
    expect(fieldsWithTag(record, '650')).toHaveLength(1);
    expect(dataFields(record, '999')).toEqual([]);
    dataFields(record, '999').push(field('999', 'z'));
    expect(fieldsWithTag(record, '999')).toEqual([]);
  });
});
