"""``--format html``: one self-contained page, checked as text and in a real browser."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from invpolicy import CompiledPolicy, load_policy, read_policy
from invpolicy.engine.explain import explanation_lines
from invpolicy.engine.runner import compare, compare_stream
from invpolicy.loading.invitations import load_invitations
from invpolicy.model.invitation import Invitation
from invpolicy.plugins.contract import DECISIONS
from invpolicy.reporters.html import render_report

from ..conftest import EXAMPLES

NAMES = ["strong-ties-only", "ask-first", "quality-over-quantity"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_MESSAGE = "Hello </script><script>alert(2)</script> & welcome"
HOSTILE_TITLE = '<img src=x onerror=alert(3)> & "quoted"'


@pytest.fixture(scope="module")
def policies(registry):
    return [load_policy(name, registry) for name in NAMES]


@pytest.fixture(scope="module")
def invitations():
    return load_invitations(EXAMPLES / "invitations.yaml")


@pytest.fixture(scope="module")
def report(invitations, policies):
    return compare(invitations, policies, explain=True, what_if=True)


@pytest.fixture(scope="module")
def page(report):
    return render_report(report, replies=True, explain_lines=explanation_lines)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each script and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.raw[self._in][-1] += data


def parse(page):
    tags = Tags()
    tags.feed(page)
    tags.close()
    return tags


def test_the_page_loads_nothing(page):
    tags = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    names = {tag for tag, _ in tags.tags}
    assert not names & {"link", "img", "iframe", "object", "embed", "base", "form"}
    for tag, attrs in tags.tags:
        assert not {"src", "href", "action", "srcset", "poster"} & attrs.keys(), tag
    assert len(tags.raw["script"]) == 1
    assert all("@import" not in css and "url(" not in css for css in tags.raw["style"])
    (csp,) = [
        a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp is not None and "default-src 'none'" in csp


def test_only_the_page_own_script_may_run(page):
    # The CSP names the script by its hash: it must be the hash of the script as written.
    tags = parse(page)
    (script,) = tags.raw["script"]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    (csp,) = [
        a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp is not None and f"script-src 'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


@pytest.fixture
def hostile(registry, write):
    """A page built from an inviter and a policy title that try to inject HTML."""
    path = write(
        "hostile.yaml",
        f"""\
        format: 1
        name: hostile
        title: '{HOSTILE_TITLE}'
        summary: Tries to inject markup.
        author: The tests
        sources: [{{article: tests}}]
        rules:
          - id: noted
            when: {{personalized_message: }}
            decision: ask
          - id: rest
            decision: decline
        """,
    )
    policies = [
        load_policy("strong-ties-only", registry),
        CompiledPolicy(read_policy(path, registry), registry),
    ]
    invitation = Invitation(
        "x-<b>",
        HOSTILE_NAME,
        {"id": "x-<b>", "name": HOSTILE_NAME, "message": HOSTILE_MESSAGE, "language": "en"},
    )
    report = compare([invitation], policies, explain=True, what_if=True)
    return render_report(report, replies=True, explain_lines=explanation_lines)


def test_text_from_invitations_and_policies_is_escaped(hostile):
    assert HOSTILE_NAME not in hostile
    assert "<script>alert" not in hostile
    assert "<img" not in hostile and "<b>" not in hostile
    assert hostile.count("<script") == 1 and hostile.count("</script>") == 1
    # Shown as text: in the grid and in the explanation (which quotes the message).
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "Hello &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; welcome" in hostile
    # The reply greets no one: a name made of symbols is no first name.
    assert "Hello,\n\nThank you" in hostile and "Hello &lt;script" not in hostile
    assert 'title="&lt;img src=x onerror=alert(3)&gt; &amp; &#34;quoted&#34;"' in hostile
    assert len(parse(hostile).raw["script"]) == 1


def test_rows_are_read_once_and_every_decision_explained(invitations, policies):
    report = compare_stream(invitations, policies, explain=True, what_if=True)
    explained = []

    def lines(decision):
        explained.append((decision.invitation, decision.policy))
        return [f"EXPLAINED {decision.invitation} {decision.policy}"]

    page = render_report(report, replies=False, explain_lines=lines)
    assert len(explained) == len(invitations) * len(policies)
    assert f"EXPLAINED {invitations[0].id} {NAMES[0]}" in page
    assert f"<strong>{len(invitations)}</strong> invitations decided" in page
    # No reply without replies.
    assert "Hello Daniel," not in page and "Reply" not in page


def test_skipped_invitations_and_only_disagreements_are_said(invitations, policies):
    report = compare(invitations, policies, only_disagreements=True)
    report.skipped = {"outgoing": 3, "already connected": 1}
    page = render_report(report, replies=True, explain_lines=explanation_lines)
    assert "3 outgoing, 1 already connected" in page
    shown = len(report.rows)
    assert shown < len(invitations)
    assert f"disagree are listed ({shown} of {len(invitations)})" in page


def test_one_policy_is_titled_by_its_name_and_title_without_agreement(invitations, policies):
    report = compare(invitations, policies[:1])
    page = render_report(report, replies=True, explain_lines=explanation_lines)
    policy = policies[0].policy
    assert f"<h1>{policy.name}</h1>" in page
    assert f'<p class="subtitle">{policy.title}</p>' in page
    assert 'id="agreement"' not in page and ">agree</th>" not in page


# The browser: Debian's chromium and chromedriver, so that nothing is downloaded.

webdriver_missing = not (CHROMIUM.exists() and CHROMEDRIVER.exists())


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if webdriver_missing:
        reason = "needs /usr/bin/chromium and /usr/bin/chromedriver (chromium-driver)"
        # .ci/run installs them and sets this, so that CI never skips the browser.
        if os.environ.get("INVPOLICY_BROWSER_TESTS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        from selenium import webdriver
    except ImportError:
        if os.environ.get("INVPOLICY_BROWSER_TESTS") == "1":
            pytest.fail("INVPOLICY_BROWSER_TESTS=1 but selenium is not installed")
        pytest.skip("needs selenium")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(arg)
    options.binary_location = str(CHROMIUM)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shown(browser, page, tmp_path_factory):
    """The examples' page, open in the browser."""
    path = tmp_path_factory.mktemp("html") / "compare.html"
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())
    return browser


