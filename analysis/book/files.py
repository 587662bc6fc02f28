"""Writing files so that a failure never leaves a half-written one behind (temporary file, then rename)."""

from __future__ import annotations

import os
from pathlib import Path


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file beside it, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def sync_file(src: Path | bytes, dst: Path) -> None:
    """Copy (or write) only when the content differs, so Sphinx sees unchanged files as unchanged."""
    content = src if isinstance(src, bytes) else src.read_bytes()
    if dst.is_file() and dst.stat().st_size == len(content) and dst.read_bytes() == content:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, dst)
