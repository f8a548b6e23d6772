// Browser test of an OAuth sign-in from the wizard against `onramp-edge serve --demo`.
//
//   node tests/browser/oauth.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// The client chooses the custom CRM, switches it to OAuth 2.0, types the
// app's settings, and clicks "Sign in": the click opens the popup (a
// browser allows it only inside the gesture), the popup goes to the mock
// CRM's authorization page, which approves and redirects to the edge's
// callback; the callback page posts the result to the wizard and closes.
// The wizard then shows the new connection's sync. Screenshot:
// OUT/oauth-crm-settings.png.
import {
  apiCall, BrowserTest, clickInView, DEMO_USER, expectEqual, fillField, onStep, saveDemoBasics, screenshots, signIn, testArgs,
  waitForState, waitFrames,
} from './harness.mjs';
// The mock CRM's OAuth app (edge/mock/internal.h); its URLs are the demo's,
// which `serve --demo` points at the mock platforms.
const CRM = {
  client_id: 'demo-crm-client',
  client_secret: 'demo-crm-secret-0123456789',
  token_url: 'https://crm.onramp-demo.test/api/oauth/token',
  authorize_url: 'https://crm.onramp-demo.test/api/oauth/authorize',
};

const args = testArgs();
const test = new BrowserTest(80);
const { checks } = test;

const shot = screenshots(args.out, 'oauth-');

const api = (method, url, options) => apiCall(test.edge, method, url, options);

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });

  await checks.run('company basics saved through the API, so the wizard opens at the platforms', () => saveDemoBasics(edge));

  const { page, context } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });

  await checks.run('the custom CRM in OAuth 2.0 mode offers a sign-in once its settings are typed', async () => {
    await page.goto(`${edge.url}/#/onboard`);
    await signIn(page);
    await waitForState(page, onStep('platforms'), 'the platforms step', 15000);
    await clickInView(page, 'platform.custom_crm');
    await waitForState(page, (s) => s.widgets.use_demo, 'the CRM form');
    await clickInView(page, 'use_demo');
    await waitForState(page, (s) => s.widgets.base_url?.text, 'the demo base URL');
    if ((await waitForState(page, (s) => s.widgets.auth_type)).widgets.oauth) throw new Error('sign-in offered for an API key');
    await clickInView(page, 'auth_type');
    await waitForState(page, (s) => s.widgets['auth_type.3'], 'the auth type list');
    await waitFrames(page, 3); // a drop-down is placed a frame after it first appears
    await clickInView(page, 'auth_type.3');
    let s = await waitForState(page, (st) => st.widgets.client_id && st.widgets.oauth, 'the OAuth 2.0 fields');
    for (const [id, value] of Object.entries(CRM)) await fillField(page, id, value, { scroll: true });
    await fillField(page, 'scope', 'contacts.read', { scroll: true });
    s = await waitForState(page, (st) => st.widgets.oauth, 'the sign-in button');
    await shot(page, 'crm-settings');
    return s.widgets.oauth.text;
  });

  await checks.run('signing in opens the popup inside the click, and its result connects the CRM', async () => {
    const popup = context.waitForEvent('page', { timeout: 10000 });
    await clickInView(page, 'oauth');
    const p = await popup;
    const closed = p.waitForEvent('close', { timeout: 15000 });
    await closed;
    const s = await waitForState(page, onStep('sync'), 'the sync step of the new connection', 15000);
    const { access_token: token } = await api('POST', '/api/v1/auth/login', { body: DEMO_USER });
    const me = await api('GET', '/api/v1/auth/me', { token });
    const list = await api('GET', `/api/v1/orgs/${me.memberships[0].org_id}/connections`, { token });
    const crm = list.items.find((c) => c.platform === 'custom_crm');
    if (!crm) throw new Error(`no custom CRM connection in ${JSON.stringify(list.items.map((c) => c.platform))}`);
    expectEqual(crm.credentials.auth_type, 'oauth2', 'auth type');
    if (JSON.stringify(crm).includes(CRM.client_secret)) throw new Error('the client secret came back');
    return `step ${s.step}, connection ${crm.status}`;
  });

  await test.checkNoPageErrors();
}

await test.finish('oauth', main);
