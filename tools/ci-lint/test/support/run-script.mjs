// Runs a workflow script as its workflow step would: a separate node process with
// environment variables only. Asynchronous, so that a fake API served by this test
// process keeps answering.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { scriptsDir } from './repo.mjs';

export function runScript(name, args, env, cwd = undefined) {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(scriptsDir, name), ...args], {
      env: { PATH: process.env.PATH, ...env },
      cwd,
      timeout: 20_000,
    }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}
