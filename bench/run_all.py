"""Run every HTTP benchmark of bench/ in turn (PROOF.md P1–P3, P5–P8, P11, the go-live surge
and scenario 30), each with its own baseline measured in the same run, and print a summary.

    .venv/bin/python bench/run_all.py                # everything (≈ 20–30 min on 2 busy cores)
    .venv/bin/python bench/run_all.py --only p1,p2   # a subset
    .venv/bin/python bench/run_all.py --quick        # smaller sizes, to check the wiring

The whole output also goes to var/bench-web-<UTC time>.log. Exit status 1 when any goal was
missed. C0, P4, P9, P10 and the fault drills have their own commands (bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")

# (name, command, extra arguments for --quick)
COMMANDS = [
    ("p1", ["bench/web.py", "p1", "--profile"], ["--requests", "500"]),
    ("p2", ["bench/web.py", "p2", "--profile"], ["--requests", "500"]),
    ("p3", ["bench/web.py", "p3"], ["--requests", "200", "--rows", "5000"]),
    ("p5", ["bench/web.py", "p5"], ["--signins", "16"]),
    ("p6", ["bench/web.py", "p6"], ["--requests", "500"]),
    ("p7", ["bench/web.py", "p7"], ["--links", "12"]),
    ("p8", ["bench/web.py", "p8"], ["--approvals", "100", "--requests", "500"]),
    ("p11", ["bench/web.py", "p11"], ["--total", "2000"]),
    ("golive", ["bench/surge.py", "golive"], ["--attorneys", "40"]),
    ("scenario30", ["bench/surge.py", "scenario30"], ["--signins", "40"]),
]
SUMMARY_PREFIXES = ("P1", "P2", "P3", "P5", "P6", "P7", "P8", "P11", "GO-LIVE", "SCENARIO")


def is_summary(line: str) -> bool:
    """A verdict line of a benchmark ("P1 /healthz: …", "== P1: MET")."""
    if line.startswith("== "):
        return line.rstrip().endswith(("MET", "MISSED"))
    return line.startswith(SUMMARY_PREFIXES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated names, e.g. p1,p3,golive")
    parser.add_argument("--quick", action="store_true", help="small sizes (wiring check)")
    args = parser.parse_args()
    chosen = {name.strip() for name in args.only.split(",") if name.strip()}
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    log_path = ROOT / "var" / f"bench-web-{stamp}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    summary: list[str] = []
    failed: list[str] = []
    with open(log_path, "w") as log:
        for name, command, quick in COMMANDS:
            if chosen and name not in chosen:
                continue
            argv = [PYTHON, *command, *(quick if args.quick else [])]
            started = time.monotonic()
            process = subprocess.Popen(
                argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            for line in process.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                log.write(line)
                if is_summary(line):
                    summary.append(line.rstrip())
            code = process.wait()
            took = f"{name}: exit {code} in {time.monotonic() - started:.0f} s"
            log.write(took + "\n")
            sys.stdout.write(took + "\n")
            if code:
                failed.append(name)
        log.write("\nSUMMARY\n" + "\n".join(summary) + "\n")
    sys.stdout.write("\nSUMMARY\n" + "\n".join(summary) + "\n")
    sys.stdout.write(f"log: {log_path}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
