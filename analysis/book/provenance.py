"""What the build writes into a book beside its own sources: `provenance.js` (what the book was
made from: commit, build date, scenario, inputs hash), a scenario book's config and toc with its
banner, and the vega bundle every chart loads."""

from __future__ import annotations

import hashlib
import html
import json
import subprocess
import time
from pathlib import Path

import yaml

from ..errors import BuildError
from ..inputs import paths
from ..inputs import registry as params_mod
from ..inputs.data import load_yaml
from .files import atomic_write
from .plan import BUILD_DIR, COMPARE_PAGE, Target, dependencies_digest

PROVENANCE_JS = Path("_static") / "provenance.js"  # generated for every build


def vega_bundle() -> Path:
    """vega, vega-lite and vega-embed as one script, from the vl-convert-python package (cached)."""
    import vl_convert

    version = "-".join([vl_convert.get_vega_version(), vl_convert.get_vega_embed_version(),
                        vl_convert.get_vegalite_versions()[-1]])
    path = paths.REPO_ROOT / BUILD_DIR / ".cache" / f"vega-bundle-{version}-iife.js"
    if not path.is_file():
        snippet = ("window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;\n"
                   "window.dispatchEvent(new Event('vega-ready'));")
        # A classic script (works from file:// too), wrapped so that its minified top-level
        # names stay out of the page's global scope shared with other scripts.
        atomic_write(path, "(function () {\n" + vl_convert.javascript_bundle(snippet) + "\n})();\n")
    return path


def inputs_hash(target: Target) -> str:
    """The hash of the data, parameters and code a book was built from, with its overrides (12 hex digits)."""
    inputs = json.dumps({"deps": dependencies_digest(), "overrides": target.overrides}, sort_keys=True)
    return hashlib.sha256(inputs.encode()).hexdigest()[:12]


def provenance(target: Target) -> dict[str, str]:
    """What a built book was made from: commit, build date, scenario, and a hash of data and parameters."""
    def git(*args: str) -> str:
        try:
            proc = subprocess.run(["git", "-C", str(target.root), *args], capture_output=True, text=True,
                                  timeout=10)
        except (OSError, subprocess.SubprocessError):
            return ""
        return proc.stdout.strip() if proc.returncode == 0 else ""

    commit = git("rev-parse", "--short=12", "HEAD") or "not a git checkout"
    if commit != "not a git checkout" and git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    reg = params_mod.registry()
    differs = [f"{n} = {v:g} (baseline {reg[n].value:g} {reg[n].unit})"
               for n, v in sorted(target.overrides.items()) if v != reg[n].value]
    return {
        "differs": ("Differs from the baseline in: " + "; ".join(differs) + ".") if differs
        else "Same parameter values as the baseline.",
        "commit": commit,
        "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "scenario": "baseline (published defaults)" if target.is_default else target.name,
        "inputs": inputs_hash(target),
    }


def provenance_script(target: Target, pdf_pages: list[str] | None = None) -> str:
    """`_static/provenance.js`: exposes the provenance and writes it into every page's footer,
    with links to the page's PDF and the book's when the build prints them (`pdf_pages`: the
    pages printed, as Sphinx names them, e.g. chapters/capex)."""
    info = json.dumps({**provenance(target), "pdf": sorted(pdf_pages or [])}, sort_keys=True)
    return (
        f"window.bookProvenance = {info};\n"
        "document.addEventListener('DOMContentLoaded', function () {\n"
        "  var p = window.bookProvenance, footer = document.querySelector('footer') || document.body;\n"
        "  var el = document.createElement('p');\n"
        "  el.className = 'book-provenance';\n"
        "  el.textContent = 'Built ' + p.built + ' from commit ' + p.commit + '; scenario: ' + p.scenario +\n"
        "    '; data and parameters hash ' + p.inputs + '.';\n"
        "  footer.appendChild(el);\n"
        "  // documentation_options.js declares it with const: a global, but not a property of window\n"
        "  var page = typeof DOCUMENTATION_OPTIONS !== 'undefined' && DOCUMENTATION_OPTIONS.pagename;\n"
        "  if (p.pdf.indexOf(page) >= 0) {\n"
        "    var root = document.documentElement.dataset.content_root || '', links = document.createElement('p');\n"
        "    links.className = 'book-pdf';\n"
        "    links.append('On paper: ');\n"
        "    [[page, 'this page (PDF)'], ['book', 'the whole book (PDF)']].forEach(function (item, i) {\n"
        "      var a = document.createElement('a');\n"
        "      a.href = root + 'pdf/' + item[0] + '.pdf';\n"
        "      a.textContent = item[1];\n"
        "      if (i) links.append(' · ');\n"
        "      links.append(a);\n"
        "    });\n"
        "    (document.querySelector('article.bd-article') || footer).appendChild(links);\n"
        "  }\n"
        "  document.querySelectorAll('.book-scenario-diff').forEach(function (span) {\n"
        "    span.textContent = p.differs;\n"
        "  });\n"
        "});\n"
    )


def scenario_overlay(target: Target) -> dict[str, str]:
    """What a scenario book adds to the book's sources: a banner on every page."""
    if target.is_default:
        return {}
    # The config names the scenario only, so it stays the same when its values change and
    # Sphinx keeps its incremental caches; provenance.js fills in the differing parameters.
    banner = (f"Scenario <strong>{html.escape(target.name)}</strong>, not the published baseline. "
              f"<span class=\"book-scenario-diff\">The parameters that differ from the baseline are "
              f"listed on the scenario comparison page.</span>")
    if target.description:
        banner += f" <em>{html.escape(target.description)}</em>"
    config = load_yaml(target.root / "_config.yml", BuildError, "book configuration")
    config["title"] = f"{config.get('title', '')} [scenario: {target.name}]"
    config.setdefault("html", {})["announcement"] = banner
    toc = load_yaml(target.root / "_toc.yml", BuildError, "table of contents")
    if "parts" in toc:
        toc["parts"].append({"caption": "Scenario", "chapters": [{"file": COMPARE_PAGE}]})
    else:
        toc.setdefault("chapters", []).append({"file": COMPARE_PAGE})
    return {"_config.yml": yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
            "_toc.yml": yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)}
