// A webhook receiver on Express 4 and better-sqlite3 that does the work
// Onramp's webhook route does, for `bench_webhooks --peer`: it checks the
// Shopify signature (X-Shopify-Hmac-Sha256, the base64 HMAC-SHA256 of the
// raw body, compared in constant time), stores the delivery in SQLite (WAL,
// synchronous=FULL, a unique index on the connection and webhook id, and
// one on the body's SHA-256 for bodies resent under a new id), and answers
// 200 once the row is committed; GET /healthz answers 200 as its no-op
// route. One process, one transaction per delivery: how such a receiver
// is usually written.
//
// Not part of Onramp and not installed by tools/setup.sh. To run it, from
// a scratch directory:
//   npm install express@4 better-sqlite3
//   NODE_PATH=$PWD/node_modules node /path/to/tools/peer_express.cjs 8090 /tmp/peer.db
//   build/tools/bench_webhooks --peer http://127.0.0.1:8090
"use strict";
const crypto = require("node:crypto");
const express = require("express");
const Database = require("better-sqlite3");

const port = Number(process.argv[2] || 8090);
const db = new Database(process.argv[3] || "peer.db");
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.exec(`CREATE TABLE IF NOT EXISTS deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, connection_id TEXT NOT NULL, delivery_id TEXT,
  topic TEXT NOT NULL, body_sha256 TEXT NOT NULL, body BLOB NOT NULL, received_at INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS deliveries_id ON deliveries(connection_id, delivery_id);
CREATE INDEX IF NOT EXISTS deliveries_body ON deliveries(connection_id, body_sha256, received_at);`);
const byId = db.prepare("SELECT seq FROM deliveries WHERE connection_id = ? AND delivery_id = ?");
const byBody = db.prepare(
  "SELECT seq FROM deliveries WHERE connection_id = ? AND body_sha256 = ? AND received_at >= ? ORDER BY seq LIMIT 1");
const insert = db.prepare(
  "INSERT INTO deliveries (connection_id, delivery_id, topic, body_sha256, body, received_at) VALUES (?, ?, ?, ?, ?, ?)");

// The secret bench_webhooks signs with (tools/bench_edge.h, kWebhookSecret).
const secret = "shpss_bench_app_client_secret";

const app = express();
app.get("/healthz", (req, res) => res.json({ status: "ok" }));
app.post("/webhooks/shopify/:connection", express.raw({ type: "application/json", limit: "1mb" }), (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const given = Buffer.from(req.get("X-Shopify-Hmac-Sha256") || "", "base64");
  const expected = crypto.createHmac("sha256", secret).update(body).digest();
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
    return res.status(401).json({ error: "invalid signature" });
  // A duplicate: the same webhook id, or the same body within a day.
  const id = req.get("X-Shopify-Webhook-Id") || null;
  const sha = crypto.createHash("sha256").update(body).digest("hex");
  const now = Date.now();
  const earlier = (id && byId.get(req.params.connection, id)) || byBody.get(req.params.connection, sha, now - 86400000);
  if (earlier) return res.json({ received: true, duplicate: true, id: earlier.seq });
  const row = insert.run(req.params.connection, id, req.get("X-Shopify-Topic") || "", sha, body, now);
  res.json({ received: true, duplicate: false, id: Number(row.lastInsertRowid) });
});
app.listen(port, "127.0.0.1");
