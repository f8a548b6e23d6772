// Browser test of page addresses (web/route.h) against `onramp-edge serve --demo`.
//
//   node tests/browser/history.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// Each wizard step and console screen has an address: the client walks
// three wizard steps, and the browser's Back and Forward move between them
// without losing what was typed; a reload stays on its step; a step not
// reached yet opens the furthest one reached; Back out of the app from the
// first step and Forward again find the app working. A console screen's
// address opened in a new browser lands there after signing in, and Back
// returns from the screen a tab click moved to. The new client form keeps
// what was typed when Back or Forward leave it and come back.
import {
  apiCall, BrowserTest, clickWidget, DEMO_USER, expectEqual, fillField, onStep, screenshots, signIn, testArgs,
  viewIs, waitForState,
} from './harness.mjs';
import { bigCommerceDemoForm, companyBasics, connectVerified, continueTo } from './wizard_steps.mjs';

const args = testArgs();
const test = new BrowserTest(150);
const { checks } = test;
const shot = screenshots(args.out, 'history-');

// The address's fragment once it reads `hash` (the app writes it at the end
// of the frame that moved).
async function hashIs(page, hash) {
  try {
    await page.waitForFunction((h) => window.location.hash === h, hash, { timeout: 5000 });
  } catch {
    throw new Error(`the address reads ${new URL(page.url()).hash || '(no fragment)'}, not ${hash}`);
  }
}

