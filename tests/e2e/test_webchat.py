"""The website widget (connectors/webchat.py, web/) against the real servers: its page and files
over HTTP, then conversations in Debian's headless Chromium driven by Playwright. Screenshots go
to reports/screenshots/.

Without Chromium or the widget bundle the browser tests are skipped, loudly; with
REQUIRE_BROWSER=1 (CI) they fail instead."""

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import List, Optional
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import create_engine, text

from borrower.casestore import CaseStore
from connectors.webchat import BUNDLE
from tests.support.servers import ROOT

pytestmark = pytest.mark.e2e

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = ROOT / "reports" / "screenshots"
REPLY_TIMEOUT_MS = 60_000
GREETING = "你好，我是借款人维权助手"
HARASSMENT = "催收半夜打电话还爆我通讯录"
COMPLAINT = "我要投诉易鑫车贷乱收GPS费"


def unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"WEBSITE WIDGET BROWSER TESTS SKIPPED: {reason}")


# Session fixtures requested before `servers`, so that a skip does not start the servers first.
@pytest.fixture(scope="session")
def bundle() -> Path:
    if not BUNDLE.is_file():
        unavailable(f"the widget bundle {BUNDLE.relative_to(ROOT)} is missing (bash scripts/web_assets.sh)")
    return BUNDLE


@pytest.fixture(scope="session")
def chromium(bundle) -> str:
    path = shutil.which("chromium")
    if path is None:
        unavailable("Debian's chromium is not installed (apt-get install -y chromium chromium-driver)")
    return path


@pytest.fixture(scope="module")
def browser(chromium) -> Browser:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Widget:
    """The widget page in a fresh browser profile (no stored session), with every request and
    console error it makes."""

    def __init__(self, page: Page, url: str):
        self.page, self.url = page, url
        self.requests: List[str] = []
        self.errors: List[str] = []
        self.replies_before_last_message = 0
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self) -> None:
        self.page.goto(self.url)
        self.wait_for_reply(GREETING, after=0)

    def say(self, message: str) -> None:
        self.replies_before_last_message = len(self.replies())
        self.page.fill(".rw-new-message", message)
        self.page.keyboard.press("Enter")

    def click_button(self, title: str) -> None:
        """A quick reply: sends its payload as the user's message."""
        self.replies_before_last_message = len(self.replies())
        self.page.locator("#webchat .rw-replies .rw-reply").filter(has_text=re.compile(f"^{re.escape(title)}$")).click()

    def replies(self) -> List[str]:
        return self.page.eval_on_selector_all(
            "#webchat .rw-response .rw-message-text", "elements => elements.map(e => e.innerText)")

    def conversation(self) -> List[str]:
        return self.page.eval_on_selector_all(
            "#webchat .rw-message-text", "elements => elements.map(e => e.innerText)")

    def wait_for_reply(self, part: str, after: Optional[int] = None) -> str:
        """The first reply containing `part` among those after the first `after` (default: the
        replies to the last message said)."""
        after = self.replies_before_last_message if after is None else after
        self.page.wait_for_function(
            """([after, part]) => [...document.querySelectorAll('#webchat .rw-response .rw-message-text')]
                 .slice(after).some(e => e.innerText.includes(part))""",
            arg=[after, part], timeout=REPLY_TIMEOUT_MS,
        )
        return next(reply for reply in self.replies()[after:] if part in reply)

    def message_with(self, part: str):
        return self.page.locator("#webchat .rw-message", has_text=part).last

    def session_id(self) -> str:
        return self.page.evaluate("JSON.parse(localStorage.getItem('chat_session')).session_id")

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    def assert_self_contained(self) -> None:
        """No request left 127.0.0.1 (fonts, CDNs …) and nothing was blocked or broke."""
        hosts = {urlsplit(url.removeprefix("blob:")).hostname for url in self.requests if not url.startswith("data:")}
        assert hosts == {"127.0.0.1"}, self.requests
        assert self.errors == []


