// Tickets: a manager opens a complaint from a customer's page, attaches a photo and walks it
// through every step to closed with the legal next steps the page offers; the queues show it; the
// customer follows a request of their own on a phone through their link; the SLA setup is edited.
// Every page passes axe-core.
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { findings } from './accessibility.mjs';

async function take(page, step, fill = async () => {}) {
  await page.getByTestId('ticket-steps').getByRole('button', { name: step, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await fill(dialog);
  await dialog.getByTestId('ticket-step-save').click();
  await dialog.waitFor({ state: 'hidden' });
}

/** A PNG's first bytes and some content: what the server reads the type from. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR box')]);

export default async function ({ page, results, step, context }) {
  await step('a complaint opened from a customer page is walked to closed', async () => {
    await page.getByRole('link', { name: 'Customers' }).first().click();
    await page.getByLabel('Search customers').fill('赵六');
    await page.getByRole('link', { name: '赵六' }).first().click();
    await page.getByRole('tab', { name: 'Tickets' }).click();
    await page.getByTestId('ticket-new').click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Subject').fill('机顶盒无信号');
    await form.getByLabel('Description').fill('三天无信号');
    await form.getByTestId('ticket-create').click();
    await page.getByRole('heading', { name: '机顶盒无信号', level: 1 }).waitFor();
    const status = page.getByTestId('ticket-status');
    await status.filter({ hasText: 'New' }).waitFor();
    // Only the legal next steps are offered.
    const offered = await page.getByTestId('ticket-steps').getByRole('button').allInnerTexts();
    assert.deepEqual(offered, ['Start investigating', 'Cancel ticket']);
    // A photo of the faulty box, on the timeline as a download.
    await page.locator('input[type="file"]').setInputFiles({ name: 'box.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('ticket-attachment').filter({ hasText: 'box.png' }).waitFor();
    await take(page, 'Start investigating');
    await status.filter({ hasText: 'Investigating' }).waitFor();
    await take(page, 'Assign responsibility', async (d) => {
      await d.getByLabel('Investigation findings').fill('线路老化');
      await d.getByLabel('Cause').fill('line');
    });
    await status.filter({ hasText: 'Assigned' }).waitFor();
    await take(page, 'Start resolving');
    await take(page, 'Solution given', async (d) => d.getByLabel('Solution').fill('更换线路'));
    await status.filter({ hasText: 'Awaiting feedback' }).waitFor();
    await take(page, 'Close', async (d) => {
      await d.getByLabel('Feedback to the customer').fill('客户满意');
      // The star's input is visually hidden: click its label, as a person does.
      const star = await d.getByRole('radio', { name: '5 stars' }).getAttribute('id');
      await d.locator(`label[for="${star}"]`).click();
    });
    await status.filter({ hasText: 'Closed' }).waitFor();
    await page.getByTestId('ticket-timeline').getByText('线路老化').waitFor();
    assert.deepEqual(await findings(page, 'ticket'), []);
    await page.screenshot({ path: join(results, 'ticket.png'), fullPage: true });
    // The queues list it under "All" and pass axe-core too.
    await page.getByRole('link', { name: 'Tickets' }).first().click();
    await page.getByRole('heading', { name: 'Service tickets', level: 1 }).waitFor();
    await page.getByTestId('ticket-queues').getByText('All', { exact: true }).click();
    await page.getByTestId('ticket-row').filter({ hasText: '机顶盒无信号' }).waitFor();
    assert.deepEqual(await findings(page, 'tickets'), []);
  });

  await step('the customer opens and follows a request on a phone through their link', async () => {
    await page.getByRole('link', { name: 'Customers' }).first().click();
    await page.getByLabel('Search customers').fill('赵六');
    await page.getByRole('link', { name: '赵六' }).first().click();
    await page.getByRole('tab', { name: 'Tickets' }).click();
    await page.getByTestId('tickets-link-issue').click();
    const url = (await page.getByTestId('tickets-link-url').innerText()).split('\n')[0].trim();
    assert.match(url, /\/self-service\/tickets#ey/);
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(url);
    // The complaint staff closed is there; the customer opens an inquiry of their own.
    await phone.getByTestId('self-ticket').filter({ hasText: '机顶盒无信号' }).waitFor();
    await phone.getByTestId('self-ticket-subject').fill('如何设置家长锁');
    await phone.getByTestId('self-ticket-send').click();
    const mine = phone.getByTestId('self-ticket').filter({ hasText: '如何设置家长锁' });
    await mine.getByTestId('self-ticket-status').filter({ hasText: 'New' }).waitFor();
    await mine.getByTestId('self-ticket-open').click();
    await mine.getByLabel('Your reply').fill('机顶盒型号 B860');
    await mine.getByTestId('self-ticket-reply').click();
    await mine.getByTestId('self-ticket-event').filter({ hasText: '机顶盒型号 B860' }).waitFor();
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(wide, false, 'no sideways scrolling at 390 px');
    assert.deepEqual(await findings(phone, 'self-service tickets'), []);
    await phone.screenshot({ path: join(results, 'self-service-tickets.png'), fullPage: true });
    await phone.close();
    // Staff see the customer's words on the new ticket.
    await page.getByRole('link', { name: 'Tickets' }).first().click();
    await page.getByTestId('ticket-queues').getByText('All', { exact: true }).click();
    await page.getByTestId('ticket-row').filter({ hasText: '如何设置家长锁' }).waitFor();
    // Narrowed to complaints, the inquiry leaves the list and the complaint stays.
    await page.getByTestId('ticket-filter-kind').click();
    await page.getByRole('option', { name: 'Complaint', exact: true }).click();
    await page.getByTestId('ticket-row').filter({ hasText: '如何设置家长锁' }).waitFor({ state: 'detached' });
    await page.getByTestId('ticket-row').filter({ hasText: '机顶盒无信号' }).waitFor();
  });

  await step('the SLA setup: hours, targets and the holiday calendar', async () => {
    await page.getByTestId('sla-link').click();
    await page.getByRole('heading', { name: 'Service levels', level: 1 }).waitFor();
    // 2026's built-in schedule, make-up working days included.
    await page.getByLabel('Year').fill('2026');
    await page.getByTestId('sla-calendar').locator('input[value="2026-02-14"]').waitFor();
    assert.equal(await page.getByTestId('sla-calendar').locator('tbody tr').count(), 25);
    const rows = await page.getByTestId('sla-policies').locator('tbody tr').count();
    assert.ok(rows >= 4, `the seed's targets are listed (${rows})`);
    await page.getByLabel('Warn at').fill('75');
    await page.getByTestId('sla-hours-save').click();
    await page.getByText('Saved').first().waitFor();
    assert.deepEqual(await findings(page, 'sla'), []);
    await page.screenshot({ path: join(results, 'sla.png'), fullPage: true });
  });
}
