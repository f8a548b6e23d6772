// Browser test of the client onboarding wizard against `onramp-edge serve --demo`.
//
//   node tests/browser/wizard.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// Signs in as the demo user through the wizard's link (/#/onboard), then
// walks every step with real mouse and keyboard events: company basics
// (Tab between fields), BigCommerce with the demo credentials (test, then
// save), the initial sync's progress, the webhook URL copied through the
// click's gesture, a document uploaded through the browser's file picker,
// goals, a reload that resumes at the right step without signing in again,
// an invitation whose link the invited rep opens to join, the verify
// checklist before and after, and Finish; then the operator finds the
// client, its sync history and its products in the console; then a phone
// (390×844, touch) where signing in resumes at the last screen and it fits.
// Asserts on what the test hook reports, never on pixels.
// Screenshots of each step at 1280×800, and of the last at 390×844, go to
// OUT/wizard-<step>.png and OUT/wizard-phone-<step>.png.
import path from 'node:path';
import {
  Checks, clickInView as click, clickWidget, expectEqual, fillField, openBrowser, runTest, startEdge, testArgs,
  waitForState, waitFrames,
} from './harness.mjs';

const DEMO_EMAIL = 'demo@onramp.local';
const DEMO_PASSWORD = 'onramp-demo';
const DOCUMENT = 'price-list.txt';
const INVITEE = 'rep@demo-company.test';

const args = testArgs();
const checks = new Checks();
let edge = null;
let browser = null;
let problems = [];

const watchdog = setTimeout(() => {
  console.log('FAIL the test took longer than 150 s');
  process.exit(1);
}, 150000);

const onStep = (step) => (s) => s.screen === 'wizard' && s.step === step && s.widgets['step.title'];

