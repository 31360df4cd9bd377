#!/bin/sh
# Installs what tests/test_browser.py needs on a fresh Debian machine (as root, or through sudo when run by
# another user; from anywhere: it finds the repository from its own path):
#   - Chromium and its WebDriver from the system packages (/usr/bin/chromium, /usr/bin/chromedriver);
#   - the Python packages of the `browser` optional dependencies in pyproject.toml (selenium).
# Nothing is downloaded at test time: selenium is given both paths, and the page it opens needs no network.
# CI then runs the tests with CONFORMANCE_REQUIRE_BROWSER=1, so a missing browser fails instead of skipping.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# the Python that runs the tests: $PYTHON, else the first `python` on PATH (an activated virtualenv), else python3
if [ -z "${PYTHON:-}" ]; then
  if command -v python >/dev/null 2>&1; then PYTHON=python; else PYTHON=python3; fi
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver

# The `browser` extra of pyproject.toml, without reinstalling the project itself.
"$PYTHON" - "$ROOT/pyproject.toml" <<'PY' > /tmp/conformance-browser-requirements.txt
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
try:
    import tomllib
    deps = tomllib.loads(text)["project"]["optional-dependencies"]["browser"]
except ImportError:  # Python 3.10: the one line `browser = [...]`
    deps = re.findall(r'"([^"]+)"', re.search(r"^browser\s*=\s*\[(.*)\]", text, re.M).group(1))
print("\n".join(deps))
PY
"$PYTHON" -m pip install -r /tmp/conformance-browser-requirements.txt

chromium --version
chromedriver --version
