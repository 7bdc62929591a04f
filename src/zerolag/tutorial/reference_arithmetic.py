"""The tutorial's recorded numbers in the arithmetic that produced them (x86-64 with AVX2, no AVX-512).

The last digits of a long floating-point computation depend on the SIMD kernels that run it. Two
of them matter for the Neuromatch tutorial's recorded outputs:

- NumPy's ``exp`` has an AVX-512 implementation that differs from its AVX2 one by an ulp on some
  arguments, so the simulated activity differs in the last bit on AVX-512 CPUs;
- OpenBLAS picks its matrix kernels by CPU (``Haswell`` for AVX2, ``SkylakeX`` for AVX-512), and the
  kernels accumulate the products of ``np.corrcoef`` in different orders.

The tutorial's 0.9596667994046594 and 0.3629329824177816 come out bit for bit with NumPy's AVX2 code
paths and OpenBLAS's Haswell kernels (measured: with AVX-512 NumPy and SkylakeX kernels the 100-neuron
value is 0.3629329824177819, five doubles away; with AVX-512 NumPy and Haswell kernels the 6-neuron
value is 0.9596667994046592, two doubles away). Both libraries choose their kernels when they are loaded, from
environment variables, so :func:`reference_quality` runs the computation in a fresh interpreter
with AVX-512 switched off in NumPy and OpenBLAS told to use its Haswell kernels: on any x86-64 CPU
with AVX2 and FMA this is the reference arithmetic, whatever else the CPU has, as long as NumPy calls
OpenBLAS (as NumPy's wheels do). :func:`reference_arithmetic_available` says whether this machine can.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np

__all__ = [
    "REFERENCE_ARITHMETIC",
    "reference_arithmetic_available",
    "reference_environment",
    "reference_quality",
    "ulps_apart",
]

REFERENCE_ARITHMETIC = "x86-64 AVX2: NumPy without AVX-512 dispatch, OpenBLAS Haswell kernels, 1 thread"
"""What :func:`reference_quality` computes in (written into the workflow's table)."""

_LIBRARY_ROOT = Path(__file__).resolve().parents[2]
"""The directory that holds this ``zerolag`` package (``src/`` of a checkout)."""

_ABOVE_AVX2 = ("X86_V4", "AVX512_ICL", "AVX512_SPR")  # NumPy's dispatch groups beyond x86-64-v3

_PROGRAM = """
import numpy as np
from zerolag.tutorial import neuromatch as tu
A = tu.create_connectivity({n}, {seed})
X = tu.simulate_neurons(A, {timesteps}, 42)
R = tu.correlation_for_all_neurons(X)
print(repr(float(tu.pearson_quality(A, R))))
print(repr(float(np.corrcoef(A.flatten(), R.flatten())[0, 1])))
"""


def _cpu_features() -> dict[str, bool]:
    from numpy._core._multiarray_umath import __cpu_features__

    return __cpu_features__


def _cpu_baseline() -> list[str]:
    """The CPU features NumPy was compiled to require (they cannot be switched off at run time)."""
    from numpy._core import _multiarray_umath

    return list(getattr(_multiarray_umath, "__cpu_baseline__", []))


def _numpy_blas() -> str:
    """Which BLAS NumPy calls: ``openblas``, ``mkl``, ``accelerate``, … (lower case; ``unknown`` if not found).

    threadpoolctl's name for the BLAS loaded from NumPy's own files (it also lists other packages'
    BLAS, e.g. SciPy's), else the name in NumPy's build configuration.
    """
    numpy_dir = Path(np.__file__).resolve().parent
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        for lib in threadpool_info():
            path = Path(lib.get("filepath") or "").resolve()
            # wheels keep their BLAS in numpy.libs/ (Linux, Windows) or numpy/.dylibs/ (macOS)
            if lib.get("user_api") == "blas" and (
                path.is_relative_to(numpy_dir) or path.is_relative_to(numpy_dir.with_name("numpy.libs"))
            ):
                return str(lib.get("internal_api", "unknown")).lower()
    try:
        return str(np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]).lower()
    except Exception:  # an old NumPy, or a build without the configuration dictionary
        return "unknown"