@pytest.fixture
def widget(chromium, browser, servers) -> Widget:
    context = browser.new_context(viewport={"width": 900, "height": 900}, locale="zh-CN", accept_downloads=True)
    try:
        yield Widget(context.new_page(), f"{servers.rasa_url}/webhooks/socketio/")
    finally:
        context.close()


# --- the page over HTTP ---------------------------------------------------------------------

def test_the_page_and_its_files_are_served_from_a_fixed_list(bundle, servers):
    base = f"{servers.rasa_url}/webhooks/socketio"
    page = requests.get(f"{base}/", timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>借款人维权助手</title>" in page.text and "110" in page.text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-cache"
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)  # nothing from another host

    moved = requests.get(base, allow_redirects=False, timeout=10)
    assert moved.status_code in (301, 302) and moved.headers["Location"] == "/webhooks/socketio/"

    for name, content_type in [("chat.js", "text/javascript"), ("chat.css", "text/css"), (BUNDLE.name, "text/javascript")]:
        served = requests.get(f"{base}/static/{name}", timeout=10)
        assert served.status_code == 200 and served.headers["Content-Type"].startswith(content_type), name
        assert served.headers["X-Content-Type-Options"] == "nosniff"
    bundle = requests.get(f"{base}/static/{BUNDLE.name}", timeout=10)
    assert "immutable" in bundle.headers["Cache-Control"]
    assert "fonts.googleapis.com" not in bundle.text and "@import url(http" not in bundle.text

    for name in ["index.html", "webchat.py", "..%2F..%2Fcredentials.yml", "%2e%2e%2fchat.js", "chat.js%00.py"]:
        refused = requests.get(f"{base}/static/{name}", timeout=10)
        assert refused.status_code == 404, name
        assert "user_message_evt" not in refused.text
    assert requests.get(f"{base}/static/../../../credentials.yml", timeout=10).status_code == 404

    # The widget's socket.io endpoint, same origin.
    handshake = requests.get(f"{servers.rasa_url}/socket.io/?EIO=4&transport=polling", timeout=10)
    assert handshake.status_code == 200 and handshake.text.startswith("0{")


# --- in the browser -------------------------------------------------------------------------

def test_a_harassment_report_typed_in_chinese_gets_the_assistants_reply(widget):
    widget.open()
    page = widget.page
    assert page.title() == "借款人维权助手"
    assert "不是律师" in page.inner_text(".notice") and "110" in page.inner_text(".notice")

    widget.say(HARASSMENT)
    reply = widget.wait_for_reply("哪个平台")
    assert page.locator("#webchat .rw-client", has_text=HARASSMENT).count() == 1
    greeting, *rest = widget.replies()
    assert GREETING in greeting and rest == [reply]
    widget.screenshot("webchat-harassment")
    widget.assert_self_contained()


def test_a_reload_keeps_the_session_and_the_conversation(widget, servers):
    widget.open()
    widget.say(HARASSMENT)
    widget.wait_for_reply("哪个平台")
    session_id, before = widget.session_id(), widget.conversation()

    widget.page.reload()
    widget.wait_for_reply("哪个平台", after=0)
    assert widget.session_id() == session_id
    assert widget.conversation() == before

    # The server kept the conversation too: the platform question is answered where it stopped,
    # and the reload was not greeted again (a greeting would have come before this answer).
    widget.say("分期乐")
    widget.wait_for_reply("请保留这些证据")
    widget.wait_for_reply("案件编号")
    assert sum(GREETING in reply for reply in widget.replies()) == 1
    widget.screenshot("webchat-after-reload")

    with create_engine(servers.tracker_db_url, future=True).connect() as connection:
        said = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user'"), {"sender": session_id}
        ).scalars().all()
    assert [json.loads(row)["text"] for row in said] == ["/greet", HARASSMENT, "分期乐"]
    assert all('"input_channel": "socketio"' in row for row in said)
    widget.assert_self_contained()


