// Browser test of text input on a touch screen against `onramp-edge serve --demo`.
//
//   node tests/browser/touch.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// A phone (390×844, devicePixelRatio 3, touch): a tap on a text field must
// focus the page's hidden <input> (that is what raises a phone's on-screen
// keyboard) and make the field ImGui's active one; what the keyboard sends
// must reach the field. On-screen keyboards send text as input events
// without key codes, Android's a deletion too (the sentinel in the hidden
// input turns it into a Backspace), and Gboard composes a word before it
// commits it. A tablet's hardware keyboard sends keys as well. Then the
// password, Sign in, and a tap outside any field puts the keyboard away.
// The hidden input types a password field as a password (the keyboard
// neither suggests nor learns it) and an e-mail field with an e-mail layout.
//
// Then a finger scrolls: the console's products (the demo store connected
// and synced through the API first) run far below a phone's screen and
// sideways. A swipe moves the content with the finger and presses nothing
// it started on; a tab scrolled back into view takes a tap; a finger on
// coasting content stops it and taps nothing; a flick carries on after the
// finger leaves. Swipes are real touch events with their own timestamps
// (CDP Input.dispatchTouchEvent), so their speed does not depend on how
// fast this machine delivers them.
// Asserts on the test hook and the DOM, never on pixels.
import path from 'node:path';
import {
  BrowserTest, connectDemoStore, DEMO_USER, expectEqual, expectKeyboardKind, middle, settled, tapWidget as tap, testArgs,
  waitForState, waitFrames,
} from './harness.mjs';

const args = testArgs();
const test = new BrowserTest(80);
const { checks } = test;
let edge = null;


// The hidden input: whether it has the focus (a phone's keyboard is up), and
// its value (the sentinel alone, between keystrokes).
function keyboard(page) {
  return page.evaluate(() => {
    const text = window.onrampGestures.text;
    return { up: document.activeElement === text, value: text.value };
  });
}

const SENTINEL = '\u200b';

async function expectKeyboard(page, up, what) {
  const k = await keyboard(page);
  expectEqual(k.up, up, `${what}: the hidden input has the focus`);
  if (up) expectEqual(k.value, SENTINEL, `${what}: the hidden input holds the sentinel alone`);
}

// A finger from `from` to `to` in `steps` moves 16 ms apart, then `rest` ms
// standing still before it lifts (a finger that rested leaves no speed
// behind; one that lifts while moving flicks). The times are the events'
// own timestamps, not when they arrive.
async function swipe(cdp, from, to, { steps = 12, rest = 300 } = {}) {
  let t = Date.now() / 1000;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from], timestamp: t });
  for (let i = 1; i <= steps; i++) {
    t += 0.016;
    const p = { x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p], timestamp: t });
  }
  t += Math.max(rest, 16) / 1000;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [], timestamp: t });
}

// The scroll state of window `name` (or the first whose name starts with
// it) once three frames in a row leave it where it is.
async function scrollSettled(page, name) {
  const find = (s) => s.scroll[name] ?? Object.entries(s.scroll).find(([k]) => k.startsWith(name))?.[1];
  let last = null;
  for (let i = 0; i < 100; i++) {
    const s = await waitFrames(page, 3);
    const w = find(s);
    if (!w) throw new Error(`no scrolling window "${name}" in ${JSON.stringify(s.scroll)}`);
    if (last && last.x === w.x && last.y === w.y) return { state: s, scroll: w };
    last = w;
  }
  throw new Error(`window "${name}" never stopped scrolling`);
}

