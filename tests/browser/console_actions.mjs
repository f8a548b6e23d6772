// Browser test of what the operator console does, against the real edge in
// demo mode:
//
//   node tests/browser/console_actions.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// The demo company connects BigCommerce and enters its details through the
// API; then in headless Chromium the operator creates a client and its
// onboarding link and copies it, reads the demo company's entered data
// (downloading its document),
// revokes the new client's link, is refused a new link that asks for a code
// (the demo edge sends no e-mail) in the edge's words, syncs a connection now, tests it again,
// is refused new credentials in the platform's words, registers its
// webhooks, pages through its products, creates an API key (copied once)
// and revokes it, filters the audit log, and disconnects the connection. Each action goes through the edge's API, so what the page
// shows is checked against what the edge answers. Screenshots go to
// OUT/console-actions-*.png.
import {
  apiCall, BrowserTest, clickInView, clickWidget, DEMO_USER, expectEqual, fillField, screenshots, signIn, testArgs,
  viewIs, waitForState,
} from './harness.mjs';
import { clickTab, newClient, openClient, texts } from './console_steps.mjs';

const args = testArgs();
const test = new BrowserTest(140);
const { checks } = test;
const shot = screenshots(args.out, 'console-actions-');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const api = (method, url, options) => apiCall(test.edge, method, url, options);
const PRICE_LIST = 'Price list\nGutter cleaning: 90 USD\n';

async function syncSettled(token, syncUrl) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const s = await api('GET', syncUrl, { token });
    if (s.current && !['queued', 'running'].includes(s.current.state)) return s;
    await sleep(150);
  }
  throw new Error('the sync did not finish within 20 s');
}

