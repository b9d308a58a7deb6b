"""Document control: the release ledger, the archive, revision states, controls printed on a document, status."""
