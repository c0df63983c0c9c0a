"""`vnr preview` in a real browser: headless Chromium (Debian's chromium and chromium-driver,
installed by README's test command) shows an edit by itself, at the place being read."""

from __future__ import annotations

import os
import shutil

import pytest
from preview import Running

if not (shutil.which("chromium") and shutil.which("chromedriver")) and not os.environ.get("CI"):
    pytest.skip("Debian's chromium and chromium-driver are not installed (README's test command installs them)",
                allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1200,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    yield driver
    driver.quit()


def text_of(browser, place: str) -> str:
    """The text of a place: a section's (its id is on its heading) or a chapter's."""
    return browser.execute_script(f"return document.getElementById('{place}').closest('section').innerText")


def top(browser, element_id: str) -> float:
    return browser.execute_script(f"return document.getElementById('{element_id}').getBoundingClientRect().top")


def test_the_page_shows_an_edit_by_itself_and_keeps_the_place_being_read(project, browser):
    running = Running(project)
    try:
        running.settled()
        browser.get(running.url)
        assert "Group water pipelines reach most villages" in text_of(browser, "sdg-06-water")
        # the reader is at the heating section, below the chapter being edited
        browser.execute_script("document.getElementById('sdg-07-heat').scrollIntoView()")
        WebDriverWait(browser, 10).until(lambda b: abs(top(b, "sdg-07-heat")) < 1)
        place = top(browser, "sdg-07-heat")

        chapter = project / "chapters" / "sdg-06.yaml"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace(
            "Group water pipelines reach most villages of Kyzylorda Region.",
            "Group water pipelines reach most villages of Kyzylorda Region.\n\n"
            "      Since 2021 the Zhanakorgan pipeline brings water to eleven more villages."), encoding="utf-8")
        # how soon it shows: bench/timings.py
        # the page is replaced when the edit arrives: an element read just then is stale, read again
        WebDriverWait(browser, 60, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda b: "Zhanakorgan pipeline" in b.find_element(By.TAG_NAME, "body").text,
            "the page did not show the edit")
        assert browser.current_url == running.url  # reloaded by itself, not navigated by the test
        # the reload script has put the reader back (it forgets the place once it has)
        WebDriverWait(browser, 10).until(lambda b: b.execute_script(
            "return document.readyState === 'complete' && sessionStorage.getItem('vnr-preview-place') === null"))
        # the section above grew by a paragraph, and the reader is still where they were
        now = top(browser, "sdg-07-heat")
        assert abs(now - place) < 40, (place, now)
        assert browser.find_element(By.CSS_SELECTOR, "a[href='/review.pdf']").text.startswith("PDF")
    finally:
        running.stop()


@pytest.mark.parametrize("width, mobile", [(1280, False), (390, True)])
def test_the_served_page_fits_the_window_with_its_notes_in_view(project, browser, width, mobile):
    """CONTRACT, Preview: at 1280 and 390 px no horizontal scroll, the margin notes visible; the page
    as `vnr preview` serves it (its reload script and PDF badge included)."""
    running = Running(project)
    try:
        running.settled()
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile})
        browser.get(running.url)
        seen = browser.execute_script(
            "return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, notes: "
            "[...document.querySelectorAll('aside.note')].map(n => { const r = n.getBoundingClientRect();"
            " return [r.left, r.right]; })};")
        assert seen["inner"] == width and seen["scroll"] <= width, seen
        assert seen["notes"] and all(0 <= left and right <= width for left, right in seen["notes"]), seen
    finally:
        running.stop()
