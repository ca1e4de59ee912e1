"""JSON request and response models of the review API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from curbside.domain.article import Article, ReviewStatus
from curbside.review.accounts import MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, Role
from curbside.review.workflow import MAX_NOTE_CHARS, MAX_STATEMENT_CHARS, ReviewAction


class ActionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: ReviewAction
    revision: int = Field(description="The article revision you read (optimistic concurrency).")
    note: str = Field(
        default="",
        max_length=MAX_NOTE_CHARS,
        description="Reason (needed to request changes, reject, withdraw, reopen, and to override the gate).",
    )
    assignee: str | None = Field(default=None, max_length=254, description="Account e-mail (assign).")
    override_gate: bool = Field(default=False, description="Approve although the publish gate failed (editors).")


class CommentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statement: str = Field(max_length=20, description='Statement key: "bottom" or "s<section>.<n>".')
    text: str = Field(max_length=MAX_NOTE_CHARS)
    wrong: bool = Field(default=False, description="Mark the statement as wrong.")


class EditRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statement: str = Field(max_length=20)
    text: str = Field(max_length=MAX_STATEMENT_CHARS, description="New wording; citations are kept.")
    reason: str = Field(max_length=MAX_NOTE_CHARS, description="Why the wording changed.")
    revision: int


class DismissRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keys: list[str] = Field(max_length=500, description="Queue entry keys to dismiss.")


class BoardArticleOut(BaseModel):
    slug: str
    question: str
    status: ReviewStatus
    revision: int
    version: int
    approved_version: int | None
    assignee: str | None
    reviewed_by: str | None
    reviewed_at: str | None
    source_updated: bool
    article: Article


class CommentOut(BaseModel):
    id: int
    statement: str
    kind: str
    author: str
    text: str
    version: int
    at: str


class VersionOut(BaseModel):
    version: int
    author: str
    reason: str
    at: str


class QueueEntryOut(BaseModel):
    key: str
    slug: str
    title: str
    status: ReviewStatus
    revision: int
    assignee: str | None
    ask_count: int
    first_asked: str
    last_asked: str
    risk: int
    risk_reasons: tuple[str, ...]
    source_updated: bool
    asked_as: str = Field(description="The asker's role (audience); never a user name.")
    supported: int
    total: int
    gate_passed: bool | None
    dismissed: bool
    priority: int


class AuditEntryOut(BaseModel):
    id: int
    at: str
    actor: str
    role: str
    action: str
    slug: str | None
    detail: dict[str, object]


class AccountOut(BaseModel):
    email: str
    name: str
    role: Role
    active: bool


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    name: str = Field(default="", max_length=100)
    role: Role
    password: str = Field(min_length=MIN_PASSWORD_CHARS, max_length=MAX_PASSWORD_CHARS)


class AccountChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    active: bool | None = None
