#!/usr/bin/env python3
"""Mutation fuzzing of every input landclust reads: netCDF (classic and netCDF-4), GeoTIFF,
the Parquet export with its `_landclust.json` sidecar, and the labels Parquet of `import`.

Seed inputs are made by landclust itself (`synth`, `run`, `export`) and by small writers below
(two GeoTIFFs, the labels Parquet the Spark job would write), so the script needs only Python 3
and the landclust binary. Each case takes one seed, applies one mutation chosen by a random
generator seeded with `--seed` and the case number (bit flips, boundary values written over
bytes, truncation, extension, and targeted edits of header fields: TIFF IFD entries and GeoKeys,
netCDF classic dimension/attribute/variable headers, Parquet footer and page-header integers,
sidecar JSON fields), and runs the commands that read that kind of input:
`inspect` and `run` for grids, `import` for exports and labels.

For every command the case must end in one of two ways:
  - exit 0, or
  - a non-zero exit with exactly one `landclust: error: ...` line on stderr. Progress bars are
    drawn only when stderr is a terminal (here it is a file, so there are none); notes
    (`landclust: <note>`, one line each, e.g. a fallback taken) are allowed before the error
    line and are the only lines filtered out.
and never with: a panic (`panicked`, `RUST_BACKTRACE`), an allocation failure or abort, death
by a signal, more than `--timeout` seconds, a memory use beyond the address-space limit
(`--mem-limit`, enforced with RLIMIT_AS), a change to the input file, or any file created,
changed or removed beside the target folder (in the case's folder), in the working folder, or
in the HOME and TMPDIR the commands are given (an empty folder of OUT).

Usage:
  scripts/fuzz_inputs.py --bin target/release/landclust [--cases 400] [--seed 1] [--out DIR]
  scripts/fuzz_inputs.py --bin ... --cases 20          # smoke run, well under a minute
  scripts/fuzz_inputs.py --bin ... --only 137          # rerun one case (same --seed)
Failing mutants are kept in OUT/failures/case-N/ with the command lines to rerun them.
Exits 1 if any case failed.
"""

import argparse
import json
import os
import random
import resource
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

# ---------------------------------------------------------------------------------------------
# Seeds written by this script: a GeoTIFF writer and a Parquet writer (plain, uncompressed).
# ---------------------------------------------------------------------------------------------

GRID_W, GRID_H, GRID_DEG = 72, 36, 5.0
TIFF_BANDS = ["NDVI", "DHR670", "DHR865", "LandPercentage"]
NODATA = -9999.0


def band_values(name, row, col):
    """A smooth, deterministic field per band; about half the cells are land."""
    lat = 90 - (row + 0.5) * GRID_DEG
    lon = -180 + (col + 0.5) * GRID_DEG
    land = ((row * 7 + col * 3) % 11) < 6 and abs(lat) < 80
    if name == "LandPercentage":
        return 100.0 if land else 0.0
    if not land or (row * 13 + col) % 29 == 0:
        return NODATA
    base = {"NDVI": 0.4, "DHR670": 0.1, "DHR865": 0.3}[name]
    return base + 0.2 * ((row * 31 + col * 17) % 23) / 23.0 + 0.05 * (lat / 90.0)


def tiff_entry(tag, typ, values):
    """(tag, type, count, payload bytes) of one IFD entry, little-endian."""
    fmt = {1: "B", 2: "s", 3: "H", 4: "I", 12: "d"}[typ]
    if typ == 2:
        payload = values.encode() + b"\0"
        return (tag, typ, len(payload), payload)
    return (tag, typ, len(values), struct.pack("<%d%s" % (len(values), fmt), *values))


def write_tiff(path, data, entries):
    """Write `data` (a TIFF header, then the image data) followed by one IFD of `entries` and
    the values that do not fit in an entry."""
    entries = sorted(entries)
    ifd_at = len(data)
    struct.pack_into("<I", data, 4, ifd_at)
    extra_at = ifd_at + 2 + 12 * len(entries) + 4
    ifd = bytearray(struct.pack("<H", len(entries)))
    extra = bytearray()
    for tag, typ, count, payload in entries:
        if len(payload) <= 4:
            ifd += struct.pack("<HHI", tag, typ, count) + payload.ljust(4, b"\0")
        else:
            ifd += struct.pack("<HHII", tag, typ, count, extra_at + len(extra))
            extra += payload
            if len(extra) % 2:
                extra += b"\0"
    ifd += b"\0\0\0\0"
    with open(path, "wb") as f:
        f.write(bytes(data + ifd + extra))


def write_geotiff(path, tiled, deflate):
    """A 4-band Float32 GeoTIFF in EPSG:4326 (GDAL band descriptions and NoData), striped or
    tiled (16 x 16), uncompressed or deflate, pixel-interleaved."""
    n = len(TIFF_BANDS)

    def pixel_row(row, c0, c1):
        out = bytearray()
        for col in range(c0, c1):
            for b in TIFF_BANDS:
                v = band_values(b, row, col) if (row < GRID_H and col < GRID_W) else 0.0
                out += struct.pack("<f", v)
        return bytes(out)

    chunks = []
    if tiled:
        tw = th = 16
        for ty in range(0, GRID_H, th):
            for tx in range(0, GRID_W, tw):
                chunks.append(b"".join(pixel_row(r, tx, tx + tw) for r in range(ty, ty + th)))
    else:
        rows_per_strip = 8
        for r0 in range(0, GRID_H, rows_per_strip):
            chunks.append(
                b"".join(pixel_row(r, 0, GRID_W) for r in range(r0, min(GRID_H, r0 + rows_per_strip)))
            )
    if deflate:
        chunks = [zlib.compress(c) for c in chunks]
    data = bytearray(b"II*\0\0\0\0\0")
    offsets = []
    for c in chunks:
        offsets.append(len(data))
        data += c
        if len(data) % 2:
            data += b"\0"
    meta = "<GDALMetadata>" + "".join(
        '<Item name="DESCRIPTION" sample="%d" role="description">%s</Item>' % (i, b)
        for i, b in enumerate(TIFF_BANDS)
    ) + "</GDALMetadata>"
    geokeys = [1, 1, 0, 4, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326, 2054, 0, 1, 9102]
    entries = [
        tiff_entry(256, 4, [GRID_W]),
        tiff_entry(257, 4, [GRID_H]),
        tiff_entry(258, 3, [32] * n),
        tiff_entry(259, 3, [8 if deflate else 1]),
        tiff_entry(262, 3, [1]),
        tiff_entry(277, 3, [n]),
        tiff_entry(284, 3, [1]),
        tiff_entry(338, 3, [0] * (n - 1)),
        tiff_entry(339, 3, [3] * n),
        tiff_entry(33550, 12, [GRID_DEG, GRID_DEG, 0.0]),
        tiff_entry(33922, 12, [0.0, 0.0, 0.0, -180.0, 90.0, 0.0]),
        tiff_entry(34735, 3, geokeys),
        tiff_entry(42112, 2, meta),
        tiff_entry(42113, 2, "%g" % NODATA),
    ]
    counts = [len(c) for c in chunks]
    if tiled:
        entries += [
            tiff_entry(322, 4, [16]),
            tiff_entry(323, 4, [16]),
            tiff_entry(324, 4, offsets),
            tiff_entry(325, 4, counts),
        ]
    else:
        entries += [
            tiff_entry(273, 4, offsets),
            tiff_entry(278, 4, [8]),
            tiff_entry(279, 4, counts),
        ]
    write_tiff(path, data, entries)


