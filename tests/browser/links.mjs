// Browser test of onboarding links against `onramp-edge serve --demo`.
//
//   node tests/browser/links.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// The agency creates the client and its link in the operator console. The
// link behaves like Plaid's or Stripe's: the client opens it (the token
// leaves the address bar at once), saves company basics, reloads mid-wizard
// and is on the same step; continues in a second browser context (a new
// device) with the same link, which resumes there; signs in to Shopify
// through the popup (the demo's mock) and finishes. The agency sees the
// link completed, opened twice, with both devices, and in the console the
// client's answers and the link's state. Then the agency revokes a second
// link in the console while its client is in the wizard, and that client's
// page says the link was revoked. Last, a link pasted into the
// address bar of a tab open on another link opens there, as a fresh load
// would. The documents, goals and team phases are done through the API, as
// the agency's own steps would.
// Screenshots: OUT/links-<name>.png.
import {
  apiCall, BrowserTest, clickInView as click, DEMO_USER, expectEqual, fillField, onStep, screenshots, signIn,
  testArgs, uploadIngested, viewIs, waitForState,
} from './harness.mjs';
import { newClient, openClient, texts } from './console_steps.mjs';
import { allChecksPass, companyBasics, finish } from './wizard_steps.mjs';

const args = testArgs();
const test = new BrowserTest(170);
const { checks, problems } = test;
const shot = screenshots(args.out, 'links-');
const api = (method, url, options) => apiCall(test.edge, method, url, options);

// A new organization, a link to it offering `platforms`, and the operator's token.
async function orgWithLink(token, name, platforms) {
  const org = await api('POST', '/api/v1/orgs', { token, body: { name } });
  const link = await api('POST', `/api/v1/orgs/${org.id}/onboarding-links`, { token, body: { platforms } });
  return { org: org.id, link };
}

