"""One router per resource; each serves HTML and, under /api, JSON."""