ZERO_CHUNK = 1 << 24
_ZERO_DEFLATE = {}


def deflate_zeros(n_chunks):
    """A zlib stream of n_chunks x 16 MiB zero bytes, built without compressing them all: after a
    full flush deflate forgets its history, so every further chunk compresses to the same bytes;
    only the Adler-32 trailer depends on the length."""
    if n_chunks not in _ZERO_DEFLATE:
        zeros = bytes(ZERO_CHUNK)
        c = zlib.compressobj(9)
        first = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
        again = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
        end = c.flush()
        adler = 1
        for _ in range(n_chunks):
            adler = zlib.adler32(zeros, adler)
        _ZERO_DEFLATE[n_chunks] = first + again * (n_chunks - 1) + end[:-4] + struct.pack(">I", adler)
    return _ZERO_DEFLATE[n_chunks]


def write_strip_bomb(path, n_chunks):
    """A global EPSG:4326 GeoTIFF of the four bands of write_geotiff, 4096 columns of Float32,
    stored as ONE deflate strip of zeros, n_chunks x 16 MiB when decoded: a file of 0.4 to 1.6 MB
    that a reader without limits decodes whole for any block or region (a decompression bomb)."""
    bands = len(TIFF_BANDS)
    width = (1 << 14) // bands
    height = ZERO_CHUNK // (width * 4 * bands) * n_chunks
    strip = deflate_zeros(n_chunks)
    data = bytearray(b"II*\0\0\0\0\0") + strip
    if len(data) % 2:
        data += b"\0"
    names = TIFF_BANDS
    meta = "<GDALMetadata>" + "".join(
        '<Item name="DESCRIPTION" sample="%d" role="description">%s</Item>' % (i, b) for i, b in enumerate(names)
    ) + "</GDALMetadata>"
    entries = [
        tiff_entry(256, 4, [width]),
        tiff_entry(257, 4, [height]),
        tiff_entry(258, 3, [32] * bands),
        tiff_entry(259, 3, [8]),
        tiff_entry(262, 3, [1]),
        tiff_entry(273, 4, [8]),
        tiff_entry(277, 3, [bands]),
        tiff_entry(278, 4, [height]),
        tiff_entry(279, 4, [len(strip)]),
        tiff_entry(284, 3, [1]),
        tiff_entry(339, 3, [3] * bands),
        tiff_entry(33550, 12, [360.0 / width, 180.0 / height, 0.0]),
        tiff_entry(33922, 12, [0.0, 0.0, 0.0, -180.0, 90.0, 0.0]),
        tiff_entry(34735, 3, [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326]),
        tiff_entry(42112, 2, meta),
    ]
    if bands > 1:
        entries.append(tiff_entry(338, 3, [0] * (bands - 1)))
    write_tiff(path, data, entries)


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return (n << 1) ^ (n >> 63) if n < 0 else n << 1


class Thrift:
    """Thrift compact protocol, just what a Parquet footer needs."""

    def __init__(self):
        self.out = bytearray()
        self.last = [0]

    def field(self, fid, typ):
        delta = fid - self.last[-1]
        if 0 < delta <= 15:
            self.out.append((delta << 4) | typ)
        else:
            self.out.append(typ)
            self.out += varint(zigzag(fid))
        self.last[-1] = fid

    def i32(self, fid, v):
        self.field(fid, 5)
        self.out += varint(zigzag(v))

    def i64(self, fid, v):
        self.field(fid, 6)
        self.out += varint(zigzag(v))

    def binary(self, fid, s):
        self.field(fid, 8)
        b = s.encode() if isinstance(s, str) else s
        self.out += varint(len(b)) + b

    def begin_struct(self, fid):
        self.field(fid, 12)
        self.last.append(0)

    def end_struct(self):
        self.out.append(0)
        self.last.pop()

    def list_header(self, fid, elem_type, size):
        self.field(fid, 9)
        if size < 15:
            self.out.append((size << 4) | elem_type)
        else:
            self.out.append(0xF0 | elem_type)
            self.out += varint(size)

    def list_struct_begin(self):
        self.last.append(0)


def write_labels_parquet(path, rows, cols, clusters):
    """The labels Parquet the Spark job writes: required row, col (INT32) and cluster (INT64),
    one row group, PLAIN, uncompressed."""
    n = len(rows)
    columns = [
        ("row", 1, struct.pack("<%di" % n, *rows)),
        ("col", 1, struct.pack("<%di" % n, *cols)),
        ("cluster", 2, struct.pack("<%dq" % n, *clusters)),
    ]
    body = bytearray(b"PAR1")
    chunks = []
    for name, ptype, values in columns:
        h = Thrift()
        h.i32(1, 0)  # DATA_PAGE
        h.i32(2, len(values))
        h.i32(3, len(values))
        h.begin_struct(5)
        h.i32(1, n)
        h.i32(2, 0)  # PLAIN
        h.i32(3, 3)  # RLE
        h.i32(4, 3)
        h.end_struct()
        h.out.append(0)
        offset = len(body)
        body += h.out + values
        chunks.append((name, ptype, offset, len(h.out) + len(values)))
    m = Thrift()
    m.i32(1, 1)
    m.list_header(2, 12, 1 + len(columns))
    m.list_struct_begin()
    m.binary(4, "schema")
    m.i32(5, len(columns))
    m.end_struct()
    for name, ptype, _ in columns:
        m.list_struct_begin()
        m.i32(1, ptype)
        m.i32(3, 0)  # REQUIRED
        m.binary(4, name)
        m.end_struct()
    m.i64(3, n)
    m.list_header(4, 12, 1)
    m.list_struct_begin()
    m.list_header(1, 12, len(chunks))
    for name, ptype, offset, size in chunks:
        m.list_struct_begin()
        m.i64(2, offset)
        m.begin_struct(3)
        m.i32(1, ptype)
        m.list_header(2, 5, 1)
        m.out += varint(zigzag(0))
        m.list_header(3, 8, 1)
        m.out += varint(len(name)) + name.encode()
        m.i32(4, 0)
        m.i64(5, n)
        m.i64(6, size)
        m.i64(7, size)
        m.i64(9, offset)
        m.end_struct()
        m.end_struct()
    m.i64(2, sum(c[3] for c in chunks))
    m.i64(3, n)
    m.end_struct()
    m.binary(6, "landclust scripts/fuzz_inputs.py")
    m.out.append(0)
    body += m.out + struct.pack("<I", len(m.out)) + b"PAR1"
    with open(path, "wb") as f:
        f.write(bytes(body))


