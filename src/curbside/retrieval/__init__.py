"""Retrieval: find candidate passages for a question (lexical, dense, fused)."""
