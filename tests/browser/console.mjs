// Browser test of the operator console against the real edge in demo mode.
//
//   node tests/browser/console.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// Starts `onramp-edge serve --demo` (demo operator, demo organization, mock
// platforms on loopback), connects the demo company's BigCommerce store
// through the API and waits for its initial sync, then in headless
// Chromium: the operator signs in, sees the client with its onboarding step
// and connection health, opens the connection, reads its sync history
// (chart and runs), sorts and searches its products, opens its webhook
// deliveries, the audit log and the vault's key status, and does it again
// on a phone. Screenshots go to OUT/console-*.png.
import {
  apiCall, BrowserTest, clickRow, clickWidget, DEMO_USER, expectEqual, fillField, screenshots, signIn, testArgs, viewIs,
  waitForState,
} from './harness.mjs';

const args = testArgs();
const test = new BrowserTest(55);
const { checks } = test;

const shot = screenshots(args.out, 'console-');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const api = (method, url, options) => apiCall(test.edge, method, url, options);

// Polls the connection's sync until no run is queued or running.
async function syncSettled(token, syncUrl) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const s = await api('GET', syncUrl, { token });
    if (s.current && !['queued', 'running'].includes(s.current.state)) return s.current;
    await sleep(150);
  }
  throw new Error('the sync did not finish within 20 s');
}

// The demo user signs in at the page's root and lands in the console.
async function signInToConsole(page) {
  await page.goto(`${test.edge.url}/`);
  await signIn(page);
  await waitForState(page, (s) => viewIs('clients')(s) && s.widgets['clients.row.0'], 'the clients list');
}

// Opens the demo client's BigCommerce connection from the clients list.
async function openConnection(page) {
  await waitForState(page, (s) => viewIs('clients')(s) && s.widgets['clients.row.0'], 'the clients list');
  await clickRow(page, 'clients.row.0');
  await waitForState(page, (s) => viewIs('client')(s) && s.widgets['connections.row.0'], 'the client\'s connections');
  await clickRow(page, 'connections.row.0');
  return waitForState(page, (s) => viewIs('connection')(s) && s.widgets['sync.chart'], 'the sync history');
}

