#!/usr/bin/env bash
# Specification of the nginx alternative to Caddy as it runs: a real nginx
# with deploy/nginx.conf, in front of this build's edge started as
# deploy/onramp.service's ExecStart starts it. deploy/nginx.conf is changed
# only mechanically for the test: the domain becomes localhost, certbot's
# certificate a self-signed one made here, ports 80 and 443 free high
# ports, the edge's port 8080 the port it was given. A caller on 127.0.0.2
# reaches it over HTTPS (the certificate checked): /healthz, HTTP
# redirected, the HSTS header, sign-in and the caller's address in the
# audit log despite a forged X-Forwarded-For, a JSON POST, an
# organization's event stream delivering an event while the stream is
# open (not held back in nginx's buffers), a 3 MB upload let through and
# a 12 MiB one refused by nginx with the edge still up.
# nginx runs as this user, in the foreground, with its pid file, logs and
# temporary files in the test's scratch directory; it has nothing to do
# with the system's nginx (whose service need not run; /etc/nginx is not
# read).
# Usage: tests/deploy/nginx_test.sh BUILD_DIR (a configured build in which
# onramp-edge is built, as ctest passes it).
set -euo pipefail
build_dir=$(realpath "$1")
source "$(dirname "$0")/support.sh"

# Debian installs nginx in /usr/sbin, which a user's PATH may lack.
nginx=$(PATH="$PATH:/usr/sbin:/sbin" command -v nginx) || { echo "FAILED (stopping): nginx is not installed"; exit 1; }
edge="$build_dir/onramp-edge"
require "this build has onramp-edge" test -x "$edge"

domain=localhost
data="$scratch/data"
conf="$scratch/nginx"
mkdir -p "$conf/logs" "$conf/temp"

# --- the mock platforms, standing in for BigCommerce -------------------------
start_mock "$edge" 5

# --- the edge, as the unit starts it ------------------------------------------
two_free_ports

email="ops@example.com"
password=$("$edge" create-admin --data "$data" --email "$email" | jq -r .password)

# The unit's ExecStart with the domain filled in as tools/install.sh does,
# then only the data directory, the listening port and the public URL's
# port changed.
exec_start=$(sed -n "s/^ExecStart=//; T; s/onramp\.example\.com/$domain/g; p" "$source_dir/deploy/onramp.service")
serve_argv "$exec_start" "$edge" "$data"
require "the unit's ExecStart trusts X-Forwarded-For from 127.0.0.1 only" \
  grep -q -- '--trusted-proxy 127.0.0.1/32' <<<"$exec_start"
argv+=(--base-url "bigcommerce=$mock_url/bigcommerce")

# The unit's EnvironmentFile (deploy/onramp.env), as systemd would read it.
(set -a && . "$source_dir/deploy/onramp.env" && exec "${argv[@]}") >"$scratch/edge.out" 2>"$scratch/edge.err" &
edge_pid=$!
started+=("$edge_pid")
require "the edge starts as the unit starts it" wait_for "$scratch/edge.err" 'listening on http://' "$edge_pid"
edge_port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$scratch/edge.err")

# --- nginx, with deploy/nginx.conf -------------------------------------------
# The certificate certbot would have obtained, self-signed for localhost.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$domain" \
  -addext "subjectAltName=DNS:$domain,IP:127.0.0.1" \
  -keyout "$conf/privkey.pem" -out "$conf/fullchain.pem" 2>"$scratch/openssl.err"

# deploy/nginx.conf is a file of server{} blocks for sites-enabled/, which
# Debian's /etc/nginx/nginx.conf includes inside its http{} block; it
# cannot be nginx's main configuration file by itself. The main file
# here is a minimal one that includes it the same way, with everything
# nginx writes kept in the scratch directory.
sed -e "s/onramp\.example\.com/$domain/g" \
  -e "s#/etc/letsencrypt/live/$domain/#$conf/#g" \
  -e "s/^\( *listen \(\[::\]:\)\{0,1\}\)80;/\1$http_port;/" \
  -e "s/^\( *listen \(\[::\]:\)\{0,1\}\)443 /\1$https_port /" \
  -e "s/127\.0\.0\.1:8080;/127.0.0.1:$edge_port;/" \
  "$source_dir/deploy/nginx.conf" >"$conf/onramp.conf"
