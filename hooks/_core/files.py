"""Read files as bytes and decode them deliberately: binary files are skipped, UTF-8
(with or without BOM) and Python encoding declarations are honoured, and a file that
cannot be decoded is reported once on stderr instead of crashing the hook."""
from __future__ import annotations

import codecs
import io
import os
import sys
from stat import S_ISDIR, S_ISREG
from hooks._core.record import dataclass, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~3 ms)
if TYPE_CHECKING:
    from typing import Any

_SNIFF_BYTES = 8192
_reported_undecodable: set[str] = set()


@dataclass
class SourceFile:
    path: str
    text: str
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """The text's lines as Python, git and editors number them: broken at \\n, \\r\\n
        and \\r only. (str.splitlines() also breaks at form feeds, vertical tabs, NEL,
        U+2028 and more, which would shift every later line number against `ast`'s.)"""
        if self._lines is None:
            lines = self.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            if lines[-1] == "":
                lines.pop()  # the end of the last line, not a line of its own
            self._lines = lines
        return self._lines

    def line(self, number: int) -> str:
        """The 1-based line `number`, or '' past the end."""
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""


class Unreadable(Exception):
    """The file exists but is not text we can check (reason in the message)."""


def is_binary(data: bytes) -> bool:
    return b"\0" in data[:_SNIFF_BYTES] and not data.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    )


