// Browser test of the page's languages against `onramp-edge serve --demo`.
//
//   node tests/browser/i18n.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// An English browser shows the sign-in page in English; the language switch
// turns it Spanish (the table fetched from i18n/es.json), a wrong password's
// error (the edge's code invalid_credentials) shows in Spanish, and a reload
// keeps Spanish. The organization sets German as its clients' default: the
// Spanish tab's wizard stays Spanish (the switch wins), a fresh English
// browser's wizard is German, and so is a credential field's validation
// message there (drawn from its code, shared/validation/messages.h); the
// console of a Spanish browser shows its pills in Spanish. A browser whose
// language is German (--lang=de, Accept-Language de-DE) opens the sign-in
// page in German. The German client's wizard shows Stripe's webhook steps,
// English at the edge, in German (the tables' "edge" section).
// Asserts on the texts the test hook reports, never on pixels. Screenshots
// go to OUT/i18n-<what>.png.
import {
  apiCall, BrowserTest, clickInView, clickWidget, DEMO_USER, expectEqual, fillField, onStep, screenshots, signIn, testArgs,
  waitForState, waitFrames,
} from './harness.mjs';

const args = testArgs();
const test = new BrowserTest(150);
const { checks } = test;
const shot = screenshots(args.out, 'i18n-');