// The wizard on `step`, its address naming it; with `widget`, once that is drawn.
async function onStepAt(page, step, { timeout = 10000, widget } = {}) {
  await waitForState(page, onStep(step), `the ${step} step`, timeout);
  await hashIs(page, `#/onboard/${step}`);
  return waitForState(page, (s) => onStep(step)(s) && (!widget || s.widgets[widget]), `the ${step} step drawn`);
}

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });
  const { page, expectConsoleError } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });
  const favicon = /status of 404/;  // the health check's page has no icon

  await checks.run('signing in from #/onboard opens company basics at its own address', async () => {
    // A page before the app's, for Back to leave to.
    expectConsoleError(favicon);
    await page.goto(`${edge.url}/healthz`);
    await page.goto(`${edge.url}/#/onboard`);
    await signIn(page);
    await onStepAt(page, 'company');
    return new URL(page.url()).hash;
  });

  await checks.run('three steps walked, each at its address', async () => {
    await companyBasics(page, shot, { name: 'Route Roofing', phone: '+1-555-222-3333' });
    await hashIs(page, '#/onboard/platforms');
    await bigCommerceDemoForm(page, shot);
    await connectVerified(page, shot);
    await hashIs(page, '#/onboard/sync');
    await waitForState(page, (s) => s.widgets['sync.state']?.text === 'succeeded', 'the sync to succeed', 20000);
  });

  await checks.run('Back twice returns to company basics, with the name as typed', async () => {
    await page.goBack();
    await onStepAt(page, 'platforms');
    await page.goBack();
    const s = await onStepAt(page, 'company', { widget: 'company_name' });
    expectEqual(s.widgets.company_name.text, 'Route Roofing', 'the company name');
  });

  await checks.run('Forward once opens the platforms step, and Back again finds an unsaved edit kept', async () => {
    // Typed, not saved: only the wizard's memory has it, the server has the old name.
    await fillField(page, 'company_name', 'Route Roofing West');
    await page.goForward();
    await onStepAt(page, 'platforms');
    await page.goBack();
    const s = await onStepAt(page, 'company', { widget: 'company_name' });
    expectEqual(s.widgets.company_name.text, 'Route Roofing West', 'the edited company name');
    await page.goForward();
    await onStepAt(page, 'platforms');
  });

  await checks.run('a reload on a step stays on it', async () => {
    await page.reload();
    await onStepAt(page, 'platforms', { timeout: 20000 });
  });

  await checks.run('Back from the first step\'s address leaves the app, and Forward finds it working', async () => {
    await page.goBack();
    await onStepAt(page, 'company');
    expectConsoleError(favicon);
    await page.goBack();
    await page.waitForURL(`${edge.url}/healthz`);
    await page.goForward();
    await onStepAt(page, 'company', { timeout: 20000 });
    await continueTo(page, 'platforms');
    await hashIs(page, '#/onboard/platforms');
  });

  await checks.run('a step not reached yet opens the furthest one reached', async () => {
    const other = await test.openBrowser({ width: 1280, height: 800, scale: 1 });
    await other.page.goto(`${edge.url}/#/onboard/goals`);
    await signIn(other.page);
    // Synced, and BigCommerce's webhooks registered by Onramp: documents is next.
    await onStepAt(other.page, 'documents', { timeout: 20000 });
  });

  // The organization the wizard onboarded (the demo user manages it) and its connection.
  const { access_token: token, user } = await apiCall(edge, 'POST', '/api/v1/auth/login', { body: DEMO_USER });
  const { org_id: org } = user.memberships.find((m) => m.role === 'manager');
  const { items: [conn] } = await apiCall(edge, 'GET', `/api/v1/orgs/${org}/connections`, { token });
  const products = `#/console/clients/${org}/connections/${conn.id}/products`;
  const operator = await test.openBrowser({ width: 1280, height: 800, scale: 1 });

  await checks.run('a connection\'s address opened in a new browser lands there after signing in', async () => {
    await operator.page.goto(`${edge.url}/${products}`);
    await signIn(operator.page);
    await waitForState(operator.page, (s) => viewIs('connection')(s) && s.widgets['products.row.0'],
      'the connection\'s products', 15000);
    await hashIs(operator.page, products);
    await shot(operator.page, 'console-products');
    return products;
  });

  await checks.run('a tab click is a history entry: Back returns to the products', async () => {
    await clickWidget(operator.page, 'connection.tab.sync');
    await waitForState(operator.page, (s) => viewIs('connection')(s) && s.widgets['sync.row.0'], 'the sync history');
    await hashIs(operator.page, products.replace(/products$/, 'sync'));
    await operator.page.goBack();
    await waitForState(operator.page, (s) => viewIs('connection')(s) && s.widgets['products.row.0'], 'the products');
    await hashIs(operator.page, products);
  });

  await checks.run('a console route typed into the address bar opens its screen', async () => {
    await operator.page.evaluate(() => { window.location.hash = '#/console/audit'; });
    await waitForState(operator.page, viewIs('audit'), 'the audit log');
    await operator.page.goBack();
    await waitForState(operator.page, (s) => viewIs('connection')(s) && s.widgets['products.row.0'], 'the products');
  });

  await checks.run('the new client form keeps what was typed when Back and Forward leave and return to it', async () => {
    const { page: p } = operator;
    await p.evaluate(() => { window.location.hash = '#/console/clients'; });
    await waitForState(p, (s) => viewIs('clients')(s) && s.widgets['clients.new'], 'the clients list');
    await clickWidget(p, 'clients.new');
    await waitForState(p, (s) => viewIs('new_client')(s) && s.widgets['new_client.note'], 'the new client form');
    await fillField(p, 'new_client.name', 'Back Bakery');
    await fillField(p, 'new_client.note', 'Asked at the fair');
    await p.goBack();
    await waitForState(p, viewIs('clients'), 'the clients list after Back');
    await p.goForward();
    let s = await waitForState(p, (st) => viewIs('new_client')(st) && st.widgets['new_client.name'], 'the form again');
    expectEqual(s.widgets['new_client.name'].text, 'Back Bakery', 'the name after Forward');
    expectEqual(s.widgets['new_client.note'].text, 'Asked at the fair', 'the note after Forward');
    // Its own link out, then the browser's Back into it.
    await clickWidget(p, 'back');
    await waitForState(p, viewIs('clients'), 'the clients list after All clients');
    await p.goBack();
    s = await waitForState(p, (st) => viewIs('new_client')(st) && st.widgets['new_client.name'], 'the form after Back');
    expectEqual(s.widgets['new_client.name'].text, 'Back Bakery', 'the name after Back');
    await shot(p, 'new-client-kept');
    return s.widgets['new_client.name'].text;
  });

  await test.checkNoPageErrors();
}

test.finish('history', main);
