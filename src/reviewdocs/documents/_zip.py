"""Read a DOCX package's members with their compressed bytes; write a deterministic zip.

Rendering changes only a few parts of a template. Copying every other part's
compressed bytes, CRC and sizes unchanged (no inflate, no deflate) is most of the
engine's speed; writing the zip by hand is what makes the file byte-identical from
one run to the next (fixed 1980-01-01 00:00 timestamps, fixed order, no extras).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

# 1980-01-01 00:00:00 in MS-DOS format: the earliest date a zip can hold.
_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1
_STORED = zipfile.ZIP_STORED
_DEFLATED = zipfile.ZIP_DEFLATED
_UTF8_FLAG = 0x800
_VERSION = 20  # 2.0: deflate, the lowest version any reader needs
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
# Level 6 (zlib's default) costs about twice level 1 for a few per cent of size on
# WordprocessingML; letters are small, speed is what a batch of thousands notices.
DEFLATE_LEVEL = 1
STORE_BELOW = 2048


class ZipReadError(Exception):
    """The bytes are not a zip package this engine can read."""


@dataclass(frozen=True)
class Member:
    """One zip member ready to be written: its name, compressed bytes and checksums."""

    name: str
    method: int
    crc: int
    size: int
    compressed: bytes

    @classmethod
    def packed(cls, name: str, data: bytes) -> Member:
        """A member for a part rendered per document: stored when small, else deflated.

        Each deflate sets up and tears down a quarter of a megabyte of zlib state,
        which costs a small part (a footer, the core properties) as much as the body
        and pushes the renderer's own data out of the cache: storing the parts under
        ``STORE_BELOW`` bytes made a letter's rendering a fifth faster, for about
        800 bytes more per file. Every zip reader takes stored members (ECMA-376
        Part 2 allows both).
        """
        if len(data) < STORE_BELOW:
            return cls(name, _STORED, zlib.crc32(data), len(data), data)
        return cls.deflate(name, data)

    @classmethod
    def deflate(cls, name: str, data: bytes) -> Member:
        """A member holding ``data``, deflated (raw deflate, as zip stores it)."""
        comp = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        body = comp.compress(data) + comp.flush()
        return cls(name, _DEFLATED, zlib.crc32(data), len(data), body)

    def local_record(self) -> bytes:
        """The local file header followed by the compressed data."""
        name = self.name.encode("utf-8")
        header = _LOCAL.pack(
            0x04034B50,
            _VERSION,
            self._flags(),
            self.method,
            _DOS_TIME,
            _DOS_DATE,
            self.crc,
            len(self.compressed),
            self.size,
            len(name),
            0,
        )
        return header + name + self.compressed

    def central_record(self, offset: int) -> bytes:
        name = self.name.encode("utf-8")
        return (
            _CENTRAL.pack(
                0x02014B50,
                _VERSION,
                _VERSION,
                self._flags(),
                self.method,
                _DOS_TIME,
                _DOS_DATE,
                self.crc,
                len(self.compressed),
                self.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )

    def _flags(self) -> int:
        return 0 if self.name.isascii() else _UTF8_FLAG


def read_members(data: bytes) -> list[tuple[Member, bytes]]:
    """Every member in package order with its uncompressed content.

    Each member is read in full once, which checks its CRC: a damaged template is
    refused at load time rather than copied into thousands of letters.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise ZipReadError("not a zip package") from exc
    out = []
    seen = set()
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            if info.filename in seen:
                raise ZipReadError(f"the package holds {info.filename} twice")
            seen.add(info.filename)
            if info.flag_bits & 0x1:
                raise ZipReadError(f"{info.filename} is encrypted")
            try:
                content = zf.read(info)
            except (zipfile.BadZipFile, NotImplementedError, zlib.error, OSError) as exc:
                raise ZipReadError(f"{info.filename} cannot be read ({exc})") from exc
            if info.compress_type in (_STORED, _DEFLATED):
                member = Member(
                    info.filename,
                    info.compress_type,
                    info.CRC,
                    info.file_size,
                    _raw_bytes(data, info),
                )
            else:
                member = Member.deflate(info.filename, content)
            out.append((member, content))
    return out


def _raw_bytes(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The member's compressed bytes exactly as the template stores them."""
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise ZipReadError(f"{info.filename}: damaged local header")
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    begin = start + _LOCAL.size + name_len + extra_len
    raw = data[begin : begin + info.compress_size]
    if len(raw) != info.compress_size:
        raise ZipReadError(f"{info.filename}: truncated")
    return raw


def write_zip(records: Iterable[tuple[bytes, Member]]) -> bytes:
    """A zip of ``(local_record, member)`` pairs, in the order given."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for local, member in records:
        chunks.append(local)
        central.append(member.central_record(offset))
        offset += len(local)
    directory = b"".join(central)
    count = len(central)
    end = _END.pack(0x06054B50, 0, 0, count, count, len(directory), offset, 0)
    chunks.append(directory)
    chunks.append(end)
    return b"".join(chunks)
