// Browser test: signs in through the SPA as the first admin and walks the shell.
//   GUANXI_URL=http://127.0.0.1:8080 GUANXI_ADMIN_PASSWORD=… node run.mjs
// Uses Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium); no browser download.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const base = process.env.GUANXI_URL ?? 'http://127.0.0.1:8080';
const password = process.env.GUANXI_ADMIN_PASSWORD;
assert.ok(password, 'set GUANXI_ADMIN_PASSWORD');
const results = new URL('./test-results/', import.meta.url).pathname;
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

await step('an anonymous visitor is sent to the sign-in page', async () => {
  await page.goto(`${base}/`);
  await page.waitForURL('**/login');
});

await step('a wrong password shows the problem', async () => {
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel(/^Password/).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'invalid username or password' }).waitFor();
});

await step('the first admin signs in and sees the dashboard', async () => {
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('dashboard-title').filter({ hasText: 'Welcome, admin' }).waitFor();
  await page.getByTestId('current-user').filter({ hasText: 'Administrator' }).waitFor();
  await page.screenshot({ path: join(results, 'dashboard.png'), fullPage: true });
});

await step('the admin creates a subsidiary', async () => {
  await page.getByRole('link', { name: 'Units' }).click();
  await page.getByRole('button', { name: 'New unit' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Parent unit').click();
  await page.getByRole('option', { name: /Group/ }).click();
  await dialog.getByLabel('Code').fill('E2E-SUB');
  await dialog.getByLabel('Name').fill('E2E Subsidiary');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'E2E Subsidiary' }).waitFor();
});

await step('the admin creates a user; field errors come from the API', async () => {
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Username').fill('e2e.agent');
  await dialog.getByLabel('Display name').fill('E2E Agent');
  await dialog.getByLabel(/^Password/).fill('short');
  await dialog.getByLabel('Unit').click();
  await page.getByRole('option', { name: /E2E Subsidiary/ }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByText(/password/i).nth(1).waitFor();
  await dialog.getByLabel(/^Password/).fill('a-long-enough-password');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'e2e.agent' }).waitFor();
});

await step('the admin creates a manager in the same subsidiary', async () => {
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Username').fill('e2e.manager');
  await dialog.getByLabel('Display name').fill('E2E Manager');
  await dialog.getByLabel(/^Password/).fill('a-long-enough-password');
  await dialog.getByLabel('Role').click();
  await page.getByRole('option', { name: 'Manager' }).click();
  await dialog.getByLabel('Unit').click();
  await page.getByRole('option', { name: /E2E Subsidiary/ }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'e2e.manager' }).first().waitFor();
});

await step('the admin creates a compliance officer there too', async () => {
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Username').fill('e2e.compliance');
  await dialog.getByLabel('Display name').fill('E2E Compliance');
  await dialog.getByLabel(/^Password/).fill('a-long-enough-password');
  await dialog.getByLabel('Role').click();
  await page.getByRole('option', { name: 'Compliance', exact: true }).click();
  await dialog.getByLabel('Unit').click();
  await page.getByRole('option', { name: /E2E Subsidiary/ }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('cell', { name: 'e2e.compliance' }).first().waitFor();
});

await step('the UI switches to Chinese', async () => {
  await page.getByText('中文').first().click();
  await page.getByRole('link', { name: '工作台' }).waitFor();
  await page.getByRole('link', { name: '组织机构' }).waitFor();
  await page.getByText('English').first().click();
  await page.getByRole('link', { name: 'Dashboard' }).waitFor();
});

await step('a reload keeps the session (refresh token)', async () => {
  await page.reload();
  await page.getByRole('cell', { name: 'e2e.agent' }).waitFor();
});

await step('signing out returns to the sign-in page', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
});

await step('a second person approves what the admin asked (four eyes)', async () => {
  await page.getByLabel('Username').fill('e2e.approver');
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByText("Waiting for a second person's approval").waitFor();
  for (const name of ['e2e.manager', 'e2e.compliance']) {
    await page.getByRole('button', { name: `Approve ${name}` }).click();
    await page.getByRole('button', { name: `Approve ${name}` }).waitFor({ state: 'detached' });
  }
  await page.screenshot({ path: join(results, 'approvals.png'), fullPage: true });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
});

await step('the new user signs in and sees only what an agent may', async () => {
  await page.getByLabel('Username').fill('e2e.agent');
  await page.getByLabel(/^Password/).fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-user').filter({ hasText: 'Service agent' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Audit log' }).count(), 0);
});

