"""scripts/deploy/precompress.py: the compressed copies are right, and the cache of them answers only
for the very same content and forgets what no build has used for a week."""

from __future__ import annotations

import gzip
import os
import time

import brotli
import pytest

from scripts.deploy import precompress as pc


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(pc, "CACHE_DIR", tmp_path / "node_modules" / ".cache" / "shiqiao-precompress")
    (tmp_path / "node_modules" / ".cache").mkdir(parents=True)
    return pc.CACHE_DIR


def test_compressed_copies_decompress_to_the_file_and_are_cached_by_content(cache, tmp_path):
    page = "<p>低保标准待公布</p>\n".encode() * 200  # a small page
    br, gz = pc.compressed(page, ".br"), pc.compressed(page, ".gz")
    assert brotli.decompress(br) == page and gzip.decompress(gz) == page
    assert len(list(cache.iterdir())) == 2  # small files are cached too
    # a cached copy is what is used for the same content (planted here to tell it from a fresh one)
    [cached_br] = [p for p in cache.iterdir() if p.suffix == ".br"]
    cached_br.write_bytes(b"planted")
    assert pc.compressed(page, ".br") == b"planted"
    # and never for other content
    other = page + b"<p>1</p>"
    assert brotli.decompress(pc.compressed(other, ".br")) == other


def test_the_cache_forgets_what_no_build_used_for_a_week(cache):
    old, recent = b"old page " * 100, b"recent page " * 100
    pc.compressed(old, ".gz")
    pc.compressed(recent, ".gz")
    week_ago = time.time() - (pc.CACHE_DAYS + 1) * 86400
    for path in cache.iterdir():
        os.utime(path, (week_ago, week_ago))
    pc.compressed(recent, ".gz")  # used again: kept
    assert pc.prune_cache() == 1
    [kept] = cache.iterdir()
    assert gzip.decompress(kept.read_bytes()) == recent
