"""Validation and qualification as data (device GMP 2025 Art. 69–77): plan, criteria, results, verdicts.

Pure modules over the workspace model, each importing only those above it:

- `values`: measured values (numbers, pass/fail words, text) and the wording (`wording.yaml`);
- `criteria`: a protocol's acceptance criteria and the rules the tool evaluates;
- `stats`: mean, SD, RSD, range, Cpk (moving range) and Ppk (overall SD);
- `evaluate`: one criterion judged from its readings: verdict, figures, findings;
- `results`: a report's raw results (YAML tables, CSV files), checked against the criteria;
- `report`: a report judged as a whole: deviations and the conclusion it allows;
- `plan`: a validation master plan's objects (`objects.yaml`: types, stages, states);
- `sources`: the protocol revision a report was executed under (workspace or archive);
- `text`: the Markdown sections protocols, reports and plans render.

The ledger-dependent parts (which protocol is released, the state of a plan's objects, the
revalidation due) are `dossier.control.validation_status`.
"""
