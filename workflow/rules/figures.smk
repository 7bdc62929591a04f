"""Each entry of FIGURES (targets.smk) as rules: `{name}_table`, `{name}_figure` and the target `{name}`."""

for name, entry in FIGURES.items():
    table = entry["table"]

    rule:
        name:
            f"{name}_table"
        input:
            **table.get("input", {}),
        output:
            **table.get("output", {}),
            table=report(
                paths.table(name),
                caption=f"../report/{name}_table.rst",
                category=entry["category"],
                labels={"content": "table", "format": "csv"},
            ),
        log:
            paths.log(paths.table(name)),
        benchmark:
            paths.benchmark(paths.table(name))
        conda:
            ENV
        threads: 1
        resources:
            mem_mb=table.get("mem_mb", 1000),
            runtime=5,
        params:
            **table.get("params", {}),
        script:
            # evaluated when the job runs, after the loop has moved on: look the script up by the job's rule
            script_of(locals().get("rule", f"{name}_table"))

    drawing = entry["figure"]
    if drawing is not None:

        rule:
            name:
                f"{name}_figure"
            input:
                **drawing.get("input", {}),
                table=paths.table(name),
            output:
                **{
                    ext: report(
                        paths.figure(name, ext),
                        caption=f"../report/{name}.rst",
                        category=entry["category"],
                        labels={"content": "figure", "format": ext},
                    )
                    for ext in paths.FIGURE_FORMATS
                },
                # the caption's measured sentences, from the table (zerolag.workflow.captions)
                **(
                    {"facts": paths.caption_facts(name)}
                    if name in CAPTION_FACTS
                    else {}
                ),
            log:
                paths.log(paths.figure(name, "pdf")),
            benchmark:
                paths.benchmark(paths.figure(name, "pdf"))
            conda:
                ENV
            threads: 1
            resources:
                mem_mb=1000,
                runtime=5,
            params:
                **drawing.get("params", {}),
            script:
                script_of(locals().get("rule", f"{name}_figure"))

    rule:
        name:
            name
        input:
            figure_targets(name),
