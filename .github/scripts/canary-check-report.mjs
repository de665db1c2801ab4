// Posts the canary check's report.md as the check run "canary-check" on the PR's head commit.
// Runs in its own job with checks: write and nothing but this repository's scripts: the report
// comes from the check job as base64 (it quotes the canary's answers, which must not be able to
// write other job outputs) and is posted as text, never run.
//
//   node .github/scripts/canary-check-report.mjs
//
// Environment: GITHUB_TOKEN (checks write), GITHUB_API_URL, GITHUB_REPOSITORY, SHA (the head
// commit the check ran for), CHECK_RESULT (the check job's result), EXIT_CODE (scripts/canary-check's),
// REPORT (report.md, base64, its first 60,000 bytes), REPORT_BYTES (the whole report's size),
// RUN_URL (this workflow run, for the details link).

import { pathToFileURL } from 'node:url';
import { createClient } from './github-api.mjs';

export const CHECK_NAME = 'canary-check';


/** What each exit code of scripts/canary-check becomes: differences are for review (neutral), never a pass or a failure. */
const OUTCOMES = {
  0: { conclusion: 'success', title: 'same as stable' },
  3: { conclusion: 'neutral', title: 'differs from stable: review the differences' },
  1: { conclusion: 'failure', title: 'regression' },
  2: { conclusion: 'failure', title: 'could not run' },
};

/** The check run to create for the check job's outcome. */
export function checkRun({ sha, checkResult, exitCode, report, reportBytes, runUrl }) {
  if (!/^[0-9a-f]{40}$/.test(sha ?? '')) throw new Error(`SHA must be a full commit SHA, not '${sha}'`);
  const received = report ? Buffer.from(report, 'base64') : Buffer.alloc(0);
  const markdown = received.toString('utf8')
    + (Number(reportBytes) > received.length ? `\n\n… cut; the whole report is in the [workflow run](${runUrl})'s log.\n` : '');
  const finished = checkResult === 'success' && /^[0-3]$/.test(exitCode ?? '') && markdown.length > 0;
  const { conclusion, title } = finished ? OUTCOMES[exitCode]
    : { conclusion: 'failure', title: 'could not run' };
  const summary = finished ? markdown
    : `The check did not finish (job ${checkResult || 'not run'}${exitCode ? `, exit code ${exitCode}` : ''}): see the [workflow run](${runUrl}).\n\n${markdown}`;
  return {
    name: CHECK_NAME,
    head_sha: sha,
    status: 'completed',
    conclusion,
    details_url: runUrl,
    output: { title, summary },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const run = checkRun({
      sha: process.env.SHA,
      checkResult: process.env.CHECK_RESULT,
      exitCode: process.env.EXIT_CODE,
      report: process.env.REPORT,
      reportBytes: process.env.REPORT_BYTES,
      runUrl: process.env.RUN_URL,
    });
    const created = await createClient().post(`/repos/${process.env.GITHUB_REPOSITORY}/check-runs`, run);
    console.log(`check run ${created.id}: ${run.conclusion}, ${run.output.title}`);
  } catch (error) {
    console.error(`canary-check-report.mjs: ${error.message}`);
    process.exit(1);
  }
}