function expectNear(actual, expected, what, tolerance = 1.5) {
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${what}: expected ${expected} (± ${tolerance}), got ${actual}`);
  }
}

// Mouse events the page saw so far: a tap brings them, a swipe must not.
const mouseDowns = (page) => page.evaluate(() => window.mouseDowns);

const fieldReads = (page, id, text) =>
  waitForState(page, (s) => s.widgets[id]?.text === text, `the ${id} field to read "${text}"`);

async function main() {
  edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });

  await checks.run('the demo company\'s store is connected and synced (API), for a long list of products', async () => {
    const { run } = await connectDemoStore(edge);
    expectEqual(run.state, 'succeeded', 'initial sync');
    return `${run.items} items`;
  });

  const { page, context } = await test.openBrowser({ width: 390, height: 844, scale: 3, touch: true });
  const cdp = await context.newCDPSession(page);
  // Composes `word` letter by letter, as Gboard does, without committing it.
  const compose = async (word) => {
    for (let i = 1; i <= word.length; i++) {
      await cdp.send('Input.imeSetComposition', { text: word.slice(0, i), selectionStart: i, selectionEnd: i });
      await waitFrames(page, 1);
    }
  };
  // The input events the hidden input received, as the keyboard sent them.
  await page.addInitScript(() => {
    window.inputTypes = [];
    document.addEventListener('input', (e) => window.inputTypes.push(e.inputType), true);
    window.mouseDowns = 0;
    window.addEventListener('mousedown', () => { window.mouseDowns++; }, true);
  });

  await checks.run('the sign-in screen on a phone', async () => {
    await page.goto(`${edge.url}/`);
    const s = await waitForState(page, (st) => st.screen === 'sign_in' && st.widgets.email, 'the sign-in screen', 20000);
    expectEqual(s.dpr, 3, 'dpr seen by the module');
    await expectKeyboard(page, false, 'before any tap');
  });

  await checks.run('a tap on the e-mail field raises the keyboard and makes it the active field', async () => {
    await tap(page, 'email');
    await waitForState(page, (s) => s.focused === 'email', 'the email field to be active');
    await expectKeyboard(page, true, 'after the tap');
    await expectKeyboardKind(page, { type: 'text', inputMode: 'email', autocomplete: 'off' }, 'the e-mail field');
  });

  await checks.run('text from the on-screen keyboard reaches the field, deletions too', async () => {
    await page.keyboard.insertText('demo@');
    await fieldReads(page, 'email', 'demo@');
    await page.keyboard.insertText('onramp.xy');
    await fieldReads(page, 'email', 'demo@onramp.xy');
    // Android keyboards delete without a key code: the sentinel goes. Two
    // before a frame runs, as a held key repeats on a slow frame.
    await page.evaluate(() => { document.execCommand('delete'); document.execCommand('delete'); });
    await fieldReads(page, 'email', 'demo@onramp.');
    expectEqual((await page.evaluate(() => window.inputTypes)).join(),
      'insertText,insertText,deleteContentBackward,deleteContentBackward', 'input events sent');
    await expectKeyboard(page, true, 'after typing');
  });

  await checks.run('a word the keyboard composes reaches the field once, when committed', async () => {
    await compose('local');
    expectEqual((await waitFrames(page, 2)).widgets.email.text, 'demo@onramp.', 'email field while composing');
    await cdp.send('Input.insertText', { text: 'local' }); // the keyboard commits the word
    await fieldReads(page, 'email', DEMO_USER.email);
    await expectKeyboard(page, true, 'after the composed word');
  });

  await checks.run('a hardware keyboard types each key once while the keyboard is up', async () => {
    await page.keyboard.type('ab');
    await fieldReads(page, 'email', `${DEMO_USER.email}ab`);
    await page.keyboard.press('Backspace');
    await waitFrames(page, 2);
    await page.keyboard.press('Backspace');
    await fieldReads(page, 'email', DEMO_USER.email);
    const s = await waitFrames(page, 3); // a doubled key would have landed by now
    expectEqual(s.widgets.email.text, DEMO_USER.email, 'email field');
    expectEqual(s.focused, 'email', 'active field');
    await expectKeyboard(page, true, 'after the hardware keys');
  });

  await checks.run('a finger held down for a few frames taps where it lands, not where the last tap was', async () => {
    await tap(page, 'password.reveal');
    await waitForState(page, (s) => s.widgets['password.reveal'].text === 'Hide', 'the Hide label');
    const { x, y } = middle(await settled(page, 'password'));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await waitFrames(page, 3);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await waitForState(page, (st) => st.focused === 'password', 'the password field to be active');
    const s = await waitFrames(page, 3); // a press where the last tap was would show by now
    expectEqual(s.widgets['password.reveal'].text, 'Hide', 'the reveal toggle');
    expectEqual(s.widgets.email.text, DEMO_USER.email, 'email field, untouched');
    await expectKeyboard(page, true, 'after the held tap');
    // Shown on screen, it is still a password to the keyboard.
    await expectKeyboardKind(page, { type: 'password', autocomplete: 'current-password' }, 'the password field');
  });

  await checks.run('a tap outside any field while a word is composed keeps the word and puts the keyboard away', async () => {
    await page.keyboard.insertText('onramp-');
    await fieldReads(page, 'password', 'onramp-');
    await compose('demo');
    const s = await waitForState(page, (st) => st.widgets.email, 'the sign-in screen');
    const spot = { x: 195, y: 4 };
    const under = Object.entries(s.widgets).find(([, w]) =>
      spot.x >= w.x && spot.x <= w.x + w.w && spot.y >= w.y && spot.y <= w.y + w.h);
    if (under) throw new Error(`(${spot.x}, ${spot.y}) is on widget "${under[0]}"`);
    await page.touchscreen.tap(spot.x, spot.y);
    const after = await waitForState(page, (st) => st.focused === null, 'no active field');
    await page.waitForFunction(() => document.activeElement !== window.onrampGestures.text, null, { polling: 'raf' });
    await expectKeyboard(page, false, 'after the tap outside');
    expectEqual(after.widgets.password.text, DEMO_USER.password, 'password field');
  });

  await checks.run('a tap on Sign in signs in and the keyboard stays away', async () => {
    await tap(page, 'password');
    await waitForState(page, (s) => s.focused === 'password', 'the password field to be active');
    await expectKeyboard(page, true, 'back in the password field');
    await tap(page, 'sign_in');
    // The demo user is an operator too: the console.
    const s = await waitForState(page, (st) => st.screen === 'console' && st.widgets.sign_out,
      'the console, signed in', 15000);
    await page.waitForFunction(() => document.activeElement !== window.onrampGestures.text, null, { polling: 'raf' });
    await page.screenshot({ path: path.join(args.out, 'touch-signed-in.png') });
    return `screen ${s.screen}`;
  });

  await checks.run('taps on rows open the client, its connection (a held finger), then its products', async () => {
    await tap(page, 'clients.row.0');
    await waitForState(page, (s) => s.widgets['console.view'].text === 'client' && s.widgets['connections.row.0'],
      'the client\'s connections');
    // Held for a few frames, as a finger is, with the pointer last left
    // elsewhere: the click comes at the release, and the row still takes it.
    const row = middle(await settled(page, 'connections.row.0'));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [row] });
    await waitFrames(page, 3);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await waitForState(page, (s) => s.widgets['console.view'].text === 'connection', 'the connection');
    await tap(page, 'connection.tab.products');
    await waitForState(page, (s) => s.widgets['products.row.0'], 'the products');
    const { scroll } = await scrollSettled(page, '##console');
    if (!(scroll.max_y > 1000)) throw new Error(`the console does not run below the screen: ${JSON.stringify(scroll)}`);
    const table = (await scrollSettled(page, '##console/##products')).scroll;
    if (!(table.max_x > 150)) throw new Error(`the products table does not scroll sideways: ${JSON.stringify(table)}`);
    return `${Math.round(scroll.max_y)} px below, ${Math.round(table.max_x)} px to the right`;
  });

  await checks.run('a sideways swipe on the products table scrolls it with the finger and sorts nothing', async () => {
    const before = (await scrollSettled(page, '##console')).state;
    const downs = await mouseDowns(page);
    const sku = before.widgets['products.h.SKU'];
    const from = { x: Math.min(sku.x + sku.w / 2, 380), y: sku.y + sku.h / 2 };
    await swipe(cdp, from, { x: from.x - 150, y: from.y });
    const { state: after, scroll: table } = await scrollSettled(page, '##console/##products');
    expectNear(table.x, 150, 'the table\'s scroll');
    // The Price column, off screen right of SKU before, came 150 px closer;
    // SKU went under the frozen Title column.
    const price = after.widgets['products.h.Price'];
    if (!price) throw new Error('the Price column did not come into view');
    expectNear(price.x - (sku.x + sku.w), -150, 'the Price header\'s place');
    expectEqual(after.scroll['##console'].y, before.scroll['##console'].y, 'the console\'s scroll');
    expectEqual(after.widgets['products.row.0'].text, before.widgets['products.row.0'].text, 'the first product');
    expectEqual(await mouseDowns(page), downs, 'mouse presses');
  });

  // Past this page's slop (8 px), within the browser's own: without the
  // page cancelling the touch, the browser would call it a tap.
  await checks.run('a drag of 12 px on a tab scrolls 12 px and presses nothing', async () => {
    const before = (await scrollSettled(page, '##console')).state;
    const downs = await mouseDowns(page);
    const from = middle(before.widgets['connection.tab.sync']);
    await swipe(cdp, from, { x: from.x, y: from.y - 12 }, { steps: 3 });
    const { state: after, scroll } = await scrollSettled(page, '##console');
    expectNear(scroll.y, before.scroll['##console'].y + 12, 'the console\'s scroll');
    if (after.widgets['sync.chart'] || !after.widgets['products.row.0']) throw new Error('the sync history opened');
    expectEqual(await mouseDowns(page), downs, 'mouse presses');
  });

  await checks.run('a swipe up moves the console with the finger and presses nothing it started on', async () => {
    const before = (await scrollSettled(page, '##console')).state;
    const downs = await mouseDowns(page);
    const tab = before.widgets['connection.tab.sync'];
    const from = middle(tab);
    await swipe(cdp, from, { x: from.x, y: from.y - 320 });
    const { state: after, scroll } = await scrollSettled(page, '##console');
    expectNear(scroll.y, before.scroll['##console'].y + 320, 'the console\'s scroll');
    expectNear(after.widgets['products.row.1'].y - before.widgets['products.row.1'].y, -320, 'a product\'s move');
    // A press on the tab would have opened the sync history.
    if (after.widgets['sync.chart'] || !after.widgets['products.row.0']) throw new Error('the sync history opened');
    expectEqual(after.widgets['console.view'].text, 'connection', 'the console\'s view');
    expectEqual(await mouseDowns(page), downs, 'mouse presses');
    await expectKeyboard(page, false, 'after the swipe');
    await page.screenshot({ path: path.join(args.out, 'touch-scrolled.png') });
  });

  await checks.run('a swipe back down brings the tabs into view, and a tap on one opens it', async () => {
    let before = (await scrollSettled(page, '##console')).state;
    // The connection's actions stand above its tabs: one more swipe up
    // takes the tabs out of view when the last one left them in it.
    if (before.widgets['connection.tab.sync'].y < before.widgets['console.view'].y + 160) {
      await swipe(cdp, { x: 200, y: 600 }, { x: 200, y: 300 });
      before = (await scrollSettled(page, '##console')).state;
    }
    const hidden = before.widgets['connection.tab.sync'];
    if (!(hidden.y + hidden.h <= before.widgets['console.view'].y)) {
      throw new Error(`the Sync history tab is not above the panel: ${JSON.stringify(hidden)}`);
    }
    await swipe(cdp, { x: 200, y: 200 }, { x: 200, y: 600 });
    let { scroll } = await scrollSettled(page, '##console');
    if (scroll.y > 0) {
      await swipe(cdp, { x: 200, y: 200 }, { x: 200, y: 600 });
      ({ scroll } = await scrollSettled(page, '##console'));
    }
    expectEqual(scroll.y, 0, 'the console\'s scroll');
    await tap(page, 'connection.tab.sync');
    await waitForState(page, (s) => s.widgets['sync.chart'], 'the sync history');
    await tap(page, 'connection.tab.products');
    await waitForState(page, (s) => s.widgets['products.row.0'], 'the products again');
  });

  // Flicks last: after one, headless Chromium's touch emulation sends no
  // mouse events for taps any more (its touchstart stays uncancelable, as
  // during a fling of its own), so a tap would reach ImGui no more.
  await checks.run('a finger put down on coasting content stops it and taps nothing, not even a text field', async () => {
    const before = (await scrollSettled(page, '##console')).state;
    const row = before.widgets['products.row.1'];
    const { x, y } = middle(before.widgets['products.search']);
    await swipe(cdp, { x: 300, y: row.y + row.h / 2 }, { x: 260, y: row.y + row.h / 2 }, { steps: 5, rest: 0 });
    const table = (s) => Object.entries(s.scroll).find(([k]) => k.startsWith('##console/##products'))[1];
    const x0 = table(await waitFrames(page, 1)).x;
    await waitForState(page, (s) => table(s).x !== x0, 'the table to be coasting');
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    const held = table(await waitFrames(page, 2)).x;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const s = await waitFrames(page, 4);
    expectEqual(table(s).x, held, 'the table\'s scroll after the finger lifted');
    await expectKeyboard(page, false, 'after the finger on coasting content');
    expectEqual(s.focused, null, 'active widget');
    return `stopped at ${Math.round(held)} px`;
  });

  await checks.run('a flick carries the content on after the finger leaves', async () => {
    const { scroll: before } = await scrollSettled(page, '##console');
    await swipe(cdp, { x: 200, y: 700 }, { x: 200, y: 500 }, { steps: 5, rest: 0 });
    const { scroll } = await scrollSettled(page, '##console');
    const carried = scroll.y - before.y - 200;
    if (!(carried > 100)) throw new Error(`the content went ${carried} px beyond the finger`);
    return `${Math.round(carried)} px beyond the finger's 200`;
  });

  await test.checkNoPageErrors();
}

await test.finish('touch', main);