# ---------------------------------------------------------------------------------------------
# Locating header fields in the seeds, for targeted mutations.
# ---------------------------------------------------------------------------------------------

INTERESTING_TIFF_TAGS = {
    256: "ImageWidth",
    257: "ImageLength",
    258: "BitsPerSample",
    259: "Compression",
    273: "StripOffsets",
    277: "SamplesPerPixel",
    278: "RowsPerStrip",
    279: "StripByteCounts",
    284: "PlanarConfiguration",
    322: "TileWidth",
    323: "TileLength",
    324: "TileOffsets",
    325: "TileByteCounts",
    338: "ExtraSamples",
    339: "SampleFormat",
    33550: "ModelPixelScale",
    33922: "ModelTiepoint",
    34735: "GeoKeyDirectory",
    42112: "GDAL_METADATA",
    42113: "GDAL_NODATA",
}
SIZING_TIFF_TAGS = {256, 257, 278, 279, 322, 323, 325, 34735, 33550}
TIFF_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8}


def tiff_entries(data):
    """(entry offset, tag, type, count, value offset) of the first IFD of a little-endian TIFF
    (and of later IFDs, as landclust's own COG labels have several)."""
    out = []
    if data[:4] != b"II*\0":
        return out
    ifd = struct.unpack_from("<I", data, 4)[0]
    seen = set()
    while 0 < ifd < len(data) - 2 and ifd not in seen:
        seen.add(ifd)
        n = struct.unpack_from("<H", data, ifd)[0]
        for i in range(n):
            at = ifd + 2 + 12 * i
            if at + 12 > len(data):
                return out
            tag, typ, count = struct.unpack_from("<HHI", data, at)
            size = TIFF_TYPE_SIZE.get(typ, 1) * count
            value_at = at + 8 if size <= 4 else struct.unpack_from("<I", data, at + 8)[0]
            out.append((at, tag, typ, count, value_at))
        nxt = ifd + 2 + 12 * n
        if nxt + 4 > len(data):
            break
        ifd = struct.unpack_from("<I", data, nxt)[0]
    return out


