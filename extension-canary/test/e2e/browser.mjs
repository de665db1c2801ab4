// Starts Debian's Chromium (never a downloaded build) with the unpacked extension loaded.
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const EXTENSION_DIR = fileURLToPath(new URL('../../extension', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

/**
 * @typedef {object} ExtensionBrowser
 * @property {import('playwright-core').BrowserContext} context
 * @property {import('playwright-core').Worker} worker the extension's service worker
 * @property {string} extensionId
 */

/**
 * @param {string} userDataDir the profile; reuse it to restart "the same browser"
 * @returns {Promise<ExtensionBrowser>}
 */
export async function launchWithExtension(userDataDir) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true, // Chromium >= 132 has only the new headless mode, which runs extensions
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    /** @param {import('playwright-core').Worker} worker */
    const isOurs = (worker) => worker.url().startsWith('chrome-extension://') && worker.url().endsWith('/background.js');
    const worker = context.serviceWorkers().find(isOurs)
      ?? await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 });
    return { context, worker, extensionId: new URL(worker.url()).host };
  } catch (error) {
    await context.close();
    throw error;
  }
}
