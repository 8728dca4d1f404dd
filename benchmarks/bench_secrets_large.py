"""check-secrets on large generated files (issue 15): seconds per MB and peak memory.

Generates a tree of multi-MB files of the kinds that make a secrets scanner slow, under
benchmarks/.work/secrets-large (git-ignored):

  har       HTTP recordings (HAR JSON): headers, cookies, base64 bodies, URLs with query strings
  cassette  VCR-style YAML recordings: request/response bodies with tokens-shaped ids
  lock      package-lock.json / poetry.lock: URLs and sha512/sha256 integrity hashes
  minified  minified JavaScript bundles: a few lines of several MB, full of `a/b:c@d` and keys
  json      API dumps: nested records with random ids, `"token"`/`"key"` fields, base64 blobs

Each file also holds a few planted fake credentials (built at run time by
tests/_secrets_support.py), so speed is not bought by missing them: the script checks that
every plant is reported. Then, side by side in one run, it measures check-secrets and
detect-secrets-hook on the same files: wall time (seconds per MB), peak RSS of the process
(from the kernel's rusage of the child), and, per kind, check-secrets' seconds per MB.

    python benchmarks/bench_secrets_large.py [--mb 1200] [--file-mb 6] [--peer-mb 12]

`--peer-mb` limits detect-secrets-hook to the first N MB of the tree (it is far slower);
its figures are per MB, so they compare.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests"))

import _secrets_support as fakes  # driftgate: ignore[DG202]

TREE = os.path.join(REPO, "benchmarks", ".work", "secrets-large")
KINDS = ("har", "cassette", "lock", "minified", "json")
SUFFIX = {"har": ".har", "cassette": ".yaml", "lock": ".json", "minified": ".min.js", "json": ".json"}
PLANTS = ("github-ghp", "openai-project", "aws-key-id", "slack-bot", "stripe")


def _b64(rng: random.Random, size: int) -> str:
    return base64.b64encode(rng.randbytes(size)).decode()


def _har_entry(rng: random.Random, index: int) -> dict:
    host = f"api{index % 7}.service.internal"
    return {
        "startedDateTime": "2026-01-01T10:00:00.000Z",
        "request": {
            "method": rng.choice(("GET", "POST")),
            "url": f"https://{host}/v2/items/{uuid.UUID(int=rng.getrandbits(128))}?page={index}&sig={fakes.rand(rng, 43, fakes.URLSAFE)}",
            "headers": [
                {"name": "accept", "value": "application/json"},
                {"name": "x-request-id", "value": fakes.rand(rng, 32, fakes.HEX)},
                {"name": "cookie", "value": f"session={fakes.rand(rng, 64, fakes.URLSAFE)}; csrftoken={fakes.rand(rng, 32)}"},
            ],
        },
        "response": {
            "status": 200,
            "content": {"mimeType": "image/png", "encoding": "base64", "text": _b64(rng, rng.randint(2000, 12000))},
        },
    }


def _cassette_entry(rng: random.Random, index: int) -> str:
    body = json.dumps({"id": f"chatcmpl-{fakes.rand(rng, 29)}", "object": "chat.completion",
                       "choices": [{"message": {"content": " ".join(fakes.rand(rng, rng.randint(2, 9), "abcdefghij") for _ in range(120))}}],
                       "usage": {"total_tokens": rng.randint(10, 999)}})
    return (
        f"- request:\n    body: '{{\"model\": \"m-{index % 5}\", \"max_tokens\": 256}}'\n"
        f"    headers:\n      authorization:\n      - Bearer scrubbed\n      x-stainless-retry-count:\n      - '0'\n"
        f"    uri: https://llm.service.internal/v1/chat/completions\n"
        f"  response:\n    body:\n      string: '{body}'\n    headers:\n      openai-organization:\n      - org-{fakes.rand(rng, 24)}\n"
        f"      x-request-id:\n      - req_{fakes.rand(rng, 32, fakes.HEX)}\n    status:\n      code: 200\n"
    )


def _lock_entry(rng: random.Random, index: int) -> tuple[str, dict]:
    name = f"pkg-{fakes.rand(rng, 8, 'abcdefghijklmnopqrstuvwxyz')}-{index}"
    return f"node_modules/{name}", {
        "version": f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 30)}",
        "resolved": f"https://registry.npm.internal/{name}/-/{name}-1.0.0.tgz",
        "integrity": "sha512-" + _b64(rng, 64),
        "dev": rng.random() < 0.3,
    }


def _minified_chunk(rng: random.Random, index: int) -> str:
    var = fakes.rand(rng, 2, "abcdefghijklmnopqrstuvwxyz")
    return (
        f"var {var}{index}=function(e,t){{return e/t/{index}}};"
        f"{var}.key=\"k{index}\";{var}.auth=function(){{return\"{fakes.rand(rng, 12)}\"}};"
        f"fetch(\"https://cdn.assets.internal/{index}/a/b/c.js?v={fakes.rand(rng, 8, fakes.HEX)}\");"
        f"x=\"{_b64(rng, 90)}\";"
    )


def _json_record(rng: random.Random, index: int) -> dict:
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "name": f"item {index}",
        "token_count": rng.randint(1, 5000),
        "checksum": fakes.rand(rng, 64, fakes.HEX),
        "thumbnail": _b64(rng, rng.randint(300, 3000)),
        "links": {"self": f"https://api.service.internal/items/{index}"},
    }


def generate_file(kind: str, path: str, target: int, rng: random.Random) -> list[str]:
    """Write one file of about `target` bytes; return the planted secrets."""
    plants = [fakes.FORMATS[[f.name for f in fakes.FORMATS].index(name)].build(rng) for name in PLANTS]
    parts: list[str] = []
    size = 0
    index = 0
    while size < target:
        if kind == "har":
            piece = json.dumps(_har_entry(rng, index)) + ",\n"
        elif kind == "cassette":
            piece = _cassette_entry(rng, index)
        elif kind == "lock":
            key, value = _lock_entry(rng, index)
            piece = json.dumps({key: value})[1:-1] + ",\n"
        elif kind == "minified":
            piece = _minified_chunk(rng, index)
        else:
            piece = json.dumps(_json_record(rng, index)) + ",\n"
        if index % 2000 == 1000 and plants:
            secret = plants[(index // 2000) % len(plants)]
            piece += f'"api_token": "{secret}",\n' if kind != "minified" else f'T="{secret}";'
        parts.append(piece)
        size += len(piece)
        index += 1
    text = "".join(parts)
    if kind in ("har", "lock", "json"):
        text = '{"entries": [\n' + text + "{}]}\n"
    elif kind == "minified":
        # a few very long lines, as a bundler writes them
        step = max(1, len(text) // 4)
        text = "\n".join(text[i : i + step] for i in range(0, len(text), step)) + "\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return [secret for secret in plants if secret in text]


def generate(total_mb: int, file_mb: float, seed: int) -> tuple[list[str], dict[str, list[str]], dict[str, str]]:
    rng = random.Random(seed)
    shutil.rmtree(TREE, ignore_errors=True)
    files: list[str] = []
    plants: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    count = max(len(KINDS), int(total_mb / file_mb))
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        rel = f"{kind}/{kind}_{index:04d}{SUFFIX[kind]}"
        os.makedirs(os.path.join(TREE, kind), exist_ok=True)
        target = int(file_mb * (0.5 + rng.random()) * (1 << 20))
        plants[rel] = generate_file(kind, os.path.join(TREE, rel), target, rng)
        files.append(rel)
        kinds[rel] = kind
    return files, plants, kinds


def measure(cmd: list[str]) -> tuple[float, float, str, float]:
    """(wall seconds, peak RSS of that process in MiB, stdout, CPU seconds), from the
    process's own rusage: CPU time is what a shared, loaded machine distorts least."""
    env = {**os.environ, "PYTHONPATH": REPO}
    start = time.perf_counter()
    with open(os.path.join(TREE, ".out"), "w+", encoding="utf-8") as out, subprocess.Popen(
        cmd, cwd=TREE, stdout=out, stderr=subprocess.DEVNULL, env=env
    ) as proc:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed with exit {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime


def mb(files: list[str]) -> float:
    return sum(os.path.getsize(os.path.join(TREE, f)) for f in files) / (1 << 20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=1200, help="size of the tree (default 1200)")
    parser.add_argument("--file-mb", type=float, default=6.0, help="average file size (default 6)")
    parser.add_argument("--peer-mb", type=int, default=12, help="MB given to detect-secrets-hook (default 12)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-peer", action="store_true", help="skip detect-secrets-hook")
    args = parser.parse_args()

    files, plants, kinds = generate(args.mb, args.file_mb, args.seed)
    total = mb(files)
    print(f"tree: {len(files)} files, {total:.0f} MB ({', '.join(KINDS)})")

    ours = [sys.executable, "-m", "hooks.check_secrets", "--ignore", "DG390"]
    seconds, peak, out, cpu = measure([*ours, *files])
    reported = {(line.split(":")[0]) for line in out.splitlines()}
    missed = sum(1 for f, secrets in plants.items() if secrets and f not in reported)
    found = len(out.splitlines())
    planted = sum(len(s) for s in plants.values())
    print(
        f"check-secrets: wall {seconds:.1f} s ({seconds / total:.3f} s/MB), CPU {cpu:.1f} s "
        f"({cpu / total:.3f} s/MB), peak RSS {peak:.0f} MiB, "
        f"{found} findings for {planted} plants (files with a missed plant: {missed})"
    )
    for kind in KINDS:
        subset = [f for f in files if kinds[f] == kind][:4]
        kind_seconds, kind_peak, _, kind_cpu = measure([*ours, *subset])
        print(
            f"  {kind:9} wall {kind_seconds / mb(subset):.3f} s/MB, CPU {kind_cpu / mb(subset):.3f} s/MB, "
            f"peak RSS {kind_peak:.0f} MiB ({mb(subset):.0f} MB, whole process)"
        )

    if args.no_peer:
        return 0
    exe = shutil.which("detect-secrets-hook") or os.path.join(os.path.dirname(sys.executable), "detect-secrets-hook")
    peer_files, size = [], 0.0
    for f in files:
        if size >= args.peer_mb:
            break
        peer_files.append(f)
        size += os.path.getsize(os.path.join(TREE, f)) / (1 << 20)
    ours_seconds, ours_peak, _, ours_cpu = measure([*ours, *peer_files])
    peer_seconds, peer_peak, _, peer_cpu = measure([exe, *peer_files])
    print(
        f"on the first {size:.0f} MB ({len(peer_files)} files), side by side:\n"
        f"  check-secrets       wall {ours_seconds:.1f} s ({ours_seconds / size:.3f} s/MB), CPU "
        f"{ours_cpu / size:.3f} s/MB, peak RSS {ours_peak:.0f} MiB\n"
        f"  detect-secrets-hook wall {peer_seconds:.1f} s ({peer_seconds / size:.3f} s/MB), CPU "
        f"{peer_cpu / size:.3f} s/MB, peak RSS {peer_peak:.0f} MiB\n"
        f"  check-secrets is {peer_seconds / ours_seconds:.1f}x faster (wall), {peer_cpu / ours_cpu:.1f}x (CPU)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
