from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from hooks._core.files import Unreadable, decode, read_source


@pytest.mark.parametrize(
    ("name", "data", "text"),
    [
        ("a.txt", b"plain\n", "plain\n"),
        ("a.txt", codecs.BOM_UTF8 + b"bom\n", "bom\n"),
        ("a.py", codecs.BOM_UTF8 + b"x = 1\n", "x = 1\n"),
        ("a.txt", codecs.BOM_UTF16_LE + "wide\n".encode("utf-16-le"), "wide\n"),
        ("a.py", "# coding: latin-1\nx = 'caf\xe9'\n".encode("latin-1"), "# coding: latin-1\nx = 'café'\n"),
        ("a.txt", b"", ""),
    ],
)
def test_decode_text(name: str, data: bytes, text: str) -> None:
    assert decode(name, data) == text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.bin", b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        ("a.txt", b"caf\xe9\n", "not valid UTF-8 (invalid continuation byte at byte 3)"),
        ("a.py", b"# coding: klingon\nx = 1\n", "bad encoding declaration (unknown encoding: klingon)"),
        ("a.py", b"x = '\xff'\n", "not valid UTF-8 (invalid start byte at byte 5)"),
    ],
)
def test_decode_refuses_what_is_not_text(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(Unreadable) as info:
        decode(name, data)
    assert str(info.value) == reason


def test_undecodable_is_reported_once_per_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "twice.txt"
    path.write_bytes(b"\xff\xfe\xfa")
    assert read_source(str(path)) is None
    assert read_source(str(path)) is None
    assert capsys.readouterr().err.count("skipped") == 1


def test_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        read_source(str(tmp_path / "nope"))


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 300_001])
def test_read_bytes_returns_every_byte_up_to_the_limit(tmp_path: Path, size: int) -> None:
    """Files are read straight from the descriptor (no buffered file object: a third of a
    scan's reading time): every byte comes back, whatever the size against the read sizes,
    and one byte past the limit is an error, not a truncated file."""
    from hooks._core.files import FileTooLarge, read_bytes

    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    assert read_bytes(str(path)) == data
    assert read_bytes(str(path), limit=size) == data
    if size:
        with pytest.raises(FileTooLarge):
            read_bytes(str(path), limit=size - 1)


@pytest.mark.parametrize("size", [0, 1, 65536, 300_001])
def test_read_bytes_reads_a_regular_file_in_one_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """A commit's or a scan's thousands of small files cost a syscall each less: the read
    sized from fstat comes back short at the end of the file, so no second read asks for
    more. (os.read is wrapped, not replaced, to count the calls.)"""
    import os

    from hooks._core.files import read_bytes

    calls: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        calls.append(n)
        return real_read(fd, n)

    data = b"x" * size
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    monkeypatch.setattr(os, "read", counting_read)
    assert read_bytes(str(path)) == data
    assert calls == [size + 1]


def test_read_bytes_reads_on_after_a_short_read_before_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system that returns a regular file in pieces (some network and FUSE ones do)
    must not cut the file short: a read shorter than fstat's size is read on. The pieces are
    made by wrapping os.read (no such file system here)."""
    import os

    from hooks._core.files import read_bytes

    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, 1000)))
    data = bytes(range(256)) * 40  # 10,240 bytes
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    assert read_bytes(str(path)) == data


def test_large_python_files_are_parsed_once_per_process(tmp_path: Path) -> None:
    """`driftgate scan` runs several hooks over one file: the tree of a large file is shared
    (a 1 MB file costs 0.2 s per parse), and an edited text is parsed again."""
    from hooks._core import files

    big = "x = 1\n" * 60_000  # 360 KB
    first = files.parse_python(files.SourceFile(str(tmp_path / "big.py"), big))
    assert files.parse_python(files.SourceFile(str(tmp_path / "big.py"), big)) is first
    edited = files.parse_python(files.SourceFile(str(tmp_path / "big.py"), big + "y = 2\n"))
    assert edited is not first and edited.body[-1].targets[0].id == "y"
    # a small file's tree is kept only while it is among the last few parsed (driftgate run's
    # gates share a commit's files), so a whole-tree scan keeps no more than a few alive
    small = "x = 1\n"
    kept = files.parse_python(files.SourceFile("small.py", small))
    assert files.parse_python(files.SourceFile("small.py", small)) is kept
    for n in range(files._TREES_KEPT):
        files.parse_python(files.SourceFile(f"other{n}.py", f"v{n} = {n}\n"))
    assert files.parse_python(files.SourceFile("small.py", small)) is not kept
    # while the large file's tree outlives them
    assert files.parse_python(files.SourceFile(str(tmp_path / "big.py"), big + "y = 2\n")) is edited
