"""Article persistence and the editorial (medical advisory board) review workflow."""