const signInShows = (text) => (s) => s.screen === 'sign_in' && s.widgets.sign_in?.text === text;

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });
  const { page, expectConsoleError } = await test.openBrowser({ width: 1280, height: 800, scale: 1, locale: 'en-US' });

  await checks.run('an English browser sees the sign-in page in English', async () => {
    await page.goto(edge.url);
    const s = await waitForState(page, signInShows('Sign in'), 'the English sign-in page', 20000);
    expectEqual(s.widgets.language.text, 'English', 'the language switch');
    return s.widgets.forgot_password.text;
  });

  await checks.run('the language switch turns the sign-in page Spanish', async () => {
    await clickWidget(page, 'language');
    // A popup's first frame places its items before it is sized: click the
    // option once it stands still.
    await clickInView(page, 'language.es');
    const s = await waitForState(page, signInShows('Iniciar sesión'), 'the Spanish sign-in page');
    expectEqual(s.widgets.forgot_password.text, '¿Olvidó su contraseña?', 'the forgot-password link');
    expectEqual(s.widgets.language.text, 'Español', 'the language switch');
    expectEqual(await page.evaluate(() => document.documentElement.lang), 'es', '<html lang>');
    await shot(page, 'sign-in-es');
    return s.widgets.sign_in.text;
  });

  await checks.run("the edge's error for a wrong password shows in Spanish", async () => {
    expectConsoleError(/401/);
    await fillField(page, 'email', DEMO_USER.email);
    await fillField(page, 'password', 'not-the-password');
    await clickWidget(page, 'sign_in');
    const s = await waitForState(page, (st) => st.widgets['sign_in.error'], 'the sign-in error');
    expectEqual(s.widgets['sign_in.error'].text, 'El correo electrónico o la contraseña no son correctos.',
      'the error');
    return s.widgets['sign_in.error'].text;
  });

  await checks.run('the choice survives a reload', async () => {
    await page.reload();
    const s = await waitForState(page, signInShows('Iniciar sesión'), 'the Spanish sign-in page after a reload', 20000);
    return s.widgets.language.text;
  });

  await checks.run("the organization's default language is German", async () => {
    const { access_token: token } = await apiCall(edge, 'POST', '/api/v1/auth/login', { body: DEMO_USER });
    const orgs = await apiCall(edge, 'GET', '/api/v1/orgs', { token });
    const org = orgs.items.find((o) => o.name === 'Demo Company');
    await apiCall(edge, 'PUT', `/api/v1/orgs/${org.id}/branding`, { token, body: { language: 'de' } });
    return org.id;
  });

  await checks.run("the wizard stays Spanish for the client who chose Spanish, over the organization's German",
    async () => {
      await page.goto(`${edge.url}/#/onboard`);
      await page.reload();
      await signIn(page);
      const s = await waitForState(page, (st) => onStep('company')(st) &&
        st.widgets['step.title'].text === 'Datos de la empresa', 'the Spanish company step', 15000);
      expectEqual(s.widgets.continue.text, 'Guardar y continuar', 'the continue button');
      await shot(page, 'wizard-es');
      return s.widgets['step.title'].text;
    });

  let fresh;
  await checks.run("a client who chose no language sees the wizard in the organization's German", async () => {
    fresh = await test.openBrowser({ width: 1280, height: 800, scale: 1, locale: 'en-US' });
    await fresh.page.goto(`${edge.url}/#/onboard`);
    await signIn(fresh.page);
    const s = await waitForState(fresh.page, (st) => onStep('company')(st) &&
      st.widgets['step.title'].text === 'Unternehmensdaten', 'the German company step', 15000);
    expectEqual(s.widgets.continue.text, 'Speichern und weiter', 'the continue button');
    await shot(fresh.page, 'wizard-de');
    return s.widgets['step.title'].text;
  });

  await checks.run("a credential field's validation message and label show in the organization's German", async () => {
    // Company basics filled in, as the client would, to reach the platforms.
    await fillField(fresh.page, 'company_name', 'Dach Deckerei');
    await fillField(fresh.page, 'company_phone', '+49 30 1234567');
    await clickInView(fresh.page, 'industry');
    await waitForState(fresh.page, (st) => st.widgets['industry.8'], 'the open drop-down');
    await waitFrames(fresh.page, 3);
    await clickInView(fresh.page, 'industry.8');
    await waitForState(fresh.page, (st) => !st.widgets['industry.8'], 'the drop-down to close');
    await clickInView(fresh.page, 'continue');
    await waitForState(fresh.page, onStep('platforms'), 'the platforms step', 15000);
    await clickInView(fresh.page, 'platform.bigcommerce');
    await waitForState(fresh.page, (st) => st.widgets.store_hash, 'the BigCommerce form');
    await fillField(fresh.page, 'store_hash', 'x');
    const s = await waitForState(fresh.page, (st) => st.widgets['store_hash.error'], 'the store hash message');
    expectEqual(s.widgets['store_hash.error'].text,
      '„Store-Hash“ sind die 5–12 Buchstaben und Ziffern nach /stores/ in Ihrem API-Pfad, z. B. abc123 in ' +
      'https://api.bigcommerce.com/stores/abc123/v3/.', 'the message');
    await shot(fresh.page, 'validation-de');
    return s.widgets['store_hash.error'].text;
  });

  await checks.run("the console's pills show in Spanish for an operator whose browser is Spanish", async () => {
    const { page: operator } = await test.openBrowser({ width: 1280, height: 800, scale: 1, locale: 'es-ES' });
    await operator.goto(`${edge.url}/`);
    await signIn(operator);
    let s = await waitForState(operator, (st) => st.widgets['clients.row.0.onboarding'] &&
      !/…/.test(st.widgets['clients.row.0.onboarding'].text), 'the clients list', 15000);
    // Company basics is done (above): the demo company's next step, in Spanish.
    if (!/^Seguimiento de llamadas( \(\d+\/\d+\))?$/.test(s.widgets['clients.row.0.onboarding'].text))
      throw new Error(`the onboarding pill reads ${s.widgets['clients.row.0.onboarding'].text}`);
    await clickWidget(operator, 'console.tab.vault');
    s = await waitForState(operator, (st) => st.widgets['vault.key.0.held'], 'the vault keys');
    expectEqual(s.widgets['vault.key.0.held'].text, 'disponible', 'the key held by this server');
    await shot(operator, 'vault-es');
    return `${s.widgets['vault.key.0.held'].text}`;
  });

  await checks.run('a German browser opens the sign-in page in German', async () => {
    const german = await test.openBrowser({ width: 1280, height: 800, scale: 1, locale: 'de-DE' });
    await german.page.goto(edge.url);
    const s = await waitForState(german.page, signInShows('Anmelden'), 'the German sign-in page', 20000);
    expectEqual(s.widgets.language.text, 'Deutsch', 'the language switch');
    expectEqual(s.widgets.forgot_password.text, 'Passwort vergessen?', 'the forgot-password link');
    await shot(german.page, 'sign-in-de');
    return s.widgets.sign_in.text;
  });

  await checks.run("a platform's webhook step from the edge shows in the organization's German", async () => {
    // Stripe's hooks are set up by hand: the wizard shows the edge's steps.
    await clickInView(fresh.page, 'leave');
    await clickInView(fresh.page, 'platform.stripe');
    await waitForState(fresh.page, (st) => st.widgets.use_demo, 'the Stripe form');
    await clickInView(fresh.page, 'use_demo');
    await clickInView(fresh.page, 'test');
    await waitForState(fresh.page, (st) => st.widgets['test.result'], 'the test result', 15000);
    await clickInView(fresh.page, 'connect');
    await waitForState(fresh.page, (st) => st.widgets['sync.state']?.text === 'succeeded', 'the sync to succeed',
      20000);
    await clickInView(fresh.page, 'continue');
    const s = await waitForState(fresh.page, (st) => onStep('webhooks')(st) && st.widgets['webhooks.step.0'],
      'the webhook steps', 15000);
    const url = s.widgets['webhook.url'].text;
    expectEqual(s.widgets['webhooks.step.0'].text, `Stripe-Dashboard > Developers > Webhooks > Add endpoint: ${url}`,
      'the first step');
    await shot(fresh.page, 'webhook-steps-de');
    return s.widgets['webhooks.step.0'].text;
  });

  await test.checkNoPageErrors();
}

test.finish('i18n', main);
