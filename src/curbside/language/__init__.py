"""Language-level text handling shared by stages (sentences, words) — no medical content."""
