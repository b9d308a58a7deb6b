"""The build pipeline: load → validate → render → convert → normalise → bind → sign → record, with its cache."""
