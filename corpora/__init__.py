"""Corpora for qualcode: the bundled sample study (hpmt_demo/) and the synthetic generator.

`corpora.generate` writes deterministic synthetic corpora at a chosen scale for the benchmarks
and for trying the TUI on a big project.
"""