# Without IPv6 on this machine, nginx could not listen on [::].
[ -s /proc/net/if_inet6 ] || sed -i '/listen \[::\]/d' "$conf/onramp.conf"
substituted() {
  [ "$(grep -c "listen \(\[::\]:\)\{0,1\}$http_port;" "$conf/onramp.conf")" -ge 1 ] &&
    [ "$(grep -c "listen \(\[::\]:\)\{0,1\}$https_port ssl" "$conf/onramp.conf")" -ge 1 ] &&
    grep -q "server 127.0.0.1:$edge_port;" "$conf/onramp.conf" &&
    grep -q "ssl_certificate *$conf/fullchain.pem;" "$conf/onramp.conf" &&
    grep -q "ssl_certificate_key *$conf/privkey.pem;" "$conf/onramp.conf" &&
    ! grep -q 'example\.com\|letsencrypt\|:8080\|listen \(\[::\]:\)\{0,1\}\(80\|443\)\b' "$conf/onramp.conf"
}
require "deploy/nginx.conf's domain, certificate, ports and upstream are replaced for the test" substituted

{
  # Workers run as this user (as root, nginx would otherwise switch them
  # to nobody, who cannot write to the scratch directory).
  [ "$(id -u)" -ne 0 ] || echo "user $(id -un) $(id -gn);"
  cat <<EOF
worker_processes 1;
pid $conf/nginx.pid;
error_log $conf/logs/error.log notice;
events {
    worker_connections 256;
}
http {
    access_log $conf/logs/access.log;
    client_body_temp_path $conf/temp/body;
    proxy_temp_path $conf/temp/proxy;
    fastcgi_temp_path $conf/temp/fastcgi;
    uwsgi_temp_path $conf/temp/uwsgi;
    scgi_temp_path $conf/temp/scgi;
    include $conf/onramp.conf;
}
EOF
} >"$conf/nginx.conf"
nginx_argv=("$nginx" -p "$conf/" -c "$conf/nginx.conf" -e "$conf/logs/error.log")
require "nginx accepts the configuration" "${nginx_argv[@]}" -t -q
"${nginx_argv[@]}" -g 'daemon off;' >"$scratch/nginx.out" 2>&1 &
nginx_pid=$!
started+=("$nginx_pid")
require "nginx starts" wait_for "$conf/logs/error.log" 'start worker process' "$nginx_pid"

site="https://$domain:$https_port"
# A caller whose address is 127.0.0.2; nginx reaches the edge from
# 127.0.0.1, so an address in the audit log that is not 127.0.0.1 came
# through X-Forwarded-For.
curl_argv=(curl -sS --interface 127.0.0.2 --resolve "$domain:$https_port:127.0.0.1" --cacert "$conf/fullchain.pem")
call() { "${curl_argv[@]}" "$@"; }
# api METHOD PATH [curl args]: the answer's body into $scratch/body, its
# status printed.
token=""
api() {
  local method=$1 path=$2; shift 2
  [ -z "$token" ] || set -- -H "Authorization: Bearer $token" "$@"
  call -X "$method" -o "$scratch/body" -w '%{http_code}' "$@" "$site$path"
}
body() { jq -r "$1" "$scratch/body"; }
healthz() { call -o /dev/null -w '%{http_code}' "$site/healthz"; }

# --- HTTPS, HTTP redirected, HSTS -----------------------------------------------
code=$(call -o /dev/null -D "$scratch/healthz.headers" -w '%{http_code}' "$site/healthz")
expect_equal "/healthz answers over HTTPS with the site's certificate" "$code" 200
expect "HTTPS answers tell browsers to stay on HTTPS" \
  grep -qi '^strict-transport-security: max-age=' "$scratch/healthz.headers"
# $host has no port: in the deployment HTTPS is on 443.
redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --resolve "$domain:$http_port:127.0.0.1" \
  "http://$domain:$http_port/healthz")
expect_equal "plain HTTP is redirected to HTTPS, permanently" "$redirect" "301 https://$domain/healthz"

# --- sign-in, and who the audit log says it was -------------------------------
sign_in_through nginx

# --- a JSON POST ---------------------------------------------------------------
code=$(api POST /api/v1/orgs -H 'Content-Type: application/json' -d '{"name": "Deploy Test Co"}')
require "a JSON POST through nginx creates an organization" [ "$code" == 201 ]
org=$(body .id)

