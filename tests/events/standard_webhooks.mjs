// An independent check of the edge's event signatures: the Standard
// Webhooks reference library for JavaScript (npm "standardwebhooks")
// verifies every event the edge sends to a receiver in this script.
//
// Starts `onramp-edge serve --demo` (the mock platforms answer its
// connectors), registers an endpoint on a little HTTP receiver here,
// causes events through the API (an onboarding step, a connection and its
// first sync, a document, a connection whose token stops working), and checks that each
// arrives once and that `new Webhook(secret).verify(body, headers)` accepts
// it, and refuses it once the body or the secret is changed. Then rotates
// the secret: a delivery during the overlap verifies with the old secret
// and with the new one.
//
// Usage: node tests/events/standard_webhooks.mjs --edge BINARY
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { apiCall, DEMO_USER, fail, startEdge } from '../browser/harness.mjs';

const { values } = parseArgs({ options: { edge: { type: 'string' } } });
if (!values.edge || !fs.existsSync(values.edge)) fail('usage: --edge BINARY (an onramp-edge that exists)');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const watchdog = setTimeout(() => fail('did not finish within 100 s'), 100000);

// The receiver: every request's headers and raw body, answered 204.
const received = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

const web = fs.mkdtempSync(path.join(os.tmpdir(), 'onramp-events-web-'));
const edge = await startEdge({
  edge: values.edge, web, extraArgs: ['--demo', '--outbound-allow-http', '--outbound-allow-private'],
});
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
};

try {
  const { access_token: token } = await apiCall(edge, 'POST', '/api/v1/auth/login', { body: DEMO_USER });
  const orgs = await apiCall(edge, 'GET', '/api/v1/orgs', { token });
  const org = orgs.items.find((o) => o.name === 'Demo Company').id;
  const endpoint = await apiCall(edge, 'POST', `/api/v1/orgs/${org}/event-endpoints`,
    { token, body: { url: hookUrl, description: 'standardwebhooks check' } });
  check(endpoint.secret.startsWith('whsec_'), 'the endpoint is made with a whsec_ secret');

  // The events.
  await apiCall(edge, 'POST', `/api/v1/onboarding/company-basics?org_id=${org}`, {
    token,
    body: {
      company_name: 'Demo Company', company_phone: '+1-555-010-0000', company_email: 'office@demo.test',
      company_domain: 'demo.test', industry: 'logistics', timezone: 'America/New_York', team_size: 4,
      admin_name: 'Demo Admin', admin_email: 'admin@demo.test',
    },
  });
  const demo = await apiCall(edge, 'GET', '/api/v1/demo/credentials');
  const shop = await apiCall(edge, 'POST', `/api/v1/orgs/${org}/connections`, {
    token, body: { platform: 'shopify', name: 'Demo shop', credentials: demo.shopify, perform_initial_sync: true },
  });
  const form = new FormData();
  form.append('category', 'sop');
  form.append('file', new Blob(['Greet the caller by name.\n'], { type: 'text/plain' }), 'playbook.txt');
  const upload = await fetch(`${edge.url}/api/v1/onboarding/documents/upload?org_id=${org}`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form,
  });
  check(upload.status === 201, `the document upload answers 201 (got ${upload.status})`);

  const typesOf = () => received.map((r) => JSON.parse(r.body).type);
  const waitFor = async (types) => {
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline && !types.every((t) => typesOf().includes(t))) await sleep(100);
  };
  // connection.failed: deleting a second shop makes the mock Shopify revoke
  // the demo token (as Shopify does), so the first shop's stored token then
  // fails its test. After the first sync, which needs the token.
  await waitFor(['sync.finished']);
  const second = await apiCall(edge, 'POST', `/api/v1/orgs/${org}/connections`, {
    token, body: { platform: 'shopify', name: 'Second shop', credentials: demo.shopify },
  });
  await apiCall(edge, 'DELETE', `/api/v1/orgs/${org}/connections/${second.id}`, { token });
  const retest = await apiCall(edge, 'POST', `/api/v1/orgs/${org}/connections/${shop.id}/test`, { token });
  check(retest.success === false, 'the first shop fails its test once the token is revoked');
  const wanted = ['onboarding.step_completed', 'connection.created', 'sync.finished', 'connection.failed',
    'document.ingested'];
  await waitFor(wanted);
  for (const type of wanted) check(typesOf().includes(type), `${type} arrived`);

  // Every delivery verifies with the library, and not when tampered with.
  const wh = new Webhook(endpoint.secret);
  const stranger = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
  const ids = new Set();
  for (const r of received) {
    const type = JSON.parse(r.body).type;
    let verified = null;
    try {
      verified = wh.verify(r.body, r.headers);
    } catch (e) {
      check(false, `${type}: standardwebhooks refused it: ${e.message}`);
      continue;
    }
    check(verified.type === type && verified.data.org_id === org, `${type} verifies with standardwebhooks`);
    check(!ids.has(r.headers['webhook-id']), `${type} arrived once (webhook-id ${r.headers['webhook-id']})`);
    ids.add(r.headers['webhook-id']);
    let tampered = false;
    try { wh.verify(r.body.replace(org, `${org}x`), r.headers); } catch { tampered = true; }
    check(tampered, `${type} with a changed body is refused`);
    let foreign = false;
    try { stranger.verify(r.body, r.headers); } catch { foreign = true; }
    check(foreign, `${type} with another secret is refused`);
  }

  // Rotation: both secrets sign during the overlap.
  const rotated = await apiCall(edge, 'POST', `/api/v1/orgs/${org}/event-endpoints/${endpoint.id}/rotate-secret`,
    { token });
  const before = received.length;
  await apiCall(edge, 'POST', `/api/v1/onboarding/goals?org_id=${org}`, {
    token,
    body: {
      primary_goals: ['Reduce response time'], target_metrics: { response_time_hours: 2 },
      notification_preferences: { email: true, sms: false, in_app: true },
      quiet_hours_start: '20:00', quiet_hours_end: '08:00',
    },
  });
  const until = Date.now() + 15000;
  while (Date.now() < until && received.length === before) await sleep(100);
  const after = received[received.length - 1];
  check(received.length > before, 'an event after the rotation arrived');
  if (received.length > before) {
    for (const [name, secret] of [['old', endpoint.secret], ['new', rotated.secret]]) {
      let ok = true;
      try { new Webhook(secret).verify(after.body, after.headers); } catch { ok = false; }
      check(ok, `after the rotation the ${name} secret verifies`);
    }
  }
} catch (e) {
  check(false, e.stack);
} finally {
  edge.stop();
  receiver.close();
  fs.rmSync(web, { recursive: true, force: true });
  clearTimeout(watchdog);
}
if (failures) fail(`${failures} check(s) failed; the edge said:\n${edge.output().slice(-4000)}`);
console.log('all checks passed');
