#!/usr/bin/env bash
# Specification of the deployment as it runs: a real Caddy, configured by
# the Caddyfile tools/install.sh installs (plus test-only global options:
# internal TLS, free ports, no admin endpoint), in front of the installed
# edge started exactly as the installed unit's ExecStart starts it, with
# only its data directory, port and public URL's port changed for the test
# and the connectors pointed at the mock platforms. A caller on 127.0.0.2
# reaches it over HTTPS only (the certificate checked against Caddy's
# local CA): the page, HTTP redirected, sign-in and the caller's address in
# the audit log, a sync event stream, a signed webhook delivery and a
# forged one, a document upload; then SIGTERM, which systemd sends, stops
# the edge cleanly.
# Usage: tests/deploy/caddy_test.sh BUILD_DIR (a configured build with the
# web client, as ctest passes it).
set -euo pipefail
build_dir=$(realpath "$1")
source "$(dirname "$0")/support.sh"

domain=onramp.localhost
root="$scratch/root"
data="$scratch/data"
require "install.sh --root installs into a scratch root" install_into "$root" "$domain"
edge="$root/usr/local/bin/onramp-edge"

# --- the mock platforms, standing in for BigCommerce -------------------------
start_mock "$edge" 20

# --- the edge, as the unit starts it ------------------------------------------
two_free_ports

email="ops@$domain"
password=$("$edge" create-admin --data "$data" --email "$email" | jq -r .password)

serve_argv "$(sed -n 's/^ExecStart=//p' "$root/etc/systemd/system/onramp.service")" "$root/usr/local/bin/onramp-edge" "$data"
argv+=(--base-url "bigcommerce=$mock_url/bigcommerce")

# The unit's EnvironmentFile, as systemd would read it.
(set -a && . "$root/etc/onramp/onramp.env" && exec "${argv[@]}") >"$scratch/edge.out" 2>"$scratch/edge.err" &
edge_pid=$!
started+=("$edge_pid")
require "the edge starts as the unit starts it" wait_for "$scratch/edge.err" 'listening on http://' "$edge_pid"
edge_port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$scratch/edge.err")

# --- Caddy, with the installed Caddyfile ---------------------------------------
{
  cat <<EOF
{
	admin off
	storage file_system $scratch/caddy
	local_certs
	skip_install_trust
	http_port $http_port
	https_port $https_port
}
EOF
  sed "s/127\.0\.0\.1:8080/127.0.0.1:$edge_port/" "$root/etc/caddy/Caddyfile"
} >"$scratch/Caddyfile"
require "the installed Caddyfile proxies to the edge's port 8080, here $edge_port" \
  grep -q "reverse_proxy 127.0.0.1:$edge_port" "$scratch/Caddyfile"
mkdir -p "$scratch/caddy-home"
HOME="$scratch/caddy-home" XDG_DATA_HOME="$scratch/caddy-home" XDG_CONFIG_HOME="$scratch/caddy-home" \
  caddy run --config "$scratch/Caddyfile" --adapter caddyfile >"$scratch/caddy.log" 2>&1 &
caddy_pid=$!
started+=("$caddy_pid")
require "Caddy issues the site's certificate" wait_for "$scratch/caddy.log" 'certificate obtained successfully' "$caddy_pid"

site="https://$domain:$https_port"
# A caller whose address is 127.0.0.2; Caddy reaches the edge from
# 127.0.0.1, so an address in the audit log that is not 127.0.0.1 came
# through X-Forwarded-For.
call() {
  curl -sS --interface 127.0.0.2 --resolve "$domain:$https_port:127.0.0.1" \
    --cacert "$scratch/caddy/pki/authorities/local/root.crt" "$@"
}
# api METHOD PATH [curl args]: the answer's body into $scratch/body, its
# status printed.
token=""
api() {
  local method=$1 path=$2; shift 2
  [ -z "$token" ] || set -- -H "Authorization: Bearer $token" "$@"
  call -X "$method" -o "$scratch/body" -w '%{http_code}' "$@" "$site$path"
}
body() { jq -r "$1" "$scratch/body"; }

# --- the page -----------------------------------------------------------------
code=$(call -o "$scratch/page" -D "$scratch/page.headers" -w '%{http_code}' "$site/")
expect_equal "the page answers over HTTPS with the site's certificate" "$code" 200
expect "the page is the installed web client's index.html, found without --web-root" \
  cmp -s "$scratch/page" "$root/usr/local/share/onramp/web/index.html"
call --compressed -o "$scratch/page.gzip" -D "$scratch/page.gzip.headers" "$site/"
expect "a browser, which takes gzip, gets the page compressed once" \
  cmp -s "$scratch/page.gzip" "$root/usr/local/share/onramp/web/index.html"
