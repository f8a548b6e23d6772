# Shared by the deployment tests (tests/deploy/*_test.sh), sourced after
# `set -euo pipefail`: checks named as sentences, a scratch directory that
# goes away at exit together with the processes the test started, free
# loopback ports, and a scratch install made by tools/install.sh --root.

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/onramp-deploy.XXXXXX")
started=()  # pids of the processes this test started
failed=0

cleanup() {
  local pid
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

# expect SENTENCE COMMAND...: the command must succeed.
expect() {
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; failed=$((failed + 1)); fi
}

# expect_equal SENTENCE ACTUAL EXPECTED
expect_equal() {
  if [ "$2" == "$3" ]; then
    echo "ok: $1"
  else
    printf 'FAILED: %s\n  got:      %s\n  expected: %s\n' "$1" "$2" "$3"
    failed=$((failed + 1))
  fi
}

# require SENTENCE COMMAND...: like expect, but what follows needs it.
require() {
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAILED (stopping): $what"; exit 1; fi
}

finish() {
  if [ "$failed" -ne 0 ]; then echo "$failed check(s) failed"; exit 1; fi
  echo "all checks passed"
}

# A loopback port nobody listens on now (a connection to it is refused),
# below the kernel's range for outgoing connections' local ports, so that
# no client socket of another test holds it when Caddy binds it.
free_port() {
  local port low
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  [ "$low" -gt 12000 ] || low=32768
  while :; do
    port=$((10000 + RANDOM % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# wait_for FILE PATTERN PID: until FILE holds a line matching PATTERN, or
# the process PID is gone (then fails, showing FILE).
wait_for() {
  local i
  for i in $(seq 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 0.1
  done
  echo "gave up waiting for '$2' in $1:" >&2
  cat "$1" >&2 || true
  return 1
}

# install_into ROOT DOMAIN: tools/install.sh --root with the build under
# test, its output kept out of the test's unless it fails.
install_into() {
  local log="$scratch/install-$(basename "$1").log"
  if ! "$source_dir/tools/install.sh" --root "$1" --build-dir "$build_dir" "$2" >"$log" 2>&1; then
    cat "$log"
    return 1
  fi
}

# Signs in through the proxy named PROXY while claiming another address and
# scheme, sets $token, and checks that the audit log has the caller's own
# address, 127.0.0.2: the proxy must replace X-Forwarded-For, and serve
# believes it from 127.0.0.1 only (--trusted-proxy, in the unit's
# ExecStart). Uses the calling test's api and body functions, $email and
# $password.
sign_in_through() {  # PROXY
  local proxy=$1 code
  code=$(api POST /api/v1/auth/login -H 'Content-Type: application/json' \
    -H 'X-Forwarded-For: 203.0.113.7' -H 'X-Forwarded-Proto: http' \
    -d "$(jq -n --arg e "$email" --arg p "$password" '{email: $e, password: $p}')")
  require "sign-in through $proxy succeeds" [ "$code" == 200 ]
  token=$(body .access_token)
  code=$(api GET '/api/v1/audit?action=login.succeeded')
  expect_equal "the operator reads the audit log" "$code" 200
  expect_equal "the audit log has the caller's own address, not $proxy's nor a forged one" \
    "$(body '.items[0].ip')" 127.0.0.2
}

# Starts the mock platforms with EDGE's mock-platforms command (PRODUCTS in
# their catalogue) and sets $mock_url.
start_mock() {  # EDGE PRODUCTS
  "$1" mock-platforms --listen 127.0.0.1:0 --products "$2" >"$scratch/mock.out" 2>"$scratch/mock.err" &
  mock_pid=$!
  started+=("$mock_pid")
  require "the mock platforms start" wait_for "$scratch/mock.out" '^http://' "$mock_pid"
  mock_url=$(head -n 1 "$scratch/mock.out")
}

# Sets $http_port and $https_port to two different free ports.
two_free_ports() {
  http_port=$(free_port)
  https_port=$(free_port)
  while [ "$https_port" == "$http_port" ]; do https_port=$(free_port); done
}

# Sets $argv to the unit's ExecStart words (given as one line) with only
# the data directory, the listening address (any free loopback port) and
# the public URL's port ($https_port) changed, and the program EDGE; checks
# that the unit runs serve with those three flags.
serve_argv() {  # EXECSTART-LINE EDGE DATA
  local -a unit_argv
  read -r -a unit_argv <<<"$1"
  argv=()
  local changed=0 prev="" word arg
  for word in "${unit_argv[@]}"; do
    arg=$word
    case "$prev" in
      --data) arg=$3; changed=$((changed + 1)) ;;
      --listen) arg=127.0.0.1:0; changed=$((changed + 1)) ;;
      --public-url) arg="$word:$https_port"; changed=$((changed + 1)) ;;
    esac
    argv+=("$arg")
    prev=$word
  done
  argv[0]=$2
  local runs=no
  [ "$changed" -eq 3 ] && [ "${unit_argv[1]}" == serve ] && runs=yes
  require "the unit's ExecStart runs serve with --data, --listen and --public-url" [ "$runs" == yes ]
}