def decode(path: str, data: bytes) -> str:
    """Decode `data`; raise Unreadable with a reason when it is not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Unreadable(f"not valid UTF-16 ({exc.reason} at byte {exc.start})") from None
    if is_binary(data):
        raise Unreadable("binary file")
    encoding = "utf-8-sig"
    if path.endswith((".py", ".pyi")):
        import tokenize

        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            # detect_encoding also fails on undecodable bytes in the first two lines; when
            # there is no cookie at all, the plain UTF-8 error says more than its message
            if b"coding" not in data[:400]:
                encoding = "utf-8-sig"
            else:
                raise Unreadable(f"bad encoding declaration ({exc.msg})") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Unreadable(
            f"not valid {exc.encoding.upper()} ({exc.reason} at byte {exc.start})"
        ) from None
    except LookupError:
        raise Unreadable(f"unknown encoding {encoding!r}") from None


# The largest file any hook reads (sources, manifests, configs, cache entries). Larger
# files are minified bundles, data dumps or a device: reading them whole would stall a
# commit, and nothing a person reviews is that big.
MAX_FILE_BYTES = 32 * 1024 * 1024


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """A FIFO, device, socket, ...: reading it could block forever or never end."""


class FileTooLarge(OSError):
    """A regular file over the size cap."""


def read_bytes(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes. Only regular files are read (OSError with strerror "not a regular
    file" otherwise), and at most `limit` bytes (FileTooLarge past it). Opened non-blocking
    and checked on the open descriptor, so a FIFO swapped in cannot hang the open."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        mode = info.st_mode
        if not S_ISREG(mode):
            import errno

            if S_ISDIR(mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
            raise NotRegularFile(errno.EINVAL, "not a regular file", path)
        # os.read on the descriptor: a buffered file object would cost three times the
        # syscalls' own time on a commit's or a scan's thousands of small files. One read
        # of the size fstat gives plus a byte: a regular file's read returns less than asked
        # only at its end, so a short read is the whole file (one syscall, not two); a full
        # one means it grew since, and it is read on until its end or past the limit. Less
        # than fstat's size (a file system that reads in pieces) is read on too.
        wanted = min(info.st_size + 1, limit + 1, 1 << 30)
        data = os.read(fd, wanted)
        if len(data) == wanted or len(data) < min(info.st_size, limit):
            chunks = [data]
            left = limit + 1 - len(data)
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 16))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > limit:
        import errno

        raise FileTooLarge(errno.EFBIG, f"larger than the {_size(limit)} limit", path)
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def read_source(path: str) -> SourceFile | None:
    """The decoded file, or None when it is binary or undecodable (reported once).

    OSError (missing, unreadable, a directory) propagates: that is the caller's exit 2.
    """
    try:
        data = read_bytes(path)
    except FileTooLarge as exc:
        report_skipped(path, exc.strerror)  # like a binary file: not source to check
        return None
    try:
        return SourceFile(path, decode(path, data))
    except Unreadable as exc:
        if str(exc) != "binary file":
            report_skipped(path, str(exc))
        return None


def reported_skipped() -> set[str]:
    """The files this process reported as skipped (undecodable, too large)."""
    return _reported_undecodable


def report_skipped(path: str, reason: str) -> None:
    if path in _reported_undecodable:
        return
    _reported_undecodable.add(path)
    print(f"driftgate: {path}: skipped, {reason}", file=sys.stderr)


def to_posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


class TooNewSyntax(SyntaxError):
    """The file does not parse on this interpreter, and the project targets a newer Python:
    not a finding about the code, only a file this run could not check (see `too_new`)."""


# path -> the project's target, for every file that raised TooNewSyntax in this process
_too_new: dict[str, tuple[tuple[int, int], str]] = {}


# The trees of the largest Python files parsed in this process, shared by the hooks that
# parse them (`driftgate scan` runs several hooks over one file): path -> (text, tree). Only
# files of _SHARED_MIN characters or more, and at most _SHARED_BUDGET characters of source in
# all (a tree takes about 35 bytes of memory per character: 125 MB at most), the largest
# kept: they are the files whose parse costs a tenth of a second or more, and the budget
# holds the four largest of the corpus (pydantic-ai's test files of 0.55 to 1 MB, 3.1 MB in
# all), each of which costs more than 0.5 s over every hook when three hooks parse it.
_shared_trees: dict[str, tuple[str, Any]] = {}
_SHARED_MIN = 256 * 1024
_SHARED_BUDGET = 3 * 1024 * 1024 + 512 * 1024

# The trees parsed last, by path and text. In `driftgate run` up to four gates parse the
# commit's few files (each gate has its own SourceCache): one parse each instead of four
# (~1.5 ms per 12 KB file). Bounded, so a whole-tree scan, where each gate walks every file
# in turn, keeps no more than a few trees alive. Hooks only read the trees they are given.
_TREES: dict[tuple[str, str], Any] = {}
_TREES_KEPT = 16


def parse_python(source: SourceFile, note_too_new: bool = True) -> Any:
    """`ast.parse` of the file, without the SyntaxWarnings (invalid escapes, ...) that would
    leak onto stderr. SyntaxError and ValueError (NUL bytes) propagate to the caller; a
    SyntaxError in a project that targets a newer Python than this one is TooNewSyntax (and
    the file is listed in `too_new()` for the run's warning, unless `note_too_new` is false).

    The tree may be shared with the other hooks of this process (a large file's, or one of
    the last parsed): read it, never modify it."""
    shared = _shared_trees.get(source.path)
    if shared is not None and shared[0] == source.text:
        return shared[1]
    key = (source.path, source.text)
    tree = _TREES.get(key)
    if tree is None:
        tree = _parse(source, note_too_new)
        if len(_TREES) >= _TREES_KEPT:
            del _TREES[next(iter(_TREES))]
        _TREES[key] = tree
        _share(source, tree)
    return tree


def _share(source: SourceFile, tree: Any) -> None:
    """Keep the tree if it is among the largest that fit the budget."""
    size = len(source.text)
    if size < _SHARED_MIN or size > _SHARED_BUDGET:
        return
    total = sum(len(text) for text, _ in _shared_trees.values())
    while total + size > _SHARED_BUDGET:
        smallest = min(_shared_trees, key=lambda path: len(_shared_trees[path][0]))
        if len(_shared_trees[smallest][0]) >= size:
            return  # every kept tree is larger
        total -= len(_shared_trees.pop(smallest)[0])
    _shared_trees[source.path] = (source.text, tree)


def _parse(source: SourceFile, note_too_new: bool = True) -> Any:
    import ast
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(source.text, filename=source.path)
        except SyntaxError as exc:
            from hooks._core.pyversion import newer_than_running

            target = newer_than_running()
            if target is None:
                raise
            if note_too_new:  # else the caller skips the file without a word
                _too_new[source.path] = target
            raise TooNewSyntax(exc.msg, (source.path, exc.lineno, exc.offset, exc.text)) from None


def too_new() -> dict[str, tuple[tuple[int, int], str]]:
    """The files this process could not parse because the project targets a newer Python."""
    return _too_new


def too_new_message(paths: list[str], target: tuple[tuple[int, int], str]) -> str:
    import sys

    (major, minor), where = target
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return (
        f"{len(paths)} file(s) not checked ({shown}): they do not parse on Python {running}, which "
        f"runs driftgate, and the project targets Python {major}.{minor} ({where}); run driftgate on "
        f"Python {major}.{minor} (pre-commit: `language_version: python{major}.{minor}` on the hook)"
    )
