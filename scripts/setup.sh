#!/usr/bin/env bash
# Shared set-up for ./run and ./test: a virtualenv with the locked dependencies, the compiled front-end
# assets, and a migrated database. Safe to run again: each step does nothing when already done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

PYTHON_BIN=${PYTHON_BIN:-python3.11}
command -v "$PYTHON_BIN" >/dev/null 2>&1 || PYTHON_BIN=python3
if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Joined Up needs Python 3.11 (found $("$PYTHON_BIN" --version 2>&1)). Install python3.11 and try again." >&2
  exit 1
fi
command -v npm >/dev/null 2>&1 || { echo "Joined Up needs Node.js 20 and npm to build its pages: apt-get install nodejs npm" >&2; exit 1; }

# WeasyPrint (PDF documents) draws text with the system's Pango and subsets fonts with HarfBuzz.
if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || ! ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0'; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing Pango for PDF documents"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null
  else
    echo "Joined Up needs Pango to write PDF documents: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0'." >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  say "Creating .venv"
  "$PYTHON_BIN" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
fi
say "Installing locked Python dependencies (requirements.lock)"
.venv/bin/uv pip sync --quiet --python .venv/bin/python --require-hashes requirements.lock
.venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .

say "Building the front-end assets (GOV.UK Frontend, MoJ Frontend)"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build

export JOINEDUP_DATA_DIR=${JOINEDUP_DATA_DIR:-$PWD/var}
mkdir -p "$JOINEDUP_DATA_DIR"
say "Applying database migrations"
.venv/bin/joinedup manage migrate --noinput -v 0
.venv/bin/joinedup manage collectstatic --noinput -v 0
