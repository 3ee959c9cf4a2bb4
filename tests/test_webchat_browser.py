"""The web chat in a real browser: headless Chromium from Debian, driven by Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.webchat import running_playground

async_api = pytest.importorskip(
    "playwright.async_api", reason="the playwright package is not installed (pip install -e .[dev])"
)

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 15_000


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary: apt-get install chromium")
async def test_start_answer_and_a_tap_in_the_browser(tmp_path: Path) -> None:
    problems: list[str] = []
    async with running_playground(tmp_path / "playground.db") as playground, \
            async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 360, "height": 740})
            page.set_default_timeout(TIMEOUT_MS)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            await page.goto(f"{playground.url}/#villager")

            await page.click("#start-button")  # a new chat offers START, which sends /start
            await page.locator(".row.out .text", has_text="/start").wait_for()
            answer = page.locator(".row.in .bubble").first
            await answer.wait_for()
            assert "Berdaya" in await answer.inner_text()

            typed = "<script>window.hacked = 1</script><b>tebal</b>"
            await page.fill("#text", typed)
            await page.press("#text", "Enter")
            shown = page.locator(".row.out .text").last
            await shown.filter(has_text="<script>").wait_for()
            assert await shown.inner_text() == typed
            assert await shown.locator("script, b").count() == 0
            assert await page.evaluate("window.hacked") is None

            bot_messages = await page.locator(".row.in").count()
            newest_with_buttons = page.locator(".row.in:has(.ik-button)").last
            if await newest_with_buttons.count():
                await newest_with_buttons.locator(".ik-button:not(.link)").first.click()
            else:
                await page.locator("#keyboard .rk-button").first.click()
            await page.wait_for_function(
                "n => document.querySelectorAll('.row.in').length > n"
                " || document.querySelector('.row.in.flash')",
                arg=bot_messages,
            )
            await page.screenshot(path=str(tmp_path / "webchat.png"), full_page=True)
        finally:
            await browser.close()
    assert (tmp_path / "webchat.png").stat().st_size > 0
    assert not problems, problems