// The phases the agency finishes for this test: a document, goals, a sales rep.
async function agencySteps(edge, token, org) {
  await uploadIngested(edge, token, org, 'prices.txt', 'Price list\nRoof inspection: 120 USD\n');
  await fetch(`${edge.url}/api/v1/onboarding/goals`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'X-Org-Id': org, 'Content-Type': 'application/json' },
    body: JSON.stringify({ primary_goals: ['More booked jobs'] }),
  });
  const invited = await api('POST', `/api/v1/orgs/${org}/members`,
    { token, body: { email: 'rep@linked.test', role: 'sales_rep' } });
  const inviteToken = invited.invite_url.split('#/invite/')[1];
  await api('POST', '/api/v1/invitations/accept',
    { body: { token: inviteToken, full_name: 'Riley Rep', password: 'rep-password-1' } });
}

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });
  const { access_token: op } = await api('POST', '/api/v1/auth/login', { body: DEMO_USER });
  const { browser, page } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });
  const agencyContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agency = await agencyContext.newPage();
  agency.on('pageerror', (err) => problems.push(`page error (console): ${err.message}`));
  let first;

  await checks.run('the agency creates the client and its link in the console', async () => {
    await agency.goto(`${edge.url}/`);
    await signIn(agency);
    await waitForState(agency, viewIs('clients'), 'the clients overview', 20000);
    const s = await newClient(agency, { name: 'Linked Roofing', platforms: ['shopify', 'bigcommerce'] });
    const url = s.widgets['new_client.link'].text;
    const orgs = await api('GET', '/api/v1/orgs', { token: op });
    const org = orgs.items.find((o) => o.name === 'Linked Roofing');
    if (!org) throw new Error('the organization is not on the edge');
    const links = await api('GET', `/api/v1/orgs/${org.id}/onboarding-links`, { token: op });
    expectEqual(links.items.length, 1, 'links of the new client');
    expectEqual([...links.items[0].platforms].sort().join(), 'bigcommerce,shopify', 'platforms asked for');
    first = { org: org.id, link: { id: links.items[0].id, url, token: url.split('#/onboard/')[1] } };
    await shot(agency, 'console-new-client');
    return 'a link to /#/onboard/…';
  });

  await checks.run('the link opens the wizard without an account, and its token leaves the address bar', async () => {
    await page.goto(first.link.url);
    const s = await waitForState(page, (st) => onStep('company')(st) && st.widgets.admin_name, 'the company step',
      20000);
    if (page.url().includes(first.link.token)) throw new Error(`the address still holds the token: ${page.url()}`);
    // A link session has no person of its own: the organization's name is not theirs.
    expectEqual(s.widgets.admin_name.text, '', 'Your name');
    return page.url().slice(edge.url.length);
  });

  await checks.run('company basics save; the catalog offers only the link\'s platforms', async () => {
    await companyBasics(page, shot, { name: 'Linked Roofing', phone: '+1-555-123-4567' });
    const s = await waitForState(page, (st) => st.widgets['platform.shopify'], 'the Shopify tile');
    for (const other of ['platform.callrail', 'platform.twilio', 'platform.custom_crm'])
      if (s.widgets[other]) throw new Error(`${other} is offered`);
    if (!s.widgets['platform.bigcommerce']) throw new Error('BigCommerce is not offered');
    await shot(page, 'platforms');
  });

  await checks.run('a reload mid-wizard stays on the same step, without the token in the address', async () => {
    await page.reload();
    await waitForState(page, onStep('platforms'), 'the platforms step after a reload', 20000);
  });

  const phone = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const second = await phone.newPage();
  second.on('pageerror', (err) => problems.push(`page error (second device): ${err.message}`));

  await checks.run('the same link on a second device resumes at the platforms step', async () => {
    await second.goto(first.link.url);
    const s = await waitForState(second, onStep('platforms'), 'the platforms step on the second device', 20000);
    return `step ${s.step}`;
  });

  await checks.run('the client signs in to Shopify through the popup and the connection is made', async () => {
    await click(second, 'platform.shopify');
    await waitForState(second, (s) => s.widgets.shop_domain, 'the Shopify form');
    await fillField(second, 'shop_domain', 'onramp-demo', { scroll: true });
    await waitForState(second, (s) => s.widgets.oauth, 'the sign-in button');
    const popup = phone.waitForEvent('page', { timeout: 10000 });
    await click(second, 'oauth');
    const p = await popup;
    await p.waitForEvent('close', { timeout: 15000 });
    await waitForState(second, onStep('sync'), 'the sync step of the new connection', 15000);
    const list = await api('GET', `/api/v1/orgs/${first.org}/connections`, { token: op });
    const shopify = list.items.find((c) => c.platform === 'shopify');
    if (!shopify) throw new Error(`no Shopify connection in ${JSON.stringify(list.items.map((c) => c.platform))}`);
    return shopify.name;
  });

  await checks.run('with the agency\'s steps done, the client verifies and finishes', async () => {
    await agencySteps(edge, op, first.org);
    // A reload stays on the step its address names; the wizard's address
    // without a step (the link's own) resumes where the server says the
    // client is.
    await second.evaluate(() => window.history.replaceState(null, '', '#/onboard'));
    await second.reload();
    await waitForState(second, onStep('verify'), 'the verify step after a reload', 20000);
    await allChecksPass(second);
    await finish(second, shot);
  });

  await checks.run('the agency sees the link completed, opened on two devices', async () => {
    const link = await api('GET', `/api/v1/orgs/${first.org}/onboarding-links/${first.link.id}`, { token: op });
    expectEqual(link.state, 'completed', 'state');
    expectEqual(link.opened_count, 2, 'openings');
    expectEqual(link.openings.length, 2, 'openings listed');
    for (const o of link.openings) {
      if (!o.device.includes('Chrome') || o.address !== '127.0.0.1') throw new Error(`opening ${JSON.stringify(o)}`);
    }
    if (!link.last_activity_at) throw new Error('no last activity');
    return `${link.state}, ${link.opened_count} openings, ${link.openings[0].device}`;
  });

  await checks.run('in the console, the client\'s page shows its answers and the link completed', async () => {
    await openClient(agency, 'Linked Roofing');
    const st = await waitForState(agency, (x) => x.widgets['company.0'] && x.widgets['links.row.0.state'] &&
      x.widgets['team.row.0'], 'the entered data');
    const company = texts(st, /^company\.\d+$/);
    for (const want of ['Linked Roofing', '+1-555-123-4567']) {
      if (!company.includes(want)) throw new Error(`no ${want} in ${company.join(', ')}`);
    }
    const goals = texts(st, /^goals\.\d+$/);
    if (!goals.some((g) => g.includes('More booked jobs'))) throw new Error(`goals: ${goals.join(', ')}`);
    expectEqual(st.widgets['links.row.0.state'].text, 'completed', 'the link\'s state');
    expectEqual(st.widgets['documents.row.0']?.text, 'prices.txt', 'document');
    expectEqual(st.widgets['team.row.0'].text, 'rep@linked.test', 'team');
    await shot(agency, 'console-client');
    return company.join(', ');
  });
  await phone.close();

  const revokedCo = await orgWithLink(op, 'Withdrawn Co', []);
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const third = await other.newPage();
  third.on('pageerror', (err) => problems.push(`page error (revoked link): ${err.message}`));

  await checks.run('a link the agency revokes in the console: its client\'s page says it was revoked', async () => {
    await third.goto(revokedCo.link.url);
    await waitForState(third, onStep('company'), 'the company step of the second link', 20000);
    await openClient(agency, 'Withdrawn Co');
    await click(agency, 'links.row.0.revoke');
    await waitForState(agency, (st) => st.widgets['links.row.0.state']?.text === 'revoked', 'the link revoked');
    const s = await waitForState(third, (st) => st.screen === 'link' && st.widgets['link.title'],
      'the link screen', 30000);
    expectEqual(s.widgets['link.title'].text, 'This link was revoked', 'title');
    await shot(third, 'revoked');
    await third.reload();
    const again = await waitForState(third, (st) => st.screen === 'link' && st.widgets['link.title'],
      'the link screen after a reload', 20000);
    expectEqual(again.widgets['link.title'].text, 'This link was revoked', 'title after a reload');
    return again.widgets['link.message'].text;
  });
  await other.close();
  await agencyContext.close();

  const pastedFrom = await orgWithLink(op, 'Pasted From Co', []);
  const pastedTo = await orgWithLink(op, 'Pasted To Co', []);
  const pasting = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fourth = await pasting.newPage();
  fourth.on('pageerror', (err) => problems.push(`page error (pasted link): ${err.message}`));

  await checks.run('a second link pasted into a tab open on a first one opens the second, without a reload', async () => {
    await fourth.goto(pastedFrom.link.url);
    await waitForState(fourth, onStep('company'), 'the company step of the first link', 20000);
    await companyBasics(fourth, screenshots(args.out, 'links-pasted-'), { name: 'Pasted From Co', phone: '+1-555-123-4567' });
    const loads = await fourth.evaluate(() => performance.getEntriesByType('navigation').length);
    await fourth.evaluate((hash) => { window.location.hash = hash; }, `#/onboard/${pastedTo.link.token}`);
    const s = await waitForState(fourth, (st) => onStep('company')(st) && st.widgets.company_name?.text === '',
      'the company step of the second link', 20000);
    expectEqual(await fourth.evaluate(() => performance.getEntriesByType('navigation').length), loads, 'page loads');
    if (fourth.url().includes(pastedTo.link.token)) throw new Error(`the address still holds the token: ${fourth.url()}`);
    const link = await api('GET', `/api/v1/orgs/${pastedTo.org}/onboarding-links/${pastedTo.link.id}`, { token: op });
    expectEqual(link.opened_count, 1, 'openings of the second link');
    return `step ${s.step}, ${link.opened_count} opening`;
  });
  await pasting.close();

  await test.checkNoPageErrors();
}

await test.finish('links', main);
