"""The workspace: dossier.yaml and the document YAML read with their line numbers, the model, the kinds."""