def by_css(driver, selector):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def cell(driver, invitation, policy):
    """The button of one invitation and one policy, found by what the page shows."""
    heads = [th.text for th in by_css(driver, "#grid thead th")]
    for row in by_css(driver, "#grid tbody tr"):
        if by_css(row, ".inv-id")[0].text == invitation:
            return by_css(row, "button.cell")[heads.index(policy) - 1]
    raise AssertionError(f"no row for {invitation}")


def rgb(color):
    return [int(n) for n in re.findall(r"\d+", color)[:3]]


def test_the_grid_has_a_row_per_invitation_and_a_column_per_policy(shown, report):
    heads = [th.text for th in by_css(shown, "#grid thead th")]
    assert heads == ["invitation", *NAMES, "agree"]
    titles = [th.get_attribute("title") for th in by_css(shown, "#grid thead th")[1:-1]]
    assert titles == [p.policy.title for p in report.policies]
    rows = by_css(shown, "#grid tbody tr")
    assert [by_css(r, ".inv-id")[0].text for r in rows] == [r.invitation.id for r in report.rows]
    assert all(len(by_css(r, "button.cell")) == len(NAMES) for r in rows)
    agree = [by_css(r, "td.agree-col")[0].text for r in rows]
    assert agree == ["yes" if r.agree else "no" for r in report.rows]


def test_a_cell_shows_its_decision_in_its_colour(shown, report):
    row = next(r for r in report.rows if r.invitation.id == "recruiter-no-note")
    assert row.decisions["strong-ties-only"].decision == "decline"
    assert row.decisions["quality-over-quantity"].decision == "ask"
    declined = cell(shown, "recruiter-no-note", "strong-ties-only")
    assert declined.text == "decline"
    assert "d-decline" in declined.get_attribute("class").split()
    red, green, blue = rgb(declined.value_of_css_property("background-color"))
    assert red > green + 30 and red > blue + 30
    asked = cell(shown, "recruiter-no-note", "quality-over-quantity")
    score = row.decisions["quality-over-quantity"].score
    assert asked.text.split("\n") == ["ask", f"{score.low:g}-{score.high:g}"]
    accepted = cell(shown, "claire-conference", "ask-first")
    red, green, blue = rgb(accepted.value_of_css_property("background-color"))
    assert green > red + 30 and green > blue + 30


