"""Helpers the Snakemake workflow uses: views of the config, cross-checks of it, and the like.

Not part of the science API. The functions take the workflow's ``config`` dict (as loaded from
``config/config.yaml``, optionally overlaid with ``config/paper.yaml``) and import nothing from
Snakemake, so they can be unit-tested without running the workflow. Among the modules:

* :mod:`zerolag.workflow.config`: views of the config (network names of Fig. 3's points, fMRI datasets
  and subjects, NetSim simulations, ...).
* :mod:`zerolag.workflow.checks`: cross-references the schema cannot express, checked before any job
  runs; each failure raises :class:`ValueError` naming the config key.
* :mod:`zerolag.workflow.provenance`: what produced a result (package versions, config hash, revision).
* :mod:`zerolag.workflow.timing`: timed runs of the optimisers (the scaling figure, and
  ``benchmarks/bench_optimizers.py``).
* :mod:`zerolag.workflow.lag_inputs`: the lag-inputs figure's job (zero-lag against long-run input, the lag
  diagnostic, unequal noise).
* :mod:`zerolag.workflow.reliability`: the reliability figure's job (the resampling statistics' rules and
  intervals measured on OU + HRF series of known and of null networks).

Kept import-light: this package imports none of its modules, and :mod:`~zerolag.workflow.config` and
:mod:`~zerolag.workflow.checks` import neither scikit-learn nor nilearn (heavier parts of the library
are imported inside the functions that need them).
"""
