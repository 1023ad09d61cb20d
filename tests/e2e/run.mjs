// Browser test: signs in through the SPA as the first admin and walks every domain's screens
// (the steps live per domain in steps/).
//   GUANXI_URL=http://127.0.0.1:8080 GUANXI_ADMIN_PASSWORD=… node run.mjs
// Uses Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium); no browser download.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import firstLoad, { notFound } from './steps/first-load.mjs';
import signIn from './steps/sign-in.mjs';
import org from './steps/org.mjs';
import session from './steps/session.mjs';
import customers from './steps/customers.mjs';
import consent from './steps/consent.mjs';
import incidents from './steps/incidents.mjs';
import keys from './steps/keys.mjs';
import languages from './steps/languages.mjs';
import accessibility from './steps/accessibility.mjs';
import audit from './steps/audit.mjs';
import tiers from './steps/tiers.mjs';
import segments from './steps/segments.mjs';
import tickets from './steps/tickets.mjs';
import campaigns from './steps/campaigns.mjs';
import care from './steps/care.mjs';
import loyalty from './steps/loyalty.mjs';
import screenshots from './steps/screenshots.mjs';

const base = process.env.GUANXI_URL ?? 'http://127.0.0.1:8080';
const password = process.env.GUANXI_ADMIN_PASSWORD;
assert.ok(password, 'set GUANXI_ADMIN_PASSWORD');
// GUANXI_E2E_RESULTS lets two runs (one per database) side by side keep their pictures apart.
const results = process.env.GUANXI_E2E_RESULTS ?? new URL('./test-results/', import.meta.url).pathname;
mkdirSync(results, { recursive: true });

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'guanxi-chromium-')), {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  locale: 'en-US',
  viewport: { width: 1280, height: 800 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(15_000);
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));

async function step(name, fn) {
  try {
    await fn();
    console.log(`  ok  ${name}`);
  } catch (e) {
    await page.screenshot({ path: join(results, 'failure.png'), fullPage: true }).catch(() => {});
    console.error(`  FAIL ${name}\n${e.stack ?? e}`);
    await context.close();
    process.exit(1);
  }
}

// One module of steps per domain, in order: later ones use what earlier ones created. A new
// domain adds its module here.
const world = { page, base, password, results, step, context };
for (const steps of [firstLoad, signIn, notFound, org, session, customers, consent, incidents, keys, languages, accessibility, audit, tiers, segments, tickets, campaigns, care, loyalty, screenshots]) {
  await steps(world);
}

assert.deepEqual(errors, [], 'no uncaught errors in the page');
await context.close();
console.log('browser test passed');
