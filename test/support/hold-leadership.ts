/**
 * A process that takes the lead on a PostgreSQL database and holds it until it is killed: prints
 * "leading" once it leads ("following" while another replica does). For the leadership contract's
 * kill -9 case. Usage: node --import tsx hold-leadership.ts postgres://…
 */
import { PgLeadership } from '../../src/store-postgres/pg-leadership.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: hold-leadership.ts postgres://…');
const leadership = new PgLeadership(url);
let said = '';
const check = (): void => {
  const now = leadership.tryLead() ? 'leading' : 'following';
  if (now !== said) process.stdout.write(`${now}\n`);
  said = now;
};
check();
setInterval(check, 100);
