"""Re-ingesting a source whose text changed sends the approved articles citing it back to review."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from curbside.cli.main import app
from curbside.domain.article import Reference, ReviewStatus
from curbside.knowledge.build import open_store
from curbside.review.accounts import AccountBook, Role
from curbside.review.repository import SqliteArticleRepository
from curbside.review.workflow import ReviewAction, ReviewDesk
from curbside.settings import Settings
from tests.review.board_fixtures import PASSWORD, TEST_HASHER, keyword_reverify
from tests.review.samples import QUESTION, article

GUIDE = "# Knee guideline\n\n## Recommendations\n\nOffer {therapy} therapy to adults with knee pain.\n"


def ingest(data: Path, guide: Path) -> dict[str, object]:
    args = ["--data-dir", str(data), "--embedder", "hashing", "ingest", "--add", str(guide), "--org", "Test Org"]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.stdout)
    return report


def approved_article_citing(settings: Settings) -> tuple[SqliteArticleRepository, ReviewDesk, str]:
    store = open_store(settings)
    listed = next(d for d in store.documents() if d.organization == "Test Org")
    document = store.document(listed.source_id)
    assert document is not None
    passage = next(p for p in document.passages if "therapy" in p.text)
    store.close()
    reference = Reference.to_passage(1, document, passage)
    cited = article().model_copy(update={"references": (reference,)})
    repository = SqliteArticleRepository(settings.review_database_path)
    desk = ReviewDesk(repository, AccountBook(repository, TEST_HASHER), keyword_reverify)
    reviewer = desk.accounts.add("knee@example.org", "Dr Knee", Role.REVIEWER, PASSWORD)
    slug = repository.create(cited, QUESTION).slug
    claimed = desk.act(slug, ReviewAction.CLAIM, reviewer, 1)
    assert desk.act(slug, ReviewAction.APPROVE, reviewer, claimed.revision).status == ReviewStatus.APPROVED
    return repository, desk, slug


def test_changed_source_text_sends_the_approved_article_back(tmp_path: Path) -> None:
    data, guide = tmp_path / "data", tmp_path / "guides" / "knee.md"
    guide.parent.mkdir()
    guide.write_text(GUIDE.format(therapy="exercise"))
    ingest(data, guide)
    settings = Settings(data_dir=data, embedder="hashing")
    repository, desk, slug = approved_article_citing(settings)

    assert ingest(data, guide)["sent_back_for_review"] == []  # unchanged: skipped, nothing to re-review
    assert desk.working(slug).status == ReviewStatus.APPROVED

    guide.write_text(GUIDE.format(therapy="aquatic"))
    assert ingest(data, guide)["sent_back_for_review"] == [slug]
    working = desk.working(slug)
    assert working.status == ReviewStatus.SUBMITTED and working.source_updated
    stored = repository.get(slug)
    assert stored is not None and stored.article.review.source_updated
    assert desk.board.audit_log()[-1].action == "source_updated"
    repository.close()
