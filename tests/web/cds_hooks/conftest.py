"""A CDS Hooks test bed: the fixture knowledge base plus one interaction row of our own,
the app with the test EHR's issuer allow-listed, and the test EHR on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from curbside.knowledge.build import build_knowledge_base, open_store
from curbside.pipeline import Curbside
from curbside.settings import Settings
from tests.fixture_kb import CORPUS_LAYOUT
from tests.web.cds_hooks.ehr import ISSUER, EhrSigner, create_ehr
from tests.web.live_server import live_server

# The fixture interaction lists hold no warfarin–aspirin pair: one OSCAR-format row of our own
# (significance 2 = moderate on OSCAR's scale; invented for the test, like all fixtures).
OSCAR_FILE = Path("OSCAR") / "drugref2-DDIs-from-OSCAR.csv"
EXTRA_OSCAR_ROW = "9001\tASPIRIN\tB01AC06\tWARFARIN\tB01AA03\tA\t2\tG\tMonitor INR when combined.\n"
# An invented label (like the other fixture labels) with dosing and pregnancy sections, for dose
# and population cards.
EXTRA_LABEL = "cccc1111-2222-3333-4444-555566667777.txt"
EXTRA_LABEL_TEXT = """QUORVANE (quorvanide) tablet

2 DOSAGE AND ADMINISTRATION

2.1 Recommended Dosage

The recommended dose of QUORVANE is 10 mg to 40 mg once daily.

8 USE IN SPECIFIC POPULATIONS

8.1 Pregnancy

QUORVANE can cause fetal harm. Avoid use of QUORVANE during pregnancy.
"""


def build_cds_kb(root: Path, jwks: Path) -> Settings:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, source in CORPUS_LAYOUT.items():
        if name == "interactions":
            shutil.copytree(source, corpus / name)
            with (corpus / name / OSCAR_FILE).open("a", encoding="utf-8") as handle:
                handle.write(EXTRA_OSCAR_ROW)
        elif name == "fda-labels-nlm":
            shutil.copytree(source, corpus / name)
            (corpus / name / EXTRA_LABEL).write_text(EXTRA_LABEL_TEXT, encoding="utf-8")
        else:
            (corpus / name).symlink_to(source, target_is_directory=True)
    settings = Settings(
        corpus_dir=corpus,
        data_dir=root / "data",
        embedder="hashing",
        secure_cookies=False,
        cds_issuers=((ISSUER, str(jwks)),),
    )
    store = open_store(settings)
    report = build_knowledge_base(settings, store)
    assert not report.failures, report.failures
    store.close()
    return settings


@pytest.fixture(scope="session")
def signer() -> EhrSigner:
    return EhrSigner()


@pytest.fixture(scope="session")
def cds_settings(tmp_path_factory: pytest.TempPathFactory, signer: EhrSigner) -> Settings:
    root = tmp_path_factory.mktemp("cds-kb")
    jwks = root / "ehr-jwks.json"
    jwks.write_text(json.dumps(signer.jwks))
    return build_cds_kb(root, jwks)


@pytest.fixture(scope="session")
def cds_curbside(cds_settings: Settings) -> Curbside:
    return Curbside.open(cds_settings)


@pytest.fixture(scope="session")
def cds_app(cds_settings: Settings, cds_curbside: Curbside) -> FastAPI:
    from curbside.web.app import create_app

    return create_app(cds_settings, cds_curbside)


@pytest.fixture(scope="session")
def cds_client(cds_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(cds_app) as client:
        yield client


@pytest.fixture(scope="session")
def fhir_requests() -> list[str]:
    return []


@pytest.fixture(scope="session")
def ehr_url(signer: EhrSigner, fhir_requests: list[str]) -> Iterator[str]:
    with live_server(create_ehr(signer, fhir_requests)) as url:
        yield url


@pytest.fixture
def unsigned_settings(cds_settings: Settings) -> Settings:
    return replace(cds_settings, cds_allow_unsigned=True)
