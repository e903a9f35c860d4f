#!/usr/bin/env node
// The `jala` command: loads the TypeScript sources through tsx, so a checkout works right after `npm install`.
import { register } from 'tsx/esm/api';

// No V8 flag is changed here: v8.setFlagsFromString('--no-regexp-tier-up'), set here for a faster
// warm-up, made V8 crash (SIGSEGV in its regexp interpreter, after a garbage collection) in long
// runs, since a flag changed after start-up leaves the regular expressions already compiled
// inconsistent with it. V8 supports its flags only from start-up.

register();
await import('./main.ts');
