"""The library installed alone: ``pip install zerolag`` without extras fits, and ``zerolag estimate`` runs on a
table and refuses a NIfTI naming the ``fmri`` extra; with ``zerolag[fmri]`` it runs on a NIfTI.

The tests marked ``install`` build this checkout's wheel and install it with pip, from the package index, into
fresh virtual environments, at the newest versions the ranges of pyproject.toml allow (not envs/constraints.txt);
pip's cache makes later runs faster. The others need no index: in this environment, with the extras' packages
hidden, the same messages come, and the estimator and the command line on a table do not import those packages.
"""

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pandas as pd
import pytest
from support import ROOT, SINGLE_THREAD_ENV, parcel_atlas, tiny_atlas, tiny_image

from zerolag import NetworkSpec, make_network
from zerolag.fmri.labels import read_labels
from zerolag.fmri.phantom import write_phantom
from zerolag.simulation.ou import simulate_ou

OPTIONAL = ("nibabel", "nilearn", "matplotlib")  # the packages of the extras fmri and plot
FMRI_MESSAGE = "reading NIfTI needs the 'fmri' extra"
FMRI_INSTALL = "pip install 'zerolag[fmri]'"

# a fit on a simulated series, and which of the extras' packages it imported
FIT = f"""
import json, sys
import zerolag
from zerolag.simulation.ou import simulate_ou

g, _ = zerolag.make_network(zerolag.NetworkSpec(n=12, p=0.15, rho=0.6), random_state=0)
x = simulate_ou(g, tau=0.1, dt=0.1, duration=5000, random_state=1)
est = zerolag.ZeroLagConnectivity().fit(x)
print(json.dumps({{"auc": zerolag.score(g, est.connectivity_)["auc"], "file": zerolag.__file__,
                  "optional_imported": sorted(set(sys.modules) & set({OPTIONAL!r}))}}))
"""


