"""Whole-brain networks from fMRI: atlas labels, parcellation, cleaning, phantom, group statistics.

Submodules (import what you need; nibabel and nilearn, of the ``fmri`` extra, are imported only where they
are used: region time series given as tables need neither):

* :mod:`~zerolag.fmri.labels` — atlas label tables, hemispheres, hemisphere ordering.
* :mod:`~zerolag.fmri.parcellation` — 4D NIfTI + labelled atlas → mean region signals (streamed).
* :mod:`~zerolag.fmri.cleaning` — detrending, standardising, CSF/WM and confound regression.
* :mod:`~zerolag.fmri.timeseries` — region time series from TSV/CSV/NPY files.
* :mod:`~zerolag.fmri.pipeline` — one subject from its files to cleaned region signals.
* :mod:`~zerolag.fmri.bids` — the runs of an fMRIPrep derivatives tree (BIDS entities, filters, confounds files).
* :mod:`~zerolag.fmri.confound_strategies` — nilearn's fMRIPrep confound strategies, or columns by name.
* :mod:`~zerolag.fmri.bids_batch` — every run of a tree to its network (``zerolag bids``), resumable.
* :mod:`~zerolag.fmri.phantom` — a 4D NIfTI in MNI space generated from a known network.
* :mod:`~zerolag.fmri.packages` — data shipped inside pinned PyPI packages (AAL2 atlas, HCP data).
* :mod:`~zerolag.fmri.group` — thresholding and the paper's group statistics.
* :mod:`~zerolag.fmri.anatomy` — networks against structural (DTI) connectivity.

Conventions as everywhere in :mod:`zerolag`: time × regions for signals, row = target and column =
source for networks, and a label table (``index``, ``name``, ``hemisphere``) beside every matrix.
"""
