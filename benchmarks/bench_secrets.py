"""check-secrets vs detect-secrets-hook on one generated tree.

Generates ~2,000 files (Python, JS, YAML, JSON, TOML, Markdown, dotenv-style config) under
benchmarks/.work/secrets-tree with fake credentials of every format check-secrets knows
planted among ordinary code, plus look-alikes (placeholders, env reads, lock-file hashes,
UUIDs, git SHAs, colours, documented example keys). Every planted secret is built at run
time by tests/_secrets_support.py in its documented public shape.

Then, in one run, it measures on the same files:
  recall        planted secrets reported at their line with the specific rule code
  look-alikes   share of look-alike lines reported (any code)
  wall time     median of --repeat runs of each tool over the whole file list

    python benchmarks/bench_secrets.py [--files 2000] [--repeat 3] [--seed 4]

With `--corpus DIR` it instead runs check-secrets alone over real files under DIR (for
example a Python installation's lib directory) and prints every finding, to read them.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))

# the test suite's fake-token builders, reached through the sys.path entry above
import _secrets_support as fakes  # driftgate: ignore[DG202]

TREE = os.path.join(REPO, "benchmarks", ".work", "secrets-tree")

FILLER = {
    ".py": [
        "import os",
        "import logging",
        "from dataclasses import dataclass",
        "log = logging.getLogger(__name__)",
        "def handler(event, context):",
        "    items = [item for item in event.get('items', []) if item]",
        "    return {'status': 200, 'count': len(items)}",
        "# see https://docs.example.test/guide#setup for details",
        "TIMEOUT_SECONDS = 30",
        "class Settings:",
        "    debug: bool = False",
        "    region = os.environ.get('REGION', 'eu-west-1')",
        "    retries = 3",
        "BASE_URL = 'https://api.example.test/v2/'",
    ],
    ".js": [
        "const express = require('express');",
        "const app = express();",
        "app.get('/health', (req, res) => res.json({ ok: true }));",
        "// TODO: move to config",
        "export function total(items) { return items.reduce((a, b) => a + b, 0); }",
        "const url = `https://cdn.example.test/assets/${name}.js`;",
    ],
    ".yaml": [
        "services:",
        "  web:",
        "    image: nginx:1.27",
        "    ports:",
        "      - \"8080:80\"",
        "    environment:",
        "      LOG_LEVEL: info",
    ],
    ".json": ['  "name": "demo",', '  "version": "1.2.3",', '  "private": true,', '  "main": "index.js",'],
    ".toml": ["[tool.demo]", 'name = "demo"', "retries = 3", 'paths = ["src", "tests"]'],
    ".md": [
        "# Setup",
        "Install the package and export your credentials before running the service.",
        "See the [guide](https://docs.example.test/setup) for the full list of options.",
        "```console",
        "$ make run",
        "```",
    ],
    ".cfg": ["# service settings", "LOG_LEVEL=info", "PORT=8080", "REGION=eu-west-1", "FEATURE_FLAGS=a,b,c"],
}


# How a context-free token sits in a line: code, config, dotenv, docs, agent-style calls.
STYLES = (
    'API_TOKEN = "{secret}"',
    "api_token: {secret}",
    '  "apiToken": "{secret}",',
    "API_TOKEN={secret}",
    "export API_TOKEN='{secret}'",
    "Use `{secret}` as the token.",
    'client = Client(api_key="{secret}")',
    'key = os.getenv("API_KEY", "{secret}")',
    "headers = {'Authorization': f'Bearer {secret}'}",
)
DEFAULT_TEMPLATE = fakes.Format("", "", str).template


def generate(count: int, seed: int) -> tuple[list[str], list[dict]]:
    """Write the tree; return the file list and the manifest of plants and look-alikes."""
    rng = random.Random(seed)
    shutil.rmtree(TREE, ignore_errors=True)
    files: list[str] = []
    manifest: list[dict] = []
    suffixes = list(FILLER)
    formats = list(fakes.FORMATS)
    for index in range(count):
        suffix = suffixes[index % len(suffixes)]
        rel = f"pkg{index % 40:02d}/module_{index:04d}{suffix}"
        blocks = [[rng.choice(FILLER[suffix])] for _ in range(rng.randint(20, 60))]
        # every file gets one planted secret (formats in turn) and two look-alikes
        inserts: list[tuple[str, str, str]] = []
        fmt = formats[index % len(formats)]
        if fmt.template == DEFAULT_TEMPLATE:
            fmt = fakes.Format(fmt.name, fmt.code, fmt.build, rng.choice(STYLES))
        text, _ = fmt.plant(rng)
        inserts.append(("plant", fmt.name, text))
        style = fmt.template
        alikes = fakes.look_alikes(rng)
        for name, line in rng.sample(alikes, 2):
            inserts.append(("look-alike", name, line))
        placed = []
        for kind, name, text in inserts:  # whole blocks, so no insert splits another
            block = text.splitlines()
            blocks.insert(rng.randint(0, len(blocks)), block)
            placed.append((kind, name, block))
        lines = [line for block in blocks for line in block]
        starts, offset = {}, 0
        for block in blocks:
            starts[id(block)] = offset
            offset += len(block)
        for kind, name, block in placed:
            expected_line = starts[id(block)] + 1
            if name == "gcp-service-account":
                expected_line += next(i for i, line in enumerate(block) if '"private_key"' in line)
            manifest.append(
                {
                    "path": rel, "line": expected_line, "kind": kind, "name": name,
                    "code": fmt.code if kind == "plant" else "", "span": len(block),
                    "style": style if kind == "plant" else "",
                }
            )
        full = os.path.join(TREE, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        files.append(rel)
    return files, manifest


def clean_commit(rng: random.Random) -> list[str]:
    """Five ordinary files with nothing to report: the cost of a typical commit."""
    files = []
    for index, suffix in enumerate((".py", ".py", ".md", ".yaml", ".toml")):
        rel = f"clean/file_{index}{suffix}"
        os.makedirs(os.path.join(TREE, "clean"), exist_ok=True)
        with open(os.path.join(TREE, rel), "w", encoding="utf-8") as handle:
            handle.write("\n".join(rng.choice(FILLER[suffix]) for _ in range(80)) + "\n")
        files.append(rel)
    return files


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=TREE, capture_output=True, check=False, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return elapsed, proc.stdout


def ours(files: list[str]) -> tuple[float, dict[tuple[str, int], set[str]]]:
    env = {**os.environ, "PYTHONPATH": REPO}
    cmd = [sys.executable, "-m", "hooks.check_secrets", "--format", "jsonl", "--ignore", "DG390", *files]
    elapsed, out = timed(cmd, env)
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for line in out.splitlines():
        finding = json.loads(line)
        found[(finding["path"], finding["line"])].add(finding["code"])
    return elapsed, found


def detect_secrets_hook(files: list[str]) -> tuple[float, dict[tuple[str, int], set[str]]]:
    exe = shutil.which("detect-secrets-hook")
    cmd = [exe] if exe else [sys.executable, "-m", "detect_secrets.pre_commit_hook"]
    elapsed, out = timed([*cmd, "--json", *files])
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    if out.strip():
        for path, entries in json.loads(out).get("results", {}).items():
            for entry in entries:
                found[(path, entry["line_number"])].add(entry["type"])
    return elapsed, found


def score(manifest: list[dict], found: dict[tuple[str, int], set[str]], typed: bool) -> dict:
    plants = [m for m in manifest if m["kind"] == "plant"]
    alikes = [m for m in manifest if m["kind"] == "look-alike"]

    def hit(entry: dict) -> bool:
        lines = range(entry["line"], entry["line"] + (1 if typed else entry["span"]))
        codes = set().union(*(found.get((entry["path"], n), set()) for n in lines))
        return entry["code"] in codes if typed else bool(codes)

    def flagged(entry: dict) -> bool:
        return any(found.get((entry["path"], n)) for n in range(entry["line"], entry["line"] + entry["span"]))

    missed = Counter(m["name"] for m in plants if not hit(m))
    by_style = Counter(m["style"] for m in plants if m["style"] in STYLES)
    missed_style = Counter(m["style"] for m in plants if m["style"] in STYLES and not hit(m))
    noisy = Counter(m["name"] for m in alikes if flagged(m))
    return {
        "plants": len(plants),
        "recall": sum(1 for m in plants if hit(m)) / len(plants),
        "look_alikes": len(alikes),
        "look_alike_rate": sum(noisy.values()) / len(alikes),
        "missed": dict(missed.most_common()),
        "noisy": dict(noisy.most_common()),
        "missed_by_style": {style: f"{missed_style[style]}/{by_style[style]}" for style in STYLES},
    }


CORPUS_SUFFIXES = (".py", ".txt", ".json", ".cfg", ".md", ".rst", ".toml", ".yaml", ".yml", ".pem", ".ini")


def corpus(directory: str) -> int:
    """check-secrets alone over a real tree: every finding is printed to be read by a human."""
    files = sorted(
        os.path.join(root, name)
        for root, _, names in os.walk(directory)
        for name in names
        if name.endswith(CORPUS_SUFFIXES)
    )
    env = {**os.environ, "PYTHONPATH": REPO}
    start, findings = time.perf_counter(), []
    for chunk in range(0, len(files), 2000):
        proc = subprocess.run(
            [sys.executable, "-m", "hooks.check_secrets", "--ignore", "DG390", *files[chunk : chunk + 2000]],
            env=env, capture_output=True, check=False, text=True,
        )
        findings.extend(proc.stdout.splitlines())
    elapsed = time.perf_counter() - start
    print("\n".join(findings))
    by_code = Counter(line.split(" ")[1] for line in findings)
    print(f"{len(files)} files, {len(findings)} findings {dict(sorted(by_code.items()))}, {elapsed:.1f} s")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--corpus", metavar="DIR", help="only run check-secrets over real files under DIR")
    args = parser.parse_args()
    if args.corpus:
        return corpus(args.corpus)
    files, manifest = generate(args.files, args.seed)
    our_times, their_times = [], []
    for _ in range(args.repeat):
        seconds, our_found = ours(files)
        our_times.append(seconds)
        seconds, their_found = detect_secrets_hook(files)
        their_times.append(seconds)
    small = clean_commit(random.Random(args.seed))
    our_small = statistics.median(ours(small)[0] for _ in range(args.repeat))
    their_small = statistics.median(detect_secrets_hook(small)[0] for _ in range(args.repeat))
    ours_score = score(manifest, our_found, typed=True)
    theirs_score = score(manifest, their_found, typed=False)
    ours_s, theirs_s = statistics.median(our_times), statistics.median(their_times)
    print(f"files: {len(files)}, planted secrets: {ours_score['plants']}, look-alikes: {ours_score['look_alikes']}")
    print(
        f"check-secrets:       recall {ours_score['recall']:.1%} (specific rule code), "
        f"look-alikes flagged {ours_score['look_alike_rate']:.2%}, wall {ours_s:.2f} s"
    )
    print(
        f"detect-secrets-hook: recall {theirs_score['recall']:.1%} (any type, any line of the plant), "
        f"look-alikes flagged {theirs_score['look_alike_rate']:.2%}, wall {theirs_s:.2f} s"
    )
    print(f"speed: check-secrets is {theirs_s / ours_s:.1f}x faster (median of {args.repeat} runs)")
    print(
        f"typical commit (5 clean files, whole process): check-secrets {our_small * 1000:.0f} ms, "
        f"detect-secrets-hook {their_small * 1000:.0f} ms ({their_small / our_small:.1f}x)"
    )
    if ours_score["missed"]:
        print(f"check-secrets missed: {ours_score['missed']}")
    if ours_score["noisy"]:
        print(f"check-secrets flagged look-alikes: {ours_score['noisy']}")
    print(f"detect-secrets-hook missed: {theirs_score['missed']}")
    print("detect-secrets-hook misses by line style (context-free formats):")
    for style, share in theirs_score["missed_by_style"].items():
        print(f"  {share:>8}  {style}")
    print(f"detect-secrets-hook flagged look-alikes: {theirs_score['noisy']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