def run(cmd, cwd, **kwargs) -> subprocess.CompletedProcess:
    """``cmd`` in ``cwd`` with one BLAS thread and no PYTHONPATH: a fresh environment sees only what it installed."""
    env = {k: v for k, v in SINGLE_THREAD_ENV.items() if k != "PYTHONPATH"} | kwargs.pop("env", {})
    return subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=900, **kwargs
    )


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    """Region time series as a CSV with a header of region names (6 regions, 3000 samples)."""
    g, _ = make_network(NetworkSpec(n=6, p=0.3, rho=0.5), random_state=2)
    x = simulate_ou(g, tau=0.1, dt=0.1, duration=300, random_state=3)
    path = tmp_path_factory.mktemp("table") / "ts.csv"
    pd.DataFrame(x, columns=[f"R{k}" for k in range(6)]).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def tiny_nifti(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A tiny 4D image with its atlas and labels (tests/support.py): enough to be refused."""
    tmp = tmp_path_factory.mktemp("tiny")
    atlas, labels, _, affine = tiny_atlas(tmp)
    image, _ = tiny_image(tmp, affine, n_volumes=60)
    return image, atlas, labels


def estimate_command(zerolag, image, atlas, labels, output) -> list:
    return [*zerolag, "estimate", image, "--atlas", atlas, "--labels", labels, "-o", output]


def assert_refused_naming_the_fmri_extra(result, out_dir) -> None:
    assert result.returncode == 1, result.stderr
    assert FMRI_MESSAGE in result.stderr and FMRI_INSTALL in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert list(out_dir.iterdir()) == []  # nothing written


# --- this environment: the core path imports no optional package; hidden, they are named -------------------


def test_the_estimator_and_the_command_on_a_table_import_no_extra(table, tmp_path):
    script = FIT + (
        "from zerolag.cli import main\n"
        f"assert main(['estimate', {str(table)!r}, '-o', {str(tmp_path / 'net.csv')!r}]) == 0\n"
        f"print(sorted(set(sys.modules) & set({OPTIONAL!r})))\n"
    )
    result = run([sys.executable, "-c", script], tmp_path, env={"PYTHONPATH": str(ROOT / "src")})
    assert result.returncode == 0, result.stderr
    fit, after_cli = result.stdout.strip().splitlines()
    assert json.loads(fit)["optional_imported"] == [] and after_cli == "[]"
    assert len(pd.read_csv(tmp_path / "net.csv")) == 6 * 5


def test_without_the_extras_nifti_plots_and_phantoms_name_their_extra(tiny_nifti, tmp_path):
    image, atlas, labels = tiny_nifti
    out = tmp_path / "out"
    out.mkdir()
    args = [str(a) for a in estimate_command([], image, atlas, labels, out / "net.csv")]
    script = f"""
import sys
for name in {OPTIONAL!r}:
    sys.modules[name] = None  # as if not installed
from zerolag._optional import MissingExtraError
from zerolag.cli import main
from zerolag.fmri.phantom import write_phantom

status = main({args!r})
try:
    import zerolag.plotting.fig3
except MissingExtraError as exc:
    print(exc)
try:
    write_phantom("x.nii", "atlas.nii", None, voxel_size=8, n_volumes=9, tr=1, tau=1, p=0.1, rho=0.5, random_state=0)
except MissingExtraError as exc:
    print(exc)
sys.exit(status)
"""
    result = run([sys.executable, "-c", script], tmp_path, env={"PYTHONPATH": str(ROOT / "src")})
    assert_refused_naming_the_fmri_extra(result, out)
    plot, phantom = result.stdout.strip().splitlines()
    assert plot == "drawing figures needs the 'plot' extra (matplotlib is not installed): pip install 'zerolag[plot]'"
    assert phantom == (
        "writing a phantom NIfTI needs the 'fmri' extra (nibabel and nilearn are not installed): "
        "pip install 'zerolag[fmri]'"
    )


# --- fresh environments: the wheel of this checkout installed with pip from the package index ---------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The library's wheel, built from a copy of this checkout (the build leaves nothing in the checkout)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    result = run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp / "dist", source], tmp)
    assert result.returncode == 0, result.stderr
    (built,) = (tmp / "dist").glob("zerolag-*.whl")
    return built


def fresh_environment(path: Path, requirement: str) -> Path:
    """A new virtual environment at ``path`` with ``requirement`` installed by pip; its ``bin/``."""
    venv.create(path, with_pip=True)
    result = run([path / "bin/python", "-m", "pip", "install", "--quiet", requirement], path)
    assert result.returncode == 0, result.stderr
    return path / "bin"


@pytest.fixture(scope="module")
def alone(wheel, tmp_path_factory) -> Path:
    """``pip install zerolag``: the library without extras."""
    return fresh_environment(tmp_path_factory.mktemp("alone") / "venv", str(wheel))


@pytest.fixture(scope="module")
def with_fmri(wheel, tmp_path_factory) -> Path:
    """``pip install 'zerolag[fmri]'``."""
    return fresh_environment(tmp_path_factory.mktemp("fmri") / "venv", f"{wheel}[fmri]")


@pytest.mark.install
def test_alone_the_library_installs_none_of_the_extras_and_fits(alone, tmp_path):
    result = run([alone / "python", "-c", FIT], tmp_path)
    assert result.returncode == 0, result.stderr
    fit = json.loads(result.stdout)
    assert Path(fit["file"]).is_relative_to(alone.parent)  # the installed library, not this checkout's
    assert fit["auc"] > 0.9
    probe = f"import importlib.util; print([m for m in {OPTIONAL!r} if importlib.util.find_spec(m)])"
    assert run([alone / "python", "-c", probe], tmp_path).stdout.strip() == "[]"  # not pulled in by the core


@pytest.mark.install
def test_alone_the_command_estimates_from_a_table(alone, table, tmp_path):
    result = run([alone / "zerolag", "estimate", table, "-o", tmp_path / "net.csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(tmp_path / "net.csv")) == 6 * 5
    assert (tmp_path / "net.csv.fit.json").is_file()


@pytest.mark.install
def test_alone_the_command_refuses_a_nifti_naming_the_fmri_extra(alone, tiny_nifti, tmp_path):
    image, atlas, labels = tiny_nifti
    out = tmp_path / "out"
    out.mkdir()
    result = run(estimate_command([alone / "zerolag"], image, atlas, labels, out / "net.csv"), tmp_path)
    assert_refused_naming_the_fmri_extra(result, out)


@pytest.mark.install
def test_with_the_fmri_extra_the_command_runs_on_a_phantom_nifti(with_fmri, tmp_path):
    """A phantom in MNI space (40 parcels, 8 mm voxels) with CSF and white-matter regression: nilearn's templates."""
    atlas, labels = parcel_atlas(tmp_path)
    image = tmp_path / "bold.nii.gz"
    truth = write_phantom(
        image, atlas, read_labels(labels), voxel_size=8, n_volumes=150, tr=1.0, tau=1.0, p=0.1, rho=0.5, random_state=0
    )
    confounds = tmp_path / "confounds.tsv"
    truth.confounds.to_csv(confounds, sep="\t", index=False)
    out = tmp_path / "net.csv"
    command = [with_fmri / "zerolag", "estimate", image, "--atlas", atlas, "--labels", labels, "--confounds", confounds]
    result = run([*command, "-o", out], tmp_path)
    assert result.returncode == 0, result.stderr
    n = len(truth.labels)
    assert len(pd.read_csv(out)) == n * (n - 1)
    assert json.loads((tmp_path / "net.csv.fit.json").read_text())["n_regions"] == n
