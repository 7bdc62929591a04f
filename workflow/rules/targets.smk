"""Every figure and table, declared once: what its table is made from, what its figure draws.

`figures.smk` turns each entry into the jobs `{name}_table` and `{name}_figure` (none for a table only)
and the target `{name}`. The fields of an entry are

    category  the report's section
    table     script (default {name}_table.py), input, params, output (besides the table), mem_mb
    figure    script (default {name}_figure.py), input (besides the table), params; None: a table only

Captions: workflow/report/{name}_table.rst and {name}.rst. Adding a figure is one entry here, its
scripts (thin: they call zerolag.plotting) and its captions.
"""


def collected(rows):
    """A table of scores from the run tables: one row per entry of `rows`, labelled."""
    return {
        "script": "collect_table.py",
        "input": {"runs": run_paths(rows)},
        "params": {"labels": table_labels(rows)},
    }


def concatenated(rows):
    """A table that concatenates per-job tables (same columns)."""
    return {"script": "concat_tables.py", "input": {"rows": rows}}


FMRI = config["fmri"]
FIG2_ROWS = ts_rows(config, "fig2")
FIG2_EXAMPLE = FIG2_ROWS[
    0
]  # the simulation job of Fig. 2's example keeps its truth and estimates
SIDE_BY_SIDE = config["tutorial"]["side_by_side"]

FIGURES = {
    # --- the paper
    "fig1": {
        "category": "Fig. 1",
        "table": {"params": {"weight": config["fig1"]["weight"]}, "mem_mb": 500},
        "figure": {},
    },
    "fig2": {
        "category": "Fig. 2",
        "table": collected(FIG2_ROWS),
        "figure": {
            "input": {
                "arrays": paths.simulation_arrays(
                    FIG2_EXAMPLE["_simulation"],
                    FIG2_EXAMPLE["network"],
                    FIG2_EXAMPLE["rep"],
                )
            },
            "params": {
                "data": FIG2_EXAMPLE["data"],
                "methods": config["fig2"]["methods"],
                "top_fraction": config["scoring"]["top_fraction"],
            },
        },
    },
    "fig3": {
        "category": "Fig. 3",
        "table": collected(fig3_rows(config)),
        "figure": {"params": {"method": config["fig3"]["plot_method"]}},
    },
    "fig4": {
        "category": "Fig. 4",
        "table": collected(ts_rows(config, "fig4")),
        "figure": {},
    },
    "fig5": {
        "category": "Fig. 5",
        "table": collected(ts_rows(config, "fig5")),
        "figure": {},
    },
    "fig7": {
        "category": "Fig. 7",
        "table": collected(ts_rows(config, "fig7")),
        "figure": {},
    },
    # --- beyond the paper: optimiser scaling, frequency-resolved networks, zero-lag or long-run input, the
    # calibration of the resampling statistics, peers
    "scaling": {
        "category": "Optimiser scaling",
        "table": concatenated(get_scaling_runs),
        "figure": {},
    },
    "freq": {
        "category": "Frequency-resolved networks",
        "table": concatenated(get_freq_runs),
        "figure": {"input": {"arrays": paths.FREQ_ARRAYS.format(rep=0)}},
    },
    "lag_inputs": {
        "category": "Zero-lag or long-run input",
        "table": concatenated(get_lag_inputs_runs),
        "figure": {},
    },
    "reliability": {
        "category": "Which links can be trusted",
        "table": concatenated(get_reliability_runs),
        "figure": {},
    },
    "peers": {
        "category": "Peers",
        "table": collected(peers_rows(config)),
        "figure": {},
    },
    "figS1A": {
        "category": "Fig. S1A",
        "table": concatenated(get_netsim_scores),
        "figure": {},
    },
    # --- the Neuromatch tutorial
    "tutorial_recorded": {"category": "Tutorial", "table": {}, "figure": None},
    "tutorial_estimates": {
        "category": "Tutorial",
        "table": {"params": dict(config["tutorial"]["estimates"])},
        "figure": {},
    },
    "tutorial_size": {
        "category": "Tutorial",
        "table": {"params": dict(config["tutorial"]["size"])},
        "figure": {},
    },
    "tutorial_sparsity": {
        "category": "Tutorial",
        "table": {"params": dict(config["tutorial"]["sparsity"])},
        "figure": {},
    },
    "tutorial_bonus": {
        "category": "Tutorial",
        "table": {
            "params": dict(config["tutorial"]["bonus"]),
            "output": {"example": paths.BONUS_EXAMPLE},
            "mem_mb": 2000,
        },
        "figure": None,
    },
    "tutorial_coarse": {
        "category": "Tutorial",
        "table": {"params": dict(config["tutorial"]["coarse"])},
        "figure": {"input": {"example": paths.BONUS_EXAMPLE}},
    },
    "tutorial_side_by_side": {
        "category": "Tutorial",
        "table": {"input": {"rows": get_tutorial_side_by_side_parts}},
        "figure": {},
    },
    # --- fMRI
    "fmri_group": {
        "category": "fMRI",
        "table": {
            "input": {"networks": get_fmri_group_inputs},
            "params": {
                "methods": list(FMRI["methods"]),
                "ours": FMRI["estimator"],
                "ric": FMRI["ric"],
                "top_fraction": FMRI["top_fraction"],
                "min_subjects": FMRI["min_subjects"],
                "subjects": fmri_subjects(config, FMRI["dataset"]),
            },
        },
        "figure": None,
    },
    "fmri_reliability": {
        "category": "fMRI reliability (beyond the paper)",
        "table": {
            "input": {"tables": get_fmri_reliability_inputs},
            "output": {"links": "results/tables/fmri_group_links.csv"},
            "params": {
                "reliability": FMRI["reliability"],
                "top_fraction": FMRI["top_fraction"],
                "subjects": fmri_subjects(config, FMRI["dataset"]),
                "dataset": FMRI["dataset"],
            },
            "mem_mb": 2000,
        },
        "figure": None,
    },
    "fig6": {
        "category": "Fig. 6",
        "table": {
            "input": {
                "network": get_fmri_example_network,
                "reliability": get_fmri_example_reliability,
            },
            "params": {
                "subject": str(FMRI["example_subject"]),
                "dataset": FMRI["dataset"],
                "reliability": FMRI["reliability"],
            },
            "mem_mb": 500,
        },
        "figure": {
            "params": {
                "method": FMRI["estimator"],
                "fc": FMRI["fc"],
                "subject": str(FMRI["example_subject"]),
            }
        },
    },
    "fig8": {
        "category": "Fig. 8",
        "table": {
            "input": {"networks": get_fmri_group_inputs},
            "params": {
                "ours": FMRI["estimator"],
                "ric": FMRI["ric"],
                "top_fraction": FMRI["top_fraction"],
                "subjects": fmri_subjects(config, FMRI["dataset"]),
            },
        },
        "figure": {
            "input": {"example": paths.table("fig6")},
            "params": {
                "ours": FMRI["estimator"],
                "ric": FMRI["ric"],
                "subject": str(FMRI["example_subject"]),
                "top_fraction": FMRI["top_fraction"],
            },
        },
    },
    "figS1B": {
        "category": "Fig. S1B",
        "table": {
            "input": {"networks": get_fmri_group_inputs},
            "params": {
                "method": FMRI["estimator"],
                "top_fraction": FMRI["top_fraction"],
                "bins": FMRI["histogram_bins"],
                "subjects": fmri_subjects(config, FMRI["dataset"]),
            },
        },
        "figure": {"params": {"method": FMRI["estimator"]}},
    },
    "fmri_sc": {
        "category": "fMRI vs anatomy",
        "table": {
            "input": fmri_sc_inputs(),
            "params": {
                "methods": list(FMRI["methods"]),
                "sc_top_fraction": FMRI["sc_top_fraction"],
                "subjects": fmri_subjects(config, FMRI["sc_dataset"]),
            },
        },
        "figure": {},
    },
    "fmri_phantom": {
        "category": "fMRI phantom",
        "table": {
            "input": fmri_phantom_inputs(),
            "output": {"example": "results/tables/fmri_phantom_network.csv"},
            "params": {
                "methods": list(FMRI["methods"]),
                "estimator": FMRI["estimator"],
                "top_fraction": FMRI["top_fraction"],
                "subjects": fmri_subjects(config, "phantom"),
            },
            "mem_mb": 2000,
        },
        "figure": {"input": {"example": "results/tables/fmri_phantom_network.csv"}},
    },
}
"""Every figure and table of the workflow, in the report's order."""

