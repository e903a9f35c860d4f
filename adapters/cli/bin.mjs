#!/usr/bin/env node
// The `jala` command: loads the TypeScript sources through tsx, so a checkout works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
