"""Audit the pinned dependencies against PyPI's vulnerability data (CI runs this).

pip-audit is the first choice: it asks PyPI (or OSV) about every pinned release. Where that
service can't be reached — on the CI machine only the package registry answers, and its
per-release JSON endpoint is not served — this falls back to the project JSON that is served:
its ``vulnerabilities`` list describes the project's latest release, so it vouches for a pin
only when the pin *is* the latest release. Pins it cannot vouch for are printed as unchecked,
never reported as clean.

Exit status: 1 when a pinned release has a known vulnerability, 0 otherwise.
"""

from __future__ import annotations

import concurrent.futures
import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)")


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in REQUIREMENTS:
        for line in (ROOT / name).read_text().splitlines():
            if match := PIN.match(line):
                found[match.group(1).lower()] = match.group(2)
    return found


def pip_audit() -> int:
    args = [sys.executable, "-m", "pip_audit", "--strict", "--disable-pip", "--no-deps"]
    for name in REQUIREMENTS:
        args += ["-r", str(ROOT / name)]
    return subprocess.run([*args, "--progress-spinner", "off"], check=False).returncode


def project(name: str) -> dict:
    url = f"https://pypi.org/pypi/{name}/json"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def fallback() -> int:
    pinned = pins()
    vulnerable, unchecked = [], []
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for name, data in zip(pinned, pool.map(project, pinned), strict=True):
            version, latest = pinned[name], data["info"]["version"]
            if version != latest:
                unchecked.append(f"{name}=={version} (latest {latest})")
            elif data.get("vulnerabilities"):
                ids = ", ".join(v.get("id", "?") for v in data["vulnerabilities"])
                vulnerable.append(f"{name}=={version}: {ids}")
    checked = len(pinned) - len(unchecked)
    print(f"audited {checked} of {len(pinned)} pins against PyPI's vulnerability data")
    for line in vulnerable:
        print(f"VULNERABLE {line}")
    for line in unchecked:
        print(f"unchecked (vulnerability data here covers latest releases only): {line}")
    return 1 if vulnerable else 0


def main() -> int:
    if pip_audit() == 0:
        return 0
    print("pip-audit could not vouch for every pin; checking what the registry serves", flush=True)
    return fallback()


if __name__ == "__main__":
    sys.exit(main())
