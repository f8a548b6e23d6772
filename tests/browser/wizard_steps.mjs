// The onboarding wizard's steps as a client walks them, with real mouse and
// keyboard events, shared by the test against the real edge (wizard.mjs)
// and the test of the static demo (static_demo.mjs): both pages run the same
// wizard, only what answers its requests differs. Each function takes the
// page and `shot(page, name)` (harness.mjs screenshots()), asserts what the
// step shows, takes its picture and, unless said otherwise, leaves the
// wizard on the next step. What only one of the tests does stays in its file.
import {
  clickInView as click, clickRow, clickWidget, expectEqual, fillField, onStep, viewIs, waitForState, waitFrames,
} from './harness.mjs';

// Clicks Continue (or whatever the step calls it) and waits for step `step`.
export async function continueTo(page, step, timeout = 10000) {
  await click(page, 'continue');
  return waitForState(page, onStep(step), `the ${step} step`, timeout);
}

// Company basics: the name pasted, Tab to the phone which is typed, the
// industry from its drop-down; then the platforms step.
export async function companyBasics(page, shot, { name, phone }) {
  await fillField(page, 'company_name', name);
  await page.keyboard.press('Tab');
  await waitForState(page, (s) => s.focused === 'company_phone', 'Tab to reach the phone field');
  await page.keyboard.type(phone);
  await waitForState(page, (s) => s.widgets.company_phone?.text === phone, 'the typed phone');
  await click(page, 'industry');
  // A drop-down is placed a frame after it first appears.
  await waitForState(page, (s) => s.widgets['industry.8'], 'the open drop-down');
  await waitFrames(page, 3);
  await click(page, 'industry.8');
  await waitForState(page, (s) => s.widgets.industry?.text === 'e-commerce', 'the chosen industry');
  await shot(page, 'company');
  await continueTo(page, 'platforms');
}

// An empty secret field `id` shows its hint as text, not as the dots of a
// filled one: masked, the field looks exactly as it does revealed, where
// the hint is plain text. Leaves it masked.
export async function emptySecretShowsHint(page, id) {
  const picture = async () => {
    await page.mouse.move(0, 0);  // no hover highlight
    const { widgets: { [id]: w } } = await waitFrames(page, 3);
    return page.screenshot({ clip: { x: w.x, y: w.y, width: w.w, height: w.h } });
  };
  const reveal = async (label) => {
    await click(page, `${id}.reveal`);
    await waitForState(page, (s) => s.widgets[`${id}.reveal`]?.text === label, `the ${id} toggle to read ${label}`);
  };
  const masked = await picture();
  await reveal('Hide');
  const revealed = await picture();
  await reveal('Show');
  if (!masked.equals(revealed)) throw new Error(`the empty ${id} field draws its hint differently while masked`);
}

// Chooses BigCommerce and fills its form with the demo credentials, the
// token masked, whose hint showed as text while it was empty. Stays on the
// form; returns the hook's state.
export async function bigCommerceDemoForm(page, shot) {
  await shot(page, 'platforms');
  await click(page, 'platform.bigcommerce');
  const form = await waitForState(page, (s) => s.widgets.use_demo && s.widgets.store_hash && s.widgets.access_token,
    'the BigCommerce form');
  expectEqual(form.widgets.access_token.text, '', 'the token before the demo credentials');
  await emptySecretShowsHint(page, 'access_token');
  await click(page, 'use_demo');
  const s = await waitForState(page, (st) => st.widgets.store_hash.text && st.widgets.access_token.text,
    'the demo credentials in the form');
  expectEqual(s.widgets['access_token.reveal']?.text, 'Show', 'the token, masked');
  return s;
}

// Clicks Test and returns the state once the form shows the result.
export async function testConnection(page) {
  await click(page, 'test');
  return waitForState(page, (st) => st.widgets['test.result'], 'the test result', 15000);
}

// Tests the form's credentials, which must pass, and saves the connection;
// then the sync step. Returns the state with the passed test.
export async function connectVerified(page, shot) {
  const s = await testConnection(page);
  expectEqual(s.widgets['test.result'].text, 'Connection verified', 'test result');
  await shot(page, 'connect');
  await click(page, 'connect');
  await waitForState(page, onStep('sync'), 'the sync step', 15000);
  return s;
}

