"""Safe unpacking: every unsafe member kind refused, bombs refused, limits held, nothing left behind."""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from bastion.scanner.engines.archives import ArchiveLimits, ArchiveRefused, UnpackedArchive, unpack_archive

GOOD_FILES = {
    "project/requirements.txt": b"flask==3.0.0\n",
    "project/src/app.py": b"print('hello')\n" * 20,
    "project/README.md": b"# demo\n",
}


def file_member(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    """Return a regular tar member."""
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def special_member(name: str, kind: bytes, link: str = "") -> tuple[tarfile.TarInfo, bytes]:
    """Return a tar member of another kind (link, device, FIFO)."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info, b""


def write_tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes]], mode: str = "w:gz") -> Path:
    """Write a tar archive of the members, in order."""
    with tarfile.open(path, mode) as archive:  # type: ignore[call-overload]
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def write_zip(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """Write a deflated zip archive of the members, in order."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, data)
    return path


def zip_info(name: str, mode: int) -> zipfile.ZipInfo:
    """Return a zip member whose Unix mode says what it is."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def files_under(directory: Path) -> dict[str, bytes]:
    """Return every file under the directory, by its relative path."""
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_tar_archives_unpack(tmp_path: Path, mode: str) -> None:
    # given
    archive = write_tar(
        tmp_path / "upload", [file_member(name, data) for name, data in GOOD_FILES.items()], mode
    )

    # when
    result = unpack_archive(archive, tmp_path / "out")

    # then
    assert result == UnpackedArchive(tmp_path / "out", 3, sum(len(data) for data in GOOD_FILES.values()), ())
    assert files_under(tmp_path / "out") == GOOD_FILES


def test_zip_archive_unpacks_with_directories(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "upload.zip", [("project/", b""), *GOOD_FILES.items()])

    result = unpack_archive(archive, tmp_path / "out")

    assert (result.file_count, result.skipped_links) == (3, ())
    assert files_under(tmp_path / "out") == GOOD_FILES


def test_a_tar_ending_with_a_zip_is_read_as_a_tar(tmp_path: Path) -> None:
    # given: a plain tar whose last member is a zip (the zip's directory is then at the tar's end)
    inner = write_zip(tmp_path / "inner.zip", [("inner.txt", b"inside")]).read_bytes()
    archive = write_tar(
        tmp_path / "upload.tar", [file_member("a.txt", b"a"), file_member("b.zip", inner)], "w"
    )
    assert zipfile.is_zipfile(archive)

    result = unpack_archive(archive, tmp_path / "out")

    assert files_under(tmp_path / "out") == {"a.txt": b"a", "b.zip": inner}
    assert result.file_count == 2


def test_links_inside_the_archive_are_skipped_not_created(tmp_path: Path) -> None:
    # given
    members = [file_member(name, data) for name, data in GOOD_FILES.items()]
    members.append(special_member("project/docs/readme-link", tarfile.SYMTYPE, "../README.md"))
    members.append(special_member("project/copy.md", tarfile.LNKTYPE, "project/README.md"))
    archive = write_tar(tmp_path / "upload.tar.gz", members)

    # when
    result = unpack_archive(archive, tmp_path / "out")

    # then
    assert result.skipped_links == ("project/docs/readme-link", "project/copy.md")
    assert files_under(tmp_path / "out") == GOOD_FILES
    assert [path for path in (tmp_path / "out").rglob("*") if path.is_symlink()] == []


UNSAFE_TAR_MEMBERS = [
    ("absolute path", file_member("/var/spool/evil.txt", b"x"), "'/var/spool/evil.txt' is an absolute path"),
    (
        "dot-dot",
        file_member("project/../../evil.txt", b"x"),
        "'project/../../evil.txt' climbs out of the archive",
    ),
    (
        "symlink out",
        special_member("project/escape", tarfile.SYMTYPE, "../../outside"),
        "'project/escape' is a symbolic link pointing outside the archive ('../../outside')",
    ),
    (
        "absolute symlink",
        special_member("project/passwd", tarfile.SYMTYPE, "/etc/passwd"),
        "'project/passwd' is a symbolic link to the absolute path '/etc/passwd'",
    ),
    (
        "hard link out",
        special_member("project/shadow", tarfile.LNKTYPE, "../etc/shadow"),
        "'project/shadow' is a hard link pointing outside the archive ('../etc/shadow')",
    ),
    ("character device", special_member("project/null", tarfile.CHRTYPE), "'project/null' is a device, FIFO"),
    ("block device", special_member("project/sda", tarfile.BLKTYPE), "'project/sda' is a device, FIFO"),
    ("fifo", special_member("project/pipe", tarfile.FIFOTYPE), "'project/pipe' is a device, FIFO"),
]


@pytest.mark.parametrize(
    ("member", "reason"),
    [case[1:] for case in UNSAFE_TAR_MEMBERS],
    ids=[case[0] for case in UNSAFE_TAR_MEMBERS],
)
def test_unsafe_tar_members_refuse_the_archive_and_leave_nothing(
    tmp_path: Path, member: tuple[tarfile.TarInfo, bytes], reason: str
) -> None:
    # given: good files first, so that something was written before the refusal
    members = [file_member(name, data) for name, data in GOOD_FILES.items()]
    archive = write_tar(tmp_path / "upload.tar.gz", [*members, member])

    # when
    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "work" / "out")

    # then
    assert refusal.value.reason.startswith(reason)
    assert not (tmp_path / "work" / "out").exists()
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["upload.tar.gz", "work"]


UNSAFE_ZIP_MEMBERS = [
    ("absolute path", ("/etc/cron.d/evil", b"x"), "'/etc/cron.d/evil' is an absolute path"),
    ("drive letter", ("C:/Windows/evil.dll", b"x"), "'C:/Windows/evil.dll' is an absolute path"),
    ("dot-dot", ("../../evil.sh", b"x"), "'../../evil.sh' climbs out of the archive"),
    ("backslash dot-dot", ("project\\..\\..\\evil.sh", b"x"), "'project\\\\..\\\\..\\\\evil.sh' climbs out"),
    (
        "symlink out",
        (zip_info("project/escape", stat.S_IFLNK | 0o777), b"../../../etc"),
        "'project/escape' is a symbolic link pointing outside the archive ('../../../etc')",
    ),
    (
        "absolute symlink",
        (zip_info("project/key", stat.S_IFLNK | 0o777), b"/root/.ssh/id_rsa"),
        "'project/key' is a symbolic link to the absolute path",
    ),
    (
        "device",
        (zip_info("project/null", stat.S_IFCHR | 0o666), b""),
        "'project/null' is a device, FIFO or socket",
    ),
    (
        "fifo",
        (zip_info("project/pipe", stat.S_IFIFO | 0o666), b""),
        "'project/pipe' is a device, FIFO or socket",
    ),
]


@pytest.mark.parametrize(
    ("member", "reason"),
    [case[1:] for case in UNSAFE_ZIP_MEMBERS],
    ids=[case[0] for case in UNSAFE_ZIP_MEMBERS],
)
def test_unsafe_zip_members_refuse_the_archive_and_leave_nothing(
    tmp_path: Path, member: tuple[zipfile.ZipInfo | str, bytes], reason: str
) -> None:
    archive = write_zip(tmp_path / "upload.zip", [*GOOD_FILES.items(), member])

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out")

    assert refusal.value.reason.startswith(reason)
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["upload.zip"]


def test_zip_bomb_is_refused_while_streaming(tmp_path: Path) -> None:
    # given: 64 MiB of zeros deflate to about 64 KiB (a ratio near 1,000)
    archive = write_zip(
        tmp_path / "bomb.zip", [("project/README.md", b"# hi\n"), ("zeros.bin", bytes(64 << 20))]
    )
    assert archive.stat().st_size < 128 * 1024

    # when
    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out", ArchiveLimits(max_ratio=100))

    # then: refused long before 64 MiB were written, and nothing is left
    assert refusal.value.reason == "the archive expands more than 100 times its compressed size (a bomb)"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bomb.zip"]


def test_tar_bomb_is_refused_while_streaming(tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "bomb.tar.gz", [file_member("zeros.bin", bytes(32 << 20))])

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out", ArchiveLimits(max_ratio=100))

    assert refusal.value.reason == "the archive expands more than 100 times its compressed size (a bomb)"
    assert not (tmp_path / "out").exists()


def test_a_member_past_the_file_size_limit_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "upload.zip", list(GOOD_FILES.items()))

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out", ArchiveLimits(max_file_bytes=100))

    assert refusal.value.reason == "'project/src/app.py' is larger than 100 bytes"
    assert not (tmp_path / "out").exists()


def test_an_archive_past_the_total_size_limit_is_refused(tmp_path: Path) -> None:
    archive = write_tar(
        tmp_path / "upload.tar", [file_member(f"part-{n}.txt", b"a" * 400) for n in range(3)], "w"
    )

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out", ArchiveLimits(max_total_bytes=1000))

    assert refusal.value.reason == "the archive unpacks to more than 1000 bytes"
    assert not (tmp_path / "out").exists()


def test_an_archive_past_the_file_count_limit_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "upload.zip", [(f"file-{n}.txt", b"x") for n in range(6)])

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out", ArchiveLimits(max_files=5))

    assert refusal.value.reason == "the archive holds more than 5 members"
    assert not (tmp_path / "out").exists()


def test_directories_count_towards_the_member_limit(tmp_path: Path) -> None:
    # given: empty directories only, which write no byte
    archive = write_zip(tmp_path / "upload.zip", [(f"directory-{n}/", b"") for n in range(6)])

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out", ArchiveLimits(max_files=5))

    assert refusal.value.reason == "the archive holds more than 5 members"
    assert not (tmp_path / "out").exists()


def test_a_member_twice_is_refused(tmp_path: Path) -> None:
    archive = write_tar(
        tmp_path / "upload.tar.gz", [file_member("a.txt", b"one"), file_member("./a.txt", b"two")]
    )

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out")

    assert refusal.value.reason == "'a.txt' appears twice in the archive"
    assert not (tmp_path / "out").exists()


def test_an_encrypted_zip_member_is_refused(tmp_path: Path) -> None:
    # given: the encryption flag set on a member (the standard library writes no encrypted zips), in its
    # local header and its central directory entry
    archive = write_zip(tmp_path / "upload.zip", [("secret.txt", b"x")])
    data = bytearray(archive.read_bytes())
    data[6] |= 0x1
    data[data.index(b"PK\x01\x02") + 8] |= 0x1
    archive.write_bytes(bytes(data))

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out")

    assert refusal.value.reason == "'secret.txt' is encrypted"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this is not an archive at all", "the archive cannot be read (ReadError"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 40, "the archive cannot be read"),
        (b"", "the archive cannot be read (ReadError"),
    ],
)
def test_unreadable_archives_are_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    (tmp_path / "upload").write_bytes(content)

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(tmp_path / "upload", tmp_path / "out")

    assert refusal.value.reason.startswith(reason)
    assert not (tmp_path / "out").exists()


def test_a_truncated_tar_is_refused(tmp_path: Path) -> None:
    archive = write_tar(
        tmp_path / "upload.tar.gz", [file_member(name, data) for name, data in GOOD_FILES.items()]
    )
    archive.write_bytes(archive.read_bytes()[:120])

    with pytest.raises(ArchiveRefused, match="the archive cannot be read"):
        unpack_archive(archive, tmp_path / "out")

    assert not (tmp_path / "out").exists()


def test_an_existing_destination_is_refused_and_kept(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "upload.zip", list(GOOD_FILES.items()))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")

    with pytest.raises(ArchiveRefused) as refusal:
        unpack_archive(archive, tmp_path / "out")

    assert refusal.value.reason == f"the destination {tmp_path / 'out'} already exists"
    assert files_under(tmp_path / "out") == {"keep.txt": b"mine"}
