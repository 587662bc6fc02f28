"""A chapter's parameters cell holds only its own inputs, yet any other input reaches it through papermill."""

import json

import papermill as pm

from analysis.inputs import paths

CHAPTERS = paths.REPO_ROOT / "chapters"


def _glued(nb_path, key):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("metadata", {}).get("scrapbook", {}).get("name") == key:
                return out["data"]["application/papermill.record/text/plain"]
    raise KeyError(key)


def test_papermill_override_of_another_themes_input_reaches_the_chapter(tmp_path):
    """`papermill chapters/tokens.ipynb out.ipynb -p pue 1.4` changes the fleet the token chapter prices."""
    out = tmp_path / "tokens.ipynb"
    pm.execute_notebook(str(CHAPTERS / "tokens.ipynb"), str(out), parameters={"pue": 1.4},
                        cwd=str(CHAPTERS), progress_bar=False, kernel_name="python3")
    default, overridden = (float(_glued(p, "base_cost_per_busy_gpu_hour_usd")) for p in (CHAPTERS / "tokens.ipynb", out))
    assert overridden > default  # more facility power per GPU-hour: a dearer busy hour