expect_equal "the browser's page comes under one Content-Encoding" "$(grep -ci '^content-encoding: gzip' "$scratch/page.gzip.headers")" 1
expect "HTTPS answers tell browsers to stay on HTTPS" grep -qi '^strict-transport-security: max-age=' "$scratch/page.headers"
redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --resolve "$domain:$http_port:127.0.0.1" \
  "http://$domain:$http_port/")
expect_equal "plain HTTP is redirected to HTTPS" "${redirect%%/}" "308 https://$domain"

# --- sign-in, and who the audit log says it was -------------------------------
sign_in_through Caddy

# --- a connection, its sync events --------------------------------------------
code=$(api POST /api/v1/orgs -H 'Content-Type: application/json' -d '{"name": "Deploy Test Co"}')
require "an organization is created" [ "$code" == 201 ]
org=$(body .id)
credentials=$(curl -sS "$mock_url/_mock/credentials" | jq .bigcommerce)
code=$(api POST "/api/v1/orgs/$org/connections" -H 'Content-Type: application/json' \
  -d "$(jq -n --argjson c "$credentials" \
    '{platform: "bigcommerce", name: "Store", credentials: $c, perform_initial_sync: true}')")
require "a BigCommerce connection is made (its credentials tested at the mock)" [ "$code" == 201 ]
connection=$(body .id)
base="/api/v1/orgs/$org/connections/$connection"

# As a browser's EventSource: the token in the query, reconnecting when a
# stream ends before the run does.
for attempt in 1 2 3 4 5; do
  call -N -D "$scratch/events.headers" -o "$scratch/events" \
    "$site$base/sync/events?access_token=$token"
  grep -q '^event: done' "$scratch/events" && break
done
expect "sync events come as text/event-stream" grep -qi '^content-type: text/event-stream' "$scratch/events.headers"
expect "the stream carries progress events" grep -q '^event: progress' "$scratch/events"
done_state=$(sed -n '/^event: done/{n;s/^data: //p}' "$scratch/events" | jq -r .state)
expect_equal "the stream ends with the run done and succeeded" "$done_state" succeeded

# --- a signed webhook delivery --------------------------------------------------
secret=whsec_deploy_test_0123456789abcdef
code=$(api PUT "$base/webhooks/secret" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg s "$secret" '{scheme: "stripe", secret: $s}')")
require "a Stripe webhook secret is set" [ "$code" == 200 ]
expect_equal "the webhook URL is on the public HTTPS address" "$(body .url)" "$site/webhooks/stripe/$connection"
delivery='{"id": "evt_deploy_1", "type": "product.updated", "data": {"object": {"id": "prod_1"}}}'
stripe_signature() {  # BODY: t=<now>,v1=<hex HMAC-SHA256(secret, "t.body")>
  local t
  t=$(date +%s)
  echo "t=$t,v1=$(printf '%s.%s' "$t" "$1" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)"
}
code=$(call -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -H "Stripe-Signature: $(stripe_signature "$delivery")" --data-binary "$delivery" "$site/webhooks/stripe/$connection")
expect_equal "a signed delivery is accepted: its raw body came through intact" "$code" 200
code=$(call -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -H "Stripe-Signature: $(stripe_signature "$delivery")" --data-binary "${delivery/prod_1/prod_2}" \
  "$site/webhooks/stripe/$connection")
expect_equal "a delivery whose body does not match its signature is refused" "$code" 401
api GET "$base/webhooks" >/dev/null
expect_equal "the edge counted one verified and one rejected delivery" \
  "$(body '"\(.counters.verified) \(.counters.rejected)"')" "1 1"

# --- a document upload ----------------------------------------------------------
# Larger than the edge's default body limit (1 MiB), within the upload
# route's 10 MiB.
head -c 3000000 < <(yes 'Onramp deployment test: a line of the operations handbook.') >"$scratch/handbook.txt"
code=$(api POST /api/v1/onboarding/documents/upload -H "X-Org-Id: $org" \
  -F "file=@$scratch/handbook.txt;type=text/plain" -F category=reference)
expect_equal "a 3 MB document is uploaded through Caddy" "$code" 201
file_url=$(body .data.s3_url)
expect_equal "the document's address is on the public HTTPS address" "${file_url%/api/*}" "$site"
call -o "$scratch/download" -H "Authorization: Bearer $token" -H "X-Org-Id: $org" "$file_url"
expect "the document comes back byte for byte" cmp -s "$scratch/download" "$scratch/handbook.txt"

# --- stopping as systemd does -------------------------------------------------------
kill -TERM "$edge_pid"
set +e
wait "$edge_pid"
code=$?
set -e
expect_equal "SIGTERM (the unit's KillSignal) stops the edge with exit code 0" "$code" 0
expect "the edge says it stopped after finishing its work" grep -q 'Onramp edge stopped' "$scratch/edge.err"

finish
