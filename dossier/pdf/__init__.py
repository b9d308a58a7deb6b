"""PDF post-processing: normalisation for byte-reproducible output, seals, binding into one filing."""
