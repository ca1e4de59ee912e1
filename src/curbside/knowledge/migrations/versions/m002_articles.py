"""Nothing, on purpose: the old SQLite list's m002 put articles in the knowledge base; they have
since moved to the review database (``r001_articles``), and a base that still holds them is read
once by :mod:`curbside.review.legacy`. Kept so stamped old bases and new ones share one chain.

Revision ID: m002_articles
"""

from __future__ import annotations

revision = "m002_articles"
down_revision = "m001_knowledge_base"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
