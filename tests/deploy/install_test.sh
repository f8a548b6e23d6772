#!/usr/bin/env bash
# Specification of tools/install.sh against scratch roots (--root): what it
# installs where, with the domain filled in; that a second run installs the
# same files and keeps an operator's environment file; that it refuses a
# domain that is not one; and that the installed systemd unit passes
# systemd-analyze (verify, and the offline security review).
# Usage: tests/deploy/install_test.sh BUILD_DIR (a configured build with the
# web client, as ctest passes it).
set -euo pipefail
build_dir=$(realpath "$1")
source "$(dirname "$0")/support.sh"

domain=onboard.deploy-test.example
root="$scratch/root"

# Every file and link under DIR with its mode and content hash.
manifest() {
  (cd "$1" && find . \( -type f -o -type l \) -printf '%p %m\n' | sort | while read -r path mode; do
    echo "$path $mode $(sha256sum <"$path" | cut -d' ' -f1)"
  done)
}

require "install.sh --root installs into a scratch root" install_into "$root" "$domain"

expect "the edge is in usr/local/bin" test -x "$root/usr/local/bin/onramp-edge"
expect "its document reader is in usr/local/libexec/onramp" test -x "$root/usr/local/libexec/onramp/onramp-reader"
for f in index.html boot.js onramp.js onramp.wasm inter-more-regular.otf inter-more-semibold.otf \
  index.html.gz boot.js.gz onramp.js.gz onramp.wasm.gz inter-more-regular.otf.gz inter-more-semibold.otf.gz; do
  expect "the web client's $f is in usr/local/share/onramp/web, as built" \
    cmp -s "$root/usr/local/share/onramp/web/$f" "$build_dir/web/$f"
done
unit="$root/etc/systemd/system/onramp.service"
expect "the unit runs the installed edge with the domain as its public URL" \
  grep -q "^ExecStart=/usr/local/bin/onramp-edge serve .*--public-url https://$domain " "$unit"
expect "the Caddyfile's site is the domain" grep -q "^$domain {" "$root/etc/caddy/Caddyfile"
expect "no file keeps the template's domain" \
  bash -c "! grep -rq 'onramp\.example\.com' '$root/etc'"
expect_equal "the sysusers file declares the onramp user" \
  "$(grep -v '^#' "$root/etc/sysusers.d/onramp.conf" | cut -d' ' -f1-2)" "u onramp"
expect_equal "/etc/onramp is private to root" "$(stat -c %a "$root/etc/onramp")" 700
expect_equal "the environment file is private to root" "$(stat -c %a "$root/etc/onramp/onramp.env")" 600

first=$(manifest "$root")
require "install.sh runs again over the same root" install_into "$root" "$domain"
expect_equal "a second run installs the same files, modes and contents" "$(manifest "$root")" "$first"

echo "ONRAMP_THREADS=4" >>"$root/etc/onramp/onramp.env"
require "install.sh runs a third time" install_into "$root" "$domain"
expect "a rerun keeps the operator's environment file" grep -q '^ONRAMP_THREADS=4$' "$root/etc/onramp/onramp.env"

for bad in 'example' 'a b.example' 'x.example/../../etc' 'x-.example' 'x.example;touch'; do
  set +e
  out=$("$source_dir/tools/install.sh" --root "$scratch/refused" --build-dir "$build_dir" "$bad" 2>&1)
  code=$?
  set -e
  expect_equal "'$bad' is refused as a usage error" "$code" 2
  expect "'$bad' is named in the refusal" grep -qF "'$bad' is not a domain name" <<<"$out"
done
expect "a refused domain installs nothing" test ! -e "$scratch/refused"

# systemd-analyze verify wants the ExecStart binary where the unit says, so
# the checked copy names the scratch root's.
checked="$scratch/onramp.service"
sed "s#^ExecStart=/usr/local/bin/#ExecStart=$root/usr/local/bin/#" "$unit" >"$checked"
set +e
verify=$(systemd-analyze verify "$checked" 2>&1)
code=$?
set -e
expect_equal "systemd-analyze verify accepts the unit" "$code" 0
expect_equal "systemd-analyze verify has nothing to say about it (no unknown or invalid settings)" "$verify" ""
# The offline review scores exposure from 0 (locked down) to 10; the unit
# scores about 1 and must stay under 2.
rated_under_2() {
  systemd-analyze security --offline=true --threshold=20 "$checked" >"$scratch/security" 2>&1 && return 0
  grep -v '^✓' "$scratch/security"
  return 1
}
expect "systemd-analyze security rates the unit's exposure under 2" rated_under_2

finish