def netcdf_classic_fields(data):
    """(offset, width in bytes, what) of every integer of a netCDF classic header that sizes or
    places something: list lengths, name lengths, dimension lengths, attribute types and
    lengths, variable ranks, dimension ids, types, sizes and offsets."""
    fields = []
    if data[:3] != b"CDF":
        return fields
    version = data[3]
    pos = 4
    u32 = lambda p: struct.unpack_from(">I", data, p)[0]  # noqa: E731

    def name(p, what):
        n = u32(p)
        fields.append((p, 4, what + ".name_length"))
        return p + 4 + ((n + 3) // 4) * 4

    def attrs(p, what):
        tag = u32(p)
        n = u32(p + 4)
        fields.append((p + 4, 4, what + ".n_attributes"))
        p += 8
        if tag == 0:
            return p
        for i in range(n):
            p = name(p, "%s.att%d" % (what, i))
            fields.append((p, 4, "%s.att%d.type" % (what, i)))
            typ = u32(p)
            count = u32(p + 4)
            fields.append((p + 4, 4, "%s.att%d.length" % (what, i)))
            size = {1: 1, 2: 1, 3: 2, 4: 4, 5: 4, 6: 8}.get(typ, 1) * count
            p += 8 + ((size + 3) // 4) * 4
        return p

    fields.append((pos, 4, "numrecs"))
    pos += 4
    tag, ndims = u32(pos), u32(pos + 4)
    fields.append((pos + 4, 4, "n_dimensions"))
    pos += 8
    for i in range(ndims if tag else 0):
        pos = name(pos, "dim%d" % i)
        fields.append((pos, 4, "dim%d.length" % i))
        pos += 4
    pos = attrs(pos, "global")
    tag, nvars = u32(pos), u32(pos + 4)
    fields.append((pos + 4, 4, "n_variables"))
    pos += 8
    for i in range(nvars if tag else 0):
        pos = name(pos, "var%d" % i)
        rank = u32(pos)
        fields.append((pos, 4, "var%d.rank" % i))
        pos += 4
        for d in range(rank):
            fields.append((pos, 4, "var%d.dimid%d" % (i, d)))
            pos += 4
        pos = attrs(pos, "var%d" % i)
        fields.append((pos, 4, "var%d.type" % i))
        fields.append((pos + 4, 4, "var%d.vsize" % i))
        width = 8 if version == 2 else 4
        fields.append((pos + 8, width, "var%d.begin" % i))
        pos += 8 + width
    return fields


def thrift_fields(data, pos, path, out, depth=0):
    """Walk one compact-protocol struct at `pos`; append (start, end, kind, path) for every
    integer (kind "int") and every length prefix (kind "len"). Returns the end position."""
    last = 0
    while True:
        b = data[pos]
        pos += 1
        if b == 0:
            return pos
        typ, delta = b & 0x0F, b >> 4
        if delta == 0:
            raw, pos = read_varint(data, pos)
            fid = (raw >> 1) ^ -(raw & 1)
        else:
            fid = last + delta
        last = fid
        pos = thrift_value(data, pos, typ, "%s.%d" % (path, fid), out, depth)


def read_varint(data, pos):
    shift = value = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos


def thrift_value(data, pos, typ, path, out, depth):
    if typ in (1, 2):
        return pos
    if typ == 3:
        return pos + 1
    if typ in (4, 5, 6):
        start = pos
        _, pos = read_varint(data, pos)
        out.append((start, pos, "int", path))
        return pos
    if typ == 7:
        return pos + 8
    if typ == 8:
        start = pos
        n, pos = read_varint(data, pos)
        out.append((start, pos, "len", path))
        return pos + n
    if typ in (9, 10):
        start = pos
        head = data[pos]
        pos += 1
        size, et = head >> 4, head & 0x0F
        if size == 15:
            size, pos = read_varint(data, pos)
        out.append((start, pos, "list", path))
        for i in range(size):
            if et in (1, 2):
                pos += 1
            else:
                pos = thrift_value(data, pos, et, "%s[%d]" % (path, i), out, depth + 1)
        return pos
    if typ == 11:
        size, pos = read_varint(data, pos)
        if size:
            kv = data[pos]
            pos += 1
            for i in range(size):
                pos = thrift_value(data, pos, kv >> 4, path + ".k", out, depth + 1)
                pos = thrift_value(data, pos, kv & 0x0F, path + ".v", out, depth + 1)
        return pos
    if typ == 12:
        return thrift_fields(data, pos, path, out, depth + 1)
    raise ValueError("unknown thrift type %d" % typ)


def parquet_fields(data):
    """Integer and length fields of a Parquet file's footer (FileMetaData) and of the page
    header at each column chunk's data page offset: (start, end, kind, where, in_footer)."""
    out = []
    if data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        return out
    meta_len = struct.unpack_from("<I", data, len(data) - 8)[0]
    meta_at = len(data) - 8 - meta_len
    footer = []
    try:
        thrift_fields(data, meta_at, "footer", footer)
    except (IndexError, ValueError):
        return out
    out += [f + (True,) for f in footer]
    for start, end, kind, path in footer:
        # ColumnMetaData.data_page_offset (9) and dictionary_page_offset (11).
        if kind == "int" and (path.endswith(".3.9") or path.endswith(".3.11")):
            raw, _ = read_varint(data, start)
            at = (raw >> 1) ^ -(raw & 1)
            page = []
            try:
                thrift_fields(data, at, "page@%d" % at, page)
            except (IndexError, ValueError):
                continue
            out += [f + (False,) for f in page]
    return out


# ---------------------------------------------------------------------------------------------
# Mutations. Each returns a one-line description; `data` is a bytearray edited in place.
# ---------------------------------------------------------------------------------------------

BOUNDARY_U32 = [0, 1, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x10000000, 0x00100000]
BOUNDARY_U16 = [0, 1, 0xFF, 0x7FFF, 0x8000, 0xFFFF]
BOUNDARY_I64 = [0, 1, -1, 2**31 - 1, -(2**31), 2**32, 2**53 + 1, 2**62, 2**63 - 1, -(2**63)]
BOUNDARY_F64 = [0.0, -1.0, 1e-300, 1e300, float("nan"), float("inf"), -5.0, 1000.0]


def mut_bitflip(rng, data):
    n = rng.choice([1, 1, 2, 4, 8, 32])
    header = rng.random() < 0.7
    span = min(len(data), 4096) if header else len(data)
    spots = sorted(rng.randrange(span) for _ in range(n))
    for s in spots:
        data[s] ^= 1 << rng.randrange(8)
    return "flip %d bit(s) at %s" % (n, ",".join(map(str, spots[:8])))


def mut_overwrite(rng, data):
    header = rng.random() < 0.7
    span = min(len(data), 4096) if header else len(data)
    at = rng.randrange(max(1, span - 8))
    width = rng.choice([1, 2, 4, 8])
    value = rng.choice([0, 0xFF, 0x7F, 0x80, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 2**64 - 1, 2**63 - 1])
    raw = (value & (2 ** (8 * width) - 1)).to_bytes(width, rng.choice(["little", "big"]))
    data[at : at + width] = raw
    return "overwrite %d byte(s) at %d with %s" % (width, at, raw.hex())


def mut_truncate(rng, data):
    keep = rng.choice([0, 4, 8, 64, 512, rng.randrange(len(data)), len(data) - 1, len(data) // 2])
    keep = max(0, min(keep, len(data) - 1))
    del data[keep:]
    return "truncate to %d bytes" % keep


def mut_extend(rng, data):
    n = rng.choice([1, 16, 4096, 1 << 20])
    fill = rng.choice([b"\0", b"\xff", None])
    data += (fill * n) if fill else bytes(rng.randrange(256) for _ in range(min(n, 65536)))
    return "append %d bytes of %s" % (n if fill else min(n, 65536), fill.hex() if fill else "noise")


def mut_tiff_field(rng, data):
    entries = [e for e in tiff_entries(data) if e[1] in INTERESTING_TIFF_TAGS]
    if not entries:
        return mut_overwrite(rng, data)
    # The fields that size an allocation or a grid are chosen four times as often.
    at, tag, typ, count, value_at = pick(rng, [(e, 4 if e[1] in SIZING_TIFF_TAGS else 1) for e in entries])
    what = INTERESTING_TIFF_TAGS[tag]
    choice = rng.random()
    if tag == 34735 and choice < 0.6 and value_at + 8 <= len(data):
        # GeoKeyDirectory: header (version, revision, minor, NumberOfKeys), then 4 shorts a key.
        n_keys = struct.unpack_from("<H", data, value_at + 6)[0]
        slot = rng.choice([3] + [4 + 4 * k + j for k in range(n_keys) for j in (0, 1, 2, 3)])
        if value_at + 2 * slot + 2 > len(data):
            slot = 3
        v = rng.choice(BOUNDARY_U16)
        struct.pack_into("<H", data, value_at + 2 * slot, v)
        return "GeoKeyDirectory short %d = %d" % (slot, v)
    if typ == 12 and choice < 0.6 and value_at + 8 * count <= len(data):
        i = rng.randrange(count)
        v = rng.choice(BOUNDARY_F64)
        struct.pack_into("<d", data, value_at + 8 * i, v)
        # Values that put cell centres outside -90..90 / -180..180 or make cells of no size:
        # such a grid cannot be EPSG:4326, and `run` must say so rather than cluster it.
        absurd = v != v or abs(v) in (float("inf"), 1e300, 1000.0)
        refuse = (
            (tag == 33550 and i in (0, 1) and (absurd or v == 0.0 or v == 1e-300))
            or (tag == 33922 and i == 4)
            or (tag == 33922 and i == 3 and absurd)
        )
        return "%s double %d = %r" % (what, i, v), (REFUSE if refuse else None)
    if choice < 0.35:
        v = rng.choice(BOUNDARY_U32)
        struct.pack_into("<I", data, at + 4, v)
        return "%s count %d -> %d" % (what, count, v)
    if choice < 0.45:
        v = rng.choice([1, 2, 3, 4, 5, 11, 12, 16, 0, 0xFFFF])
        struct.pack_into("<H", data, at + 2, v)
        return "%s type %d -> %d" % (what, typ, v)
    size = TIFF_TYPE_SIZE.get(typ, 1)
    i = rng.randrange(max(1, count)) if typ in (3, 4) else 0
    pos = value_at + size * i
    if typ == 3 and pos + 2 <= len(data):
        v = rng.choice(BOUNDARY_U16)
        struct.pack_into("<H", data, pos, v)
    elif pos + 4 <= len(data):
        v = rng.choice(BOUNDARY_U32)
        struct.pack_into("<I", data, pos, v)
    else:
        return mut_overwrite(rng, data)
    return "%s value %d = %d" % (what, i, v)


def mut_netcdf_field(rng, data):
    fields = netcdf_classic_fields(data)
    if not fields:
        return mut_overwrite(rng, data)
    at, width, what = rng.choice(fields)
    if width == 8:
        v = rng.choice([0, 2**63 - 1, 2**64 - 1, 2**40, len(data), len(data) - 4])
        data[at : at + 8] = v.to_bytes(8, "big")
    else:
        old = struct.unpack_from(">I", data, at)[0]
        v = rng.choice(BOUNDARY_U32 + [old + 1, max(0, old - 1), old * 2, 2**31 - 1])
        data[at : at + 4] = (v & 0xFFFFFFFF).to_bytes(4, "big")
    return "netCDF %s = %d" % (what, v)


def put_varint(data, start, end, value):
    """Replace the varint at data[start:end] by `value` (zigzag if signed); keeps the length
    when it can (padding with continuation bytes). Returns the change in length."""
    raw = varint(value)
    if len(raw) < end - start:
        raw = bytes(b | 0x80 for b in raw[:-1]) + bytes([raw[-1] | 0x80])
        raw += b"\x80" * (end - start - len(raw) - 1) + b"\0"
    data[start:end] = raw
    return len(raw) - (end - start)


def mut_parquet_field(rng, data):
    fields = parquet_fields(data)
    if not fields:
        return mut_overwrite(rng, data)
    if rng.random() < 0.12:
        v = rng.choice([0, 1, 8, len(data), len(data) - 8, 0x7FFFFFFF, 0xFFFFFFFF])
        struct.pack_into("<I", data, len(data) - 8, v)
        return "footer length = %d" % v
    start, end, kind, where, in_footer = rng.choice(fields)
    if kind == "int":
        v = rng.choice(BOUNDARY_I64)
        raw = zigzag(v)
    else:
        v = rng.choice([0, 1, 2**31 - 1, 2**32, 2**62, 15, 1000])
        raw = v
    delta = put_varint(data, start, end, raw)
    if delta and in_footer:
        meta_len = struct.unpack_from("<I", data, len(data) - 8)[0]
        struct.pack_into("<I", data, len(data) - 8, meta_len + delta)
    return "parquet %s %s = %d" % (kind, where, v)


REFUSE = "must be refused"
ACCEPT_K3 = "must be accepted with k = 3"


def mut_sidecar(rng, data):
    """Semantic edits of `_landclust.json`; falls back to byte mutations of the text. Returns
    the description and, for edits that make the sidecar contradict its own grid or the data,
    the expectation that `import` refuses it."""
    try:
        doc = json.loads(bytes(data))
    except ValueError:
        return mut_overwrite(rng, data)
    # (where, setter, values that must be refused, other values): a grid whose latitudes or
    # longitudes leave -90..90 / -180..180 or do not advance, or an n_rows / n_cols that does
    # not fit the axis, cannot be the grid of the exported cells; a zero or negative standard
    # deviation cannot standardize them.
    grid = doc.get("grid", {})
    col = rng.choice(doc["columns"]) if doc.get("columns") else {}
    edits = [
        ("grid.n_rows", lambda v: grid.__setitem__("n_rows", v), [0, 1, 2**27, 2**31, 2**63 - 1, -1], []),
        ("grid.n_cols", lambda v: grid.__setitem__("n_cols", v), [0, 1, 2**27, 2**31, 2**64], []),
        ("grid.lat.start", lambda v: grid["lat"].__setitem__("start", v), [1000.0, -1000.0, 1e308, 0.0], []),
        ("grid.lat.step", lambda v: grid["lat"].__setitem__("step", v), [0.0, 1.0, -1e-300, 1e300], []),
        ("grid.lon.step", lambda v: grid["lon"].__setitem__("step", v), [0.0, -1.0, 400.0], []),
        ("grid.lon.start", lambda v: grid["lon"].__setitem__("start", v), [-1000.0, 500.0], []),
        ("grid.lat", lambda v: grid.__setitem__("lat", v), [{"values": [1.0, 2.0]}], []),
        ("columns[].std", lambda v: col.__setitem__("std", v), [0.0, -1.0], [1e-320, 1e308]),
        ("columns[].mean", lambda v: col.__setitem__("mean", v), [], [1e308, -1e308]),
        ("columns[].count", lambda v: col.__setitem__("count", v), [], [0, 2**63]),
        ("columns[].column", lambda v: col.__setitem__("column", v), ["", "nope", "x" * 5000], ["row"]),
        ("columns", lambda v: doc.__setitem__("columns", v), [[]], [doc.get("columns", []) * 2]),
        ("n_cells", lambda v: doc.__setitem__("n_cells", v), [], [0, 1, 2**40]),
        ("files", lambda v: doc.__setitem__("files", v), [], [[], ["../../etc/passwd"], ["nope.parquet"]]),
        ("key_columns", lambda v: doc.__setitem__("key_columns", v), [], [["col", "row"]]),
        ("format", lambda v: doc.__setitem__("format", v), [], ["landclust-export/99"]),
        ("settings.inputs[0].path", lambda v: doc["settings"]["inputs"][0].__setitem__("path", v), [], ["/nonexistent/x.nc"]),
    ]
    # Structural edits: a key removed, a value of the wrong type.
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                paths.append((node, k, path + "." + k))
                walk(v, path + "." + k)
        elif isinstance(node, list):
            for i, v in enumerate(node[:3]):
                walk(v, "%s[%d]" % (path, i))

    walk(doc, "")
    r = rng.random()
    expect = None
    if r < 0.6:
        where, setter, refused, other = rng.choice(edits)
        value = rng.choice(refused + other)
        try:
            setter(value)
        except (KeyError, IndexError, TypeError):
            return mut_overwrite(rng, data)
        expect = REFUSE if value in refused else None
        shown = json.dumps(value)
        what = "%s = %s" % (where, shown if len(shown) < 40 else shown[:30] + "...")
    elif r < 0.8:
        parent, key, what = rng.choice(paths)
        del parent[key]
        what = "missing " + what
    else:
        parent, key, what = rng.choice(paths)
        value = rng.choice(["text", None, [], {}, -1, 1.5, True, 2**70])
        parent[key] = value
        what = "%s = %s" % (what, json.dumps(value))
    data[:] = json.dumps(doc, indent=2).encode()
    return "sidecar " + what, expect


LABEL_EDITS = ["cluster 2^60+3/2^60+4", "cluster i64 max", "negative cluster", "duplicate cell", "cell outside grid", "one cluster", "missing cell"]


def mut_labels_semantic(rng, data, labels):
    """A well-formed labels Parquet with hostile content (rewritten from the seed's labels)."""
    rows, cols, clusters = (list(x) for x in labels)
    what = rng.choice(LABEL_EDITS)
    if what == "cluster 2^60+3/2^60+4":
        clusters = [2**60 + 3 + c for c in clusters]
    elif what == "cluster i64 max":
        clusters = [2**63 - 1 - c for c in clusters]
    elif what == "negative cluster":
        clusters[rng.randrange(len(clusters))] = -1
    elif what == "duplicate cell":
        i = rng.randrange(len(rows) - 1)
        rows[i + 1], cols[i + 1] = rows[i], cols[i]
    elif what == "cell outside grid":
        rows[rng.randrange(len(rows))] = rng.choice([180, 2**31 - 1, -1])
    elif what == "one cluster":
        clusters = [0] * len(clusters)
    elif what == "missing cell":
        del rows[-1], cols[-1], clusters[-1]
    # Cluster ids are any non-negative 64-bit integers: distinct ids are distinct clusters.
    expect = ACCEPT_K3 if what.startswith("cluster") else REFUSE
    return what, expect, (rows, cols, clusters)


def mut_strip_bomb(rng, data):
    """Replace the file by a decompression bomb (see write_strip_bomb)."""
    return ("strip bomb", rng.choice([100, 64, 24]))


BYTE_MUTATIONS = [(mut_bitflip, 3), (mut_overwrite, 3), (mut_truncate, 1), (mut_extend, 1)]
KIND_MUTATIONS = {
    "netcdf-classic": BYTE_MUTATIONS + [(mut_netcdf_field, 8)],
    "netcdf4": BYTE_MUTATIONS,
    "geotiff-strips": BYTE_MUTATIONS + [(mut_tiff_field, 8), (mut_strip_bomb, 1)],
    "geotiff-tiles": BYTE_MUTATIONS + [(mut_tiff_field, 8)],
    "labels-tif": BYTE_MUTATIONS + [(mut_tiff_field, 6)],
    "export-parquet": BYTE_MUTATIONS + [(mut_parquet_field, 8)],
    "sidecar": [(mut_sidecar, 10), (mut_bitflip, 1), (mut_truncate, 1)],
    "labels-parquet": BYTE_MUTATIONS + [(mut_parquet_field, 6), (None, 4)],
}


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    r = rng.uniform(0, total)
    for item, w in weighted:
        r -= w
        if r <= 0:
            return item
    return weighted[-1][0]


# ---------------------------------------------------------------------------------------------
# Running landclust under limits.
# ---------------------------------------------------------------------------------------------


def limits(mem_bytes):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setsid()

    return apply


def run_limited(argv, cwd, mem_bytes, timeout, home=None):
    """Run argv; returns (code, stderr text, peak RSS in MB, seconds, timed out). code < 0:
    killed by a signal. `home`, when given, is the command's HOME and holds its TMPDIR, so that
    anything written there shows."""
    env = dict(os.environ)
    env.pop("RUST_BACKTRACE", None)
    if home:
        env["HOME"] = home
        env["TMPDIR"] = os.path.join(home, "tmp")
    # glibc reserves 64 MB of address space per thread arena; cap them so the limit measures
    # what landclust allocates, not how many cores the machine has.
    env["MALLOC_ARENA_MAX"] = "2"
    start = time.monotonic()
    with open(os.path.join(cwd, ".stderr"), "wb+") as err:
        proc = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
            preexec_fn=limits(mem_bytes), env=env,
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        proc.returncode = 0  # reaped by wait4; keep Popen from waiting again
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    os.remove(os.path.join(cwd, ".stderr"))
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return code, text, usage.ru_maxrss / 1024.0, time.monotonic() - start, timed_out


def judge(code, stderr, timed_out, mem_bytes):
    """Problems with one command's outcome (empty when it is acceptable)."""
    problems = []
    lines = [l for l in stderr.splitlines() if l.strip()]
    if timed_out:
        problems.append("timeout (hang)")
    elif code < 0:
        problems.append("killed by signal %d" % -code)
    elif code == 134:
        problems.append("abort (exit 134)")
    for needle in ("panicked", "RUST_BACKTRACE", "memory allocation of", "stack overflow", "SIGSEGV"):
        if needle in stderr:
            problems.append("stderr has %r" % needle)
    if code > 0 and not timed_out:
        errors = [l for l in lines if l.startswith("landclust: error: ")]
        others = [l for l in lines if not l.startswith("landclust: ")]
        if len(errors) != 1 or others or lines[-1] != errors[0]:
            problems.append("exit %d with %d error line(s) and %d other line(s)" % (code, len(errors), len(others)))
    return problems


def symptom(lines):
    """The telling line of a failure's stderr: the panic or allocation message, else the last."""
    for l in lines:
        if "panicked" in l or "memory allocation" in l:
            return l
    return lines[-1] if lines else ""


def check_expectation(expect, code, target):
    """Problems when a semantic mutation's outcome is not the one it must have."""
    if expect == REFUSE and code == 0:
        return ["exit 0, but the input " + expect]
    if expect == ACCEPT_K3:
        if code != 0:
            return ["exit %d, but the input %s" % (code, expect)]
        try:
            with open(os.path.join(target, "metrics.json")) as f:
                k = json.load(f).get("k")
        except (OSError, ValueError):
            return ["exit 0 without a readable metrics.json"]
        if k != 3:
            return ["exit 0 with k = %s, but the input %s" % (k, expect)]
    return []


def tree_state(root, skip):
    """{relative path: (size, mtime_ns, is_dir)} below root, leaving out `skip` (absolute)."""
    state = {}
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if os.path.join(d, x) != skip]
        for name in dirs + files:
            p = os.path.join(d, name)
            if p == skip:
                continue
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue
            state[os.path.relpath(p, root)] = (st.st_size, st.st_mtime_ns, os.path.isdir(p))
    return state


def diff_states(before, after):
    changed = [p for p in before if p in after and before[p] != after[p] and not before[p][2]]
    return (
        ["created " + p for p in sorted(set(after) - set(before))]
        + ["removed " + p for p in sorted(set(before) - set(after))]
        + ["changed " + p for p in sorted(changed)]
    )


# ---------------------------------------------------------------------------------------------
# Seeds and cases.
# ---------------------------------------------------------------------------------------------

RUN_FAST = ["--no-figures", "--k", "3", "--max-memory", "512MB", "--n-init", "1",
            "--silhouette-exact-max", "1000", "--silhouette-sample", "1000"]
IMPORT_FAST = ["--no-figures", "--silhouette-exact-max", "1000", "--silhouette-sample", "1000"]
EXPORT_REGION = "--region=-20,40,-10,40"


def make_seeds(binary, seeds_dir):
    """Build the seed inputs; returns {kind: description} and the seed labels."""
    os.makedirs(seeds_dir, exist_ok=True)

    def call(*args):
        r = subprocess.run([binary, "--quiet", *args], cwd=seeds_dir, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("seed step failed: landclust %s\n%s" % (" ".join(args), r.stderr))

    call("synth", "--resolution", "1", "--classic", "--out", "classic.nc")
    call("synth", "--resolution", "1", "--out", "nc4.nc")
    write_geotiff(os.path.join(seeds_dir, "strips.tif"), tiled=False, deflate=False)
    write_geotiff(os.path.join(seeds_dir, "tiles.tif"), tiled=True, deflate=True)
    call("run", "classic.nc", EXPORT_REGION, *RUN_FAST, "--out", "run")
    shutil.copy(os.path.join(seeds_dir, "run", "labels.tif"), os.path.join(seeds_dir, "labels.tif"))
    call("export", "classic.nc", EXPORT_REGION, "--out", "export")
    rows, cols, clusters = [], [], []
    with open(os.path.join(seeds_dir, "run", "labels.csv")) as f:
        header = f.readline().strip().split(",")
        ir, ic, ik = header.index("row"), header.index("col"), header.index("cluster")
        for line in f:
            parts = line.strip().split(",")
            rows.append(int(parts[ir]))
            cols.append(int(parts[ic]))
            clusters.append(int(parts[ik]) * 7 + 2)  # engine ids need not be 0..k-1
    os.makedirs(os.path.join(seeds_dir, "labels"), exist_ok=True)
    write_labels_parquet(os.path.join(seeds_dir, "labels", "part-0.parquet"), rows, cols, clusters)
    # The unmutated seeds must pass, else every case would fail for a reason of its own.
    for argv in (["inspect", "strips.tif"], ["inspect", "tiles.tif"],
                 ["run", "tiles.tif", "--vars", "NDVI,DHR670,DHR865", *RUN_FAST, "--out", "chk1"],
                 ["import", "labels", "export", *IMPORT_FAST, "--out", "chk2"]):
        call(*argv)
    return (rows, cols, clusters)


KINDS = list(KIND_MUTATIONS)


def case_plan(kind):
    """(input files to copy and mutate, the file mutated, commands) for a kind; `{in}` is the
    mutated input's path, `{out}` the target folder."""
    grid_cmds = lambda extra: [("inspect", ["inspect", "{in}"]), ("run", ["run", "{in}", *extra, *RUN_FAST, "--out", "{out}"])]  # noqa: E731
    imp = [("import", ["import", "labels", "export", *IMPORT_FAST, "--out", "{out}"])]
    return {
        "netcdf-classic": ("classic.nc", "classic.nc", grid_cmds([])),
        "netcdf4": ("nc4.nc", "nc4.nc", grid_cmds([])),
        "geotiff-strips": ("strips.tif", "strips.tif", grid_cmds(["--vars", "NDVI,DHR670,DHR865"])),
        "geotiff-tiles": ("tiles.tif", "tiles.tif", grid_cmds(["--vars", "NDVI,DHR670,DHR865"])),
        "labels-tif": ("labels.tif", "labels.tif", grid_cmds(["--vars", "cluster", "--select", "all"])),
        "export-parquet": (None, "export/*.parquet", imp),
        "sidecar": (None, "export/_landclust.json", imp),
        "labels-parquet": (None, "labels/part-0.parquet", imp),
    }[kind]


def prepare_case(case_id, seed, seeds_dir, case_dir, labels):
    """Copy the seed(s) of the case's kind into case_dir and mutate one file."""
    rng = random.Random("%d:%d" % (seed, case_id))
    kind = KINDS[case_id % len(KINDS)]
    single, target, cmds = case_plan(kind)
    os.makedirs(case_dir)
    if single:
        shutil.copy(os.path.join(seeds_dir, single), os.path.join(case_dir, single))
        path = os.path.join(case_dir, single)
    else:
        shutil.copytree(os.path.join(seeds_dir, "export"), os.path.join(case_dir, "export"))
        shutil.copytree(os.path.join(seeds_dir, "labels"), os.path.join(case_dir, "labels"))
        if target == "export/*.parquet":
            parts = sorted(
                os.path.join(d, f) for d, _, fs in os.walk(os.path.join(case_dir, "export")) for f in fs if f.endswith(".parquet")
            )
            path = rng.choice(parts)
        else:
            path = os.path.join(case_dir, target)
    mutation = pick(rng, KIND_MUTATIONS[kind])
    expect = None
    if mutation is None:
        what, expect, (r, c, k) = mut_labels_semantic(rng, None, labels)
        write_labels_parquet(path, r, c, k)
    else:
        with open(path, "rb") as f:
            data = bytearray(f.read())
        what = mutation(rng, data)
        if isinstance(what, tuple) and what[0] == "strip bomb":
            write_strip_bomb(path, what[1])
            what = "strip bomb: one deflate strip, %d MiB decoded" % (16 * what[1])
        else:
            if isinstance(what, tuple):
                what, expect = what
            with open(path, "wb") as f:
                f.write(bytes(data))
    return kind, os.path.relpath(path, case_dir) + ": " + what, cmds, expect


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/landclust", help="the landclust binary")
    ap.add_argument("--cases", type=int, default=400, help="number of mutants (default 400)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the mutations (default 1)")
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "landclust-fuzz"),
                    help="work folder, replaced on each call (default: landclust-fuzz in the temp folder)")
    ap.add_argument("--mem-limit", default="2GiB", help="address-space limit per command (default 2GiB)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per command (default 60)")
    ap.add_argument("--only", type=int, action="append", help="run only this case id (repeatable)")
    ap.add_argument("--verbose", action="store_true", help="one line per command run")
    args = ap.parse_args()

    units = {"GiB": 2**30, "MiB": 2**20}
    mem = next((int(float(args.mem_limit[: -len(u)]) * m) for u, m in units.items() if args.mem_limit.endswith(u)), None)
    if mem is None:
        mem = int(args.mem_limit)
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        sys.exit("no landclust binary at %s (build with cargo build --release, or pass --bin)" % binary)
    out = os.path.abspath(args.out)
    cwd = os.getcwd()
    if os.path.exists(out):
        if not os.path.isfile(os.path.join(out, ".fuzz_inputs")):
            sys.exit("%s exists and was not made by this script; choose another --out" % out)
        shutil.rmtree(out)
    os.makedirs(out)
    open(os.path.join(out, ".fuzz_inputs"), "w").close()
    working_before = tree_state(cwd, out)
    home = os.path.join(out, "home")
    os.makedirs(os.path.join(home, "tmp"))
    home_state = tree_state(home, None)

    started = time.monotonic()
    seeds_dir = os.path.join(out, "seeds")
    labels = make_seeds(binary, seeds_dir)
    seeds_state = tree_state(seeds_dir, None)
    case_ids = args.only or list(range(args.cases))
    table = {}
    failures = []
    peak_mb = 0.0
    for case_id in case_ids:
        case_dir = os.path.join(out, "cases", "case-%d" % case_id)
        kind, what, cmds, expect = prepare_case(case_id, args.seed, seeds_dir, case_dir, labels)
        inputs = tree_state(case_dir, None)
        case_problems = []
        for name, template in cmds:
            target = os.path.join(case_dir, "out")
            argv = [binary] + [a.replace("{in}", what.split(":")[0]).replace("{out}", "out") for a in template]
            code, stderr, rss, took, timed_out = run_limited(argv, case_dir, mem, args.timeout, home)
            peak_mb = max(peak_mb, rss)
            problems = judge(code, stderr, timed_out, mem)
            if expect and name != "inspect" and not timed_out and code >= 0:
                problems += check_expectation(expect, code, target)
            after = tree_state(case_dir, target)
            problems += ["beside the target: " + d for d in diff_states(inputs, after)]
            home_changes = diff_states(home_state, tree_state(home, None))
            if home_changes:
                problems += ["in HOME or TMPDIR: " + d for d in home_changes]
                shutil.rmtree(home)
                os.makedirs(os.path.join(home, "tmp"))
                home_state = tree_state(home, None)
            if args.verbose:
                tail = stderr.strip().splitlines()[-1][:160] if stderr.strip() else ""
                print("case %d %s %s [%s]: exit %d %.0f MB %.1f s %s" % (case_id, kind, name, what, code, rss, took, tail), flush=True)
            cell = table.setdefault((kind, name), [0, 0, 0])
            cell[0] += 1
            cell[1] += code == 0
            if problems:
                cell[2] += 1
                last = [l for l in stderr.strip().splitlines() if l.strip()][-6:]
                case_problems.append((name, argv, code, problems, last, rss, took))
            if os.path.isdir(target):
                shutil.rmtree(target)
        if case_problems:
            keep = os.path.join(out, "failures", "case-%d" % case_id)
            shutil.copytree(case_dir, keep)
            with open(os.path.join(keep, "README.txt"), "w") as f:
                f.write("case %d, seed %d, kind %s\nmutation: %s\n" % (case_id, args.seed, kind, what))
                for name, argv, code, problems, last, rss, took in case_problems:
                    f.write("\n$ cd %s && %s\nexit %d, %.0f MB, %.1f s: %s\n%s\n" % (
                        keep, " ".join(argv), code, rss, took, "; ".join(problems), "\n".join(last)))
            for name, argv, code, problems, last, rss, took in case_problems:
                failures.append((case_id, kind, what, name, code, problems, symptom(last)))
                print("FAIL case %d %s %s [%s]: exit %d: %s | %s" % (
                    case_id, kind, name, what, code, "; ".join(problems), symptom(last)[:240]), flush=True)
        shutil.rmtree(case_dir)
        if tree_state(seeds_dir, None) != seeds_state:
            sys.exit("the seeds changed during case %d" % case_id)
    working_changes = diff_states(working_before, tree_state(cwd, out))

    print()
    print("%-16s %-8s %6s %6s %6s" % ("input", "command", "cases", "exit0", "FAIL"))
    for (kind, name), (n, ok, bad) in sorted(table.items(), key=lambda kv: (KINDS.index(kv[0][0]), kv[0][1])):
        print("%-16s %-8s %6d %6d %6d" % (kind, name, n, ok, bad))
    total = sum(v[0] for v in table.values())
    print("%d cases, %d command runs in %.0f s, seed %d, address-space limit %s per command, peak RSS %.0f MB" % (
        len(case_ids), total, time.monotonic() - started, args.seed, args.mem_limit, peak_mb))
    for change in working_changes:
        print("FAIL working folder: " + change)
    if failures:
        print("%d failing command run(s) in %d case(s); mutants kept in %s" % (
            len(failures), len({f[0] for f in failures}), os.path.join(out, "failures")))
    else:
        print("no failures")
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump({"seed": args.seed, "cases": len(case_ids), "command_runs": total, "mem_limit": args.mem_limit,
                   "peak_rss_mb": peak_mb, "working_folder_changes": working_changes,
                   "failures": [{"case": c, "kind": k, "mutation": w, "command": n, "exit": e, "problems": p, "stderr": s}
                                for c, k, w, n, e, p, s in failures]}, f, indent=1)
    sys.exit(1 if failures or working_changes else 0)


if __name__ == "__main__":
    main()
