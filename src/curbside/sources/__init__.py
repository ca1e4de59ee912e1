"""Loaders that turn each real source format into documents with provenance."""
