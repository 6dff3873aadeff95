#!/usr/bin/env node
// Evaluate the W3C (web-platform-tests) WebVTT file-parsing assertions against
// cue lists dumped by a parser.  Written for bench/bench_webvtt_wpt.py.
//
// Usage: node wpt_assert.js CASES.json
//   CASES.json: {"cases": [{"name", "assertions" (JS source), "cues": [TextTrackCue-like
//   objects: id, startTime, endTime, text, vertical, line, snapToLines, lineAlign,
//   position, positionAlign, size, align, region ({id, lines, …} or null)]}]}
// Prints {"results": [{"name", "pass", "message"}]}.
//
// The assert_* functions follow testharness.js semantics (assert_equals uses
// SameValue for numbers: -0 != 0, NaN == NaN).
'use strict';
const fs = require('fs');

class AssertionError extends Error {}

function sameValue(x, y) {
  if (typeof x === 'number' && typeof y === 'number') {
    if (x !== x) return y !== y;
    if (x === 0 && y === 0) return 1 / x === 1 / y;
  }
  return x === y;
}

function fmt(v) {
  try { return JSON.stringify(v); } catch (e) { return String(v); }
}

function assert_equals(actual, expected, description) {
  if (!sameValue(actual, expected)) {
    throw new AssertionError(`assert_equals: ${description || ''} expected ${fmt(expected)} but got ${fmt(actual)}`);
  }
}
function assert_not_equals(actual, expected, description) {
  if (sameValue(actual, expected)) {
    throw new AssertionError(`assert_not_equals: ${description || ''} got disallowed value ${fmt(actual)}`);
  }
}
function assert_true(actual, description) {
  if (actual !== true) throw new AssertionError(`assert_true: ${description || ''} got ${fmt(actual)}`);
}
function assert_false(actual, description) {
  if (actual !== false) throw new AssertionError(`assert_false: ${description || ''} got ${fmt(actual)}`);
}
function assert_unreached(description) {
  throw new AssertionError(`assert_unreached: ${description || ''}`);
}

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = [];
for (const c of input.cases) {
  // region objects are compared by identity in the tests: intern them by id
  const regions = new Map();
  const cues = c.cues.map((cue) => {
    const out = Object.assign({}, cue);
    if (cue.region) {
      const key = cue.region.key;
      if (!regions.has(key)) regions.set(key, Object.assign({}, cue.region));
      out.region = regions.get(key);
    }
    return out;
  });
  try {
    // eslint-disable-next-line no-new-func
    new Function('cues', 'assert_equals', 'assert_not_equals', 'assert_true', 'assert_false',
      'assert_unreached', c.assertions)(cues, assert_equals, assert_not_equals, assert_true,
      assert_false, assert_unreached);
    results.push({ name: c.name, pass: true, message: '' });
  } catch (e) {
    results.push({ name: c.name, pass: false, message: String(e.message || e).slice(0, 300) });
  }
}
process.stdout.write(JSON.stringify({ results }) + '\n');
