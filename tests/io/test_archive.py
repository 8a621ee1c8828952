"""A ZIP archive or a folder: its files found by name, read in place, within a budget."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from invpolicy.errors import InvpolicyError
from invpolicy.io import archive as archive_module
from invpolicy.io.archive import open_archive
from invpolicy.io.files import read_text


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def problem(exc: pytest.ExceptionInfo[InvpolicyError]) -> str:
    assert len(exc.value.problems) == 1
    return str(exc.value.problems[0])


def test_files_are_found_whatever_the_case_and_in_subfolders(tmp_path):
    path = make_zip(
        tmp_path / "export.zip",
        {"Export/INVITATIONS.CSV": b"a", "invitations.csv.bak": b"b", "Export/sub/": b""},
    )
    archive = open_archive(path, str(path))
    (found,) = archive.find("Invitations.csv")
    assert found.name == "Export/INVITATIONS.CSV"
    assert str(found) == f"{path}/Export/INVITATIONS.CSV"
    assert read_text(found) == "a"
    assert "Export/sub/" not in archive.names()


def test_a_folder_is_read_the_same_way_and_its_files_keep_their_real_path(tmp_path):
    (tmp_path / "export" / "deep").mkdir(parents=True)
    (tmp_path / "export" / "deep" / "Messages.CSV").write_text("hello", encoding="utf-8")
    archive = open_archive(tmp_path / "export", f"{tmp_path / 'export'}/")
    (found,) = archive.find("messages.csv")
    assert str(found) == str(tmp_path / "export" / "deep" / "Messages.CSV")
    assert read_text(found) == "hello"


def test_the_shallowest_file_comes_first(tmp_path):
    path = make_zip(tmp_path / "x.zip", {"a/b/Profile.csv": b"", "Profile.csv": b""})
    names = [f.name for f in open_archive(path, str(path)).find("profile.csv")]
    assert names == ["Profile.csv", "a/b/Profile.csv"]


def test_nothing_is_extracted_to_disk(tmp_path):
    path = make_zip(tmp_path / "x.zip", {"Invitations.csv": b"x" * 1000})
    before = sorted(p.name for p in tmp_path.iterdir())
    archive = open_archive(path, str(path))
    read_text(archive.find("Invitations.csv")[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40],
    ids=["empty", "text", "cut"],
)
def test_a_file_that_is_not_a_zip_archive_is_one_line(tmp_path, content):
    path = tmp_path / "export.zip"
    path.write_bytes(content)
    with pytest.raises(InvpolicyError) as exc:
        open_archive(path, str(path)).names()
    assert problem(exc) == f"{path}:1:1: not a ZIP archive, or a damaged one"


def test_a_truncated_archive_is_one_line(tmp_path):
    path = make_zip(tmp_path / "export.zip", {"Invitations.csv": b"x" * 5000})
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(InvpolicyError) as exc:
        open_archive(path, str(path)).names()
    assert problem(exc) == f"{path}:1:1: not a ZIP archive, or a damaged one"


def test_a_damaged_entry_is_located_in_it(tmp_path):
    data = bytes(range(256)) * 40
    path = make_zip(tmp_path / "export.zip", {"Invitations.csv": data})
    raw = bytearray(path.read_bytes())
    start = raw.index(b"Invitations.csv") + len(b"Invitations.csv") + 10
    raw[start : start + 20] = b"\xff" * 20  # the compressed data, not the headers
    path.write_bytes(bytes(raw))
    archive = open_archive(path, str(path))
    with pytest.raises(InvpolicyError) as exc:
        read_text(archive.find("Invitations.csv")[0])
    assert problem(exc).startswith(f"{path}/Invitations.csv:1:1: damaged ZIP entry")


def test_a_zip_bomb_is_refused_before_it_is_decompressed(tmp_path):
    # 30 MB of zeros: a few tens of kilobytes once compressed.
    path = make_zip(tmp_path / "bomb.zip", {"Invitations.csv": b"0" * (30 * 1024 * 1024)})
    assert path.stat().st_size < 100_000
    archive = open_archive(path, str(path))
    with pytest.raises(InvpolicyError) as exc:
        read_text(archive.find("Invitations.csv")[0])
    assert problem(exc) == (
        f"{path}/Invitations.csv:1:1: file is too large (more than 20971520 bytes)"
    )


def test_the_archive_has_a_budget_for_everything_decompressed(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "MAX_ARCHIVE_BYTES", 1500)
    path = make_zip(tmp_path / "x.zip", {"a.csv": b"a" * 1000, "b.csv": b"b" * 1000})
    archive = open_archive(path, str(path))
    read_text(archive.find("a.csv")[0])
    read_text(archive.find("a.csv")[0])  # a file read again is not counted again
    with pytest.raises(InvpolicyError) as exc:
        read_text(archive.find("b.csv")[0])
    assert problem(exc) == (
        f"{path}:1:1: reading b.csv would take the files decompressed from the archive "
        "past 1500 bytes"
    )


def test_an_archive_with_too_many_entries_is_refused_before_they_are_listed(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "MAX_MEMBERS", 5)
    path = make_zip(tmp_path / "x.zip", {f"f{i}.txt": b"" for i in range(6)})

    def no_listing(*args, **kwargs):
        raise AssertionError("the directory was parsed")

    monkeypatch.setattr(zipfile, "ZipFile", no_listing)
    with pytest.raises(InvpolicyError) as exc:
        open_archive(path, str(path)).names()
    assert problem(exc) == f"{path}:1:1: the archive has 6 entries; at most 5 are read"


def test_a_folder_with_too_many_files_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "MAX_MEMBERS", 3)
    for i in range(5):
        (tmp_path / f"f{i}").write_text("", encoding="utf-8")
    with pytest.raises(InvpolicyError) as exc:
        open_archive(tmp_path, "home").names()
    assert problem(exc) == "home:1:1: more than 3 files: not a data export"


def test_a_missing_archive_is_one_line(tmp_path):
    with pytest.raises(InvpolicyError) as exc:
        open_archive(tmp_path / "gone.zip", "gone.zip")
    assert problem(exc) == "gone.zip:1:1: no such file"
