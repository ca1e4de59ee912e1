"""Command line: a thin shell over the library."""
