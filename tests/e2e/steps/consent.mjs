// Consent: notices, records, withdrawal, the self-service page.
import assert from 'node:assert/strict';
import { join } from 'node:path';

export default async function ({ page, base, password, results, step, context }) {
  await step('compliance publishes a privacy notice, then records and withdraws a consent in the panel', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill('e2e.compliance');
    await page.getByLabel(/^Password/).fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // On a fresh system the panel explains that a notice comes first, and leads to it.
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: '李四', exact: true }).click();
    await page.getByRole('tab', { name: 'Consent' }).click();
    await page.getByTestId('consent-no-notice').waitFor();
    assert.equal(await page.getByTestId('consent-grant').count(), 0, 'no form that can only fail');
    await page.getByRole('link', { name: 'Publish a privacy notice' }).click();
    await page.getByRole('tab', { name: 'Privacy notices', selected: true }).waitFor();
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
    // Withdrawing cannot be taken back: the dialog says what it means before anything changes.
    const confirm = page.getByRole('dialog').filter({ hasText: 'nobody may use' });
    await confirm.waitFor();
    await row.getByTestId('consent-state').filter({ hasText: 'Granted' }).waitFor();
    await page.getByTestId('consent-withdraw-confirm').click();
    await row.getByTestId('consent-state').filter({ hasText: 'Withdrawn' }).waitFor();
    await page.getByText('Saved').first().waitFor();
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

  await step('compliance logs an access request on the customer page and completes it in the queue', async () => {
    await page.getByTestId('request-open').click();
    await page.getByTestId('request-kind').click();
    await page.getByRole('option', { name: 'Access / copy' }).click();
    await page.getByRole('dialog').getByText('a copy of the personal data').waitFor();
    await page.getByTestId('request-log').click();
    await page.getByText('Request logged').first().waitFor();
    await page.getByRole('link', { name: 'Consent & privacy' }).click();
    const queue = page.getByTestId('privacy-requests');
    // The queue names the customer, masked as this role sees them, not by a bare id.
    const row = queue.getByRole('row').filter({ hasText: 'Access / copy' }).first();
    await row.getByRole('link', { name: /^李/ }).waitFor();
    await row.getByTestId('privacy-complete').click();
    const confirm = page.getByTestId('request-complete-confirm');
    assert.equal(await confirm.isDisabled(), true, 'an access request closes with how the copy went out');
    await page.getByTestId('request-delivery').click();
    await page.getByRole('option', { name: 'Post' }).click();
    await confirm.click();
    await row.getByText('copy provided by post').waitFor();
    await page.screenshot({ path: join(results, 'privacy-requests.png'), fullPage: true });
    // Back to the customer (the incident steps start from the customer's page).
    await row.getByRole('link', { name: /^李/ }).click();
    await page.getByTestId('customer-profile').waitFor();
  });
}
