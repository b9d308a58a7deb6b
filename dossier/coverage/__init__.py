"""Regulation coverage: article catalogues as versioned rule sets, what documents declare they meet, the matrix.

`catalogue` loads a rule set (`rules/device-gmp-2025/`: 医疗器械生产质量管理规范, 2025年第107号),
`declarations` reads `covers:` and the Art. 130 not-applicable list, `matrix` computes each
article's status, `table` writes the quality manual's generated 条款对照表, `records` checks the
fields an article prescribes for a record form (Art. 64, 81, 100, 104, 117, 129).
"""
