// Browser test of the whole onboarding wizard done as a screen reader user
// does it, against `onramp-edge serve --demo`:
//
//   node tests/browser/screen_reader.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// From signing in to the last screen, every element is found in the page's
// accessibility mirror (web/platform/a11y.h) by its role and accessible
// name, and every action goes through the DOM: focus on the element, the
// click event a screen reader's activation sends (the mirror lets the
// pointer through to the canvas, so there is nothing to click with a
// mouse), a value set on an input and its input event. The test hook only
// tells when the wizard got there and what the fields hold. On every step
// Chromium's own accessibility tree names every field and button. The path
// is Telegram's, whose webhook is set by hand, so the client gets the
// webhooks step: axe-core finds no serious or critical violation there,
// before and after a failed request shows its error as an alert; its URL
// is read and copied, and the signing secret made there read. The
// documents step's "Choose a file" click opens the browser's file picker.
import {
  axeViolations, axTree, expectAllNamed, expectNode, mirrored,
} from './a11y_checks.mjs';
import { BrowserTest, expectEqual, onStep, testArgs, waitForState, waitFrames } from './harness.mjs';

const args = testArgs();
const test = new BrowserTest(90);
const { checks } = test;

// What a screen reader finds on `page`: elements by role and exact name,
// pressed, focused and filled through the DOM only.
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function reader(page) {
  // The element of `role` named `name` (or, with { text: true }, whose
  // text is `name`: an alert or a status is named by nobody, a screen
  // reader reads its content), once the mirror shows it. On a timeout, the
  // error lists what the tree has of that role.
  const find = async (role, name, { text = false } = {}) => {
    const el = text ? page.getByRole(role).filter({ hasText: new RegExp(`^${escape(name)}$`) })
      : page.getByRole(role, { name, exact: true });
    try {
      await el.waitFor({ state: 'attached', timeout: 10000 });
    } catch {
      const names = await page.getByRole(role).evaluateAll((all) =>
        all.map((e) => JSON.stringify(e.getAttribute('aria-label') ?? e.textContent)));
      throw new Error(`no ${role} ${text ? 'reading' : 'named'} "${name}" in the tree (${role}s: ${names.join(', ') || 'none'})`);
    }
    return el;
  };
  return {
    find,
    // A screen reader's activation: the cursor moves to the element, which
    // takes the focus, then a click event on it.
    async press(role, name) {
      const el = await find(role, name);
      await el.focus();
      await el.dispatchEvent('click');
    },
    // Types `value` into the field named `name` the way assistive
    // technology's text entry does: a new value, then an input event.
    // Resolves once the widget `id` holds it.
    async fill(name, value, id) {
      const el = await find('textbox', name);
      await el.focus();
      await el.evaluate((e, v) => {
        e.value = v;
        e.dispatchEvent(new Event('input', { bubbles: true }));
      }, value);
      await waitForState(page, (s) => s.widgets[id]?.text === value, `the ${name} field to read "${value}"`);
    },
    // Waits for the element of `role` (an alert, a status) reading `text`.
    reads: (role, text) => find(role, text, { text: true }),
    // Waits for plain text in the mirror (a value, a line of a list) that
    // matches `text`, a string (all of it) or a RegExp; returns its text.
    async line(text) {
      const el = page.locator('#onramp-a11y').getByText(text, { exact: true });
      try {
        await el.waitFor({ state: 'attached', timeout: 10000 });
      } catch {
        const lines = await page.locator('#onramp-a11y div:not([role])').allTextContents();
        throw new Error(`no text ${text} in the tree (texts: ${lines.map((l) => JSON.stringify(l)).join(', ')})`);
      }
      return el.textContent();
    },
  };
}

