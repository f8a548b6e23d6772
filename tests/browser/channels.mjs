// Browser test of the messaging and payment channels connected from the
// wizard against `onramp-edge serve --demo`, as a client does it:
//
//   node tests/browser/channels.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// Meta: "Sign in with Facebook" opens the popup inside the click; the mock's
// login dialog agrees and sends it to the edge's callback, which finds the
// demo person's two Pages and offers them; choosing the second signs in
// again for that Page. TikTok Shop: the demo app's settings, then the
// popup through the mock's authorize page, which knows the edge's callback
// because a demo edge registers it at start. Telegram and Stripe: the demo
// token and key, connected through the form. Each ends on the sync step,
// and the platforms step then lists all four as connected. Stripe fixes its
// webhook signing secret itself: its webhooks step asks for the one the
// dashboard shows in a masked field, refuses a blank one under the field,
// and saves a pasted one. Screenshots: OUT/channels-*.png.
import {
  apiCall, BrowserTest, clickInView, DEMO_USER, expectEqual, fillField, onStep, saveDemoBasics, screenshots, testArgs, signIn,
  waitForState,
} from './harness.mjs';

const args = testArgs();
const test = new BrowserTest(150);
const { checks } = test;

const shot = screenshots(args.out, 'channels-');

const api = (method, url, options) => apiCall(test.edge, method, url, options);

// The demo user's token and organization.
async function demoUser() {
  const { access_token: token } = await api('POST', '/api/v1/auth/login', { body: DEMO_USER });
  const me = await api('GET', '/api/v1/auth/me', { token });
  return { token, org: me.memberships[0].org_id };
}

// The demo user's connections, by platform.
async function connections() {
  const { token, org } = await demoUser();
  const list = await api('GET', `/api/v1/orgs/${org}/connections`, { token });
  return Object.fromEntries(list.items.map((c) => [c.platform, c]));
}

// Clicks `id`, which opens the sign-in popup, and waits for the popup to
// finish (its completion page closes it).
async function signInThroughPopup(page, context, id) {
  const popup = context.waitForEvent('page', { timeout: 10000 });
  await clickInView(page, id);
  const p = await popup;
  await p.waitForEvent('close', { timeout: 15000 });
}

