// Segments: a group manager builds a rule, watches the live count, saves it and sees its members.
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { findings } from './accessibility.mjs';

export default async function ({ page, results, step }) {
  await step('a manager builds a segment with a live count, saves it and lists its members', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('heading', { name: 'Segments', level: 1 }).waitFor();
    const condition = page.getByTestId('segment-condition').first();
    await condition.getByLabel('Field').click();
    await page.getByRole('option', { name: 'Tag', exact: true }).click();
    await condition.getByLabel('Value').fill('e2e-bulk');
    // The two customers tagged in bulk earlier.
    await page.getByTestId('segment-count').filter({ hasText: '2 customers match' }).waitFor();
    await page.getByLabel('Name').fill('E2E bulk-tagged');
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-item').filter({ hasText: 'E2E bulk-tagged' }).waitFor();
    const members = page.getByTestId('segment-members');
    for (const name of ['李四', '赵六']) await members.getByRole('link', { name }).waitFor();
    // Frozen for a campaign: the snapshot holds the two members.
    await page.getByTestId('segment-snapshot').click();
    await page.getByTestId('segment-snapshots').getByRole('cell', { name: '2', exact: true }).waitFor();
    assert.deepEqual(await findings(page, 'segments'), []);
    await page.screenshot({ path: join(results, 'segments.png'), fullPage: true });
    // The churn queue opens and passes axe-core even when it is empty.
    await page.getByRole('link', { name: 'Churn warnings' }).click();
    await page.getByRole('heading', { name: 'Churn warnings', level: 1 }).waitFor();
    await page.getByTestId('churn-queue').waitFor();
    assert.deepEqual(await findings(page, 'churn'), []);
  });
}
