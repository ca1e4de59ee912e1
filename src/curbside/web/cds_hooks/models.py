"""CDS Hooks 2.0 request and response shapes (cds-hooks.hl7.org/2.0).

Requests are parsed leniently — unknown fields are kept, FHIR content stays raw JSON for
the FHIR reader — and only what the specification requires is required. Responses are
built from these models and serialised without ``None`` values, because the specification
forbids null (and, for lists, empty) optional fields.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Indicator = Literal["info", "warning", "critical"]


class Lenient(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class FhirAuthorization(Lenient):
    access_token: str = Field(description="Bearer token for the FHIR server.")
    token_type: str = "Bearer"
    expires_in: int | None = None
    scope: str | None = None
    subject: str | None = None


class HookRequest(Lenient):
    """The body of ``POST /cds-services/{id}``."""

    hook: str = Field(min_length=1, max_length=100)
    hookInstance: str = Field(min_length=1, max_length=200)  # the specification's camelCase names
    context: dict[str, Any] = Field(default_factory=dict)
    prefetch: dict[str, Any] | None = None
    fhirServer: str | None = Field(default=None, max_length=2000)
    fhirAuthorization: FhirAuthorization | None = None

    @field_validator("fhirServer")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("fhirServer must be an absolute http(s) URL")
        return value.rstrip("/") if value else value


class Coding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    system: str
    display: str


class Source(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    url: str | None = None
    topic: Coding | None = None


class Link(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    url: str
    type: Literal["absolute", "smart"] = "absolute"


class Card(BaseModel):
    model_config = ConfigDict(frozen=True)

    uuid: str
    summary: str = Field(max_length=139, description="Under 140 characters, as the specification requires.")
    indicator: Indicator
    source: Source
    detail: str | None = None
    links: tuple[Link, ...] | None = None
    overrideReasons: tuple[Coding, ...] | None = None


class ServiceDescription(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    hook: str
    title: str
    description: str
    prefetch: dict[str, str]
    usageRequirements: str | None = None


class OverrideReason(Lenient):
    reason: dict[str, Any] | None = None
    userComment: str | None = Field(default=None, max_length=4000)


class FeedbackItem(Lenient):
    card: str = Field(min_length=1, max_length=200)
    outcome: Literal["accepted", "overridden"]
    outcomeTimestamp: str = Field(min_length=1, max_length=64)
    acceptedSuggestions: list[dict[str, Any]] | None = None
    overrideReason: OverrideReason | None = None


class FeedbackRequest(Lenient):
    feedback: list[FeedbackItem] = Field(min_length=1, max_length=100)


def dump(model: BaseModel) -> dict[str, Any]:
    """JSON for the wire: no null fields (the specification forbids them)."""
    return model.model_dump(mode="json", exclude_none=True)
