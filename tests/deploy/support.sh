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
