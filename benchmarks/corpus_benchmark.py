"""Wall time of `bnlint check` against its peers on the pinned corpus, measured in one run.

    python benchmarks/corpus_benchmark.py [CORPUS]     (default /tmp/bnlint-corpus)

Build the corpus first with ../shared/corpus.sh (it also writes the 10% sample the slow peers
are measured on). Prints figures and ratios; it asserts nothing about time.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if ".dist" not in p.parts)


def timed(command: list[str], env: dict | None = None, cwd=None) -> tuple[float, subprocess.CompletedProcess]:
    import os

    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **env} if env else None)
    return time.perf_counter() - start, done


def ast_parse_all(files: list[Path]) -> float:
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            try:
                ast.parse(path.read_bytes())
            except SyntaxError:
                pass
    return time.perf_counter() - start


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bnlint-corpus")
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}: build it with ../shared/corpus.sh {corpus}")
    files = python_files(corpus)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"corpus: {corpus} — {len(files)} files, {lines} lines")
    bnlint = [sys.executable, "-m", "bnlint", "check", "--no-cache", "--format", "flake8", "--exit-zero"]

    rows = []
    t_ast = ast_parse_all(files)
    rows.append(("ast.parse of every file (one core)", t_ast, None))
    for jobs in (1, 2):
        seconds, done = timed([*bnlint, "--jobs", str(jobs), str(corpus)])
        findings = len(done.stdout.splitlines())
        rows.append((f"bnlint check --jobs {jobs} ({findings} findings)", seconds, done.returncode))
    if shutil.which("flake8") or _module_available("flake8"):
        seconds, done = timed([sys.executable, "-m", "flake8", "-j", "2", "--exit-zero", "--select", "E,F,W,C90",
                               str(corpus)])
        rows.append(("flake8 -j2 (pyflakes + pycodestyle)", seconds, done.returncode))
        seconds, done = timed([sys.executable, "-m", "flake8", "-j", "2", "--exit-zero", "--select", "BN",
                               str(corpus)])
        rows.append(("flake8 -j2 --select BN (bnlint as a plugin)", seconds, done.returncode))
    if shutil.which("ruff"):
        # ruff's default rules, two threads, no configuration or cache of its own
        seconds, done = timed(["ruff", "check", "--no-cache", "--isolated", "--exit-zero", "--quiet", str(corpus)],
                              env={"RAYON_NUM_THREADS": "2"})
        rows.append(("ruff check --no-cache --isolated (2 threads)", seconds, done.returncode))

    # warm: a second run with the cache, after a first one filled it
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "corpus"
        shutil.copytree(corpus, copy, ignore=shutil.ignore_patterns(".dist"))
        cached = [sys.executable, "-m", "bnlint", "check", "--format", "flake8", "--exit-zero", "--jobs", "2"]
        timed([*cached, str(copy)], cwd=copy)
        seconds, done = timed([*cached, str(copy)], cwd=copy)
        rows.append(("bnlint check --jobs 2, warm (cache filled)", seconds, done.returncode))
    # one file, start-up included: the pre-commit / editor-save case
    one = max((p for p in files if b"BatchNorm" in p.read_bytes()), key=lambda p: p.stat().st_size // 50_000 == 0 and
              p.stat().st_size)
    seconds, done = timed([*bnlint, str(one)])
    rows.append((f"bnlint check one file ({one.stat().st_size // 1000} kB, start-up included)", seconds,
                 done.returncode))
    seconds, _ = timed([sys.executable, "-c", "pass"])
    rows.append(("python -c pass (interpreter start-up)", seconds, None))

    reference = next(s for name, s, _ in rows if name.startswith("bnlint check --jobs 2"))
    print(f"{'tool':55} {'seconds':>8} {'x bnlint -j2':>12}")
    for name, seconds, code in rows:
        failed = f"   FAILED (exit {code}): not comparable" if code not in (None, 0) else ""
        print(f"{name:55} {seconds:8.2f} {seconds / reference:12.2f}{failed}")


def _module_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


if __name__ == "__main__":
    main()
