"""A process that creates, re-versions, claims and approves articles in a loop, printing each
approved slug after it is committed; the fault tests kill it with SIGKILL at random moments.

    python -m tests.review.approval_worker REVIEW_DB ITERATIONS TAG
"""

from __future__ import annotations

import sys
from pathlib import Path

from curbside.review.accounts import AccountBook, Role
from curbside.review.repository import SqliteArticleRepository
from curbside.review.workflow import ReviewAction, ReviewDesk
from tests.review.board_fixtures import PASSWORD, TEST_HASHER, keyword_reverify
from tests.review.samples import QUESTION, article


def main(path: Path, iterations: int, tag: str) -> None:
    repository = SqliteArticleRepository(path)
    book = AccountBook(repository, TEST_HASHER)
    email = f"editor-{tag}@example.org"
    editor = book.get(email) or book.add(email, f"Dr {tag}", Role.EDITOR, PASSWORD)
    desk = ReviewDesk(repository, book, keyword_reverify)
    for _ in range(iterations):
        slug = repository.create(article(), QUESTION).slug
        working = desk.working(slug)
        working = desk.board.save_version(
            slug, working.revision, working.article, editor.name, "editor", "re-saved", {}
        )
        working = desk.act(slug, ReviewAction.CLAIM, editor, working.revision)
        desk.act(slug, ReviewAction.APPROVE, editor, working.revision, note="checked")
        print(f"approved {slug}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
