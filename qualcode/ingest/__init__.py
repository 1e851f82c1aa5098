"""Readers: transcripts, forms, attribute sheets, measures, codebooks, REFI-QDA."""
