#!/usr/bin/env bash
# Installs Onramp on a Debian 12 machine and runs it behind Caddy with
# automatic HTTPS for DOMAIN (which must already resolve to the machine):
#   sudo tools/install.sh onboard.example.com
# Sets up the packages (tools/setup.sh, Caddy among them), builds a Release
# without the tests, installs the edge and the web client under /usr/local,
# writes /etc/caddy/Caddyfile, /etc/systemd/system/onramp.service,
# /etc/sysusers.d/onramp.conf and /etc/onramp/onramp.env (the last only when
# there is none) with the domain filled in, creates the onramp user and
# (re)starts both services. Run it again after a pull to upgrade.
#
# --root DIR installs the same files under DIR instead of / and touches
# nothing else: no packages, no user, no systemctl (tests use it).
# --build-dir DIR builds in DIR (default build-release; ONRAMP_BUILD_DIR).
set -euo pipefail

usage() {
  echo "usage: tools/install.sh [--root DIR] [--build-dir DIR] DOMAIN" >&2
  exit 2
}

root="" domain=""
build=${ONRAMP_BUILD_DIR:-build-release}
while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || usage; root=$(realpath -m "$2"); shift 2 ;;
    --build-dir) [ $# -ge 2 ] || usage; build=$(realpath -m "$2"); shift 2 ;;
    -h|--help) usage ;;
    -*) echo "install: unknown flag $1" >&2; usage ;;
    *) [ -z "$domain" ] || usage; domain=$1; shift ;;
  esac
done
[ -n "$domain" ] || usage
# Dot-separated DNS labels only: the name goes into configuration files and
# must not carry anything else into them.
label='[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
if ! [[ "$domain" =~ ^$label(\.$label)+$ ]]; then
  echo "install: '$domain' is not a domain name (like onboard.example.com)" >&2
  exit 2
fi
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install: run it as root (sudo tools/install.sh $domain), or with --root DIR to install into DIR" >&2
  exit 1
fi
cd "$(dirname "$0")/.."

[ -n "$root" ] || tools/setup.sh

if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DONRAMP_BUILD_TESTS=OFF -DONRAMP_BUILD_WEB=ON >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target onramp-edge onramp_web
cmake --install "$build" --prefix "$root/usr/local" >/dev/null

# The templates name onramp.example.com; the domain is checked above, so it
# holds nothing sed would read as syntax.
with_domain() { sed "s/onramp\.example\.com/$domain/g" "$1"; }
put() {  # put MODE FILE: stdin into $root/FILE
  install -D -m "$1" /dev/stdin "$root$2"
}
with_domain deploy/onramp.service | put 0644 /etc/systemd/system/onramp.service
with_domain deploy/Caddyfile | put 0644 /etc/caddy/Caddyfile
put 0644 /etc/sysusers.d/onramp.conf < deploy/onramp.sysusers
# Secrets may go into the environment file: only root reads it (systemd
# reads it before dropping to the onramp user), and an operator's edits are
# never overwritten.
install -d -m 0700 "$root/etc/onramp"
[ -e "$root/etc/onramp/onramp.env" ] || put 0600 /etc/onramp/onramp.env < deploy/onramp.env

if [ -n "$root" ]; then
  echo "install: installed under $root"
  exit 0
fi

systemd-sysusers /etc/sysusers.d/onramp.conf
systemctl daemon-reload
systemctl enable onramp caddy
# A restart, not a start: after an upgrade the new binary must run (its
# migrations are applied as it starts).
systemctl restart onramp
systemctl reload-or-restart caddy
cat <<DONE
install: Onramp runs at https://$domain (Caddy obtains its certificate within a minute or so).
Create the first operator (prints a generated password):
  runuser -u onramp -- /usr/local/bin/onramp-edge create-admin --data /var/lib/onramp --email you@$domain
DONE
