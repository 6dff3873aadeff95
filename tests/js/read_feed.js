#!/usr/bin/env node
// Read an RSS feed with the npm Podcasting 2.0 parser `podcast-partytime`
// (what Podcast Index based apps see) and print it as JSON.
//
// Usage: node read_feed.js FEED.xml
// Prints {"feed": <parseFeed result>} (dates as ISO strings, Sets as arrays);
// exits 1 when partytime returns null (malformed XML, or no usable items).
'use strict';
const fs = require('fs');
const { parseFeed } = require('podcast-partytime');

if (process.argv.length !== 3) {
  process.stderr.write('usage: node read_feed.js FEED.xml\n');
  process.exit(2);
}
// partytime logs through pino; keep stdout for the JSON only.
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
const xml = fs.readFileSync(process.argv[2], 'utf8');
const feed = parseFeed(xml, { allowMissingGuid: false });
if (!feed) {
  process.stdout.write(JSON.stringify({ feed: null }) + '\n');
  process.exit(1);
}
const json = JSON.stringify({ feed }, (key, value) => {
  if (value instanceof Set) return Array.from(value);
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
});
process.stdout.write(json + '\n');