// From the sync step of the last connection back to the platforms step.
async function backToPlatforms(page) {
  await waitForState(page, onStep('sync'), 'the sync step of the new connection', 15000);
  await page.goBack();
  await waitForState(page, onStep('platforms'), 'the platforms step', 10000);
}

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });

  await checks.run('company basics saved through the API, so the wizard opens at the platforms', () => saveDemoBasics(edge));

  const { page, context, expectConsoleError } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });

  await checks.run('Meta: the sign-in offers the demo person\'s two Pages, and the one chosen is connected', async () => {
    await page.goto(`${edge.url}/#/onboard`);
    await signIn(page);
    await waitForState(page, onStep('platforms'), 'the platforms step', 15000);
    await clickInView(page, 'platform.meta');
    await waitForState(page, (s) => s.widgets.oauth, 'the Facebook sign-in button');
    await signInThroughPopup(page, context, 'oauth');
    const s = await waitForState(page, (st) => st.widgets['oauth.choice.1'], 'the Pages to choose from', 10000);
    expectEqual(s.widgets['oauth.choice.0'].text, 'Onramp Demo Page', 'the first Page');
    expectEqual(s.widgets['oauth.choice.1'].text, 'Onramp Demo Shop', 'the second Page');
    await shot(page, 'meta-pages');
    await signInThroughPopup(page, context, 'oauth.choice.1');
    await backToPlatforms(page);
    const meta = (await connections()).meta;
    if (!meta) throw new Error('no Meta connection');
    expectEqual(meta.credentials.page_id, '104000000000002', 'the chosen Page');
    expectEqual(meta.status, 'active', 'the Meta connection');
    return `Page ${meta.credentials.page_id}`;
  });

  await checks.run('TikTok Shop: the authorize page sends the seller back to the edge, which connects the shop', async () => {
    await clickInView(page, 'platform.tiktok_shop');
    await waitForState(page, (s) => s.widgets.use_demo, 'the TikTok Shop form');
    await clickInView(page, 'use_demo');
    await waitForState(page, (s) => s.widgets.app_key?.text && s.widgets.oauth, 'the demo app and the sign-in button');
    await signInThroughPopup(page, context, 'oauth');
    await backToPlatforms(page);
    const shop = (await connections()).tiktok_shop;
    if (!shop) throw new Error('no TikTok Shop connection');
    expectEqual(shop.status, 'active', 'the TikTok Shop connection');
  });

  for (const [platform, name] of [['telegram', 'Telegram'], ['stripe', 'Stripe']]) {
    await checks.run(`${name}: the demo credentials connect through the form`, async () => {
      await clickInView(page, `platform.${platform}`);
      await waitForState(page, (s) => s.widgets.use_demo, `the ${name} form`);
      await clickInView(page, 'use_demo');
      await clickInView(page, 'connect');
      await backToPlatforms(page);
      const conn = (await connections())[platform];
      if (!conn) throw new Error(`no ${name} connection`);
      expectEqual(conn.status, 'active', `the ${name} connection`);
    });
  }

  await checks.run('the platforms step shows the four channels connected', async () => {
    const s = await waitForState(page, (st) => st.widgets.connected, 'the connected notice');
    await shot(page, 'connected');
    const all = await connections();
    for (const platform of ['meta', 'tiktok_shop', 'telegram', 'stripe']) {
      if (all[platform]?.status !== 'active') throw new Error(`${platform}: ${JSON.stringify(all[platform]?.status)}`);
      if (!s.widgets.connected.text.includes(all[platform].name)) {
        throw new Error(`"${all[platform].name}" missing from "${s.widgets.connected.text}"`);
      }
    }
    return s.widgets.connected.text;
  });

  await checks.run("Stripe's webhooks step: a blank secret is refused under its field, the dashboard's one saved", async () => {
    await page.goForward();  // the Stripe connection's sync step
    await waitForState(page, (st) => onStep('sync')(st) && st.widgets['sync.state']?.text === 'succeeded',
      "Stripe's sync to succeed", 20000);
    await clickInView(page, 'continue');
    let s = await waitForState(page, (st) => onStep('webhooks')(st) && st.widgets['webhook.pasted'],
      'the field for the signing secret', 15000);
    if (s.widgets.make_secret) throw new Error('the step offers to create the secret Stripe fixes itself');
    const field = page.getByRole('textbox', { name: 'Signing secret from Stripe' });
    expectEqual(`${await field.getAttribute('type')} ${await field.getAttribute('autocomplete')}`, 'password off',
      "the field's type and autocomplete");
    expectConsoleError(/422/);
    await clickInView(page, 'save_secret');
    s = await waitForState(page, (st) => st.widgets['webhook.pasted.error'], "the blank secret's error under its field");
    expectEqual(s.widgets['webhook.pasted.error'].text, 'must not be empty', "the field's error");
    await shot(page, 'stripe-secret-refused');
    const secret = `whsec_${Math.random().toString(36).slice(2)}dashboard`;
    await fillField(page, 'webhook.pasted', secret, { scroll: true });
    await clickInView(page, 'save_secret');
    s = await waitForState(page, (st) => st.widgets['webhook.secret'] && !st.widgets['webhook.pasted'],
      'the saved secret', 10000);
    expectEqual(s.widgets['webhook.secret'].text, '••••oard (set)', 'the secret, masked');
    if (s.widgets['webhooks.error']) throw new Error(`an error: ${s.widgets['webhooks.error'].text}`);
    const { token, org } = await demoUser();
    const hooks = await api('GET', `/api/v1/orgs/${org}/connections/${(await connections()).stripe.id}/webhooks`,
      { token });
    expectEqual(hooks.secret_configured, true, "the edge's secret_configured");
    await shot(page, 'stripe-secret-saved');
    return s.widgets['webhook.secret'].text;
  });

  await test.checkNoPageErrors();
}

await test.finish('channels', main);
