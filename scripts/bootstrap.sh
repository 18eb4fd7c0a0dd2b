#!/usr/bin/env bash
# Install what `make run` (bootstrap.sh run) or `make test` (bootstrap.sh test) needs:
# Debian packages through apt when missing (root only), uv from PyPI, then the locked
# Python environment. On a machine without apt or root, say what to install by hand.
set -euo pipefail
mode=${1:-run}

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ "$mode" = test ]; then
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing ${need[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "bootstrap: missing system packages: ${need[*]}" >&2
    echo "bootstrap: install them by hand, e.g. 'sudo apt-get install ${need[*]}' (Debian/Ubuntu)" >&2
    echo "bootstrap: or 'brew install graphviz postgresql' (macOS), then run make again" >&2
    exit 1
  fi
fi

if ! command -v uv >/dev/null 2>&1 && ! python3 -m uv --version >/dev/null 2>&1; then
  echo "bootstrap: installing uv from PyPI" >&2
  python3 -m pip install --quiet uv 2>/dev/null \
    || python3 -m pip install --quiet --user uv 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages uv \
    || { echo "bootstrap: could not install uv; install it by hand: python3 -m pip install uv" >&2; exit 1; }
fi
