"""check-hallucinated-deps: declared dependencies that the package index does not have
(DG1xx). A network hook: it asks the configured indexes (pip's, by default) which names
and versions exist, and caches the answers on disk.
"""
from __future__ import annotations

import os
import sys
import time

from hooks._core.config import Option
from hooks._core.findings import Finding, HookError, Rule
from hooks._core.runner import CheckRun, FileHook, run_hook

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any, Iterator, Sequence

if TYPE_CHECKING:
    from hooks._deps.manifests import Declared, Manifest
    from hooks._deps.pkgindex import IndexChoice, Lookup

HOOK_ID = "check-hallucinated-deps"

RULES = (
    Rule("DG100", "a dependency declaration or manifest could not be read"),
    Rule("DG101", "dependency name is not on any configured index"),
    Rule("DG102", "required version matches no release on the index"),
    Rule("DG103", "dependency exists but looks suspicious (new, single release, placeholder)"),
    Rule("DG104", "dependency name is a near-miss of a popular or another declared name"),
    Rule("DG105", "dependency is on a private index and also on the public one (dependency confusion)"),
    Rule("DG106", "an import name declared as a distribution whose real package differs"),
)

OPTIONS = (
    Option("index-url", str, "", "package index URL (default: pip's configuration, then pip's default)"),
    Option("extra-index-url", list, [], "additional package index URLs"),
    Option("public-index-url", str, "", "the public index for DG105 (default: pip's default index)"),
    Option("min-age-days", int, 14, "DG103 when a project's first upload is younger than this"),
    Option("offline", bool, False, "use cached index answers only, never the network"),
    Option("on-network-error", str, "error", "what an unreachable index does", ("error", "warn")),
    Option("timeout", float, 10.0, "seconds to wait for an index answer"),
    Option("changed-only", bool, False, "check only names the change adds (compared with HEAD)"),
)

_DAY = 86400.0


def selects(path: str) -> bool:
    from hooks._deps.manifests import is_manifest

    return is_manifest(path) or path.endswith(".py")


# --- reading declarations -----------------------------------------------------------


def read_declarations(run: CheckRun) -> Manifest:
    from hooks._deps.manifests import Manifest, is_requirements_file, read_manifest, read_requirements

    total = Manifest()
    for path in run.paths:
        if not selects(path):
            continue  # passed by name but no manifest (a 20 MB bundle.js is no requirements file)
        source = _read(run, path)
        if source is None:
            continue
        part = read_requirements(path) if is_requirements_file(path) else read_manifest(source)
        total.declared += part.declared
        total.problems += part.problems
        total.extra_index_urls += part.extra_index_urls
        total.index_url = total.index_url or part.index_url
    seen: set[tuple[str, int, int, str]] = set()
    unique = []
    for item in total.declared:
        spot = (os.path.normpath(item.path), item.line, item.col, item.key)
        if spot not in seen:
            seen.add(spot)
            unique.append(item)
    total.declared = unique
    return total


def _read(run: CheckRun, path: str) -> Any:
    """The decoded file, or None (binary, undecodable: reported; unreadable: an error)."""
    try:
        return run.sources.get(path)
    except OSError as exc:
        run.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
        return None


def only_added(declared: list[Declared]) -> list[Declared]:
    """Declarations whose name is not in the HEAD version of the same file."""
    from hooks._core.git import repo_root, run_git

    if repo_root(".") is None:
        raise HookError("--changed-only needs a git repository (run it from the work tree)")
    if not run_git(["rev-parse", "--verify", "-q", "HEAD"], check=False).strip():
        return declared  # no commit yet: everything is new
    old_names: dict[str, set[str]] = {}
    kept = []
    for item in declared:
        if item.path not in old_names:
            old_names[item.path] = _names_at_head(item.path)
        if item.key not in old_names[item.path]:
            kept.append(item)
    return kept


def _names_at_head(path: str) -> set[str]:
    from hooks._core.files import SourceFile
    from hooks._core.git import run_git
    from hooks._deps.manifests import is_requirements_file, read_manifest, requirement_names

    text = run_git(["show", f"HEAD:./{path}"], check=False)
    if not text:
        return set()
    if is_requirements_file(path):
        return requirement_names(path, text)
    return {d.key for d in read_manifest(SourceFile(path, text)).declared}


# --- asking the index ---------------------------------------------------------------


def choose(settings: dict[str, Any], manifest: Manifest) -> IndexChoice:
    from hooks._deps.pkgindex import IndexUnavailable, choose_indexes

    sources = [
        (settings["index_url"] or None, settings["extra_index_url"]),
        (manifest.index_url, manifest.extra_index_urls),
    ]
    try:
        return choose_indexes(sources, settings["public_index_url"] or None)
    except IndexUnavailable as exc:
        raise HookError(str(exc)) from None


