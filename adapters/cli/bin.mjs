#!/usr/bin/env node
// The `jala` command: loads the TypeScript sources through tsx, so a checkout works right after `npm install`.
import v8 from 'node:v8';
import { register } from 'tsx/esm/api';

// Each regular expression is compiled to machine code at its first use rather than interpreted
// first and compiled again once it runs often: the question parser's expressions are all used at
// once by a server's warm-up, and compiling each once cut the warm-up at a million works by about
// 0.1-0.15 s (shared machine), with the same answers and no slower questions afterwards.
v8.setFlagsFromString('--no-regexp-tier-up');

register();
await import('./main.ts');
