/**
 * The real ISO 18626 sample messages in test/fixtures/iso18626/samples (see SOURCES.md there), and
 * how Jala confirms each when their sender is a configured partner but the request ids in them are
 * unknown: what both the served-samples test and the schema test hold Jala to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/config/data-dir.ts';

export const ISO18626_FIXTURES = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'iso18626');

export const ISO18626_SAMPLES: readonly string[] = fs
  .readdirSync(path.join(ISO18626_FIXTURES, 'samples'))
  .filter((f) => f.endsWith('.xml'))
  .sort();

/** messageStatus OK, or the first error's type, per sample, from a configured partner with ids Jala does not know */
export const OUTCOME_WITH_UNKNOWN_IDS: Readonly<Record<string, string>> = {
  'cancelResponseReplyNoTemplate.xml': 'UnrecognisedDataValue',
  'case1_request.xml': 'OK',
  'illmockrequest.xml': 'OK',
  'iso18626_req_1.xml': 'OK',
  'patronRequest.xml': 'UnrecognisedDataValue',
  'patronRequestRetry.xml': 'UnrecognisedDataValue',
  'request.xml': 'OK',
  'requestConfirmation.xml': 'UnrecognisedDataElement',
  'requestingAgencyMessage.xml': 'UnrecognisedDataValue',
  'requestingAgencyMessageConfirmation.xml': 'UnrecognisedDataElement',
  'statusChangeExpectToSupplyTemplate.xml': 'UnrecognisedDataValue',
  'statusChangeUnfilledTemplate.xml': 'UnrecognisedDataValue',
  'supplyingAgencyMessage.xml': 'UnrecognisedDataValue',
  'supplyingAgencyMessageConfirmation.xml': 'UnrecognisedDataElement',
  'supplyingAgencyMessage_statusChange.xml': 'UnrecognisedDataValue',
  'unfilledNotification.xml': 'UnrecognisedDataValue',
};