def ask(settings: dict[str, Any], choice: IndexChoice, specs: dict[str, list[str]]) -> dict[str, Lookup]:
    """Look every name (the keys of `specs`) up on every index; a required version the
    cached answer lacks is asked again (the release may be newer than the cache)."""
    from hooks._deps.pkgindex import Client, lookup_names

    if settings["timeout"] <= 0:
        raise HookError(f"timeout must be positive, got {settings['timeout']}")
    client = Client(timeout=settings["timeout"], offline=settings["offline"], cert=choice.cert)
    lookups = lookup_names(client, choice.indexes, specs)
    if not settings["offline"]:
        stale = frozenset(
            (index, name) for name, lookup in lookups.items()
            if lookup.found_on and any(not _matching(s, lookup.versions) for s in specs.get(name, ()))
            for index in choice.indexes
            if (index, name) not in client.fetched
        )
        if stale:
            lookups.update(lookup_names(client, choice.indexes, {n for _, n in stale}, stale))
    _report_network(settings, lookups)
    return lookups


def _report_network(settings: dict[str, Any], lookups: dict[str, Lookup]) -> None:
    errors = [e for lookup in lookups.values() for e in lookup.errors]
    if errors:
        if settings["on_network_error"] == "error":
            raise HookError(
                f"{errors[0]}; fix the index URL or network, or pass --offline (cache only) "
                "or --on-network-error=warn"
            )
        failed = sum(1 for lookup in lookups.values() if lookup.errors and not lookup.found_on)
        _warn(f"{errors[0]}; {failed} name(s) not checked")
    unchecked = sum(1 for lookup in lookups.values() if lookup.unchecked)
    if unchecked:
        _warn(f"--offline: {unchecked} name(s) not in the cache were not checked")


def _warn(message: str) -> None:
    print(f"{HOOK_ID}: warning: {message}", file=sys.stderr)


def _matching(spec: str, versions: Sequence[str]) -> bool:
    """True when some release satisfies `spec` (or the spec/versions cannot be judged);
    remembered on disk for the same spec and version list (hooks._deps.specmemo)."""
    if not spec:
        return True
    from hooks._deps.specmemo import remembered

    return bool(remembered("match", spec, versions, lambda: _any_matching(spec, versions)))


def _any_matching(spec: str, versions: Sequence[str]) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        specifier = SpecifierSet(spec)
    except InvalidSpecifier:
        return True
    for raw in versions:
        try:
            if specifier.contains(Version(raw), prereleases=True):
                return True
        except InvalidVersion:
            if any(s.operator == "===" and s.version == raw for s in specifier):
                return True
    return False


def _latest(versions: Sequence[str]) -> str | None:
    from packaging.version import InvalidVersion, Version

    parsed = []
    for raw in versions:
        try:
            parsed.append((Version(raw), raw))
        except InvalidVersion:
            continue
    return max(parsed)[1] if parsed else None


# --- judging each declaration -------------------------------------------------------


def finding(item: Declared, code: str, message: str) -> Finding:
    return Finding(item.path, item.line, item.col, code, message, HOOK_ID)


def import_name_confusion(item: Declared) -> Finding | None:
    from hooks._deps.names import ALTERNATIVES, IMPORT_TO_DIST
    from hooks._deps.pkgindex import normalize

    by_key = {normalize(k): k for k in IMPORT_TO_DIST if "." not in k}
    module = by_key.get(item.key)
    if module is None:
        return None
    real = IMPORT_TO_DIST[module]
    if item.key in {normalize(d) for d in (real, *ALTERNATIVES.get(module, ()))}:
        return None
    return finding(
        item, "DG106",
        f"`{item.name}` is the import name of `{real}`; declare `{real}` (the project "
        f"published as `{item.name}`, if any, is a different one)",
    )


def judge(
    item: Declared, lookup: Lookup, choice: IndexChoice, declared_keys: Sequence[str],
    min_age_days: int, now: float,
) -> Iterator[Finding]:
    from hooks._deps.names import POPULAR, near_miss

    if not lookup.answers or lookup.errors and not lookup.found_on or lookup.unchecked:
        # not checked (offline or index error in warn mode); with --offline, a file:// index
        # answers while an uncached http(s) one does not: a partial view, so no verdict
        return
    popular_twin = None if item.key in POPULAR else near_miss(item.key, sorted(POPULAR))
    if not lookup.found_on:
        where = ", ".join(lookup.answers)
        hint = f"; did you mean `{popular_twin}`?" if popular_twin else ""
        yield finding(item, "DG101", f"`{item.name}` is not on the index ({where}): likely hallucinated{hint}")
        return
    if not _matching(item.spec, lookup.versions):
        latest = _latest(lookup.versions)
        newest = f" (latest: {latest})" if latest else " (it has no releases)"
        yield finding(item, "DG102", f"`{item.name}{item.spec}` matches no release on the index{newest}")
    reasons = suspicious(lookup, choice, min_age_days, now)
    if reasons:
        yield finding(
            item, "DG103", f"`{item.name}` exists but looks suspicious: {', '.join(reasons)}; "
            "check it is the project you meant",
        )
    declared_twin = None
    if established(lookup, now):
        popular_twin = None  # a look-alike with years of releases is a project of its own
    elif not popular_twin and item.key not in POPULAR:
        declared_twin = near_miss(item.key, [k for k in declared_keys if k != item.key])
    if popular_twin:
        yield finding(
            item, "DG104", f"`{item.name}` is a near-miss of the widely used `{popular_twin}`: check the spelling"
        )
    elif declared_twin:
        yield finding(
            item, "DG104", f"`{item.name}` is a near-miss of `{declared_twin}`, also declared: check the spelling"
        )
    confusion = dependency_confusion(item, lookup, choice)
    if confusion:
        yield confusion


