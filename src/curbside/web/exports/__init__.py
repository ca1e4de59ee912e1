"""Article exports: Markdown, PDF (printed by headless Chromium) and a FHIR DocumentReference.

Served from the article page (``/a/{slug}/export.md|.pdf|.fhir.json``) and the API
(``/api/articles/{slug}/export?format=markdown|pdf|fhir``); ``?audience=`` picks the wording.
"""
