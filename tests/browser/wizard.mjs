// Browser test of the client onboarding wizard against `onramp-edge serve --demo`.
//
//   node tests/browser/wizard.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// Signs in as the demo user through the wizard's link (/#/onboard), then
// walks every step with real mouse and keyboard events: company basics
// (Tab between fields), BigCommerce with the demo credentials (test, then
// save), the initial sync's progress, no webhooks step (Onramp registers
// BigCommerce's itself), a document uploaded through the browser's file
// picker, goals, a reload that resumes at the right step without signing in
// again, an invitation (copied through the click's gesture) whose link the
// invited rep opens to join, the verify checklist passing with the
// invitation pending, and Finish with its summary; then the operator finds the
// client, its sync history and its products in the console; then a phone
// (390×844, touch) where signing in resumes at the last screen and it fits.
// Asserts on what the test hook reports, never on pixels.
// Screenshots of each step at 1280×800, and of the last at 390×844, go to
// OUT/wizard-<step>.png, OUT/wizard-operator-<view>.png and
// OUT/wizard-phone-done.png. The steps this test shares with the static
// demo's (static_demo.mjs) are in wizard_steps.mjs.
import {
  BrowserTest, clickInView as click, clickWidget, expectEqual, fillField, onStep, screenshots, signIn, testArgs,
  waitForState,
} from './harness.mjs';
import {
  allChecksPass, bigCommerceDemoForm, companyBasics, connectVerified, continueTo, finish, goals, invite,
  operatorSeesClient, syncSucceeds, uploadDocument,
} from './wizard_steps.mjs';

const DOCUMENT = 'price-list.txt';
const INVITEE = 'rep@demo-company.test';

const args = testArgs();
const test = new BrowserTest(150);
const { checks, problems } = test;

const shot = screenshots(args.out, 'wizard-');

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });
  const { browser, page, context } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: edge.url });

  await checks.run('signing in from the wizard link opens the first step', async () => {
    await page.goto(`${edge.url}/#/onboard`);
    await signIn(page);
    const s = await waitForState(page, onStep('company'), 'the company step', 10000);
    return `step ${s.step}`;
  });

  await checks.run('company basics: Tab moves between fields, the form saves', () =>
    companyBasics(page, shot, { name: 'Demo Company', phone: '+1-555-123-4567' }));

  await checks.run('BigCommerce with the demo credentials: test, then save', async () => {
    await bigCommerceDemoForm(page, shot);
    const s = await connectVerified(page, shot);
    return `store ${s.widgets.store_hash.text}`;
  });

  await checks.run('the initial sync shows its progress and counts', () => syncSucceeds(page, shot, /^\d+ /));

  await checks.run('webhooks: Onramp registers BigCommerce\'s itself, so the client gets no webhooks step', async () => {
    const s = await waitForState(page, onStep('documents'), 'the documents step');
    if (s.widgets['webhook.url']) throw new Error('the webhooks step was drawn');
  });

  await checks.run('documents: the file picker uploads, ingestion finishes', () =>
    uploadDocument(page, shot, DOCUMENT));

  await checks.run('goals and preferences save', () => goals(page, shot));

  await checks.run('a reload resumes at the team step, still signed in', async () => {
    await page.reload();
    await waitForState(page, onStep('team'), 'the team step after a reload', 15000);
  });

  let inviteLink = '';
  await checks.run('team: an invitation gives a link to copy, and is listed', async () => {
    const s = await invite(page, INVITEE);
    inviteLink = s.widgets['invite.link'].text;
    if (!inviteLink.startsWith(`${edge.url}/#/invite/`)) throw new Error(`link: ${inviteLink}`);
    await click(page, 'invite.link.copy');
    expectEqual(await page.evaluate(() => navigator.clipboard.readText()), inviteLink, 'clipboard');
    await shot(page, 'team');
    await continueTo(page, 'verify');
    return s.widgets['invited.0'].text;
  });

  await checks.run('verify: the invitation still pending does not block finishing, and the checklist says so', async () => {
    const s = await allChecksPass(page);
    const note = s.widgets['verify.note.0']?.text ?? '';
    if (!/pending/.test(note)) throw new Error(`no word of the pending invitation: "${note}"`);
    await shot(page, 'verify');
    return note;
  });

  await checks.run('the invited rep opens the link and joins', async () => {
    const invited = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await invited.newPage();
    p.on('pageerror', (err) => problems.push(`page error (invitee): ${err.message}`));
    await p.goto(inviteLink);
    await waitForState(p, (s) => s.screen === 'invitation' && s.widgets.invite_name, 'the invitation', 20000);
    await shot(p, 'invitation');
    await fillField(p, 'invite_name', 'Riley Rep');
    await fillField(p, 'invite_password', 'rep-password-1');
    await clickWidget(p, 'join');
    const s = await waitForState(p, (st) => st.screen !== 'invitation', 'the joined rep to leave the invitation', 15000);
    await invited.close();
    return `then ${s.screen}`;
  });

  await checks.run('Finish ends the wizard: what was connected, what happens next, one Sign out', async () => {
    await finish(page, shot);
    const s = await waitForState(page, (st) => st.widgets['done.connected.0'], 'the summary');
    if (!/bigcommerce/.test(s.widgets['done.connected.0'].text)) throw new Error(s.widgets['done.connected.0'].text);
    if (s.widgets['wizard.sign_out']) throw new Error('a second Sign out under the card');
    return s.widgets['done.connected.0'].text;
  });

  await checks.run('the operator sees the new client, its sync history and its products', async () => {
    const p = await page.context().newPage();
    p.on('pageerror', (err) => problems.push(`page error (console): ${err.message}`));
    await p.goto(`${edge.url}/`);
    await signIn(p);
    const note = await operatorSeesClient(p, screenshots(args.out, 'wizard-operator-'), { company: 'Demo Company' });
    await p.close();
    return note;
  });

  // Taps and the on-screen keyboard are checked in touch.mjs.
  await checks.run('on a phone, the wizard resumes at the last screen and fits', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    const p = await phone.newPage();
    p.on('pageerror', (err) => problems.push(`page error (phone): ${err.message}`));
    await p.goto(`${edge.url}/#/onboard`);
    await signIn(p);
    const s = await waitForState(p, (st) => st.screen === 'wizard' && st.step === 'done' && st.widgets.sign_out,
      'the last screen', 15000);
    const b = s.widgets.sign_out;
    if (b.x < 0 || b.x + b.w > 390) throw new Error(`the button spans ${b.x}..${b.x + b.w}`);
    await shot(p, 'phone-done');
    await phone.close();
    return `button ${Math.round(b.w)} px wide`;
  });

  await test.checkNoPageErrors();
}

await test.finish('wizard', main);
