// Browser test of the page's accessibility mirror (web/platform/a11y.h)
// against `onramp-edge serve --demo`.
//
//   node tests/browser/a11y.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// axe-core (from npm) finds no serious or critical violation on the sign-in
// page, every wizard step as the demo store is connected (the BigCommerce
// form, the sync, documents, goals, the team with an invitation, verify and
// the last screen; BigCommerce has no webhooks step, screen_reader.mjs
// checks Telegram's) and every console
// screen: clients, a client, its connection's sync, products and webhooks
// tabs, the audit log, API keys, the vault and the new client form.
// Chromium's own accessibility tree (the DevTools protocol's, what a screen
// reader reads) names every field, button and error of the sign-in page and
// the company step. Then a person who only has the accessibility tree signs
// in and fills the company step: elements found by role and name, acted on
// through the DOM (fill, and the click event a screen reader's activation
// sends, since the mirror lets the pointer through to the canvas). A value
// set the way autofill sets it reaches the field, idle or being edited; and
// focus moves both ways between the page and ImGui.
import {
  BrowserTest, clickRow, clickWidget, expectEqual, onStep, signIn, testArgs, viewIs, waitForState, waitFrames,
} from './harness.mjs';
import {
  axeOnceMirrored, axeViolations, axTree, expectAllNamed, expectNode, mirrored,
} from './a11y_checks.mjs';
import { clickTab } from './console_steps.mjs';
import {
  allChecksPass, bigCommerceDemoForm, connectVerified, continueTo, finish, invite, syncSucceeds, uploadDocument,
} from './wizard_steps.mjs';

const args = testArgs();
const test = new BrowserTest(170);
const { checks } = test;

// The wizard's steps are walked here for their axe checks, not pictured.
const noShot = async () => {};

