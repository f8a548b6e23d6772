// Browser test of the client's fonts against the real edge in demo mode.
//
//   node tests/browser/fonts.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// The page draws its first frame with the fonts embedded in the module
// while the second subset (inter-more-*.otf: the rest of Latin, Greek,
// Cyrillic) is held back on its way, then merges that subset into the atlas
// when it arrives. The operator then finds the synced product whose title
// mixes Romanian, Greek, Cyrillic and Vietnamese (demo/dataset.cpp), and
// every character of it has its glyph in every font for text, at two
// devicePixelRatios; a script neither subset covers is drawn as a white
// square, not a question mark. Asserts on what the test hook reports
// (fonts, onramp_test_missing_glyphs), never on pixels. Screenshot:
// OUT/fonts-products.png.
import {
  BrowserTest, clickInView, clickRow, connectDemoStore, expectEqual, fillField, screenshots, signIn, testArgs, viewIs,
  waitForState,
} from './harness.mjs';
import { openClient } from './console_steps.mjs';

const args = testArgs();
const test = new BrowserTest(80);
const { checks } = test;
const shot = screenshots(args.out, 'fonts-');

const MORE_FONTS = /\/inter-more-(regular|semibold)\.otf$/;
const TITLE = 'Cafea românească ș ț · Καφές · Кофе · Cà phê sữa đá';
const WHITE_SQUARE = 0x25A1;
const JAPANESE = 'コーヒー'; // in neither subset

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The code points of `text` some font for text has no glyph for.
const missingGlyphs = (page, text) => page.evaluate(
  (t) => JSON.parse(Module.ccall('onramp_test_missing_glyphs', 'string', ['string'], [t])), text);

const codePoints = (list) => list.map((c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');

async function expectAllGlyphs(page, text, what) {
  const missing = await missingGlyphs(page, text);
  if (missing.length) throw new Error(`${what}: no glyph for ${codePoints(missing)}`);
}

async function main() {
  await test.startEdge({ ...args, extraArgs: ['--demo'] });

  await checks.run('the demo company\'s store is connected and synced (API)', async () => {
    const { run } = await connectDemoStore(test.edge);
    expectEqual(run.state, 'succeeded', 'initial sync');
    return `${run.items} items`;
  });

  const { page, context } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });
  // The second subset's requests wait here until the first frame is checked.
  const held = [];
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(MORE_FONTS, async (route) => {
    held.push(new URL(route.request().url()).pathname);
    await released;
    await route.continue();
  });

  let before;
  await checks.run('the first frame is drawn while the second font subset is still on its way', async () => {
    await page.goto(`${test.edge.url}/`);
    before = await waitForState(page, (s) => s.frame >= 1 && s.widgets.email, 'the sign-in screen', 20000);
    // Asked for only once the first frame is on the canvas.
    const deadline = Date.now() + 10000;
    while (held.length < 2 && Date.now() < deadline) await sleep(30);
    expectEqual(held.sort().join(' '), '/inter-more-regular.otf /inter-more-semibold.otf', 'requests held');
    const loaderHidden = await page.evaluate(() => document.getElementById('status').classList.contains('hidden'));
    expectEqual(loaderHidden, true, 'the loader hidden by the first frame');
    const now = await waitForState(page, (s) => s.widgets.email, 'the sign-in screen');
    expectEqual(now.fonts.more, false, 'second subset merged');
    const missing = await missingGlyphs(page, TITLE);
    if (!missing.includes(0x039A)) throw new Error(`the embedded fonts already have Greek: missing ${codePoints(missing)}`);
    return `frame ${now.frame} drawn, ${before.fonts.glyphs} glyphs, ${missing.length} of the title's missing`;
  });

  await checks.run('the second subset arrives and its glyphs join the atlas', async () => {
    release();
    const s = await waitForState(page, (st) => st.fonts.more, 'the second font subset merged');
    if (s.fonts.glyphs <= before.fonts.glyphs) throw new Error(`glyphs: ${before.fonts.glyphs} then ${s.fonts.glyphs}`);
    await expectAllGlyphs(page, TITLE, 'the title');
    return `${before.fonts.glyphs} → ${s.fonts.glyphs} glyphs in the body font`;
  });

  await checks.run('the operator finds the product titled in four scripts, every glyph in the atlas', async () => {
    await signIn(page);
    await waitForState(page, (s) => viewIs('clients')(s) && s.widgets['clients.row.0'], 'the clients list');
    await openClient(page, 'Demo Company');
    await clickRow(page, 'connections.row.0');
    await waitForState(page, (s) => viewIs('connection')(s) && s.widgets['connection.tab.products'], 'the connection');
    // Once the tab stands still: the page's first frames still place it,
    // and a click there, under load, once missed it.
    await clickInView(page, 'connection.tab.products');
    await waitForState(page, (s) => s.widgets['products.row.0'], 'products');
    await fillField(page, 'products.search', 'Καφές');
    const s = await waitForState(page, (st) => st.widgets['products.row.0']?.text === TITLE &&
      !st.widgets['products.row.1'], 'the one product titled in four scripts');
    await expectAllGlyphs(page, s.widgets['products.row.0'].text, 'the row drawn');
    await shot(page, 'products');
  });

  await checks.run('at another devicePixelRatio the rebuilt atlas keeps the second subset', async () => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 2, mobile: false });
    const s = await waitForState(page, (st) => st.dpr === 2 && st.widgets['products.row.0'], 'devicePixelRatio 2');
    expectEqual(s.fonts.more, true, 'second subset merged');
    await expectAllGlyphs(page, s.widgets['products.row.0'].text, 'the row drawn at devicePixelRatio 2');
  });

  await checks.run('a script neither subset covers falls back to a white square, not a question mark', async () => {
    const s = await waitForState(page, (st) => st.fonts, 'the fonts');
    expectEqual(s.fonts.fallback, WHITE_SQUARE, 'fallback code point');
    await expectAllGlyphs(page, String.fromCodePoint(WHITE_SQUARE), 'the fallback itself');
    const missing = await missingGlyphs(page, JAPANESE);
    expectEqual(missing.length, [...JAPANESE].length, `characters of "${JAPANESE}" drawn as the fallback`);
  });

  await test.checkNoPageErrors();
}

await test.finish('fonts', main);
