"""Composition: turn ranked evidence into a structured, cited article."""
