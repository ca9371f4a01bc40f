#!/usr/bin/env bash
# Check the locked Python dependencies (requirements.lock) against the Python Packaging Advisory Database
# (through PyPI) with pip-audit. Exits 1 when a dependency has a known vulnerability; skips, saying so
# and exiting 0, when the database cannot be reached (an offline machine), so it never breaks ./test.
set -uo pipefail
cd "$(dirname "$0")/.."

PYTHON=.venv/bin/python
if [ ! -x .venv/bin/pip-audit ]; then
  echo "audit: pip-audit is not installed: run scripts/setup.sh first." >&2
  exit 2
fi

if ! "$PYTHON" - <<'PY'
import sys
import urllib.request

try:
    urllib.request.urlopen("https://pypi.org/pypi/pip-audit/json", timeout=10).close()
except Exception as exc:  # no network, DNS, a proxy refusing: all mean "cannot check now"
    print(f"audit: SKIPPED: the vulnerability database (pypi.org) cannot be reached ({exc}).")
    sys.exit(1)
PY
then
  exit 0
fi

output=$(.venv/bin/pip-audit --requirement requirements.lock --require-hashes --disable-pip --progress-spinner off 2>&1)
status=$?
echo "$output"
if [ $status -ne 0 ] && grep -qiE "connection|timed out|name resolution|max retries" <<<"$output"; then
  echo "audit: SKIPPED: the vulnerability database stopped answering part-way; nothing was concluded."
  exit 0
fi
# A package index that answers but is not PyPI (a mirror or proxy without the vulnerability data) makes
# pip-audit skip each package it cannot find: say how many were not checked rather than "no vulnerabilities".
locked=$(grep -cE '^[A-Za-z0-9][A-Za-z0-9._-]*==' requirements.lock)
unchecked=$(grep -c "could not be audited" <<<"$output")
if [ "$unchecked" -ge "$locked" ]; then
  echo "audit: SKIPPED: the vulnerability database had no record of any of the $locked locked packages" \
    "(is the index a mirror?); nothing was checked."
  exit 0
elif [ "$unchecked" -gt 0 ]; then
  echo "audit: WARNING: $unchecked of $locked locked packages could not be checked (listed above)."
fi
exit $status