// Waits for the initial sync to succeed with counts matching `counts`; then
// the documents step: BigCommerce's webhooks are registered by Onramp
// itself, so the client gets no webhooks step. Returns the counts.
export async function syncSucceeds(page, shot, counts) {
  const s = await waitForState(page, (st) => st.widgets['sync.state']?.text === 'succeeded',
    'the sync to succeed', 20000);
  const text = s.widgets['sync.counts'].text;
  if (!counts.test(text)) throw new Error(`counts: ${text}`);
  await shot(page, 'sync');
  await continueTo(page, 'documents');
  return text;
}

// Uploads a small text document `name` through the browser's file picker
// (the picker offering only what the edge accepts) and waits for its
// ingestion; then the goals step. Returns its line.
export async function uploadDocument(page, shot, name) {
  await waitForState(page, (s) => s.widgets.choose_file, 'the Choose a file button');
  const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
  await click(page, 'choose_file');
  const picker = await chooser;
  // Exactly the edge's accepted extensions (shared/documents/accepted.cpp).
  expectEqual(await picker.element().getAttribute('accept'), '.pdf,.docx,.txt,.text,.md,.markdown',
    'the file types the picker offers');
  await picker.setFiles({
    name, mimeType: 'text/plain',
    buffer: Buffer.from('Price list\nRoof inspection: 120 USD\nGutter cleaning: 90 USD\n'),
  });
  const s = await waitForState(page, (st) => st.widgets['document.0']?.text === `${name}: done`,
    'the document to be ingested', 20000);
  await shot(page, 'documents');
  await continueTo(page, 'goals');
  return s.widgets['document.0'].text;
}

// Goals and preferences as they come; then the team step.
export async function goals(page, shot) {
  await shot(page, 'goals');
  await continueTo(page, 'team');
}

// Invites `email`; stays on the team step. Returns the state once the
// invitation is listed with a link.
export async function invite(page, email) {
  await fillField(page, 'invite_email', email);
  await click(page, 'invite');
  return waitForState(page, (st) => st.widgets['invited.0']?.text.startsWith(email) &&
    st.widgets['invite.link'], 'the invitation and its link');
}

// Waits until the verify step passes every one of its four checks.
export async function allChecksPass(page) {
  const s = await waitForState(page, (st) => st.widgets['verify.result']?.text === 'Everything is in place',
    'every check to pass', 10000);
  expectEqual([0, 1, 2, 3].map((i) => s.widgets[`check.${i}`].text).join(', '), 'ok, ok, ok, ok', 'checks');
  return s;
}

// Finish on a passed verify step: the wizard's last screen.
export async function finish(page, shot) {
  await click(page, 'continue'); // "Finish"
  await waitForState(page, (st) => st.screen === 'wizard' && st.step === 'done' && st.widgets.sign_out,
    'the last screen');
  await shot(page, 'done');
}

// In the console, signed in as the operator: finds `company` among the
// clients, opens it, its BigCommerce connection with a succeeded sync, and
// its products, whose count must match `products` when given. Pictures:
// shot 'clients' and 'products'. Returns a note for the check.
export async function operatorSeesClient(page, shot, { company, products }) {
  const rowOf = (st) => Object.keys(st.widgets)
    .find((id) => /^clients\.row\.\d+$/.test(id) && st.widgets[id].text === company);
  let s = await waitForState(page, (st) => viewIs('clients')(st) && rowOf(st) &&
    /connection/.test(st.widgets[`${rowOf(st)}.health`]?.text ?? ''), `${company} in the clients list`, 15000);
  const row = rowOf(s);
  const onboarding = s.widgets[`${row}.onboarding`]?.text;
  await shot(page, 'clients');
  await clickRow(page, row);
  s = await waitForState(page, (st) => viewIs('client')(st) && st.widgets['connections.row.0'], 'its connections');
  expectEqual(s.widgets['connections.row.0'].text, 'bigcommerce', 'its platform');
  await clickRow(page, 'connections.row.0');
  s = await waitForState(page, (st) => viewIs('connection')(st) && st.widgets['sync.row.0'], 'its sync history');
  if (!s.widgets['sync.row.0'].text.startsWith('succeeded')) throw new Error(`run: ${s.widgets['sync.row.0'].text}`);
  await clickWidget(page, 'connection.tab.products');
  s = await waitForState(page, (st) => st.widgets['products.row.0'] && st.widgets['products.count'], 'its products');
  const count = s.widgets['products.count'].text;
  if (products && !products.test(count)) throw new Error(`products: ${count}`);
  await shot(page, 'products');
  return `onboarding "${onboarding}", ${count}`;
}
