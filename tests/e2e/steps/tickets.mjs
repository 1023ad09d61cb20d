// Tickets: a manager opens a complaint from a customer's page and walks it through every step to
// closed with the legal next steps the page offers; the queues show it; both pages pass axe-core.
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

export default async function ({ page, results, step }) {
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
}
