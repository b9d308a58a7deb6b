"""The filing documents of a product: Annex 1 formula, Annex 2 test matrix, Annex 3-5 forms."""
