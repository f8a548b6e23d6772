// The operator console's steps as an agency works them, with real mouse
// and keyboard events, shared by the console's own test
// (console_actions.mjs) and the onboarding-link test (links.mjs), where the
// agency makes the client's link in the console before the client opens it.
import {
  clickInView, clickRow, clickWidget, fillField, viewIs, waitForState, waitFrames,
} from './harness.mjs';

// The texts of the widgets whose ids match `pattern`, in id order.
export const texts = (s, pattern) => Object.entries(s.widgets).filter(([id]) => pattern.test(id))
  .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([, w]) => w.text);

// Clicks one of the console's tabs, with the panel scrolled to its top:
// scrolled down, a tab slides under the top bar, which takes the click.
export async function clickTab(page, id) {
  await page.mouse.move(640, 400);
  await page.mouse.wheel(0, -100000);
  await waitFrames(page, 3);
  await clickWidget(page, id);
}

// From anywhere in the console: the clients list, then the client `name`.
// The Clients tab returns to the view it was left on; clicked again, it
// goes to the list.
export async function openClient(page, name) {
  await clickTab(page, 'console.tab.clients');
  const back = await waitForState(page, (st) => st.widgets['console.tab.clients'] &&
    ['clients', 'client', 'connection', 'new_client'].includes(st.widgets['console.view']?.text), 'the Clients tab');
  if (back.widgets['console.view'].text !== 'clients') await clickTab(page, 'console.tab.clients');
  const s = await waitForState(page, (st) => viewIs('clients')(st) &&
    texts(st, /^clients\.row\.\d+$/).includes(name), `"${name}" in the clients list`);
  const [id] = Object.entries(s.widgets).find(([k, w]) => /^clients\.row\.\d+$/.test(k) && w.text === name);
  await clickRow(page, id);
  return waitForState(page, (st) => viewIs('client')(st) && st.widgets['links.new'], `the client "${name}"`);
}

// From the clients list: New client, the form filled (`email`, `note` and
// `expiry` in days only when given; `platforms` ticked), Create. Returns
// the state once the form shows the link it made.
export async function newClient(page, { name, email, note, expiry, platforms }) {
  // Where it stands still: the overview lays itself out again as its
  // figures arrive, and a click on a moving button is lost.
  await clickInView(page, 'clients.new');
  await waitForState(page, (st) => viewIs('new_client')(st) && st.widgets[`new_client.platform.${platforms[0]}`],
    'the new client form with the platforms');
  await fillField(page, 'new_client.name', name);
  // A code is sent to the e-mail address: without one, the box is off.
  const before = await waitForState(page, (st) => st.widgets['new_client.require_code'], 'the code box');
  if (!before.widgets['new_client.require_code'].disabled) throw new Error('the code box is enabled without an e-mail');
  if (email) {
    await fillField(page, 'new_client.email', email);
    await waitForState(page, (st) => st.widgets['new_client.require_code'].disabled === false, 'the code box enabled');
  }
  if (note) await fillField(page, 'new_client.note', note);
  if (expiry) await fillField(page, 'new_client.expiry', expiry);
  for (const platform of platforms) {
    const box = `new_client.platform.${platform}`;
    await clickWidget(page, box);
    await waitForState(page, (st) => st.widgets[box].text === 'on', `the ${platform} box ticked`);
  }
  await clickInView(page, 'new_client.create');
  return waitForState(page, (st) => st.widgets['new_client.link'], 'the link', 15000);
}
