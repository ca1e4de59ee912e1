"""Schema-driven fuzzing (schemathesis) of the whole OpenAPI spec, CDS Hooks included, in-process.

Bounded for CI: ``CURBSIDE_FUZZ_EXAMPLES`` cases per operation (default 10, about 350 cases; ``make fuzz`` runs
more). The only check is "no 5xx": a refusal must be a 4xx with a message, never a crash.
PDF exports are left out: each case would start Chromium (tests/web/test_exports.py covers them).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation

from curbside.pipeline import Curbside
from curbside.settings import Settings
from curbside.web.app import create_app

EXAMPLES = int(os.environ.get("CURBSIDE_FUZZ_EXAMPLES", "10"))


@pytest.fixture(scope="module")
def fuzz_app(web_settings: Settings, curbside: Curbside) -> FastAPI:
    # Unsigned CDS Hooks calls allowed, so generated bodies reach the parser and the services.
    return create_app(replace(web_settings, cds_allow_unsigned=True), curbside)


def operations(app: FastAPI) -> list[APIOperation]:
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [op for result in loaded.get_all_operations() if "export" not in (op := result.ok()).path]


@pytest.mark.slow
def test_no_server_errors(fuzz_app: FastAPI) -> None:
    # One test looping over operations (schemathesis' pytest plugin does not load on pytest 9).
    cases: Counter[str] = Counter()
    for operation in operations(fuzz_app):

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        @given(operation.as_strategy())
        def fuzz(case: schemathesis.Case) -> None:
            cases[case.operation.label] += 1
            case.call_and_validate(checks=[not_a_server_error])

        fuzz()
    print(f"\nfuzz: {sum(cases.values())} cases over {len(cases)} operations")
    assert len(cases) >= 30 and all(cases.values())
