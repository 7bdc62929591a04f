"""Imports, the config's cross-checks (run once, before any job) and the wildcard patterns every rule shares."""

from zerolag.simulation import datanames, networks, peers_data
from zerolag.simulation.networks import seed_from
from zerolag.workflow import paths
from zerolag.workflow.checks import check_config, check_writable
from zerolag.workflow.config import (
    fmri_confound_strategy,
    fmri_datasets,
    fmri_subjects,
    netsim_files,
    netsim_names,
    netsim_model_settings,
    netsim_simulations,
    scaling_methods,
    tutorial_paper_net,
)
from zerolag.workflow.plan import (
    fig3_rows,
    lag_inputs_jobs,
    method_specs,
    noisefree_jobs,
    peers_jobs,
    peers_rows,
    reliability_jobs,
    run_paths,
    simulation_jobs,
    ts_rows,
)
from zerolag.workflow.jobs import table_labels
from zerolag.workflow.provenance import config_hash
from zerolag.workflow.captions import FACTS as CAPTION_FACTS

check_config(config)

ENV = "../../envs/zerolag.yaml"  # relative to the rule files, as `conda:` wants it

# the jobs every figure's rows come from (pure functions of the config; a job's params are its entry)
NOISEFREE_JOBS = noisefree_jobs(config)
SIMULATION_JOBS = simulation_jobs(config)
PEERS_JOBS = peers_jobs(config)
# every fMRI dataset with its subjects (a bids dataset's runs, found once)
FMRI_DATASETS = fmri_datasets(config)


wildcard_constraints:
    net=networks.NAME_PATTERN,
    rep=r"\d+",
    simulation=datanames.SIMULATION_PATTERN,
    series=peers_data.PATTERN,
