// Keys: the re-encryption run.

export default async function ({ page, base, password, results, step, context }) {
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
}
