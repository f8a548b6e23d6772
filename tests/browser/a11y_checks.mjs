// What the accessibility tests check a page with, shared by a11y.mjs and
// screen_reader.mjs: axe-core's verdict, Chromium's own accessibility tree
// (the DevTools protocol's, what a screen reader reads) and the page's
// accessibility mirror (web/platform/a11y.h).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { waitFrames } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// axe's serious and critical violations on the page as it is, listed.
// axe goes in through the DevTools protocol: the page's Content Security
// Policy refuses inline scripts, which is what addScriptTag would add.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => !!window.axe))) {
    const cdp = await page.context().newCDPSession(page);
    const { exceptionDetails } = await cdp.send('Runtime.evaluate', { expression: readFileSync(AXE, 'utf8') });
    await cdp.detach();
    if (exceptionDetails) throw new Error(`axe did not load: ${exceptionDetails.text}`);
  }
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  if (found.length) throw new Error(`axe violations:\n  ${found.join('\n  ')}`);
}

// The mirror holds the element of widget `id` (the frame was published).
export const mirrored = (page, id) =>
  page.waitForFunction((i) => !!window.onrampA11y?.els[i], id, { polling: 'raf' });

// axe on the screen once the mirror holds widget `id` and the frame after
// it was published.
export async function axeOnceMirrored(page, id) {
  await mirrored(page, id);
  await waitFrames(page, 2);
  await axeViolations(page);
}

// Chromium's accessibility tree: [{role, name, invalid, description}] of
// the nodes not ignored.
export async function axTree(page, cdp) {
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  return nodes.filter((n) => !n.ignored).map((n) => ({
    role: n.role?.value,
    name: n.name?.value ?? '',
    description: n.description?.value ?? '',
    invalid: (n.properties ?? []).some((p) => p.name === 'invalid' && p.value.value !== 'false'),
  }));
}

// Fails unless the tree has a node of `role` named `name`; returns it.
export function expectNode(tree, role, name) {
  const node = tree.find((n) => n.role === role && n.name === name);
  if (!node) {
    const seen = tree.filter((n) => n.role === role).map((n) => JSON.stringify(n.name));
    throw new Error(`no ${role} named "${name}" in the accessibility tree (${role}s: ${seen.join(', ')})`);
  }
  return node;
}

// Every field and button in the tree has a name (an alert's is its text,
// checked apart); returns how many there are.
export function expectAllNamed(tree) {
  const roles = ['textbox', 'button', 'checkbox', 'combobox'];
  const unnamed = tree.filter((n) => roles.includes(n.role) && !n.name.trim());
  if (unnamed.length) throw new Error(`unnamed: ${JSON.stringify(unnamed)}`);
  return tree.filter((n) => roles.includes(n.role)).length;
}