async function main() {
  await test.startEdge({ ...args, extraArgs: ['--demo'] });
  let setup;

  await checks.run('the demo company connects BigCommerce and enters its details (API)', async () => {
    const { access_token: token } = await api('POST', '/api/v1/auth/login', { body: DEMO_USER });
    const orgs = await api('GET', '/api/v1/orgs', { token });
    const org = orgs.items.find((o) => o.name === 'Demo Company');
    const creds = await api('GET', '/api/v1/demo/credentials');
    const conn = await api('POST', `/api/v1/orgs/${org.id}/connections`, {
      token,
      body: { platform: 'bigcommerce', name: 'Demo store', credentials: creds.bigcommerce, perform_initial_sync: true },
    });
    const syncUrl = `/api/v1/orgs/${org.id}/connections/${conn.id}/sync`;
    const sync = await syncSettled(token, syncUrl);
    expectEqual(sync.current.state, 'succeeded', 'initial sync');
    await api('POST', '/api/v1/onboarding/company-basics', {
      token, org: org.id,
      body: { company_name: 'Demo Company', company_phone: '+1-555-010-2000', industry: 'retail',
        timezone: 'America/Chicago', admin_name: 'Dana Demo', admin_email: 'dana@demo.test' },
    });
    await api('POST', '/api/v1/onboarding/invite-user', {
      token, org: org.id, body: { email: 'rep@demo.test', role: 'sales_rep' },
    });
    const form = new FormData();
    form.append('file', new Blob([PRICE_LIST], { type: 'text/plain' }), 'price-list.txt');
    form.append('category', 'reference');
    const up = await fetch(`${test.edge.url}/api/v1/onboarding/documents/upload`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'X-Org-Id': org.id }, body: form,
    });
    if (up.status !== 201) throw new Error(`upload: HTTP ${up.status} ${await up.text()}`);
    const products = await api('GET', `/api/v1/orgs/${org.id}/products?per_page=1&connection_id=${conn.id}`, { token });
    if (products.total <= 50) throw new Error(`only ${products.total} products: paging needs more than a page of 50`);
    setup = { token, org, conn, creds: creds.bigcommerce, syncUrl, runs: sync.history.items.length, products: products.total };
    return `${products.total} products`;
  });

  const { page, context, expectConsoleError } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: test.edge.url });

  await checks.run('the operator signs in; the clients overview counts and charts', async () => {
    await page.goto(`${test.edge.url}/`);
    await signIn(page);
    const s = await waitForState(page, (st) => viewIs('clients')(st) &&
      /^0 completed · 1 in progress/.test(st.widgets['clients.counts']?.text ?? ''), 'the overview');
    if (!s.widgets['clients.chart']) throw new Error('no chart of clients per week');
    return s.widgets['clients.counts'].text;
  });

  let link;
  await checks.run('New client: the organization and its onboarding link are made, and the link copies', async () => {
    // The demo edge sends no e-mail: it refuses send_to (409) and the
    // console asks again without it.
    expectConsoleError(/409/);
    const s = await newClient(page, {
      name: 'Riverside Plumbing', email: 'owner@riverside.test', note: 'Signed on the phone', expiry: '3',
      platforms: ['bigcommerce'],
    });
    link = s.widgets['new_client.link'].text;
    if (!/#\/onboard\/\S+$/.test(link)) throw new Error(`link: ${link}`);
    // The demo edge sends no e-mail: the form says so rather than failing.
    if (!/Not e-mailed/.test(s.widgets['new_client.mail']?.text ?? '')) throw new Error('no word about the e-mail');
    await clickWidget(page, 'new_client.link.copy');
    await waitForState(page, (st) => st.widgets['new_client.link.copy'].text === 'Copied', 'Copied');
    expectEqual(await page.evaluate(() => navigator.clipboard.readText()), link, 'clipboard');
    const orgs = await api('GET', '/api/v1/orgs', { token: setup.token });
    const made = orgs.items.find((o) => o.name === 'Riverside Plumbing');
    if (!made) throw new Error('the organization is not on the edge');
    const links = await api('GET', `/api/v1/orgs/${made.id}/onboarding-links`, { token: setup.token });
    expectEqual(links.items.length, 1, 'links of the new client');
    expectEqual(JSON.stringify(links.items[0].platforms), '["bigcommerce"]', 'platforms asked for');
    expectEqual(links.items[0].note, 'Signed on the phone', 'note');
    setup.riverside = made;
    await shot(page, 'new-client');
  });

  await checks.run('a refusal shows the problem\'s words: a new client without a name', async () => {
    expectConsoleError(/422/);
    await clickInView(page, 'new_client.done');
    await clickWidget(page, 'clients.new');
    await waitForState(page, (st) => viewIs('new_client')(st) && st.widgets['new_client.create'], 'the form');
    await clickInView(page, 'new_client.create');
    const s = await waitForState(page, (st) => st.widgets['new_client.error'], 'the refusal');
    if (!/name/.test(s.widgets['new_client.error'].text)) throw new Error(s.widgets['new_client.error'].text);
    await clickInView(page, 'back');
    return s.widgets['new_client.error'].text;
  });

  await checks.run('the new client\'s link is listed and revoked from its page', async () => {
    await openClient(page, 'Riverside Plumbing');
    await waitForState(page, (st) => st.widgets['links.row.0.revoke'], 'the link with Revoke');
    await clickInView(page, 'links.row.0.revoke');
    const s = await waitForState(page, (st) => st.widgets['links.row.0.state']?.text === 'revoked', 'the link revoked');
    if (s.widgets['links.row.0.revoke']) throw new Error('a revoked link still offers Revoke');
    const links = await api('GET', `/api/v1/orgs/${setup.riverside.id}/onboarding-links`, { token: setup.token });
    if (!links.items[0].revoked_at) throw new Error('the edge has not revoked the link');
  });

  await checks.run('New link asking for a code: the box waits for an e-mail address; the edge\'s refusal in its words', async () => {
    // The demo edge sends no e-mail, so it cannot send the codes: 409.
    expectConsoleError(/409/);
    const before = await waitForState(page, (st) => st.widgets['links.require_code'], 'the code box');
    if (!before.widgets['links.require_code'].disabled) throw new Error('the code box is enabled without an e-mail');
    await fillField(page, 'links.email', 'owner@riverside.test', { scroll: true });
    await waitForState(page, (st) => st.widgets['links.require_code'].disabled === false, 'the code box enabled');
    await clickInView(page, 'links.require_code');
    await waitForState(page, (st) => st.widgets['links.require_code'].text === 'on', 'the box ticked');
    await clickInView(page, 'links.new');
    const s = await waitForState(page, (st) => st.widgets['links.error'], 'the refusal');
    if (!/cannot send the codes/.test(s.widgets['links.error'].text)) throw new Error(s.widgets['links.error'].text);
    const links = await api('GET', `/api/v1/orgs/${setup.riverside.id}/onboarding-links`, { token: setup.token });
    expectEqual(links.items.length, 1, 'links after the refusal');
    if (s.widgets['links.row.0.code']) throw new Error('"code required" on a link without a code');
    return s.widgets['links.error'].text;
  });

  await checks.run('a client\'s entered data: company details, a document to download, a pending invitation', async () => {
    const s = await openClient(page, 'Demo Company');
    const st = await waitForState(page, (x) => x.widgets['company.0'] && x.widgets['team.row.0.state'], 'the entered data');
    const company = texts(st, /^company\.\d+$/);
    for (const want of ['+1-555-010-2000', 'retail', 'Dana Demo']) {
      if (!company.includes(want)) throw new Error(`no ${want} in ${company.join(', ')}`);
    }
    expectEqual(st.widgets['team.row.0'].text, 'rep@demo.test', 'invited person');
    expectEqual(st.widgets['team.row.0.state'].text, 'pending', 'invitation state');
    expectEqual(st.widgets['documents.row.0'].text, 'price-list.txt', 'document');
    const download = page.waitForEvent('download', { timeout: 10000 });
    await clickInView(page, 'documents.row.0.download');
    const file = await download;
    expectEqual(file.suggestedFilename(), 'price-list.txt', 'downloaded file name');
    const saved = await file.createReadStream();
    const chunks = [];
    for await (const chunk of saved) chunks.push(chunk);
    expectEqual(Buffer.concat(chunks).toString(), PRICE_LIST, 'downloaded content');
    await shot(page, 'client');
    return s.widgets['client.onboarding']?.text;
  });

  await checks.run('Sync now queues a run that shows in the history', async () => {
    await clickInView(page, 'connections.row.0');
    await waitForState(page, (st) => viewIs('connection')(st) && st.widgets['sync.row.0'], 'the sync history');
    await clickInView(page, 'connection.sync');
    await waitForState(page, (st) => /Sync started/.test(st.widgets['connection.outcome']?.text ?? ''), 'the outcome');
    const s = await waitForState(page, (st) => st.widgets[`sync.row.${setup.runs}`], 'one more run', 20000);
    const after = await api('GET', setup.syncUrl, { token: setup.token });
    if (after.history.items.length <= setup.runs) throw new Error('the edge has no new run');
    return s.widgets['sync.row.0'].text;
  });

  await checks.run('Test again passes; credentials the platform refuses are not stored, in its words', async () => {
    await clickInView(page, 'connection.test');
    await waitForState(page, (st) => /^Tested/.test(st.widgets['connection.outcome']?.text ?? ''), 'the test passing');
    expectConsoleError(/422|400|502/);
    await clickInView(page, 'connection.replace');
    await fillField(page, 'credentials.store_hash', setup.creds.store_hash, { scroll: true });
    await fillField(page, 'credentials.access_token', 'x'.repeat(31), { scroll: true });
    await clickInView(page, 'credentials.save');
    const s = await waitForState(page, (st) => st.widgets['connection.outcome'] &&
      !/^Tested/.test(st.widgets['connection.outcome'].text), 'the refusal');
    if (!/BigCommerce/.test(s.widgets['connection.outcome'].text)) throw new Error(s.widgets['connection.outcome'].text);
    const conn = await api('GET', `/api/v1/orgs/${setup.org.id}/connections/${setup.conn.id}`, { token: setup.token });
    expectEqual(conn.status, 'active', 'the connection after the refusal');
    await clickInView(page, 'connection.replace'); // "Keep the credentials" closes the form
    await waitForState(page, (st) => !st.widgets['credentials.save'], 'the form closed');
    return s.widgets['connection.outcome'].text;
  });

  await checks.run('webhooks: Register at the platform answers in words', async () => {
    await clickInView(page, 'connection.tab.webhooks');
    await clickInView(page, 'webhooks.register');
    const s = await waitForState(page, (st) => st.widgets['connection.outcome'] &&
      !/BigCommerce did not/.test(st.widgets['connection.outcome'].text), 'the registration outcome', 15000);
    const hooks = await api('GET', `/api/v1/orgs/${setup.org.id}/connections/${setup.conn.id}/webhooks`, { token: setup.token });
    const ok = s.widgets['connection.outcome'].text.startsWith('Registered');
    expectEqual(ok, hooks.registered.length > 0, `registered hooks on the edge (${s.widgets['connection.outcome'].text})`);
    return s.widgets['connection.outcome'].text;
  });

  await checks.run('products page through the whole catalogue, 50 at a time', async () => {
    await clickInView(page, 'connection.tab.products');
    let s = await waitForState(page, (st) => /^Showing 1–50 of \d+$/.test(st.widgets['products.count']?.text ?? ''),
      'the first page');
    const first = s.widgets['products.row.0'].text;
    await clickInView(page, 'products.next');
    s = await waitForState(page, (st) => /^Page 2 of/.test(st.widgets['products.page']?.text ?? '') &&
      /^Showing 51–/.test(st.widgets['products.count']?.text ?? ''), 'the second page');
    if (s.widgets['products.row.0'].text === first) throw new Error('page 2 starts like page 1');
    if (s.widgets['products.row.50']) throw new Error('more than 50 rows on a page');
    await shot(page, 'products-page-2');
    // The other synced records page the same way, from their first page.
    await clickInView(page, 'records.orders');
    const orders = await api('GET', `/api/v1/orgs/${setup.org.id}/records?resource=orders&per_page=1`, { token: setup.token });
    s = await waitForState(page, (st) => st.widgets['products.count']?.text === `Showing 1–${Math.min(50, orders.total)} of ${orders.total}`,
      'the first page of orders');
    return `${s.widgets['products.count'].text} orders`;
  });

  await checks.run('an API key is created, its secret copied once, then revoked', async () => {
    await clickTab(page, 'console.tab.keys');
    await waitForState(page, (st) => viewIs('keys')(st) && (st.widgets['keys.empty'] || st.widgets['keys.row.0']), 'the keys');
    await fillField(page, 'keys.name', 'CRM sync');
    await clickWidget(page, 'keys.create');
    const s = await waitForState(page, (st) => st.widgets['keys.secret'] && st.widgets['keys.row.0'], 'the new key');
    const secret = s.widgets['keys.secret'].text;
    await clickWidget(page, 'keys.secret.copy');
    await waitForState(page, (st) => st.widgets['keys.secret.copy'].text === 'Copied', 'Copied');
    expectEqual(await page.evaluate(() => navigator.clipboard.readText()), secret, 'clipboard');
    // The key works until it is revoked.
    await api('GET', '/api/v1/auth/me', { token: secret });
    await clickWidget(page, 'keys.row.0.revoke');
    await waitForState(page, (st) => st.widgets['keys.row.0.state']?.text === 'revoked', 'the key revoked');
    const refused = await fetch(`${test.edge.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${secret}` } });
    expectEqual(refused.status, 401, 'a revoked key');
  });

  await checks.run('the audit log filters by action and client, with names instead of ids', async () => {
    await clickTab(page, 'console.tab.audit');
    await waitForState(page, (st) => viewIs('audit')(st) && st.widgets['audit.row.0'], 'audit rows');
    await fillField(page, 'audit.action', 'onboarding_link');
    await page.keyboard.press('Enter');
    const s = await waitForState(page, (st) => {
      const rows = texts(st, /^audit\.row\.\d+$/);
      return rows.length > 0 && rows.every((a) => a.startsWith('onboarding_link.'));
    }, 'only onboarding_link entries');
    const who = texts(s, /^audit\.row\.\d+\.who$/);
    if (!who.some((t) => t.includes('Riverside Plumbing'))) throw new Error(`no client names: ${who.join(' / ')}`);
    const actions = texts(s, /^audit\.row\.\d+$/);
    for (const want of ['onboarding_link.revoked', 'onboarding_link.created']) {
      if (!actions.includes(want)) throw new Error(`no ${want} in ${actions.join(', ')}`);
    }
    await shot(page, 'audit');
    return `${actions.length} entries`;
  });

  await checks.run('Disconnect asks first, then removes the connection', async () => {
    await openClient(page, 'Demo Company');
    await clickInView(page, 'connections.row.0');
    await waitForState(page, (st) => viewIs('connection')(st), 'the connection');
    await clickInView(page, 'connection.disconnect');
    await clickInView(page, 'connection.disconnect.confirm');
    await waitForState(page, (st) => /^Disconnected/.test(st.widgets['connection.outcome']?.text ?? ''), 'the outcome');
    const conns = await api('GET', `/api/v1/orgs/${setup.org.id}/connections`, { token: setup.token });
    expectEqual(conns.items.length, 0, 'connections left');
  });

  await test.checkNoPageErrors();
}

await test.finish('console_actions', main);
