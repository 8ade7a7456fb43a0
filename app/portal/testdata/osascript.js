#!/usr/bin/env node
// A stand-in for macOS's osascript, for osa_test.go: it runs the JavaScript
// for Automation script given with -l JavaScript -e SCRIPT ARG... as
// osascript would, calling its run handler with the arguments, against an
// Application whose open and save panels answer what $OSA_PICK says ("" is
// the user's Cancel, "!denied" an Automation refusal) and note in $OSA_ASKED
// what they were asked. Errors are reported as osascript reports them.
'use strict';
const fs = require('fs');

const args = process.argv.slice(2);
if (args[0] !== '-l' || args[1] !== 'JavaScript' || args[2] !== '-e' || args.length < 4) {
  process.stderr.write('usage: osascript -l JavaScript -e SCRIPT [ARG...]\n');
  process.exit(2);
}
const pick = process.env.OSA_PICK || '';

function osaError(message, number) {
  const e = new Error(message);
  e.errorNumber = number;
  return e;
}

function panel(op) {
  return function (opts) {
    if (!this.includeStandardAdditions) throw osaError('Message not understood.', -1708);
    fs.writeFileSync(process.env.OSA_ASKED, JSON.stringify({ op, opts, activated: this.activated }));
    if (pick === '') throw osaError('User canceled.', -128);
    if (pick === '!denied') throw osaError('Not authorized to send Apple events to System Events.', -1743);
    return { toString: () => pick }; // a Path, as JXA gives it
  };
}

const app = {
  includeStandardAdditions: false,
  activated: false,
  activate() { this.activated = true; },
  chooseFile: panel('chooseFile'),
  chooseFileName: panel('chooseFileName'),
};
const Application = { currentApplication: () => app };

try {
  const run = new Function('Application', args[3] + '\nreturn run;')(Application);
  const result = run(args.slice(4));
  if (result !== undefined) process.stdout.write(String(result) + '\n');
} catch (e) {
  process.stderr.write(`execution error: Error: ${e.message} (${e.errorNumber ?? -2700})\n`);
  process.exit(1);
}
