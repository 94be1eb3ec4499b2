"""What `pip install ghqa` puts into site-packages: one import package, its data files, a licence."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("ghqa-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_installs_one_top_level_import_package(wheel):
    top = {name.split("/")[0] for name in wheel.namelist() if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"ghqa"}


def test_wheel_holds_every_stage_and_its_data(wheel):
    names = set(wheel.namelist())
    for module in ("core/errors.py", "ingest/clean.py", "index/search.py", "qa/answer.py", "ui/web.py", "cli.py"):
        assert f"ghqa/{module}" in names
    assert "ghqa/qa/synonyms.toml" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_version_is_the_installed_distributions():
    from importlib.metadata import version

    import ghqa

    assert ghqa.__version__ == version("ghqa")