async function screenshot(page, name) {
  await page.mouse.move(1, 1); // no hover highlight in the picture
  await waitFrames(page);
  const file = path.join(args.out, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

async function signIn(page) {
  await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen', 20000);
  await fillField(page, 'email', DEMO_EMAIL);
  await fillField(page, 'password', DEMO_PASSWORD);
  await clickWidget(page, 'sign_in');
}

async function main() {
  edge = await startEdge({ ...args, extraArgs: ['--demo'] });
  const opened = await openBrowser({ width: 1280, height: 800, scale: 1 });
  ({ browser, problems } = opened);
  const { page, context } = opened;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: edge.url });

  await checks.run('signing in from the wizard link opens the first step', async () => {
    await page.goto(`${edge.url}/#/onboard`);
    await signIn(page);
    const s = await waitForState(page, onStep('company'), 'the company step', 10000);
    return `step ${s.step}`;
  });

  await checks.run('company basics: Tab moves between fields, the form saves', async () => {
    await fillField(page, 'company_name', 'Demo Company');
    await page.keyboard.press('Tab');
    await waitForState(page, (s) => s.focused === 'company_phone', 'Tab to reach the phone field');
    await page.keyboard.type('+1-555-123-4567');
    await waitForState(page, (s) => s.widgets.company_phone?.text === '+1-555-123-4567', 'the typed phone');
    await click(page, 'industry');
    // A drop-down is placed a frame after it first appears.
    await waitForState(page, (s) => s.widgets['industry.8'], 'the open drop-down');
    await waitFrames(page, 3);
    await click(page, 'industry.8');
    await waitForState(page, (s) => s.widgets.industry?.text === 'e-commerce', 'the chosen industry');
    await screenshot(page, 'wizard-company');
    await click(page, 'continue');
    await waitForState(page, onStep('platforms'), 'the platforms step');
  });

  await checks.run('BigCommerce with the demo credentials: test, then save', async () => {
    await screenshot(page, 'wizard-platforms');
    await click(page, 'platform.bigcommerce');
    await waitForState(page, (s) => s.widgets.use_demo && s.widgets.store_hash, 'the BigCommerce form');
    await click(page, 'use_demo');
    let s = await waitForState(page, (st) => st.widgets.store_hash.text && st.widgets.access_token.text,
      'the demo credentials in the form');
    expectEqual(s.widgets['access_token.reveal']?.text, 'Show', 'the token, masked');
    await click(page, 'test');
    s = await waitForState(page, (st) => st.widgets['test.result'], 'the test result', 15000);
    expectEqual(s.widgets['test.result'].text, 'Connection verified', 'test result');
    await screenshot(page, 'wizard-connect');
    await click(page, 'connect');
    await waitForState(page, onStep('sync'), 'the sync step', 15000);
    return `store ${s.widgets.store_hash.text}`;
  });

  await checks.run('the initial sync shows its progress and counts', async () => {
    const s = await waitForState(page, (st) => st.widgets['sync.state']?.text === 'succeeded',
      'the sync to succeed', 20000);
    if (!/^\d+ /.test(s.widgets['sync.counts'].text)) throw new Error(`counts: ${s.widgets['sync.counts'].text}`);
    await screenshot(page, 'wizard-sync');
    await click(page, 'continue');
    await waitForState(page, onStep('webhooks'), 'the webhooks step');
    return s.widgets['sync.counts'].text;
  });

  await checks.run('webhooks: the URL is copied inside the click, Escape steps back', async () => {
    const s = await waitForState(page, (st) => st.widgets['webhook.url']?.text.includes('/webhooks/bigcommerce/'),
      'the webhook URL');
    await click(page, 'webhook.url.copy');
    await waitForState(page, (st) => st.widgets['webhook.url.copy']?.text === 'Copied', 'the Copied label');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expectEqual(copied, s.widgets['webhook.url'].text, 'clipboard');
    await screenshot(page, 'wizard-webhooks');
    await page.keyboard.press('Escape');
    await waitForState(page, onStep('sync'), 'Escape to go back to the sync');
    await click(page, 'continue');
    await waitForState(page, onStep('webhooks'), 'the webhooks step again');
    await click(page, 'continue');
    await waitForState(page, onStep('documents'), 'the documents step');
    return copied;
  });

  await checks.run('documents: the file picker uploads, ingestion finishes', async () => {
    await waitForState(page, (s) => s.widgets.choose_file, 'the Choose a file button');
    const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
    await click(page, 'choose_file');
    await (await chooser).setFiles({
      name: DOCUMENT, mimeType: 'text/plain',
      buffer: Buffer.from('Price list\nRoof inspection: 120 USD\nGutter cleaning: 90 USD\n'),
    });
    const s = await waitForState(page, (st) => st.widgets['document.0']?.text === `${DOCUMENT}: done`,
      'the document to be ingested', 20000);
    await screenshot(page, 'wizard-documents');
    await click(page, 'continue');
    await waitForState(page, onStep('goals'), 'the goals step');
    return s.widgets['document.0'].text;
  });

  await checks.run('goals and preferences save', async () => {
    await screenshot(page, 'wizard-goals');
    await click(page, 'continue');
    await waitForState(page, onStep('team'), 'the team step', 10000);
  });

  await checks.run('a reload resumes at the team step, still signed in', async () => {
    await page.reload();
    await waitForState(page, onStep('team'), 'the team step after a reload', 15000);
  });

  let inviteLink = '';
  await checks.run('team: an invitation gives a link to copy, and is listed', async () => {
    await fillField(page, 'invite_email', INVITEE);
    await click(page, 'invite');
    const s = await waitForState(page, (st) => st.widgets['invited.0']?.text.startsWith(INVITEE) &&
      st.widgets['invite.link'], 'the invitation and its link');
    inviteLink = s.widgets['invite.link'].text;
    if (!inviteLink.startsWith(`${edge.url}/#/invite/`)) throw new Error(`link: ${inviteLink}`);
    await click(page, 'invite.link.copy');
    expectEqual(await page.evaluate(() => navigator.clipboard.readText()), inviteLink, 'clipboard');
    await screenshot(page, 'wizard-team');
    await click(page, 'continue');
    await waitForState(page, onStep('verify'), 'the verify step');
    return s.widgets['invited.0'].text;
  });

  await checks.run('verify: until the rep joins, the checklist names what is missing, with a way to fix it', async () => {
    const s = await waitForState(page, (st) => st.widgets['verify.result'] && st.widgets['check.3'],
      'the verify result', 10000);
    const states = [0, 1, 2, 3].map((i) => s.widgets[`check.${i}`].text);
    expectEqual(states.join(', '), 'ok, ok, ok, missing', 'checks');
    if (!s.widgets['fix.3']) throw new Error('the missing team member has no Fix link');
    await screenshot(page, 'wizard-verify');
    return `${s.widgets['verify.result'].text}: ${states.join(', ')}`;
  });

  await checks.run('the invited rep opens the link and joins', async () => {
    const invited = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await invited.newPage();
    p.on('pageerror', (err) => problems.push(`page error (invitee): ${err.message}`));
    await p.goto(inviteLink);
    await waitForState(p, (s) => s.screen === 'invitation' && s.widgets.invite_name, 'the invitation', 20000);
    await screenshot(p, 'wizard-invitation');
    await fillField(p, 'invite_name', 'Riley Rep');
    await fillField(p, 'invite_password', 'rep-password-1');
    await clickWidget(p, 'join');
    const s = await waitForState(p, (st) => st.screen !== 'invitation', 'the joined rep to leave the invitation', 15000);
    await invited.close();
    return `then ${s.screen}`;
  });

  await checks.run('verify passes and Finish ends the wizard', async () => {
    await click(page, 'continue'); // "Check again"
    const s = await waitForState(page, (st) => st.widgets['verify.result']?.text === 'Everything is in place',
      'every check to pass', 10000);
    expectEqual([0, 1, 2, 3].map((i) => s.widgets[`check.${i}`].text).join(', '), 'ok, ok, ok, ok', 'checks');
    await click(page, 'continue'); // "Finish"
    await waitForState(page, (st) => st.screen === 'wizard' && st.step === 'done' && st.widgets.sign_out,
      'the last screen');
    await screenshot(page, 'wizard-done');
  });

  await checks.run('the operator sees the new client, its sync history and its products', async () => {
    const p = await page.context().newPage();
    p.on('pageerror', (err) => problems.push(`page error (console): ${err.message}`));
    await p.goto(`${edge.url}/`);
    await signIn(p);
    const viewIs = (name) => (st) => st.screen === 'console' && st.widgets['console.view']?.text === name;
    let s = await waitForState(p, (st) => viewIs('clients')(st) && st.widgets['clients.row.0'] &&
      /connection/.test(st.widgets['clients.row.0.health']?.text ?? ''), 'the clients list', 15000);
    expectEqual(s.widgets['clients.row.0'].text, 'Demo Company', 'the client');
    const onboarding = s.widgets['clients.row.0.onboarding']?.text;
    await clickWidget(p, 'clients.row.0');
    s = await waitForState(p, (st) => viewIs('client')(st) && st.widgets['connections.row.0'], 'its connections');
    expectEqual(s.widgets['connections.row.0'].text, 'bigcommerce', 'its platform');
    await clickWidget(p, 'connections.row.0');
    s = await waitForState(p, (st) => viewIs('connection')(st) && st.widgets['sync.row.0'], 'its sync history');
    if (!s.widgets['sync.row.0'].text.startsWith('succeeded')) throw new Error(`run: ${s.widgets['sync.row.0'].text}`);
    await clickWidget(p, 'connection.tab.products');
    s = await waitForState(p, (st) => st.widgets['products.row.0'] && st.widgets['products.count'], 'its products');
    await screenshot(p, 'wizard-operator-products');
    await p.close();
    return `onboarding "${onboarding}", ${s.widgets['products.count'].text}`;
  });

  // Taps and the on-screen keyboard are checked in touch.mjs.
  await checks.run('on a phone, the wizard resumes at the last screen and fits', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    const p = await phone.newPage();
    p.on('pageerror', (err) => problems.push(`page error (phone): ${err.message}`));
    await p.goto(`${edge.url}/#/onboard`);
    await waitForState(p, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen', 20000);
    await fillField(p, 'email', DEMO_EMAIL);
    await fillField(p, 'password', DEMO_PASSWORD);
    await clickWidget(p, 'sign_in');
    const s = await waitForState(p, (st) => st.screen === 'wizard' && st.step === 'done' && st.widgets.sign_out,
      'the last screen', 15000);
    const b = s.widgets.sign_out;
    if (b.x < 0 || b.x + b.w > 390) throw new Error(`the button spans ${b.x}..${b.x + b.w}`);
    await screenshot(p, 'wizard-phone-done');
    await phone.close();
    return `button ${Math.round(b.w)} px wide`;
  });

  await checks.run('no errors in the page', async () => {
    if (problems.length) throw new Error(problems.join('\n'));
  });
}

await runTest('wizard', checks, main, () => ({ edge, browsers: [browser], problems }), watchdog);
