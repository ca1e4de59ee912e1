"""A minimal EHR page in real Chromium calls Curbside's CDS Hooks service across origins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI

from tests.web.live_server import CHROMIUM, CHROMIUM_ARGS, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed"),
]


@pytest.fixture(scope="module")
def curbside_url(cds_app: FastAPI) -> Iterator[str]:
    with live_server(cds_app) as url:
        yield url


def test_ehr_order_select_shows_the_warfarin_aspirin_card(curbside_url: str, ehr_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page: Any = browser.new_page()
            # The EHR (one origin) calls Curbside (another): discovery, then order-select with a signed JWT.
            page.goto(f"{ehr_url}/?cds={quote(curbside_url, safe='')}")
            page.get_by_role("button", name="Order aspirin").click()
            page.wait_for_selector("#status:has-text('done')", timeout=60_000)
            assert page.locator("#status").inner_text() == "done: 200"
            services = page.locator("#services li").all_inner_texts()
            assert "curbside-order-select" in services and "curbside-patient-view" in services
            card = page.locator(".card", has_text="aspirin").first
            summary = card.locator(".summary").inner_text()
            assert "warfarin" in summary.lower() and "aspirin" in summary.lower()
            assert "OSCAR" in card.locator(".source").inner_text()
            link = card.locator("a.article")
            assert link.get_attribute("href").startswith(curbside_url + "/ask?q=")
            page.screenshot(path=str(tmp_path / "ehr.png"))
            link.click()
            page.wait_for_url("**/a/**")
            assert page.get_by_role("heading", level=1).is_visible()
        finally:
            browser.close()
