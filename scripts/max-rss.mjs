#!/usr/bin/env node
// Runs a node script in this process and reports its peak resident memory on stderr at exit.
import { pathToFileURL } from 'node:url';

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
process.on('exit', () => process.stderr.write(`max-rss-kb ${process.resourceUsage().maxRSS}\n`));
await import(pathToFileURL(script).href);
