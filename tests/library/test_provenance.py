"""Provenance records: stable for the same inputs, different for a different configuration."""

from support import ROOT

from zerolag.workflow.provenance import PACKAGES, config_hash, provenance


def test_config_hash_ignores_key_order_and_sees_values():
    a = {"fig3": {"networks": 3, "methods": ["zerolag"]}, "scoring": {"top_fraction": 0.1}}
    b = {"scoring": {"top_fraction": 0.1}, "fig3": {"methods": ["zerolag"], "networks": 3}}
    assert config_hash(a) == config_hash(b)
    assert config_hash(a) != config_hash({**a, "scoring": {"top_fraction": 0.2}})
    assert len(config_hash(a)) == 64


def test_record_is_deterministic_and_complete():
    config = {"scoring": {"top_fraction": 0.1}}
    first, second = provenance(config, code_dir=ROOT), provenance(config, code_dir=ROOT)
    assert first == second  # no time stamps: the same run gives the same record
    assert first["config_sha256"] == config_hash(config) and first["config"] == config
    assert set(first["packages"]) == set(PACKAGES)
    assert first["packages"]["numpy"] and first["packages"]["zerolag"]
    assert first["code"]["commit"] is None or len(first["code"]["commit"]) == 40


def test_outside_a_git_checkout_the_revision_is_unknown(tmp_path):
    record = provenance({}, code_dir=tmp_path)
    assert record["code"] == {"commit": None, "modified": None}
