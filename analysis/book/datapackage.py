"""Every build's data package (`analysis.report.datapackage`), staged under `_extra/data/` so the
site serves it at `data/` (html_extra_path copies it as it is), a scenario book's with its own values.

The headline and cross-check numbers come from the executed front page (its output of
`RESULTS_MIME`), so they are the numbers the pages show and the build runs no Monte Carlo of
its own; the rest comes from data/. The files are cached by a hash of what they are made
from: an unchanged build reads one cache file and imports nothing new.
"""

from __future__ import annotations

import hashlib
import json

from ..inputs import data
from ..report import datapackage as package_mod
from .files import atomic_write
from .plan import Target, read_notebook_json, toc_files
from .provenance import inputs_hash
from .staging import EXTRA_DIR

DATA_DIR = "data"  # the package's folder in the site


def front_page_results(target: Target) -> dict | None:
    """The results the first notebook of the toc that has them emitted (None if none does)."""
    for doc in toc_files(target.root):
        staged = target.stage / "src" / doc
        if not doc.endswith(".ipynb") or not staged.is_file():
            continue
        for cell in read_notebook_json(staged).get("cells", []):
            for output in cell.get("outputs", []):
                if package_mod.RESULTS_MIME in output.get("data", {}):
                    return output["data"][package_mod.RESULTS_MIME]
    return None


def files(target: Target) -> dict[str, str]:
    """The data package's files by path in the staging tree (`_extra/data/...`), for `stage_sources`."""
    results = front_page_results(target)
    book = data.load_yaml(target.root / "_config.yml", what="book configuration")
    title = str(book.get("title", "")) if isinstance(book, dict) else ""
    stamp = inputs_hash(target)
    key = hashlib.sha256(json.dumps({"results": results, "inputs": stamp, "name": target.name, "title": title},
                                    sort_keys=True).encode()).hexdigest()
    cache = target.build_dir / ".cache" / f"datapackage-{target.name}.json"
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return cached["files"]
    except (FileNotFoundError, json.JSONDecodeError):
        pass
    dataset = data.load(None)  # as the registry calls it, so the build's load is reused (lru_cache keys on arguments)
    values = {**{name: p.value for name, p in dataset.parameters.items()}, **target.overrides}
    made = package_mod.package(dataset, results, scenario=target.name, inputs_hash=stamp, values=values, title=title)
    found = {f"{EXTRA_DIR}/{DATA_DIR}/{name}": text for name, text in made.items()}
    atomic_write(cache, json.dumps({"key": key, "files": found}, ensure_ascii=False))
    return found
