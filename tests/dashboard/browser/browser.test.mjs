// browser.test.mjs - the request page in Debian's headless Chromium: an agency
// turns from pending to reported live, without the page reloading.
//
// Run by it_dashboard_browser.sh, which starts the broker, the agents and the
// dashboard, installs playwright-core (pinned, no browser download) into the
// build tree and sets:
//   BC_NODE_MODULES   where playwright-core is installed
//   BC_CHROMIUM       the browser, /usr/bin/chromium
//   BC_DASH_URL       http://127.0.0.1:PORT
//   BC_REQUEST_KEY    the request's full key
//   BC_AGENCY         the agency whose agent will report
//   BC_DROP_CMD       a shell command that makes it report (drops its document)
//   BC_SHOTS          the folder for screenshots (in the build tree)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name) => {
  const v = process.env[name];
  if (!v) { throw new Error(`${name} is not set (run it_dashboard_browser.sh)`); }
  return v;
};
const require = createRequire(join(env('BC_NODE_MODULES'), 'noop.js'));
const { chromium } = require('playwright-core');

const URL_BASE = env('BC_DASH_URL');
const KEY = env('BC_REQUEST_KEY');
const AGENCY = env('BC_AGENCY');
const SHOTS = env('BC_SHOTS');
const PENDING = /^(Chờ gửi|Đã gửi|Đã đến|Đã tiếp nhận|Đã phân công|Đang xử lý|Đã nhắc hạn)$/;
const REQUEST_URL = `${URL_BASE}/r/${encodeURIComponent(KEY)}`;

// A fresh profile each run, and nothing that reaches past loopback.
async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'baocao-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env('BC_CHROMIUM'),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  return { context, profile };
}

// Console errors and CSP refusals would mean the page is broken somewhere.
function watch(page, problems) {
  page.on('console', (m) => { if (m.type() === 'error') { problems.push(`console: ${m.text()}`); } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(URL_BASE) && !r.url().startsWith('data:')) {
      problems.push(`external request: ${r.url()}`);
    }
  });
}

test('an agency turns from pending to reported live on the request page', { timeout: 120000 }, async () => {
  mkdirSync(SHOTS, { recursive: true });
  const { context, profile } = await launch();
  const problems = [];
  try {
    const page = await context.newPage();
    watch(page, problems);
    const response = await page.goto(REQUEST_URL, { waitUntil: 'load' });
    assert.equal(response.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');

    const badge = page.locator(`[id="a-${AGENCY}"] .status .badge`);
    const before = (await badge.textContent()).trim();
    assert.match(before, PENDING, `the agency starts pending, not "${before}"`);
    // The live stream is up before anything happens (snapshot received).
    await page.waitForFunction(() => document.getElementById('live').dataset.state === 'live',
      null, { timeout: 20000 });
    // Anything set now survives only if the page does not reload.
    await page.evaluate(() => { window.bcSamePage = 'yes'; });
    const reportedBefore = await page.locator('#head .c-reported').textContent();
    await page.screenshot({ path: join(SHOTS, 'request-before.png'), fullPage: false });

    execSync(env('BC_DROP_CMD'), { stdio: 'inherit', shell: '/bin/bash' });

    await page.waitForFunction((code) => {
      const b = document.querySelector(`[id="a-${code}"] .status .badge`);
      return b && b.textContent.trim() === 'Đã báo cáo';
    }, AGENCY, { timeout: 45000 });
    assert.equal(await page.evaluate(() => window.bcSamePage), 'yes', 'the page reloaded');
    const row = page.locator(`[id="a-${AGENCY}"]`);
    assert.match(await row.getAttribute('class'), /\bs-reported\b/);
    assert.equal((await row.locator('.timeliness').textContent()).trim(), 'Đúng hạn');
    assert.equal(Number(await page.locator('#head .c-reported').textContent()),
      Number(reportedBefore) + 1, 'the count of reports did not go up');
    assert.equal(await page.locator(`#arrivals li[data-id^="${AGENCY}#"]`).count(), 1,
      'the arrival is not on the timeline');
    assert.equal(await page.locator('#stale').isVisible(), true, 'no notice that the summary changed');
    await page.waitForTimeout(2600);   // let the row's highlight fade for the picture
    const shot = join(SHOTS, 'request-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`# screenshot: ${shot}`);

    // Reloaded, the page shows the new report in the summary and charts.
    await page.reload({ waitUntil: 'load' });
    assert.equal(await page.locator('#stale').isVisible(), false);
    await page.locator('#summary details').first().evaluate((d) => { d.open = true; });
    const full = join(SHOTS, 'request-page-reloaded.png');
    await page.screenshot({ path: full, fullPage: true });
    console.log(`# screenshot: ${full}`);

    // The same page on a phone, and the requests page on a projector.
    const phone = await context.newPage();
    watch(phone, problems);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(REQUEST_URL, { waitUntil: 'load' });
    const phoneShot = join(SHOTS, 'request-phone.png');
    await phone.screenshot({ path: phoneShot, fullPage: false });
    console.log(`# screenshot: ${phoneShot}`);
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 400, `the phone page scrolls sideways (${wide}px wide)`);

    const projector = await context.newPage();
    watch(projector, problems);
    await projector.setViewportSize({ width: 1920, height: 1080 });
    await projector.goto(`${URL_BASE}/?display=projector`, { waitUntil: 'load' });
    await projector.waitForFunction(() => document.getElementById('live').dataset.state === 'live',
      null, { timeout: 20000 });
    const listShot = join(SHOTS, 'requests-projector.png');
    await projector.screenshot({ path: listShot, fullPage: false });
    console.log(`# screenshot: ${listShot}`);
    assert.equal(await projector.locator('.req .c-reported').first().textContent(),
      String(Number(reportedBefore) + 1));

    assert.deepEqual(problems, [], problems.join('\n'));
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