def reference_arithmetic_available() -> tuple[bool, str]:
    """Whether :func:`reference_quality` can compute in the reference arithmetic here, and why (not).

    It can on an x86-64 CPU with AVX2 and FMA, with a NumPy that calls OpenBLAS (whose Haswell kernels
    ``OPENBLAS_CORETYPE`` selects) and does not require AVX-512 (which could not be switched off).

    Returns
    -------
    (bool, str)
        ``(True, description)`` or ``(False, reason)``; the reason names what is missing.
    """
    machine = platform.machine()
    features = _cpu_features()
    if machine.lower() not in ("x86_64", "amd64") or not (features.get("AVX2") and features.get("FMA3")):
        return False, (
            f"the tutorial's recorded numbers are reproducible bit for bit only in x86-64 AVX2 arithmetic; "
            f"this CPU ({machine}, AVX2={features.get('AVX2', False)}, "
            f"FMA3={features.get('FMA3', False)}) cannot run it. Run on an x86-64 machine from 2013 or later."
        )
    required = sorted(set(_cpu_baseline()) & {*_ABOVE_AVX2, "AVX512F", "AVX512_SKX"})
    if required:
        return False, (
            f"this NumPy was compiled to require {', '.join(required)} (beyond AVX2), which cannot be switched "
            "off; the tutorial's recorded numbers need NumPy's AVX2 code paths (a NumPy wheel from PyPI has them)"
        )
    blas = _numpy_blas()
    if "openblas" not in blas:
        return False, (
            f"NumPy calls the BLAS {blas!r}, not OpenBLAS: the tutorial's recorded numbers need OpenBLAS's "
            "Haswell kernels (a NumPy wheel from PyPI bundles OpenBLAS)"
        )
    return True, f"{machine} with AVX2 and FMA, NumPy on OpenBLAS"


def reference_environment() -> dict[str, str]:
    """Environment variables that select the reference arithmetic in a new Python process.

    Raises
    ------
    RuntimeError
        If :func:`reference_arithmetic_available` says no (not an x86-64 CPU with AVX2 and FMA, or a
        NumPy not on OpenBLAS): the reference kernels cannot run here. The message says why.
    """
    available, reason = reference_arithmetic_available()
    if not available:
        raise RuntimeError(reason)
    features = _cpu_features()
    disable = " ".join(f for f in _ABOVE_AVX2 if features.get(f))
    env = {"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    if disable:  # NumPy refuses to disable what the CPU does not have
        env["NPY_DISABLE_CPU_FEATURES"] = disable
    return env


def reference_quality(n_neurons: int, timesteps: int = 5000, random_state: int = 42) -> float:
    """The tutorial's ``get_sys_corr(n_neurons, timesteps, random_state)`` in the reference arithmetic.

    Runs in a fresh interpreter (the kernels are chosen when NumPy loads). The tutorial's own
    expression, ``np.corrcoef(A.flatten(), R.flatten())[0, 1]``, is computed beside
    :func:`zerolag.tutorial.neuromatch.pearson_quality` and must agree with it bit for bit.

    Returns
    -------
    float
        The quality, for comparison with :data:`zerolag.tutorial.neuromatch.RECORDED_QUALITY`.

    Raises
    ------
    RuntimeError
        If the reference arithmetic is not available here (:func:`reference_arithmetic_available`),
        or the child process fails.
    """
    env = {**os.environ, **reference_environment()}
    # the child imports this zerolag, not whichever one its interpreter would find first
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_LIBRARY_ROOT), os.environ.get("PYTHONPATH")]))
    program = _PROGRAM.format(n=int(n_neurons), seed=int(random_state), timesteps=int(timesteps))
    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"the reference-arithmetic run failed:\n{result.stderr[-2000:]}")
    ours, literal = (float(line) for line in result.stdout.split())
    if ours != literal:
        raise RuntimeError(f"pearson_quality gave {ours!r} but the tutorial's expression {literal!r}")
    return ours


def ulps_apart(a: float, b: float) -> int:
    """Number of representable doubles between ``a`` and ``b`` (0 when equal)."""
    keys = []
    for x in (a, b):
        bits = int(np.array(x, dtype=np.float64).view(np.int64))
        keys.append(bits if bits >= 0 else -(1 << 63) - bits)  # monotone in x; −0.0 and 0.0 both map to 0
    return abs(keys[0] - keys[1])