TUTORIAL_FIGURES = [name for name in FIGURES if name.startswith("tutorial_")]
FMRI_FIGURES = [
    "fmri_group",
    "fmri_reliability",
    "fig6",
    "fig8",
    "figS1B",
    "fmri_sc",
    "fmri_phantom",
]


def figure_targets(name):
    """What `snakemake {name}` builds: the figure's files (if it has a figure) and its table."""
    if FIGURES[name]["figure"] is None:
        return [paths.table(name)]
    return paths.figure_outputs(name)


def get_final_output():
    """Every figure and table that exists at the configured scale, and the run's provenance."""
    return [
        *(path for name in FIGURES for path in figure_targets(name)),
        paths.PROVENANCE,
    ]


SCRIPTS = {
    f"{name}_{kind}": f"../scripts/{part.get('script', f'{name}_{kind}.py')}"
    for name, entry in FIGURES.items()
    for kind, part in (("table", entry["table"]), ("figure", entry["figure"]))
    if part is not None
}
"""Script of every generated table and figure rule, by rule name (paths relative to the rule files)."""


def script_of(rule_name):
    """The script of a generated rule.

    A rule's `script:` is evaluated again when its job runs, where the loop that generated the rule has
    moved on, so figures.smk passes the job's rule name (`rule` at run time) and this looks it up.
    """
    return SCRIPTS[rule_name]