# --- the event stream, unbuffered -----------------------------------------------
# As a browser's EventSource: the token in the query. The stream stays open
# (the edge ends it after 25 s); the event must come through while it is,
# not when nginx's buffers fill or the stream ends. Over HTTP/2, which
# browsers use, and over HTTP/1.1: with proxy buffering forced on, nginx
# held the event back over HTTP/1.1 in every try, over HTTP/2 in some only.
open_stream() {  # FILE CURL-ARGS...: the stream into $scratch/FILE, curl's pid in $stream_pid
  local file=$1; shift
  # curl itself in the background (not a function's subshell), so that
  # the cleanup at exit stops it.
  "${curl_argv[@]}" -N "$@" -H 'Accept: text/event-stream' -D "$scratch/$file.headers" -o "$scratch/$file" \
    "$site/api/v1/orgs/$org/events?access_token=$token" 2>"$scratch/$file.err" &
  stream_pid=$!
  started+=("$stream_pid")
  require "the organization's event stream opens ($*)" \
    wait_for "$scratch/$file.headers" '^HTTP/[0-9.]* 200' "$stream_pid"
  expect "its events come as text/event-stream" grep -qi '^content-type: text/event-stream' "$scratch/$file.headers"
}
open_stream events-h2 --http2
h2_pid=$stream_pid
open_stream events-h1 --http1.1
h1_pid=$stream_pid
credentials=$(curl -sS "$mock_url/_mock/credentials" | jq .bigcommerce)
code=$(api POST "/api/v1/orgs/$org/connections" -H 'Content-Type: application/json' \
  -d "$(jq -n --argjson c "$credentials" \
    '{platform: "bigcommerce", name: "Store", credentials: $c, perform_initial_sync: false}')")
require "a BigCommerce connection is made (its credentials tested at the mock)" [ "$code" == 201 ]
created_at=$SECONDS
still_open() { kill -0 "$1" 2>/dev/null && [ $((SECONDS - created_at)) -lt 10 ]; }
expect "the HTTP/2 stream carries the connection.created event" \
  wait_for "$scratch/events-h2" '^event: connection\.created' "$h2_pid"
expect "it came through within seconds, while the stream was still open" still_open "$h2_pid"
expect "the HTTP/1.1 stream carries the connection.created event" \
  wait_for "$scratch/events-h1" '^event: connection\.created' "$h1_pid"
expect "it came through within seconds, while the stream was still open" still_open "$h1_pid"
kill "$h2_pid" "$h1_pid" 2>/dev/null || true

# --- request bodies --------------------------------------------------------------
# nginx's own default limit is 1 MiB; deploy/nginx.conf's client_max_body_size
# lets a document upload through (the edge's limit for that route is 10 MiB)...
head -c 3000000 < <(yes 'Onramp deployment test: a line of the operations handbook.') >"$scratch/handbook.txt"
code=$(api POST /api/v1/onboarding/documents/upload -H "X-Org-Id: $org" \
  -F "file=@$scratch/handbook.txt;type=text/plain" -F category=reference)
expect_equal "a 3 MB document is uploaded through nginx" "$code" 201
# ...and refuses a 12 MiB one itself, before the edge reads any of it.
head -c $((12 * 1024 * 1024)) /dev/zero >"$scratch/big.bin"
code=$(api POST /api/v1/onboarding/documents/upload -H "X-Org-Id: $org" \
  -F "file=@$scratch/big.bin;type=application/octet-stream" -F category=reference) || true
expect_equal "a 12 MiB upload is refused as too large" "$code" 413
expect_equal "the edge still answers /healthz after it" "$(healthz)" 200
code=$(api POST /api/v1/orgs -H 'Content-Type: application/json' -d '{"name": "After the refusal"}')
expect_equal "a JSON POST through nginx still works after it" "$code" 201
expect "the edge is still running" kill -0 "$edge_pid"
# The edge's access log (stdout) is written out every 100 ms.
sleep 0.3
expect_equal "the edge saw one upload, the 3 MB one: nginx refused the other" \
  "$(grep -c '/api/v1/onboarding/documents/upload' "$scratch/edge.out")" 1

finish