// Waits for wizard step `step`, whose title the page's live region
// announces and whose heading the tree holds; returns the title.
async function arrive(page, step) {
  await waitForState(page, onStep(step), `the ${step} step`, 20000);
  // The hook names the new step a frame before the card draws its title.
  const title = (await waitFrames(page, 2)).widgets['step.title'].text;
  await page.getByRole('heading', { name: title, exact: true }).waitFor({ state: 'attached' });
  await page.waitForFunction((t) => document.querySelector('#onramp-a11y [aria-live]')?.textContent === t,
    title, { polling: 'raf' });
  return title;
}

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });
  const { page, context, expectConsoleError } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });
  const cdp = await context.newCDPSession(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: edge.url });
  const sr = reader(page);

  // Chromium's tree of the step as it is: every field and button named.
  const allNamed = async () => expectAllNamed(await axTree(page, cdp));

  await checks.run('signing in', async () => {
    await page.goto(`${edge.url}/#/onboard`);
    await sr.fill('Email', 'demo@onramp.local', 'email');
    await sr.fill('Password', 'onramp-demo', 'password');
    await sr.press('button', 'Sign in');
    return arrive(page, 'company');
  });

  await checks.run('the company step: name, phone, and the industry chosen from its list', async () => {
    await allNamed();
    await sr.fill('Company name', 'Screen Reader Roofing', 'company_name');
    await sr.fill('Phone', '+1-555-987-6543', 'company_phone');
    await sr.press('combobox', 'Industry');
    const option = page.getByRole('listbox').getByRole('option', { name: 'roofing', exact: true });
    await option.waitFor({ state: 'attached' });
    expectEqual(await (await sr.find('combobox', 'Industry')).getAttribute('aria-expanded'), 'true',
      'the combobox, open');
    await option.dispatchEvent('click');
    await waitForState(page, (s) => s.widgets.industry?.text === 'roofing' && !s.widgets['industry.0'],
      'the chosen industry');
    const combo = await sr.find('combobox', 'Industry');
    await page.waitForFunction(() => window.onrampA11y.els.industry.value === 'roofing', null, { polling: 'raf' });
    expectEqual(await combo.getAttribute('aria-expanded'), 'false', 'the combobox, closed');
    await sr.press('button', 'Save and continue');
    return arrive(page, 'platforms');
  });

  await checks.run('the platforms step: Telegram connected with its demo bot', async () => {
    await allNamed();
    await sr.press('button', 'Telegram bot');
    await sr.find('heading', 'Connect Telegram bot');
    await sr.press('button', 'Use demo credentials');
    await waitForState(page, (s) => s.widgets.bot_token?.text, 'the demo token in the form');
    await allNamed();
    await sr.press('button', 'Test connection');
    await sr.reads('status', 'Connection verified');
    await sr.press('button', 'Connect and start syncing');
    return arrive(page, 'sync');
  });

  await checks.run('the sync step: its progress bar full, then Continue', async () => {
    const bar = await sr.find('progressbar', 'Sync complete');
    await page.waitForFunction(() => window.onrampA11y.els['sync.progress'].getAttribute('aria-valuenow') === '100',
      null, { polling: 'raf' });
    const counts = await sr.line(/^\d+ items · \d+ new · \d+ updated$/);
    expectEqual(await bar.getAttribute('aria-valuemax'), '100', 'the progress bar\'s end');
    await allNamed();
    await sr.press('button', 'Continue');
    await arrive(page, 'webhooks');
    return counts;
  });

  // Telegram's webhook is set by hand: the client gets this step.
  await checks.run('the webhooks step: named in the tree, no serious axe violation, its URL read and copied',
    async () => {
      const url = await sr.line(new RegExp(`^${escape(edge.url)}/webhooks/telegram/con_[0-9a-f]+$`));
      await sr.find('heading', 'Webhook URL');
      const tree = await axTree(page, cdp);
      for (const name of ['Copy Webhook URL', 'Create a signing secret', 'Continue', 'Back'])
        expectNode(tree, 'button', name);
      const named = expectAllNamed(tree);
      await axeViolations(page);
      await sr.press('button', 'Copy Webhook URL');
      await sr.find('button', 'Copied Webhook URL');
      expectEqual(await page.evaluate(() => navigator.clipboard.readText()), url, 'the clipboard');
      return `${named} named nodes, ${url}`;
    });

  await checks.run('the webhooks step: a failed request is an alert the tree reads, and no serious axe violation',
    async () => {
      // The connection drops once, as a phone's can.
      await page.route('**/webhooks/secret', (route) => route.abort('failed'), { times: 1 });
      expectConsoleError(/Failed to load resource|ERR_FAILED/);
      await sr.press('button', 'Create a signing secret');
      const s = await waitForState(page, (st) => st.widgets['webhooks.error'], 'the webhooks step\'s error');
      await mirrored(page, 'webhooks.error');
      await waitFrames(page, 2);
      const tree = await axTree(page, cdp);
      expectNode(tree, 'alert', '');
      expectEqual(await page.getByRole('alert').textContent(), s.widgets['webhooks.error'].text, 'the alert\'s text');
      expectNode(tree, 'button', 'Create a signing secret');
      expectAllNamed(tree);
      await axeViolations(page);
      return s.widgets['webhooks.error'].text;
    });

  await checks.run('the webhooks step: a signing secret made and read, then Continue', async () => {
    await sr.press('button', 'Create a signing secret');
    const s = await waitForState(page, (st) => st.widgets['webhook.secret']?.text, 'the signing secret');
    await sr.find('heading', 'Signing secret');
    await sr.line(s.widgets['webhook.secret'].text);
    await sr.find('button', 'Copy Signing secret');
    expectEqual(await page.getByRole('alert').count(), 0, 'alerts once it worked');
    await allNamed();
    await axeViolations(page);
    await sr.press('button', 'Continue');
    return arrive(page, 'documents');
  });

  await checks.run('the documents step: a file uploaded through the picker the tree opens', async () => {
    await allNamed();
    const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
    await sr.press('button', 'Choose a file…');
    const picker = await chooser;
    await picker.setFiles({
      name: 'scripts.txt', mimeType: 'text/plain',
      buffer: Buffer.from('Greeting\nThank you for calling Screen Reader Roofing.\n'),
    });
    await sr.line('scripts.txt: done');
    await sr.press('button', 'Continue');
    return arrive(page, 'goals');
  });

  await checks.run('the goals step: a goal ticked, then Save and continue', async () => {
    await allNamed();
    const goal = await sr.find('checkbox', 'Grow repeat business');
    expectEqual(await goal.isChecked(), false, 'the goal before');
    await sr.press('checkbox', 'Grow repeat business');
    await page.waitForFunction(() => window.onrampA11y.els['goal.4'].checked, null, { polling: 'raf' });
    await sr.press('button', 'Save and continue');
    return arrive(page, 'team');
  });

  await checks.run('the team step: a sales rep invited, the link read', async () => {
    await allNamed();
    await sr.fill('Email', 'rep@screen-reader-roofing.test', 'invite_email');
    await sr.press('combobox', 'Role');
    await page.getByRole('listbox').getByRole('option', { name: 'Sales rep', exact: true }).dispatchEvent('click');
    await page.waitForFunction(() => window.onrampA11y.els.invite_role.value === 'Sales rep', null, { polling: 'raf' });
    await sr.press('button', 'Send invitation');
    await sr.reads('status', 'Invitation ready for rep@screen-reader-roofing.test.');
    await sr.line('rep@screen-reader-roofing.test · Sales rep · pending');
    const link = await sr.line(new RegExp(`^${escape(edge.url)}/.+`));
    await sr.find('button', 'Copy Invitation link');
    await allNamed();
    await sr.press('button', 'Continue');
    await arrive(page, 'verify');
    return link;
  });

  await checks.run('the verify step reads each check passed, and Finish shows the last screen', async () => {
    await sr.reads('status', 'Everything is in place');
    for (const check of ['Company basics', 'A connected platform', 'A document ready to use',
      'A CSR or sales rep on the team'])
      await sr.line(`${check}: done`);
    await allNamed();
    await sr.press('button', 'Finish');
    await waitForState(page, (s) => s.screen === 'wizard' && s.step === 'done', 'the last screen', 10000);
    await sr.find('heading', 'You\'re all set');
    await sr.line(/^✓ .*\(telegram\)$/);
    await sr.find('button', 'Sign out');
  });

  await test.checkNoPageErrors();
}

test.finish('screen_reader', main);
