#!/usr/bin/env bash
# Production install: the runtime-only Python environment (requirements-production.lock, no test tools)
# and the compiled front-end assets, collected where the web server serves them.
#
#   scripts/install-production.sh [PREFIX]      # default PREFIX: /opt/joinedup
#
# Leaves PREFIX/venv (run PREFIX/venv/bin/joinedup and gunicorn from it) and PREFIX/static (set
# JOINEDUP_STATIC_ROOT to it). Run again to upgrade; then migrate and `joinedup check --deploy` with the
# production environment (README, "Running in production"). The container (Dockerfile) runs this script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

PREFIX=${1:-${JOINEDUP_PREFIX:-/opt/joinedup}}
PYTHON_BIN=${PYTHON_BIN:-python3.11}
command -v "$PYTHON_BIN" >/dev/null 2>&1 || PYTHON_BIN=python3
if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Joined Up needs Python 3.11 (found $("$PYTHON_BIN" --version 2>&1))." >&2
  exit 1
fi

# WeasyPrint (PDF documents) draws text with the system's Pango and subsets fonts with HarfBuzz.
if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || ! ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0'; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing Pango for PDF documents"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null
  else
    echo "Joined Up needs Pango to write PDF documents: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core" >&2
    exit 1
  fi
fi

mkdir -p "$PREFIX"
venv="$PREFIX/venv"
if [ ! -x "$venv/bin/python" ]; then
  say "Creating $venv"
  "$PYTHON_BIN" -m venv "$venv"
fi
if [ ! -x "$venv/bin/uv" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
fi
say "Installing the runtime dependencies (requirements-production.lock)"
"$venv/bin/uv" pip sync --quiet --python "$venv/bin/python" --require-hashes requirements-production.lock
# A real install of the package (not editable): the service never reads this checkout at run time.
"$venv/bin/uv" pip install --quiet --python "$venv/bin/python" --no-deps --reinstall-package joinedup .

if command -v npm >/dev/null 2>&1; then
  say "Building the front-end assets (GOV.UK Frontend, MoJ Frontend)"
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent build
elif [ ! -d assets/dist ]; then
  echo "Joined Up needs Node.js 20 and npm to build its assets (or assets/dist built elsewhere)." >&2
  exit 1
fi

say "Collecting the static files into $PREFIX/static"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# collectstatic reads no secret and no database: the local settings with a throwaway key and data directory.
env -u JOINEDUP_ENV DJANGO_SETTINGS_MODULE=joinedup.config.settings.local SECRET_KEY="collectstatic-$RANDOM" \
  JOINEDUP_DATA_DIR="$scratch" JOINEDUP_ASSETS_DIR="$PWD/assets/dist" JOINEDUP_STATIC_ROOT="$PREFIX/static" \
  "$venv/bin/joinedup" manage collectstatic --noinput --clear -v 0

say "Installed. Next, with the production environment loaded:"
echo "  $venv/bin/joinedup manage migrate && $venv/bin/joinedup check --deploy"