def test_a_click_on_a_cell_shows_why(shown, report):
    row = next(r for r in report.rows if r.invitation.id == "recruiter-no-note")
    decision = row.decisions["strong-ties-only"]
    assert decision.reply is not None
    button = cell(shown, "recruiter-no-note", "strong-ties-only")
    (hint,) = by_css(shown, "#detail-hint")
    assert hint.is_displayed()
    assert not any(d.is_displayed() for d in by_css(shown, "#detail .why"))
    button.click()
    (detail,) = by_css(shown, f"#{button.get_attribute('data-detail')}")
    assert detail.is_displayed() and not hint.is_displayed()
    assert by_css(shown, "#detail .why") == [detail]
    assert button.get_attribute("aria-pressed") == "true"
    text = detail.text
    assert decision.rule in text and "decline" in text
    assert all(line in text for line in decision.reply.text.splitlines() if line.strip())
    assert "strong-ties-only would accept if met_in_person were true" in text
    assert "rule met-in-person: false, does not fire" in text
    # Another cell replaces it: one explanation at a time.
    other = cell(shown, "recruiter-no-note", "ask-first")
    other.click()
    shown_now = [d.get_attribute("id") for d in by_css(shown, "#detail .why") if d.is_displayed()]
    assert shown_now == [other.get_attribute("data-detail")]
    assert button.get_attribute("aria-pressed") == "false"


def test_cells_are_reached_with_the_keyboard(shown):
    from selenium.webdriver.common.keys import Keys

    button = cell(shown, "claire-conference", "quality-over-quantity")
    button.send_keys(Keys.ENTER)
    (detail,) = by_css(shown, f"#{button.get_attribute('data-detail')}")
    assert detail.is_displayed()
    assert "known" in detail.text
    button.send_keys(Keys.ESCAPE)
    assert not any(d.is_displayed() for d in by_css(shown, "#detail .why"))
    assert by_css(shown, "#detail-hint")[0].is_displayed()


def test_the_counts_written_after_the_grid_are_shown_above_it(shown):
    # The page streams: what counts the rows comes last in the file, and CSS moves it up.
    (facts,) = by_css(shown, ".page-facts")
    (notes,) = by_css(shown, ".legend-notes")
    (grid,) = by_css(shown, "#grid")
    (title,) = by_css(shown, "h1")
    (legend,) = by_css(shown, ".legend")
    assert "14 invitations decided" in facts.text
    order = [title, facts, legend, notes, grid]
    assert [e.location["y"] for e in order] == sorted(e.location["y"] for e in order)


def test_what_would_change_is_said_under_the_grid(shown, report):
    changed = [r for r in report.rows if r.changes]
    assert changed
    articles = by_css(shown, "#changes article")
    assert [by_css(a, ".inv-id")[0].text for a in articles] == [r.invitation.id for r in changed]
    for article, row in zip(articles, changed, strict=True):
        said = [li.text for li in by_css(article, "li")]
        assert said == [c.describe() for name in NAMES for c in row.changes if c.policy == name]


def test_the_heatmap_gives_the_agreement_of_each_pair(shown, report):
    rows = by_css(shown, "#agreement tbody tr")
    assert [by_css(r, "th")[0].text for r in rows] == NAMES
    for a, row in zip(NAMES, rows, strict=True):
        cells = [td.text for td in by_css(row, "td")]
        assert cells == [f"{round(100 * report.summary.agreement(a, b))}%" for b in NAMES]
    assert cells[-1] == "100%"
    # Deeper where the policies agree more: in a row with two different figures.
    rows_cells = [[td for td in by_css(row, "td") if td.text != "100%"] for row in rows]
    others = next(tds for tds in rows_cells if len({td.text for td in tds}) > 1)
    low, high = sorted(others, key=lambda td: int(td.text.rstrip("%")))[:: len(others) - 1]
    lightness = [sum(rgb(td.value_of_css_property("background-color"))) for td in (low, high)]
    assert lightness[0] > lightness[1]


def test_the_summary_counts_the_decisions_of_each_policy(shown, report):
    texts = [span.text for span in by_css(shown, ".bar-text")]
    counts = report.summary.decisions
    assert texts == [
        ", ".join(f"{counts[name][d]} {d}" for d in DECISIONS if counts[name][d]) for name in NAMES
    ]


def test_the_browser_saw_no_error(shown):
    errors = [e for e in shown.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_hostile_text_is_shown_not_run(browser, hostile, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text(hostile, encoding="utf-8")
    browser.get(path.as_uri())
    # An alert would have stopped the page (and selenium) here.
    (name,) = by_css(browser, "#grid tbody .inv-name")
    assert name.text == HOSTILE_NAME
    assert by_css(browser, "#grid tbody .inv-id")[0].text == "x-<b>"
    assert by_css(browser, "#grid thead th")[2].get_attribute("title") == HOSTILE_TITLE
    button = cell(browser, "x-<b>", "strong-ties-only")
    button.click()
    (detail,) = by_css(browser, f"#{button.get_attribute('data-detail')}")
    assert re.search(r"Hello,\s+Thank you", detail.text)  # no name: symbols are none
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