ESTABLISHED_DAYS = 365
ESTABLISHED_RELEASES = 5


def established(lookup: Lookup, now: float) -> bool:
    """A project with a history of its own: at least ESTABLISHED_RELEASES releases and, when
    the index tells upload times (PEP 700), a first upload at least ESTABLISHED_DAYS old.
    `ijson` next to `ujson`, `PyPDF2` next to `pypdf`, `tblib` next to `tablib` are such
    projects: a near-miss of their names is no typo. A squat or a hallucination is new, thin
    or missing."""
    if len(lookup.versions) < ESTABLISHED_RELEASES:
        return False
    first = lookup.first_upload
    return first is None or now - first >= ESTABLISHED_DAYS * _DAY


def suspicious(lookup: Lookup, choice: IndexChoice, min_age_days: int, now: float) -> list[str]:
    """Squat and placeholder shapes, judged on the public index's answer when the public
    index is configured: a young single-release project only there is the threat; on a
    private index it is just an internal package."""
    answers = list(lookup.answers.values())
    if choice.public in lookup.answers:
        public = lookup.answers[choice.public]
        if not public.found:
            return []
        answers = [public]
    reasons = []
    times = [a.first_upload for a in answers if a.first_upload is not None]
    first = min(times) if times else None
    if first is not None and now - first < min_age_days * _DAY:
        days = max(0, int((now - first) // _DAY))
        reasons.append(f"first uploaded {days} day(s) ago (min-age-days {min_age_days})")
    versions = answers[0].versions if len(answers) == 1 else lookup.versions
    files = sum(a.files for a in answers)
    if not files:
        reasons.append("no release files")
    elif len(versions) == 1:
        reasons.append(f"only one release ({versions[0]})")
    if 0 < len(versions) <= 2 and all(_is_placeholder(v) for v in versions):
        reasons.append("placeholder version" + ("s" if len(versions) > 1 else ""))
    return reasons


def _is_placeholder(raw: str) -> bool:
    """0.0.0-shaped versions: every number zero, or just 0.0.1 / 0.1."""
    from packaging.version import InvalidVersion, Version

    try:
        release = Version(raw).release
    except InvalidVersion:
        return False
    return all(n == 0 for n in release) or release in ((0, 0, 1), (0, 1), (0, 0, 0, 1))


def dependency_confusion(item: Declared, lookup: Lookup, choice: IndexChoice) -> Finding | None:
    """Found on the public index and on another one that is not a mirror of it: pip merges
    every index's releases and takes the highest, so whoever publishes publicly can win."""
    public = lookup.answers.get(choice.public)
    if public is None or not public.found:
        return None
    public_versions = set(public.versions)
    for url, answer in lookup.answers.items():
        if url == choice.public or not answer.found:
            continue
        if any(t.rstrip("/").endswith("/" + item.key) for t in answer.tracks):
            continue  # PEP 708: the private project declares it tracks the public one
        if set(answer.versions) <= public_versions and answer.versions:
            continue  # a mirror or proxy of the public project
        return finding(
            item, "DG105",
            f"`{item.name}` is on {url} and also on the public index {choice.public}: pip takes "
            "the highest version from either (dependency confusion); publish a placeholder or "
            "use only one index for it",
        )
    return None


def check(run: CheckRun) -> Iterator[Finding]:
    settings = run.settings
    manifest = read_declarations(run)
    for problem in manifest.problems:
        yield Finding(problem.path, problem.line, problem.col, "DG100", problem.message, HOOK_ID)
    declared = manifest.declared
    if settings["changed_only"]:
        declared = only_added(declared)
    to_ask = []
    for item in declared:
        confused = import_name_confusion(item)
        if confused:
            yield confused
        else:
            to_ask.append(item)
    if not to_ask:
        return
    if settings["min_age_days"] < 0:
        raise HookError(f"min-age-days must be 0 or more, got {settings['min_age_days']}")
    choice = choose(settings, manifest)
    specs: dict[str, list[str]] = {}
    for item in to_ask:
        specs.setdefault(item.key, []).append(item.spec)
    lookups = ask(settings, choice, specs)
    keys = sorted({key for key, lookup in lookups.items() if lookup.found_on})
    now = time.time()
    for item in to_ask:
        yield from judge(item, lookups[item.key], choice, keys, settings["min_age_days"], now)


HOOK = FileHook(
    id=HOOK_ID,
    description="Report declared dependencies the package index does not have (network hook).",
    rules=RULES,
    selects=selects,
    check=check,
    options=OPTIONS,
    needs_network=True,
)


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
