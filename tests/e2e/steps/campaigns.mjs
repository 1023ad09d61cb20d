// Campaigns: a group manager plans one for the segment made earlier (the message previewed as a
// text message shows it), submits it; a second manager approves and launches it and opens its
// report. Every page passes axe-core.
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { findings, signInAs } from './accessibility.mjs';
import { groupManager } from './api.mjs';

export default async function ({ page, base, password, results, step }) {
  await step('a campaign is planned, approved by a second manager, launched, and its report opens', async () => {
    // The second group manager.
    await groupManager(base, password, 'e2e.chief', 'E2E Chief');

    await signInAs(page, 'e2e.head', 'a-long-enough-password');
    await page.getByRole('link', { name: 'Marketing' }).click();
    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    await page.getByTestId('campaign-new').click();
    const form = page.getByRole('dialog');
    await form.getByLabel(/^Name/).fill('E2E 春季回馈');
    await form.getByTestId('campaign-segments').getByLabel('E2E bulk-tagged').check();
    await form.getByLabel('Message', { exact: true }).fill('{{name}}您好，春季回馈到店享 8 折');
    await form.getByTestId('campaign-preview').filter({ hasText: '张*您好，春季回馈到店享 8 折 回T退订' }).waitFor();
    assert.deepEqual(await findings(page, 'campaign form'), []);
    await form.getByTestId('campaign-save').click();
    await page.getByRole('heading', { name: 'E2E 春季回馈', level: 1 }).waitFor();
    const state = page.getByTestId('campaign-state');
    await state.filter({ hasText: 'Draft' }).waitFor();
    await page.getByTestId('campaign-actions').getByRole('button', { name: 'Submit for approval' }).click();
    await state.filter({ hasText: 'Awaiting approval' }).waitFor();
    // The author may not approve it: the button is not offered... to anyone but another manager.
    const address = page.url();

    await signInAs(page, 'e2e.chief', 'a-long-enough-password');
    await page.goto(address);
    await page.getByTestId('campaign-actions').getByRole('button', { name: 'Approve and launch' }).click();
    await page.getByTestId('campaign-review-confirm').click();
    await state.filter({ hasText: /Scheduled|Running|Completed/ }).waitFor();
    // Frozen at approval: the segment's two members.
    await page.getByTestId('report-audience').filter({ hasText: /^Audience2$/ }).waitFor();
    await page.getByTestId('report-reasons').waitFor();
    assert.deepEqual(await findings(page, 'campaign report'), []);
    await page.screenshot({ path: join(results, 'campaign.png'), fullPage: true });
  });
}
