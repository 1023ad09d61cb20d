// Accessibility and phone width: axe-core on the main screens of each role (no serious or
// critical violation), one h1 per page, and at 390 px no sideways scrolling and a menu that
// closes after a choice.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export async function signInAs(page, username, password) {
  if (!page.url().endsWith('/login')) {
    await page.getByRole('button', { name: /Sign out|退出登录/ }).click();
  }
  await page.getByLabel(/Username|用户名/).fill(username);
  await page.getByLabel(/^(Password|密码)/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await page.getByTestId('current-user').waitFor();
}

/** Serious and critical axe findings on the page as it is now, with where they are. */
export async function findings(page, screen) {
  // A toast fading in is measured half transparent (contrast 1.1): let running transitions end.
  // (Spinners run forever and are left alone.)
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => null)),
    ),
  );
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axe });
  // Toasts are left out: each closes by itself a few seconds after it opened, and one starting to
  // fade out while axe runs is measured half transparent — a finding of the timing, not of the
  // page (it failed runs at random). Their text and colours are those of the alerts axe checks.
  const result = await page.evaluate(() =>
    window.axe.run({ exclude: [['.mantine-Notifications-root']] }, { resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}: ${v.nodes[0]?.any?.[0]?.message ?? ''}`);
}

async function headings(page) {
  return page.evaluate(() => document.querySelectorAll('h1').length);
}

// Screens per role, by the menu entry that opens them (English names) and a thing to wait for.
const screens = {
  admin: [['Dashboard', 'main'], ['Units', 'table'], ['Users', 'table'], ['API keys', 'main'], ['Webhooks', 'main'], ['Keys', 'main']],
  manager: [['Customers', 'table'], ['Dashboard', 'main']],
  compliance: [['Consent & privacy', 'main'], ['Incidents', 'main'], ['Audit log', 'table']],
};

export default async function ({ page, base, password, results, step }) {
  const problems = [];
  const oneH1 = [];

  async function check(screen) {
    await page.waitForLoadState('networkidle');
    problems.push(...(await findings(page, screen)));
    const h1 = await headings(page);
    if (h1 !== 1) oneH1.push(`${screen}: ${h1} h1`);
  }

  await step('axe-core finds no serious or critical violation on the main screens', async () => {
    await page.goto(`${base}/`);
    if (!page.url().endsWith('/login')) await page.getByRole('button', { name: /Sign out|退出登录/ }).click();
    await page.getByLabel(/Username|用户名/).waitFor();
    await check('sign-in');
    const people = { admin: ['admin', password], manager: ['e2e.manager', 'a-long-enough-password'], compliance: ['e2e.compliance', 'a-long-enough-password'] };
    for (const [role, list] of Object.entries(screens)) {
      await signInAs(page, ...people[role]);
      for (const [link, ready] of list) {
        await page.getByRole('link', { name: link, exact: true }).click();
        await page.locator(ready).first().waitFor();
        await check(`${role} ${link}`);
      }
      if (role === 'manager') {
        await page.getByRole('link', { name: 'Customers', exact: true }).click();
        await page.getByRole('row').nth(1).click();
        await page.getByTestId('customer-profile').waitFor();
        await check('manager customer page');
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
    assert.deepEqual(oneH1, [], 'one h1 per page');
  });

  await step('at phone width the page does not scroll sideways and the menu closes after a choice', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const wide = [];
    for (const link of ['Consent & privacy', 'Incidents', 'Dashboard']) {
      await page.getByRole('button', { name: /menu|菜单/i }).click();
      await page.getByRole('link', { name: link, exact: true }).click();
      // The menu covers the page on a phone: the choice slides it away.
      await page.waitForFunction(() => {
        const nav = document.querySelector('nav');
        return nav !== null && nav.getBoundingClientRect().right <= 0;
      });
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) wide.push(`${link}: ${overflow}px`);
      // The header does not cover the page's heading.
      const covered = await page.evaluate(() => {
        const header = document.querySelector('header')?.getBoundingClientRect();
        const h1 = document.querySelector('h1')?.getBoundingClientRect();
        return header && h1 ? h1.top < header.bottom : false;
      });
      assert.ok(!covered, `${link}: the header covers the heading`);
      // Nor does the header's own content spill out of it over the page.
      const spills = await page.evaluate(() => {
        const header = document.querySelector('header');
        return header ? header.scrollHeight > header.clientHeight + 1 || header.scrollWidth > header.clientWidth + 1 : true;
      });
      assert.ok(!spills, `${link}: the header's content overflows it at phone width`);
    }
    await page.screenshot({ path: join(results, 'phone-dashboard.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.deepEqual(wide, [], 'no sideways scrolling at 390 px');
  });
}
