// Customer care: a manager makes a birthday rule (off at first); a second manager switches it on,
// and the page lists it with the coming two weeks. Every view passes axe-core.
import assert from 'node:assert/strict';

import { findings, signInAs } from './accessibility.mjs';

export default async function ({ page, step }) {
  await step('a care rule is made by one manager, switched on by another, and the calendar shows', async () => {
    await signInAs(page, 'e2e.head', 'a-long-enough-password');
    await page.getByRole('link', { name: 'Care' }).click();
    await page.getByRole('heading', { name: 'Customer care', level: 1 }).waitFor();
    await page.getByTestId('care-new').click();
    const form = page.getByRole('dialog');
    await form.getByLabel(/^Name/).fill('E2E 生日祝福');
    await form.getByLabel('Message', { exact: true }).fill('{{name}}生日快乐');
    assert.deepEqual(await findings(page, 'care rule form'), []);
    await form.getByTestId('care-save').click();
    const rule = page.getByTestId('care-rules').getByRole('row', { name: /E2E 生日祝福/ });
    await rule.getByText('Off').waitFor();

    await signInAs(page, 'e2e.chief', 'a-long-enough-password');
    await page.getByRole('link', { name: 'Care' }).click();
    await rule.getByRole('button', { name: 'Switch on' }).click();
    await rule.getByText('On', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'The next two weeks', level: 2 }).waitFor();
    assert.deepEqual(await findings(page, 'care page'), []);
  });
}
