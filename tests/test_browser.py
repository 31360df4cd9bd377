"""The report as a user sees it: the page generated from a small known results file, opened in headless
Chromium (the system package, driven through selenium and the system chromedriver; no network).

Skips when no browser is installed; with CONFORMANCE_REQUIRE_BROWSER=1 (set in CI after
.ci/install-browser.sh) a missing browser is a failure instead. CONFORMANCE_CHROMIUM and CONFORMANCE_CHROMEDRIVER
name other binaries (default /usr/bin/chromium and /usr/bin/chromedriver, then PATH).
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from conformance.report import write_reports

DATA = Path(__file__).parent / "data"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")
INJECTED_ID = "test_sum_keepdim[<script>alert(1)</script>-cpu-float32]"


def _find(*names) -> str | None:
    for name in names:
        found = shutil.which(name) or (name if os.path.isabs(name) and os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


def _chromium() -> str | None:
    return _find(*filter(None, [os.environ.get("CONFORMANCE_CHROMIUM"), "/usr/bin/chromium", "chromium",
                                "chromium-browser"]))


def _chromedriver() -> str | None:
    return _find(*filter(None, [os.environ.get("CONFORMANCE_CHROMEDRIVER"), "/usr/bin/chromedriver",
                                "chromedriver"]))


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is missing (pip install -e '.[browser]'); chromium test not run"
    if not _chromium():
        return "chromium is not installed (apt-get install chromium chromium-driver, see .ci/install-browser.sh)"
    if not _chromedriver():
        return "chromedriver for chromium is not installed (apt-get install chromium-driver)"
    return None


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    why = _missing()
    if why:
        if os.environ.get("CONFORMANCE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CONFORMANCE_REQUIRE_BROWSER=1 but {why}")
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    out = tmp_path_factory.mktemp("report")
    write_reports([DATA / "small_results.json"], out)
    options = Options()
    options.binary_location = _chromium()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,1600")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options,
                              service=Service(executable_path=_chromedriver()))
    driver.set_page_load_timeout(20)
    try:
        driver.get((out / "index.html").resolve().as_uri())
        yield driver
    finally:
        driver.quit()


def _js(driver, script, *args):
    return driver.execute_script(script, *args)


def _wait(predicate, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return predicate()


def _no_alert(driver):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    pytest.fail(f"a script from the results ran: alert({text!r})")


def test_page_works_in_chromium(page):
    driver = page
    from selenium.webdriver.common.by import By

    # --- it loaded, and nothing complained (a CSP violation would be a console error too)
    assert driver.title == "Conformance report"
    _no_alert(driver)

    # --- the matrix shows the right counts for the known file
    assert _js(driver, "return document.querySelector('#totals').textContent").split()[0] == "13"
    counts = _js(driver, """
        const out = {};
        document.querySelectorAll('.grid[data-c="0"] .counts [data-outcome]').forEach(
            e => { out[e.dataset.outcome] = e.querySelector('b').textContent; });
        return out;""")
    assert counts == {"failed": "2", "error": "1", "divergence": "1", "passed": "7", "skipped": "1", "unsupported": "0"}
    cells = _js(driver, """
        const out = {};
        document.querySelectorAll('.grid[data-c="0"] tr[data-op] td.cell').forEach(td => {
            const op = td.parentNode.dataset.op;
            out[op + '/' + td.dataset.d] = [td.textContent, td.className.replace('cell ', '').trim()];
        });
        return out;""")
    assert cells["sqrt/float16"] == ["1/2", "s-failed"]
    assert cells["sqrt/float32"] == ["2", "s-passed"]
    assert cells["floor_divide/int64"] == ["2", "s-divergence"]
    assert cells["floor_divide/int32"] == ["1", "s-skipped"]
    assert cells["sum/float32"] == ["1/1", "s-error"]
    assert cells["sqrt/bool"] == ["", "s-na"]

    # --- clicking a cell shows its test cases
    driver.find_element(By.CSS_SELECTOR, '.grid[data-c="0"] tr[data-op="sqrt"] td[data-d="float16"]').click()
    names = _wait(lambda: _js(driver, """
        const box = document.querySelector('.grid[data-c="0"] .cases');
        if (box.hidden) return null;
        return Array.from(box.querySelectorAll('code.case-name')).map(e => e.textContent);"""))
    assert sorted(names) == ["test_forward[sqrt-cpu-float16]", "test_layouts[sqrt-cpu-float16]"]

    # --- the injected test id and message show as text, in the page and in the cell's case list
    driver.find_element(By.CSS_SELECTOR, '.grid[data-c="0"] tr[data-op="sum"] td[data-d="float32"]').click()
    names = _wait(lambda: _js(driver, """
        return Array.from(document.querySelectorAll('.grid[data-c="0"] .cases code.case-name'))
            .map(e => e.textContent);"""))
    assert names == [INJECTED_ID]
    _no_alert(driver)
    assert _js(driver, "return document.querySelectorAll('script').length") == 2
    assert _js(driver, "return document.querySelectorAll('#failures b, #failures i, .cases b').length") == 0
    failure_text = _js(driver, "return document.querySelector('#failures').textContent")
    assert INJECTED_ID in failure_text
    assert "values differ: <b>bold</b> & <i>more</i>" in failure_text
    assert "<script>alert(2)</script>" in failure_text
    repro = _js(driver, "return document.querySelector('pre.repro').textContent")
    assert "# </script><script>alert(3)</script>" in repro
    assert _js(driver, "return document.querySelectorAll('a[href^=\"javascript\"]').length") == 0

    # --- typing in the filter filters the matrix, the failures and the case list
    box = driver.find_element(By.ID, "filter")
    box.send_keys("op:floor_divide")
    assert _wait(lambda: _js(driver, "return document.getElementById('filter-count').textContent")) == \
        "3 of 13 test cases match"
    visible_rows = _js(driver, """
        return Array.from(document.querySelectorAll('.grid[data-c="0"] tr[data-op]'))
            .filter(tr => !tr.hidden).map(tr => tr.dataset.op);""")
    assert visible_rows == ["floor_divide"]
    assert _js(driver, "return Array.from(document.querySelectorAll('#failures details')).filter(d => !d.hidden).length") == 0
    box.clear()
    box.send_keys("outcome:failed dtype:float16")
    assert _wait(lambda: _js(driver, "return document.getElementById('filter-count').textContent")
                 == "1 of 13 test cases match")
    assert _js(driver, """
        return Array.from(document.querySelectorAll('#failures details')).filter(d => !d.hidden)
            .map(d => d.querySelector('code').textContent);""") == \
        ["conformance/suite/test_catalogue.py::test_forward[sqrt-cpu-float16]"]
    box.clear()
    box.send_keys("alert")  # free text matches the injected id; the matching list shows it as text
    assert _wait(lambda: _js(driver, """
        return Array.from(document.querySelectorAll('#matching-cases code.case-name')).map(e => e.textContent);""")
                 == [INJECTED_ID])
    assert _js(driver, "return document.getElementById('filter-count').textContent") == "1 of 13 test cases match"
    assert _js(driver, "return document.querySelectorAll('script').length") == 2

    # --- the failure's copy button does not raise, and the divergence catalogue shows statuses
    box.clear()
    box.send_keys(" ")
    assert _wait(lambda: _js(driver, "return document.getElementById('matching').hidden"))
    driver.find_element(By.CSS_SELECTOR, "#failures details summary").click()
    driver.find_element(By.CSS_SELECTOR, "#failures details button.copy").click()
    statuses = _js(driver, """
        const out = {};
        document.querySelectorAll('tr[data-divergence]').forEach(
            tr => { out[tr.dataset.divergence] = tr.querySelector('td.dstatus').textContent.trim(); });
        return out;""")
    assert statuses["floor_divide-int-by-zero"].startswith("still diverging")
    assert statuses["sum-bool-dtype"] == "now agrees with NumPy"
    assert statuses["matmul-bool-unsupported"] == "not run"
    _no_alert(driver)

    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == [], errors
