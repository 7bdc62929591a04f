"""A mistyped config key is named, with the keys allowed where it stands, before the schema's report."""

import copy

import pytest
import yaml
from support import ROOT, run_snakemake, write_config

from zerolag.workflow.config_keys import check_keys, unknown_keys

SCHEMA = yaml.safe_load((ROOT / "config/schema.yaml").read_text())
CONFIG = yaml.safe_load((ROOT / "config/config.yaml").read_text())


def test_shipped_config_has_no_unknown_key():
    assert unknown_keys(CONFIG, SCHEMA) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: c.update(colour=1), "unknown config key 'colour': the top level takes fig1, fig2,"),
        (lambda c: c["fig3"].update(repz=3), "unknown config key 'fig3.repz': fig3 takes background_fraction,"),
        (  # inside a map of named entries (method labels), each with one schema
            lambda c: c["methods"]["zerolag"].update(parms={}),
            "unknown config key 'methods.zerolag.parms': methods.zerolag takes method, params",
        ),
        (  # inside a key matched by a pattern (Fig. 3's panel letters)
            lambda c: c["fig3"]["sweeps"]["A"].update(value=[1]),
            "unknown config key 'fig3.sweeps.A.value': fig3.sweeps.A takes parameter, values",
        ),
        (
            lambda c: c["fig3"]["sweeps"].update(a={"parameter": "n", "values": [10]}),
            "unknown config key 'fig3.sweeps.a': fig3.sweeps takes keys matching ^[A-Z]$",
        ),
    ],
)
def test_unknown_key_is_named_with_the_allowed_ones(change, expected):
    config = copy.deepcopy(CONFIG)
    change(config)
    problems = unknown_keys(config, SCHEMA)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    with pytest.raises(ValueError, match="config/README.md list every key"):
        check_keys(config, SCHEMA)


def test_snakemake_reports_the_typo_first_and_briefly(workdir):
    config = copy.deepcopy(CONFIG)
    config["fig3"]["repz"] = 3
    path = write_config(workdir, "typo.yaml", config)
    result = run_snakemake(workdir, path, "-n", "fig1")
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "unknown config key 'fig3.repz': fig3 takes" in out
    assert "Failed validating" not in out and len(out.splitlines()) < 25, out
