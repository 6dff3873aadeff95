#!/usr/bin/env node
// Parse WebVTT texts with the W3C reference parser (npm `webvtt-parser`,
// w3c/webvtt.js) and print its cues as TextTrackCue-like objects.
//
// Usage: node parse_vtt.js < INPUT.json
//   INPUT.json: {"texts": ["WEBVTT\n\n…", …]}   (many files in one process)
// Prints {"files": [{"signature": bool, "cues": [{id, startTime, endTime, text,
//   display, vertical, line, snapToLines, lineAlign, position, positionAlign, size,
//   align}], "errors": n}]}.  "display" is the cue's text as the tree holds it
// (tags dropped, character references decoded).  Cues keep the parser's own
// order (it sorts them by start time, then by end time descending, like a
// TextTrack's cue list).
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

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const files = input.texts.map((text) => {
  const tree = new WebVTTParser(entities).parse(text, 'metadata');
  const signature = !tree.errors.some((e) => e.message.startsWith('No valid signature'));
  return {
    signature,
    errors: tree.errors.length,
    cues: signature ? tree.cues.map((c) => ({
      id: c.id,
      startTime: c.startTime,
      endTime: c.endTime,
      text: c.text,
      display: textOf(c.tree),
      vertical: c.direction === 'horizontal' ? '' : c.direction,
      line: c.linePosition,
      snapToLines: c.snapToLines,
      lineAlign: c.lineAlign,
      position: c.textPosition,
      positionAlign: c.positionAlign,
      size: c.size,
      align: c.alignment,
    })) : [],
  };
});
process.stdout.write(JSON.stringify({ files }) + '\n');