await step('the agent records a customer and sees it masked', async () => {
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('button', { name: 'New customer' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('张三丰');
  await dialog.getByLabel('Mobile').fill('12345');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByText(/mainland mobile/).waitFor();
  await dialog.getByLabel('Mobile').fill('138 1234 1234');
  await dialog.getByLabel('National ID').fill('110105199001011232');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('customer-name').filter({ hasText: '张**' }).waitFor();
  const profile = page.getByTestId('customer-profile');
  await profile.getByText('138****1234').waitFor();
  await profile.getByText('110***********1232').waitFor();
  await profile.getByText('1990-**-**').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Reveal' }).count(), 0, 'agents cannot reveal');
  await page.getByRole('tab', { name: 'Purchases' }).click();
  await page.getByLabel('Product').fill('Broadband 1000M');
  await page.getByLabel('Amount (¥)').fill('199.50');
  await page.getByRole('button', { name: 'Add' }).click();
  await page.getByRole('cell', { name: 'Broadband 1000M' }).waitFor();
  await page.getByRole('cell', { name: 'CNY 199.50' }).waitFor();
  await page.getByText('Spend by month').waitFor();
  await page.screenshot({ path: join(results, 'purchases.png'), fullPage: true });
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('cell', { name: '138****1234' }).waitFor();
  await page.screenshot({ path: join(results, 'customers.png'), fullPage: true });
});

await step('a manager imports a CSV: good rows land, the bad one is reported with its line', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Username').fill('e2e.manager');
  await page.getByLabel(/^Password/).fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-user').filter({ hasText: 'Manager' }).waitFor();
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('button', { name: 'Import' }).click();
  const csv = 'name,mobile,email\n李四,13900001111,li4@example.com\n王五,12345,\n张三丰,13812341234,\n';
  await page.locator('input[type=file]').setInputFiles({ name: 'e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-start').click();
  await page.getByTestId('job-status').filter({ hasText: 'Finished' }).waitFor();
  await page.getByTestId('import-created').filter({ hasText: '1' }).waitFor();
  await page.getByTestId('import-existing').filter({ hasText: '1' }).waitFor();
  await page.getByTestId('import-rejected').filter({ hasText: '1' }).waitFor();
  await page.getByTestId('import-errors').getByRole('cell', { name: '3', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Download error report' }).waitFor();
  await page.screenshot({ path: join(results, 'import.png'), fullPage: true });
});

await step('the manager exports the list as a job and downloads it', async () => {
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByTestId('export-start').click();
  await page.getByText('2 customers exported').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  assert.equal(download.suggestedFilename(), 'customers.csv');
  await page.keyboard.press('Escape');
});

await step('the manager finds customers by part of a name and by a whole mobile', async () => {
  const search = page.getByLabel('Search customers');
  await search.fill('张三丰');
  await page.getByRole('cell', { name: '张三丰' }).waitFor();
  await page.getByRole('cell', { name: '李四' }).waitFor({ state: 'detached' });
  await search.fill('+86 139 0000 1111');
  await page.getByRole('cell', { name: '李四' }).waitFor();
  await page.getByRole('cell', { name: '张三丰' }).waitFor({ state: 'detached' });
  await search.fill('');
  await page.getByRole('cell', { name: '张三丰' }).waitFor();
});

await step('the manager reviews a duplicate, merges it and undoes the merge', async () => {
  await page.getByRole('button', { name: 'New customer' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('张三丰');
  await dialog.getByLabel('Mobile').fill('13812341234');
  await dialog.getByLabel('Email').fill('zsf@example.com');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('duplicates').waitFor();
  await page.getByTestId('merge-open').first().click();
  const preview = page.getByTestId('merge-preview');
  await preview.getByRole('cell', { name: 'zsf@example.com' }).first().waitFor();
  await page.screenshot({ path: join(results, 'merge.png'), fullPage: true });
  await page.getByTestId('merge-confirm').click();
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByTestId('history').getByText('customer.merge', { exact: true }).waitFor();
  await page.getByTestId('merge-undo').click();
  await page.getByTestId('history').getByText('undone').waitFor();
});

await step('the manager runs the data-quality check and sees the accuracy per unit', async () => {
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('button', { name: 'Data quality' }).click();
  await page.getByTestId('quality-run').click();
  await page.getByTestId('job-status').filter({ hasText: 'Finished' }).waitFor();
  await page.getByTestId('quality-table').getByRole('cell', { name: 'E2E Subsidiary' }).waitFor();
  await page.getByText('Information accuracy').first().waitFor();
  await page.screenshot({ path: join(results, 'quality.png'), fullPage: true });
});

await step('compliance publishes a privacy notice, then records and withdraws a consent in the panel', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Username').fill('e2e.compliance');
  await page.getByLabel(/^Password/).fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Consent & privacy' }).click();
  await page.getByRole('tab', { name: 'Privacy notices' }).click();
  await page.getByLabel('Title', { exact: true }).fill('E2E privacy notice');
  await page.getByLabel('Processing method').fill('Stored encrypted');
  await page.getByLabel('Scope', { exact: true }).fill('Name, mobile');
  await page.getByRole('textbox', { name: 'Retention' }).fill('3 years');
  await page.getByLabel('Text', { exact: true }).fill('We process your personal information under PIPL.');
  await page.getByTestId('notice-publish').click();
  await page.getByRole('cell', { name: 'E2E privacy notice' }).waitFor();
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('cell', { name: '李四', exact: true }).click();
  await page.getByRole('tab', { name: 'Consent' }).click();
  const panel = page.getByTestId('consent-panel');
  await panel.getByText('No consent recorded yet.').waitFor();
  await page.getByLabel('Evidence reference').fill('form E2E-1');
  await page.getByTestId('consent-grant').click();
  const row = panel.getByTestId('consent-current').locator('tr[data-purpose="marketing_sms"]');
  await row.getByTestId('consent-state').filter({ hasText: 'Granted' }).waitFor();
  await page.screenshot({ path: join(results, 'consent.png'), fullPage: true });
  await row.getByRole('button', { name: 'Receipt' }).click();
  await page.getByRole('dialog').getByText('KI-CR-v1.1.0').waitFor();
  await page.keyboard.press('Escape');
  await row.getByTestId('consent-withdraw').click();
  await row.getByTestId('consent-state').filter({ hasText: 'Withdrawn' }).waitFor();
  assert.equal(await panel.getByTestId('consent-history').locator('tr').count(), 2, 'grant and withdrawal both kept');
});

await step('a self-service link lets the customer change a consent on the public page', async () => {
  await page.getByTestId('consent-link-issue').click();
  const text = await page.getByTestId('consent-link-url').innerText();
  const url = text.split('\n')[0].trim();
  assert.match(url, /\/self-service\/consent#ey/);
  const customerPage = await context.newPage();
  await customerPage.goto(url);
  await customerPage.getByTestId('self-service-greeting').filter({ hasText: '李*' }).waitFor();
  const row = customerPage.getByTestId('self-service-purposes').locator('tr[data-purpose="marketing_sms"]');
  // The switch input is visually hidden by Mantine; click its label track instead.
  await row.locator('label').click();
  await customerPage.getByTestId('self-service-saved').waitFor();
  assert.equal(await row.getByRole('switch').isChecked(), true);
  await customerPage.screenshot({ path: join(results, 'self-service.png'), fullPage: true });
  await customerPage.close();
  await page.reload();
  await page.getByRole('tab', { name: 'Consent' }).click();
  const staffRow = page.getByTestId('consent-current').locator('tr[data-purpose="marketing_sms"]');
  await staffRow.getByTestId('consent-state').filter({ hasText: 'Granted' }).waitFor();
  await staffRow.getByText('by the customer').waitFor();
});

await step('compliance records an incident, its affected customer and notification, and prints the report', async () => {
  const customerId = new URL(page.url()).pathname.split('/').pop();
  await page.getByRole('link', { name: 'Incidents' }).click();
  await page.getByRole('button', { name: 'Record an incident' }).click();
  await page.getByLabel(/^Title/).fill('E2E misdirected export');
  // Mantine's MultiSelect keeps its input hidden behind the pills box: click the box.
  await page.locator('.mantine-MultiSelect-input').first().click();
  await page.getByRole('option', { name: 'Mobile' }).click();
  await page.keyboard.press('Escape');
  await page.getByLabel('Occurred').fill('2026-11-20T09:00');
  await page.getByLabel('Detected').fill('2026-11-21T10:00');
  await page.getByLabel('Description').fill('An export went to the wrong address.');
  await page.getByLabel('Contact').fill('dpo@example.com');
  await page.getByTestId('incident-create').click();
  await page.getByTestId('incident-status').filter({ hasText: 'Open' }).waitFor();
  await page.getByLabel('Customer ids').fill(customerId);
  await page.getByTestId('affected-add').click();
  await page.getByTestId('incident-affected').filter({ hasText: '1' }).waitFor();
  await page.getByTestId('incident-notify').click();
  await page.getByText('1 notifications recorded, 0 without an address.').waitFor();
  await page.getByTestId('incident-timeline').getByText('Notification', { exact: true }).waitFor();
  await page.getByTestId('incident-report-link').click();
  const report = page.getByTestId('incident-report');
  await report.getByText('E2E misdirected export').waitFor();
  await report.getByText('An export went to the wrong address.').waitFor();
  await page.screenshot({ path: join(results, 'incident-report.png'), fullPage: true });
});

await step('the admin runs the re-encryption from the keys page and sees it finish', async () => {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Keys', exact: true }).click();
  await page.getByTestId('stale-table').waitFor();
  await page.getByTestId('start-rotation').click();
  await page.getByTestId('job-status').filter({ hasText: 'Finished' }).waitFor();
  await page.getByText(/Re-encrypted \d+ customers/).waitFor();
});

assert.deepEqual(errors, [], 'no uncaught errors in the page');
await context.close();
console.log('browser test passed');
