"""Analyses over the store. Each returns a pandas DataFrame and never prints."""

from qualcode.analysis.frames import code_counts, code_paths, codings_frame, source_attributes

__all__ = ["code_counts", "code_paths", "codings_frame", "source_attributes"]
