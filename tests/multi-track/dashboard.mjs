// The stack's dashboard (the Aspire dashboard the AppHost runs, on loopback without a login) as a
// script reads it: its telemetry API (/api/telemetry/...: OTLP JSON) and its pages in Debian's
// Chromium (never a downloaded browser).
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/**
 * An OTLP span with the resource of the process that sent it, flattened.
 * @typedef {object} Span
 * @property {string} service service.name
 * @property {string | undefined} instance service.instance.id (the track, for the services)
 * @property {string} traceId
 * @property {string} spanId
 * @property {string | undefined} parentSpanId
 * @property {number} kind 1 internal, 2 server, 3 client
 * @property {string} name
 * @property {Record<string, string>} attributes
 */

/** @param {{ key: string, value: Record<string, unknown> }[] | undefined} list */
const attributesOf = (list) => Object.fromEntries((list ?? []).map(({ key, value }) => [key, String(Object.values(value)[0])]));

/**
 * GET a telemetry API path; null when the dashboard answers 404 (nothing of that kind yet).
 * @param {string} dashboard
 * @param {string} path
 */
async function telemetry(dashboard, path) {
  const response = await fetch(`${dashboard}/api/telemetry/${path}`);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * One trace's spans, flattened.
 * @param {string} dashboard
 * @param {string} traceId
 * @returns {Promise<Span[]>}
 */
export async function spans(dashboard, traceId) {
  const body = await telemetry(dashboard, `traces/${traceId}`);
  return (body?.data?.resourceSpans ?? []).flatMap((/** @type {any} */ resourceSpans) => {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    return resourceSpans.scopeSpans.flatMap((/** @type {any} */ scope) => scope.spans.map((/** @type {any} */ span) => ({
      service: resource['service.name'],
      instance: resource['service.instance.id'],
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId || undefined,
      kind: span.kind,
      name: span.name,
      attributes: attributesOf(span.attributes),
    })));
  });
}

/**
 * One trace's log records, flattened like spans (attributes are the log event's properties).
 * @param {string} dashboard
 * @param {string} traceId
 */
export async function logs(dashboard, traceId) {
  const body = await telemetry(dashboard, `logs?traceId=${traceId}`);
  return (body?.data?.resourceLogs ?? []).flatMap((/** @type {any} */ resourceLogs) => {
    const resource = attributesOf(resourceLogs.resource?.attributes);
    return resourceLogs.scopeLogs.flatMap((/** @type {any} */ scope) => scope.logRecords.map((/** @type {any} */ record) => ({
      service: resource['service.name'], instance: resource['service.instance.id'], attributes: attributesOf(record.attributes),
    })));
  });
}

/**
 * The processes that sent telemetry: name, instance, and which signals.
 * @param {string} dashboard
 * @returns {Promise<{ name: string, instanceId: string, hasLogs: boolean, hasTraces: boolean, hasMetrics: boolean }[]>}
 */
export async function resources(dashboard) {
  return (await telemetry(dashboard, 'resources')) ?? [];
}

/**
 * Polls until `read` returns something `done` accepts (20 s at most: exports leave every second).
 * @template T
 * @param {() => Promise<T>} read
 * @param {(value: T) => boolean} done
 * @returns {Promise<T>}
 */
export async function eventually(read, done) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not there within 20 s; last: ${String(JSON.stringify(value)).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Opens a dashboard page in headless Chromium; the caller closes the browser.
 * @param {string} url
 */
export async function openPage(url) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url, { waitUntil: 'networkidle' });
    return { browser, page };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
