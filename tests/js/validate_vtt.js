#!/usr/bin/env node
// Validate WebVTT files with the spec-following npm `webvtt-parser` (w3c/webvtt.js).
//
// Usage: node validate_vtt.js FILE.vtt [FILE.vtt ...]
// Prints one JSON object: {"files": [{"file", "errors": [{"message", "line", "col"}],
// "cues": [{"id", "start", "end", "voice", "text"}]}]} and exits 0 when every
// file has zero errors, 1 otherwise (2 on usage errors).  "text" is the cue's
// display text as a browser would build it (tags dropped, entities decoded),
// "voice" the first <v> annotation, so callers can compare what was written
// with what a conforming parser reads.
'use strict';
const fs = require('fs');
const path = require('path');
const { WebVTTParser } = require('webvtt-parser');

const entities = JSON.parse(
  fs.readFileSync(path.join(path.dirname(require.resolve('webvtt-parser')), 'html-entities.json'), 'utf8'));

function textOf(node) {
  if (node.type === 'text') return node.value;
  return (node.children || []).map(textOf).join('');
}

function voiceOf(node) {
  if (node.name === 'v') return node.value || '';
  for (const child of node.children || []) {
    const v = voiceOf(child);
    if (v !== null) return v;
  }
  return null;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: validate_vtt.js FILE.vtt [FILE.vtt ...]\n');
  process.exit(2);
}
const out = [];
let bad = 0;
for (const file of files) {
  const input = fs.readFileSync(file, 'utf8');
  // Default (subtitles) mode parses cue text, so bad escapes and tags are reported.
  const tree = new WebVTTParser(entities).parse(input);
  const errors = tree.errors.map((e) => ({ message: e.message, line: e.line, col: e.col }));
  if (errors.length) bad += 1;
  out.push({
    file,
    errors,
    cues: tree.cues.map((c) => ({
      id: c.id, start: c.startTime, end: c.endTime, voice: voiceOf(c.tree), text: textOf(c.tree),
    })),
  });
}
// exitCode, not process.exit(): exiting at once would cut off a large JSON
// report still being written to a pipe.
process.stdout.write(JSON.stringify({ files: out }, null, 1) + '\n');
process.exitCode = bad ? 1 : 0;
