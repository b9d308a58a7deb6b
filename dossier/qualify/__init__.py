"""`dossier qualify`: the validation pack of dossier itself (device GMP 2025 Art. 77 软件确认).

An installation qualification (IQ: version and installed files, Python, dependencies,
LibreOffice, fonts, converter) and an operational qualification (OQ: builds, controls on the
page, bad input, release and archive, released revisions, reproducible rebuilds, ledger
tampering, signatures, validation reports and plans) run on the machine dossier is installed
on, each check traced to a requirement (`requirements.yaml`). The result is 软件确认报告
(.docx and PDF) with the environment, the trace matrix, the evidence, deviations, the
conclusion and a blank approval block.

Modules, each importing only those above it:

- `catalogue`: requirements and checks from requirements.yaml;
- `record`: a check's result and the evidence a check writes (commands, exit codes, hashes);
- `iq`: the installation checks; `scratch` and `oq`: the scratch workspace and the operational checks;
- `report`: 软件确认报告 as .docx (and PDF);
- `run`: the whole run, in order, with its outputs.
"""