def test_buttons_are_shown_and_clicking_one_answers_it(widget):
    widget.open()
    widget.say(COMPLAINT)
    widget.wait_for_reply("哪种借款")
    buttons = widget.page.locator("#webchat .rw-replies .rw-reply")
    buttons.first.wait_for()
    titles = buttons.all_inner_texts()
    assert {"车贷", "网贷", "信用卡"} <= set(titles)
    widget.screenshot("webchat-buttons")

    widget.click_button("车贷")
    assert "多少钱" in widget.wait_for_reply("多少钱")
    assert widget.page.locator("#webchat .rw-client", has_text=re.compile("^车贷$")).count() == 1
    widget.assert_self_contained()


def test_a_letter_keeps_its_line_breaks_and_can_be_copied_and_downloaded(widget, servers):
    widget.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=servers.rasa_url)
    widget.open()
    widget.say(COMPLAINT)
    widget.wait_for_reply("哪种借款")
    widget.say("车贷")
    widget.wait_for_reply("多少钱")
    widget.say("五万二")
    letter = widget.wait_for_reply("投诉书（草稿）")
    widget.wait_for_reply("案件编号")

    # Line breaks kept (innerText follows the rendering) and "1." not turned into a list.
    lines = letter.splitlines()
    assert lines[0] == "投诉书（草稿）"
    assert {"一、事实经过", "二、依据", "三、请求", "四、证据清单（随信附上）"} <= set(lines)
    assert any(line.startswith("1. 核实上述情况") for line in lines)
    message = widget.message_with("投诉书（草稿）")
    message.scroll_into_view_if_needed()
    widget.screenshot("webchat-letter")

    # The buttons are under long messages only.
    assert widget.message_with("案件编号").locator(".letter-tools").count() == 0
    with widget.page.expect_download() as download_info:
        message.locator(".letter-tool", has_text="下载").click()
    download = download_info.value
    assert download.suggested_filename == f"letter-{date.today():%Y%m%d}.txt"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and b"\r\n" in content  # for Windows Notepad
    downloaded = content.decode("utf-8-sig").replace("\r\n", "\n")
    [case] = CaseStore(servers.cases_db_url).cases_for(f"socketio:{widget.session_id()}")
    assert downloaded == letter == case.draft.strip()

    copy = message.locator(".letter-tool").first
    copy.click()
    expect(copy).to_have_text("已复制")
    assert widget.page.evaluate("navigator.clipboard.readText()") == letter
    widget.assert_self_contained()


def test_a_letter_sent_in_parts_is_downloaded_as_one_file(widget):
    """A letter longer than a chat message comes as "（1/2）…", "（2/2）…"
    (actions/drafting.py); the buttons go under the last part and take all parts. The parts are
    put into the widget's message list as the widget renders them."""
    widget.open()
    parts = ["投诉书（草稿）\n致：某某 客户投诉部门\n一、事实经过" + "乱收费。" * 80, "二、依据\n1. 某条规定。\n日期：某日"]
    widget.page.evaluate(
        """parts => parts.forEach((part, i) => {
             const message = document.createElement('div');
             message.className = 'rw-message';
             message.innerHTML = '<div class="rw-response"><div class="rw-message-text"><div class="rw-markdown"><p></p></div></div></div>';
             message.querySelector('p').textContent = `（${i + 1}/${parts.length}）\\n` + part;
             document.querySelector('#rw-messages').appendChild(message);
           })""",
        parts,
    )
    first, last = widget.message_with("（1/2）"), widget.message_with("（2/2）")
    last.locator(".letter-tools").wait_for()
    assert first.locator(".letter-tools").count() == 0
    with widget.page.expect_download() as download_info:
        last.locator(".letter-tool", has_text="下载").click()
    downloaded = Path(download_info.value.path()).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    assert downloaded == "\n".join(parts)