async function main() {
  await test.startEdge({ ...args, extraArgs: ['--demo'] });
  let setup;

  await checks.run('the demo client connects BigCommerce and syncs (API)', async () => {
    const { access_token: token } = await api('POST', '/api/v1/auth/login', { body: DEMO_USER });
    const orgs = await api('GET', '/api/v1/orgs', { token });
    const org = orgs.items.find((o) => o.name === 'Demo Company');
    if (!org) throw new Error(`no Demo Company in ${JSON.stringify(orgs)}`);
    const creds = await api('GET', '/api/v1/demo/credentials');
    const conn = await api('POST', `/api/v1/orgs/${org.id}/connections`, {
      token,
      body: { platform: 'bigcommerce', name: 'Demo store', credentials: creds.bigcommerce, perform_initial_sync: true },
    });
    const syncUrl = `/api/v1/orgs/${org.id}/connections/${conn.id}/sync`;
    const first = await syncSettled(token, syncUrl);
    expectEqual(first.state, 'succeeded', 'initial sync');
    await api('POST', syncUrl, { token }); // a second run, for the chart
    await syncSettled(token, syncUrl);
    setup = { org, conn, items: first.items };
    return `${first.items} items in the initial sync`;
  });

  const { page } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });

  await checks.run('the operator signs in and lands in the console', () => signInToConsole(page));

  await checks.run('clients show their onboarding step and connection health', async () => {
    const s = await waitForState(page, (st) => /connection/.test(st.widgets['clients.row.0.health']?.text ?? '') &&
      !/…/.test(st.widgets['clients.row.0.onboarding']?.text ?? '…'), 'the client summary');
    expectEqual(s.widgets['clients.row.0'].text, 'Demo Company', 'first client');
    expectEqual(s.widgets['clients.row.0.health'].text, '1 connection', 'health');
    await shot(page, 'clients');
    return `onboarding "${s.widgets['clients.row.0.onboarding'].text}"`;
  });

  await checks.run('a client\'s connection shows its health', async () => {
    await clickRow(page, 'clients.row.0');
    const s = await waitForState(page, (st) => viewIs('client')(st) && st.widgets['connections.row.0.health'],
      'the connections table');
    expectEqual(s.widgets['connections.row.0'].text, 'bigcommerce', 'platform');
    expectEqual(s.widgets['connections.row.0.health'].text, 'healthy', 'health');
  });

  await checks.run('the connection\'s sync history: a chart of items per run and the runs', async () => {
    await clickRow(page, 'connections.row.0');
    const s = await waitForState(page, (st) => viewIs('connection')(st) && st.widgets['sync.row.1'], 'two sync runs');
    const bars = s.widgets['sync.chart'].text.split(',').map(Number);
    expectEqual(bars.length, 2, 'bars in the chart');
    expectEqual(bars[0], setup.items, 'first bar (the initial sync, oldest first)');
    if (!s.widgets['sync.row.1'].text.startsWith('succeeded')) throw new Error(`run: ${s.widgets['sync.row.1'].text}`);
    await shot(page, 'sync');
    return `bars ${bars.join(', ')}`;
  });

  await checks.run('products: listed, sorted by a header click, searched', async () => {
    await clickWidget(page, 'connection.tab.products');
    let s = await waitForState(page, (st) => st.widgets['products.row.0'] && st.widgets['products.count'], 'products');
    const total = Number(/of (\d+)/.exec(s.widgets['products.count'].text)[1]);
    if (total < 1) throw new Error(`count: ${s.widgets['products.count'].text}`);
    const ascending = s.widgets['products.row.0'].text;
    await clickRow(page, 'products.h.Title');
    s = await waitForState(page, (st) => st.widgets['products.row.0']?.text !== ascending, 'the order to change');
    const [a, b] = [s.widgets['products.row.0'].text, s.widgets['products.row.1'].text];
    if (!(a >= b)) throw new Error(`not descending: "${a}" before "${b}"`);
    await fillField(page, 'products.search', 'Mug');
    s = await waitForState(page, (st) => {
      const m = /of (\d+)/.exec(st.widgets['products.count']?.text ?? '');
      return m && Number(m[1]) < total && st.widgets['products.row.0'];
    }, 'search results');
    const rows = Object.entries(s.widgets).filter(([id]) => /^products\.row\.\d+$/.test(id)).map(([, w]) => w.text);
    const stray = rows.find((t) => !/mug/i.test(t));
    if (stray) throw new Error(`"${stray}" does not match "Mug"`);
    await shot(page, 'products');
    return `${total} products, ${rows.length} match "Mug"`;
  });

  await checks.run('webhook deliveries load (a table, or an empty state)', async () => {
    await clickWidget(page, 'connection.tab.webhooks');
    const s = await waitForState(page, (st) => st.widgets['deliveries.empty'] || st.widgets['deliveries.row.0'] ||
      st.widgets['deliveries.error'], 'the deliveries');
    if (s.widgets['deliveries.error']) throw new Error(s.widgets['deliveries.error'].text);
    return s.widgets['deliveries.empty'] ? 'none yet' : 'rows';
  });

  await checks.run('the audit log lists the sign-in and the new connection', async () => {
    await clickWidget(page, 'console.tab.audit');
    const s = await waitForState(page, (st) => viewIs('audit')(st) && st.widgets['audit.row.0'], 'audit rows');
    const actions = Object.entries(s.widgets).filter(([id]) => /^audit\.row\.\d+$/.test(id)).map(([, w]) => w.text);
    for (const want of ['connection.created', 'login.succeeded']) {
      if (!actions.includes(want)) throw new Error(`no ${want} in ${actions.join(', ')}`);
    }
    await shot(page, 'audit');
    return `${actions.length} entries`;
  });

  await checks.run('the vault shows its current key and the stored secret', async () => {
    await clickWidget(page, 'console.tab.vault');
    const s = await waitForState(page, (st) => viewIs('vault')(st) && st.widgets['vault.key.0'], 'the vault keys');
    expectEqual(s.widgets['vault.key.0.state'].text, 'current', 'key state');
    expectEqual(s.widgets['vault.key.0.held'].text, 'held', 'held by this server');
    if (!/^[1-9]\d* secrets? stored under key /.test(s.widgets['vault.summary'].text))
      throw new Error(`summary: ${s.widgets['vault.summary'].text}`);
    await shot(page, 'vault');
  });

  await checks.run('signing out returns to the sign-in form', async () => {
    await clickWidget(page, 'sign_out');
    await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen');
  });

  await checks.run('on a phone (390×844, devicePixelRatio 2) the console still fits', async () => {
    const { page: p } = await test.openBrowser({ width: 390, height: 844, scale: 2 });
    await signInToConsole(p);
    await openConnection(p);
    await clickWidget(p, 'connection.tab.products');
    const s = await waitForState(p, (st) => st.widgets['products.row.0'], 'products at phone size');
    for (const id of ['console.tab.vault', 'connection.tab.webhooks', 'sign_out', 'products.search']) {
      const w = s.widgets[id];
      if (!w || w.x < 0 || w.x + w.w > 390) throw new Error(`${id} is off screen: ${JSON.stringify(w)}`);
    }
    return shot(p, 'phone');
  });

  await test.checkNoPageErrors();
}

await test.finish('console', main);