// What autofill does to an input: a new value, then an input event.
const autofill = (page, name, value) => page.getByRole('textbox', { name }).evaluate((el, v) => {
  el.value = v;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}, value);

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });
  const { page, context } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });
  const cdp = await context.newCDPSession(page);

  await checks.run('the sign-in page has no serious axe violation', async () => {
    await page.goto(`${edge.url}/#/onboard`);
    await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen', 20000);
    await mirrored(page, 'sign_in');
    expectEqual(await page.getAttribute('#canvas', 'aria-hidden'), 'true', 'the canvas hidden from the tree');
    await axeViolations(page);
  });

  await checks.run('the accessibility tree names the sign-in fields, buttons and error', async () => {
    await page.getByRole('button', { name: 'Sign in' }).dispatchEvent('click');
    const error = 'Enter the email address you use for Onramp.';
    await waitForState(page, (s) => s.widgets['sign_in.error']?.text === error, 'the sign-in error');
    await mirrored(page, 'sign_in.error');
    const tree = await axTree(page, cdp);
    expectNode(tree, 'textbox', 'Email');
    expectNode(tree, 'textbox', 'Password');
    expectNode(tree, 'button', 'Sign in');
    expectNode(tree, 'button', 'Show Password');
    expectNode(tree, 'alert', '');
    const alertText = await page.getByRole('alert').textContent();
    expectEqual(alertText, error, 'the alert\'s text');
    return `${expectAllNamed(tree)} named nodes`;
  });

  await checks.run('fields say how the browser may fill them', async () => {
    const attrs = await page.evaluate(() => ['email', 'password'].map((id) => {
      const el = window.onrampA11y.els[id];
      return `${el.name} ${el.type} ${el.getAttribute('autocomplete')} ${el.inputMode}`;
    }));
    expectEqual(attrs.join(' | '), 'email text email email | password password current-password text', 'inputs');
  });

  await checks.run('focus moves both ways between the page and ImGui', async () => {
    await clickWidget(page, 'email');
    await waitForState(page, (s) => s.focused === 'email', 'the email field to be edited');
    await page.waitForFunction(() => document.activeElement?.dataset.id === 'email', null, { polling: 'raf' });
    await page.getByRole('textbox', { name: 'Password' }).focus();
    await waitForState(page, (s) => s.focused === 'password', 'the page\'s focus to start editing the password');
  });

  await checks.run('a value set the way autofill sets it replaces the field\'s', async () => {
    // The password field is being edited; the email field is idle.
    await autofill(page, 'Password', 'filled-in secret');
    await waitForState(page, (s) => s.widgets.password?.text === 'filled-in secret', 'the autofilled password');
    await autofill(page, 'Email', 'someone@example.com');
    const s = await waitForState(page, (st) => st.widgets.email?.text === 'someone@example.com',
      'the autofilled email');
    expectEqual(s.widgets.password.text, 'filled-in secret', 'the password, untouched');
    // A password manager fills both in one task, before a frame runs.
    await page.evaluate(() => {
      for (const [id, v] of [['email', 'both@example.com'], ['password', 'both-secret']]) {
        const el = window.onrampA11y.els[id];
        el.value = v;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    await waitForState(page, (st) => st.widgets.email?.text === 'both@example.com'
      && st.widgets.password?.text === 'both-secret', 'both fields filled in one go');
  });

  await checks.run('signing in with only the accessibility tree, submitting its form', async () => {
    const form = await page.getByRole('textbox', { name: 'Password' }).evaluate((el) =>
      el.form && [...el.form.elements].map((e) => `${e.name || e.textContent}:${e.type}`).join(' '));
    expectEqual(form, 'email:text password:password Show Password:button Sign in:submit', 'the sign-in <form>');
    // One field, then the next, as a person does: the page's focus follows
    // ImGui's a frame late, and a second field typed into within that frame
    // could lose the focus to the first one.
    await page.getByRole('textbox', { name: 'Email' }).fill('demo@onramp.local');
    await waitForState(page, (s) => s.widgets.email?.text === 'demo@onramp.local', 'the e-mail filled');
    await page.getByRole('textbox', { name: 'Password' }).fill('onramp-demo');
    await waitForState(page, (s) => s.widgets.email?.text === 'demo@onramp.local'
      && s.widgets.password?.text === 'onramp-demo', 'both fields filled');
    // What a password manager does after filling: submit the form.
    await page.getByRole('textbox', { name: 'Password' }).evaluate((el) => el.form.requestSubmit());
    await waitForState(page, onStep('company'), 'the company step', 10000);
    await mirrored(page, 'company_name');
  });

  await checks.run('the company step: named in the tree, announced, no serious axe violation', async () => {
    const announced = await page.evaluate(() => document.querySelector('#onramp-a11y [aria-live]').textContent);
    const s = await waitForState(page, onStep('company'), 'the company step');
    expectEqual(announced, s.widgets['step.title'].text, 'the live region');
    const tree = await axTree(page, cdp);
    for (const name of ['Company name', 'Phone', 'Company email (optional)', 'Website (optional)', 'Time zone'])
      expectNode(tree, 'textbox', name);
    expectNode(tree, 'combobox', 'Industry');
    expectNode(tree, 'button', 'Save and continue');
    expectNode(tree, 'heading', s.widgets['step.title'].text);
    const org = await page.getByRole('textbox', { name: 'Company name' }).getAttribute('autocomplete');
    expectEqual(org, 'organization', 'the company name\'s autocomplete');
    await axeViolations(page);
    return `${expectAllNamed(tree)} named nodes`;
  });

  await checks.run('a field\'s error is its description, and it is invalid', async () => {
    await page.getByRole('textbox', { name: 'Company name' }).fill('');
    await page.getByRole('button', { name: 'Save and continue' }).dispatchEvent('click');
    const s = await waitForState(page, (st) => st.widgets['company_name.error'], 'the company name\'s error');
    await mirrored(page, 'company_name.error');
    await waitFrames(page, 2);
    const field = expectNode(await axTree(page, cdp), 'textbox', 'Company name');
    expectEqual(field.invalid, true, 'the field invalid');
    expectEqual(field.description, s.widgets['company_name.error'].text, 'the field\'s description');
  });

  await checks.run('filling the company step with only the accessibility tree', async () => {
    await page.getByRole('textbox', { name: 'Company name' }).fill('Accessible Roofing');
    await page.getByRole('textbox', { name: 'Phone' }).fill('+1-555-123-4567');
    await page.getByRole('combobox', { name: 'Industry' }).dispatchEvent('click');
    await waitForState(page, (s) => s.widgets['industry.8'], 'the open drop-down');
    await mirrored(page, 'industry.8');
    const option = page.getByRole('option', { name: 'e-commerce', exact: false }).first();
    await option.dispatchEvent('click');
    await waitForState(page, (s) => s.widgets.industry?.text && !s.widgets['industry.8'], 'a chosen industry');
    await page.getByRole('button', { name: 'Save and continue' }).dispatchEvent('click');
    const s = await waitForState(page, onStep('platforms'), 'the platforms step', 10000);
    return `industry ${s.widgets.industry?.text ?? '(saved)'}`;
  });

  await checks.run('the platforms step has no serious axe violation', async () => {
    await mirrored(page, 'step.title');
    await waitFrames(page, 2);
    await axeViolations(page);
  });

  await checks.run('the BigCommerce form has no serious axe violation', async () => {
    await bigCommerceDemoForm(page, noShot);
    await axeOnceMirrored(page, 'access_token');
  });

  await checks.run('the sync step has no serious axe violation', async () => {
    await connectVerified(page, noShot);
    await waitForState(page, (s) => s.widgets['sync.state']?.text === 'succeeded', 'the sync to succeed', 20000);
    await axeOnceMirrored(page, 'sync.counts');
  });

  // BigCommerce's webhooks are Onramp's to register: no webhooks step
  // (screen_reader.mjs walks Telegram's path, which has one).
  await checks.run('the documents step has no serious axe violation', async () => {
    await continueTo(page, 'documents');
    await axeOnceMirrored(page, 'choose_file');
    await uploadDocument(page, noShot, 'price-list.txt');
  });

  await checks.run('the goals step has no serious axe violation', async () => {
    await axeOnceMirrored(page, 'continue');
    await continueTo(page, 'team');
  });

  await checks.run('the team step, with an invitation and its link, has no serious axe violation', async () => {
    await invite(page, 'rep@accessible-roofing.test');
    await axeOnceMirrored(page, 'invite.link');
    await continueTo(page, 'verify');
  });

  await checks.run('the verify step and the last screen have no serious axe violation', async () => {
    await allChecksPass(page);
    await axeOnceMirrored(page, 'check.3');
    await finish(page, noShot);
    await axeOnceMirrored(page, 'sign_out');
  });

  await checks.run('every console screen has no serious axe violation', async () => {
    const { page: p } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });
    await p.goto(`${edge.url}/#/`);
    await signIn(p);
    const seen = [];
    const screen = async (view, ready, name = view) => {
      const s = await waitForState(p, (st) => viewIs(view)(st) && ready(st), `the ${view} view`, 10000);
      await waitFrames(p, 4);
      await axeViolations(p);
      seen.push(name);
      return s;
    };
    // The client with a connection: the one this test's wizard made.
    const rowOf = (st) => Object.keys(st.widgets)
      .find((id) => /^clients\.row\.\d+$/.test(id) && /connection/.test(st.widgets[`${id}.health`]?.text ?? ''));
    const list = await screen('clients', rowOf);
    await clickRow(p, rowOf(list));
    await screen('client', (st) => st.widgets['connections.row.0']);
    await clickRow(p, 'connections.row.0');
    await screen('connection', (st) => st.widgets['sync.row.0'], 'sync');
    await clickWidget(p, 'connection.tab.products');
    await screen('connection', (st) => st.widgets['products.row.0'], 'products');
    await clickWidget(p, 'connection.tab.webhooks');
    await screen('connection', (st) => st.widgets['deliveries.empty'] || st.widgets['deliveries.row.0'],
      'webhooks');
    for (const view of ['audit', 'keys', 'vault']) {
      await clickTab(p, `console.tab.${view}`);
      await screen(view, (st) => Object.keys(st.widgets).some((id) => id.startsWith(`${view}.`)));
    }
    await clickTab(p, 'console.tab.clients');
    await waitForState(p, (st) => st.widgets['clients.new'] || viewIs('connection')(st), 'the Clients tab');
    if (!(await waitFrames(p, 2)).widgets['clients.new']) await clickTab(p, 'console.tab.clients');
    await waitForState(p, (st) => viewIs('clients')(st) && st.widgets['clients.new'], 'the clients list again');
    await clickWidget(p, 'clients.new');
    await screen('new_client', (st) => st.widgets['new_client.name']);
    return seen.join(', ');
  });

  await test.checkNoPageErrors();
}

test.finish('a11y', main);
