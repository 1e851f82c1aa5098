"""The Norwegian spaCy pipeline (spacy.blank('nb') plus our own components). The only package that imports spacy."""
