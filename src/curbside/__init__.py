"""Curbside: cited, verified answers to clinical questions from public sources."""

__version__ = "0.1.0"
