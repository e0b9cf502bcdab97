"""`make test` runs the suite on two workers with `--dist loadgroup`: tests that share a costly
fixture (both SIPRI releases imported) or that must not run beside each other (the
concurrency campaigns) carry `xdist_group`, and each group runs on one worker.

pytest 9.2 broke that without a word (pytest-xdist issue #1386: xdist marks a grouped test by
changing its id, which pytest 9.2 no longer lets it do): the groups were spread over both
workers, the two releases were imported twice and the concurrency tests ran side by side.
pyproject.toml keeps pytest below 9.2; this runs a small suite the way `make test` runs ours
and checks that a group stayed on one worker.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GROUPED = """
import pytest

pytestmark = pytest.mark.xdist_group("together")

{tests}
"""


def test_a_group_of_tests_runs_on_one_worker_as_make_test_runs_them(tmp_path: Path) -> None:
    tests = "\n".join(f"def test_{n}():\n    pass\n" for n in range(6))
    (tmp_path / "test_grouped.py").write_text(GROUPED.format(tests=tests), encoding="utf-8")
    (tmp_path / "test_alone.py").write_text(tests, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    command = ["-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [sys.executable, *command, str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    ran = re.findall(r"^\[(gw\d)\] .* PASSED (\S+)", done.stdout, re.MULTILINE)
    assert len(ran) == 12, done.stdout[-2000:]
    workers = {worker for worker, test in ran if "test_grouped.py" in test}
    assert len(workers) == 1, f"the group ran on {sorted(workers)}"
