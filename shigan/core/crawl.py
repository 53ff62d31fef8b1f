"""A breadth-first crawl of the site as one logged-in user, for tests: every same-site link, every
simple GET form submitted with its default values, a few `as_of` dates on pages that take one,
every download opened. It fails a page that answers 500 or raises, a page rendered outside the
site's frame and a download that does not open; it records every page's forms so other tests
(the fuzz test) can reuse what was reached.

    result = crawl(client, account="zhuanban", as_of_dates=["2023-03-31"])
    assert not result.failures, result.report()

Near-duplicates are bounded: at most `per_pattern` pages per URL pattern (the resolved view
name, the names of the query parameters and a download's format: /tasks/1/ and /tasks/2/ share
one, so do ?unit=1 and ?unit=2), at most `per_route` per view name (`per_admin_route` in the
admin, whose dozens of models each have a list, filters, sort orders, forms and histories;
`per_download` per download view and format: a PDF costs a LibreOffice run), at most `max_pages`
in all (`CrawlResult.unvisited` counts what was left). Seeds, redirect targets and the `as_of`
dates of each view's first page are always fetched.
"""

import io
import time
import traceback
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

import docx
import openpyxl
from django.db import transaction
from django.urls import Resolver404, resolve

HOSTS = {"", "testserver", "127.0.0.1", "localhost"}
# Files, leaving the session, pages that only delete or change passwords, a JavaScript catalogue.
SKIPPED = ("/static/", "/media/", "/accounts/logout/", "/admin/logout/", "/admin/password_change/")
SKIPPED += ("/admin/jsi18n/",)
SKIPPED_ENDINGS = ("/delete/", "/password/")
SKIPPED_PARAMS = {"_popup"}  # admin pop-ups: the same forms again, without a frame by design
DOWNLOADS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown",
    "txt": "text/plain",
    "csv": "text/csv",
}
# The frame of shigan/templates/base.html for a logged-in user, and that of Django's admin.
SITE_FRAME = ("header.topbar", "nav.mainnav", "main.page")
ADMIN_FRAME = ("header#header", "div#site-name", "div#content")
LOGIN_ROUTES = {"login", "admin:login"}
LANGUAGES = {"zh-hans", "zh-cn"}
TEXT_INPUTS = {"", "text", "hidden", "search", "date", "month", "number", "email", "tel", "url"}
UNSUBMITTED = {"submit", "button", "reset", "image", "file"}


@dataclass(frozen=True)
class FormField:
    """One named control: `kind` is the input type, "select" or "textarea"; `value` is what the
    browser submits unchanged (a checkbox's or radio's value whether checked or not)."""

    name: str
    kind: str
    value: str = ""
    options: tuple[str, ...] = ()
    checked: bool = False
    multiple: bool = False


@dataclass(frozen=True)
class Form:
    """A form as rendered: method "get" or "post", its normalised same-site action."""

    method: str
    action: str
    enctype: str
    fields: tuple[FormField, ...]

    def defaults(self) -> list[tuple[str, str]]:
        """The (name, value) pairs a browser submits when the form is sent unchanged."""
        pairs = []
        for f in self.fields:
            if f.kind in ("checkbox", "radio") and not f.checked:
                continue
            if f.kind not in UNSUBMITTED:
                pairs.append((f.name, f.value))
        return pairs

    @property
    def is_simple_get(self) -> bool:
        return self.method == "get" and all(
            f.kind in TEXT_INPUTS | {"select", "checkbox", "radio", "textarea"} | UNSUBMITTED
            for f in self.fields
        )


@dataclass
class Page:
    """A fetched URL: `route` is its resolved view name ("" if it does not resolve)."""

    url: str
    status: int
    content_type: str
    route: str
    referrer: str
    seconds: float = 0.0
    forms: list[Form] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Failure:
    """A page that failed: `status` None when the view raised; `problem` is one line (the
    exception's last traceback line), `detail` the whole traceback."""

    account: str
    url: str
    status: int | None
    problem: str
    referrer: str
    detail: str = ""

    def line(self) -> str:
        status = self.status if self.status is not None else "raised"
        return f"{self.account} {self.url} {status}: {self.problem} (linked from {self.referrer})"


@dataclass
class CrawlResult:
    """What one account reached: every page fetched (in crawl order) and every failure;
    `capped` links skipped as near-duplicates, `unvisited` links left when max_pages was hit."""

    account: str
    pages: list[Page] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    capped: int = 0
    unvisited: int = 0

    def dead_ends(self) -> list[Page]:
        """Links the site showed this account that lead nowhere: a 4xx answer, or a log-in page
        reached while logged in (not failures of the crawl; the caller decides)."""
        return [p for p in self.pages if 400 <= p.status < 500 or p.route in LOGIN_ROUTES]

    def html_pages(self) -> list[Page]:
        return [p for p in self.pages if p.content_type == "text/html" and p.status == 200]

    def forms(self) -> list[tuple[Page, Form]]:
        return [(p, f) for p in self.pages for f in p.forms]

    def report(self) -> str:
        return "\n".join(f.line() for f in self.failures)


def normalise(url: str, base: str = "/") -> str | None:
    """The same-site path and sorted query of `url` (resolved against `base`), or None."""
    parts = urlsplit(urljoin("http://testserver" + base, url.strip()))
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in HOSTS:
        return None
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit(("", "", path, query, ""))


def skipped(url: str) -> bool:
    parts = urlsplit(url)
    params = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return (
        parts.path.startswith(SKIPPED)
        or (parts.path.startswith("/admin/") and parts.path.endswith(SKIPPED_ENDINGS))
        or bool(params & SKIPPED_PARAMS)
    )


def route_of(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return ""


def pattern_of(url: str) -> tuple[str, tuple[str, ...], str]:
    """What near-duplicates share: the view name (or the path), the query's parameter names and
    the file format a download names (/reports/download/pdf/ is not a duplicate of …/md/)."""
    parts = urlsplit(url)
    names = tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return (route_of(url) or parts.path, names, expected_download(url))


def with_params(url: str, **params: str) -> str:
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return normalise(urlunsplit(("", "", parts.path, urlencode(pairs + list(params.items())), "")))


class _Parser(HTMLParser):
    """Collects links, forms, the frame markers ("tag.class", "tag#id") and <html lang>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.links: list[str] = []
        self.markers: set[str] = set()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        self.markers.update(f"{tag}.{c}" for c in a.get("class", "").split())
        if a.get("id"):
            self.markers.add(f"{tag}#{a['id']}")
        if tag in ("a", "area") and "href" in a:
            self.links.append(a["href"])
        for attr in ("hx-get", "data-href"):
            if attr in a:
                self.links.append(a[attr])
        self._control(tag, a)

    def _control(self, tag, a):
        if tag == "form":
            self._form = {"attrs": a, "fields": []}
            self.forms.append(self._form)
        elif tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "").lower()
            default = "on" if kind in ("checkbox", "radio") else ""
            self._field(a["name"], kind, a.get("value", default), "checked" in a)
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and a.get("name") and "disabled" not in a:
            self._textarea = {"name": a["name"], "text": ""}
        elif tag == "button" and a.get("name"):
            self._field(a["name"], a.get("type", "submit").lower(), a.get("value", ""), False)

    def _field(self, name, kind, value, checked, options=(), multiple=False):
        if self._form is not None:
            self._form["fields"].append(
                FormField(name, kind, value, tuple(options), checked, multiple)
            )

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._end_select(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"].removeprefix("\n")
            self._field(self._textarea["name"], "textarea", text, False)
            self._textarea = None
        elif tag == "form":
            self._form = None

    def _end_select(self, select: dict) -> None:
        values = [o["value"] if o["value"] is not None else o["text"] for o in select["options"]]
        chosen = [v for v, o in zip(values, select["options"], strict=True) if o["selected"]]
        if not chosen and values and not select["multiple"]:
            chosen = values[:1]
        for value in chosen or [""]:
            self._field(select["name"], "select", value, True, values, select["multiple"])


def parse_forms(parser: _Parser, url: str) -> list[Form]:
    forms = []
    for raw in parser.forms:
        action = normalise(raw["attrs"].get("action", ""), url)
        if action is None:
            continue
        method = raw["attrs"].get("method", "get").lower()
        if method == "get":  # a GET submission replaces the action's query
            action = urlunsplit(("", "", urlsplit(action).path, "", ""))
        forms.append(
            Form(method, action, raw["attrs"].get("enctype", ""), tuple(_radios(raw["fields"])))
        )
    return forms


def _radios(fields: list[FormField]) -> list[FormField]:
    """One field per radio group: its options, the checked value (or the first)."""
    groups: dict[str, list[FormField]] = {}
    for f in fields:
        if f.kind == "radio":
            groups.setdefault(f.name, []).append(f)
    out = []
    for f in fields:
        if f.kind != "radio":
            out.append(f)
        elif groups.get(f.name):
            group = groups.pop(f.name)
            checked = [g for g in group if g.checked]
            value = (checked or group)[0].value
            out.append(FormField(f.name, "radio", value, tuple(g.value for g in group), True))
    return out


def frame_problem(parser: _Parser, url: str) -> str:
    """Why an HTML page is outside the site's frame, or "". Admin pages have the admin's frame,
    or the site's when the admin answers an error (PermissionDenied, Http404)."""
    admin = urlsplit(url).path.startswith("/admin/")
    frames = [ADMIN_FRAME, SITE_FRAME] if admin else [SITE_FRAME]
    missing = min(([m for m in f if m not in parser.markers] for f in frames), key=len)
    problems = []
    if parser.lang.lower() not in LANGUAGES:
        problems.append(f'<html lang="{parser.lang}">')
    if missing:
        problems.append("no " + ", ".join(missing))
    return ("outside the site's frame: " + "; ".join(problems)) if problems else ""


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def expected_download(url: str) -> str:
    """The format a URL names: its extension, its last path segment or its `format` parameter."""
    parts = urlsplit(url)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1].lower()
    params = dict(parse_qsl(parts.query))
    for name in (last.rsplit(".", 1)[-1] if "." in last else "", last, params.get("format", "")):
        if name in DOWNLOADS:
            return name
    return ""


def download_problem(url: str, status: int, content_type: str, body: bytes) -> str:
    """Why a download is broken (wrong status or content type, a file that does not open)."""
    expected = expected_download(url)
    fmt = next((k for k, v in DOWNLOADS.items() if v == content_type), "")
    if expected and status != 200:
        return f"download answered {status}"
    if expected and fmt != expected:
        return f"a {expected} download served as {content_type or 'no content type'}"
    try:
        _open(fmt, body)
    except Exception as e:  # every way a file fails to open is the same failure here
        return f"the {fmt} file does not open: {type(e).__name__}: {e}"
    return ""


def _open(fmt: str, body: bytes) -> None:
    if fmt == "xlsx":
        openpyxl.load_workbook(io.BytesIO(body)).close()
    elif fmt == "docx":
        docx.Document(io.BytesIO(body))
    elif fmt == "pdf" and not body.startswith(b"%PDF"):
        raise ValueError(f"starts with {body[:8]!r}")
    elif fmt in ("md", "txt", "csv"):
        body.decode("utf-8")


class Crawler:
    """One account's breadth-first crawl; `run()` returns its CrawlResult."""

    def __init__(self, client, *, account: str, as_of_dates: Iterable[str], limits: dict) -> None:
        self.client = client
        self.as_of_dates = list(as_of_dates)
        self.limits = limits
        self.result = CrawlResult(account)
        self.queue: deque[tuple[str, str]] = deque()
        self.seen: set[str] = set()
        self.counts: Counter = Counter()
        self.as_of_routes: set[str] = set()

    def run(self, seeds: Iterable[str]) -> CrawlResult:
        for seed in seeds:
            self.push(normalise(seed), "(start)", forced=True)
        while self.queue and len(self.result.pages) < self.limits["max_pages"]:
            self.visit(*self.queue.popleft())
        self.result.unvisited = len(self.queue)
        return self.result

    def push(self, url: str | None, referrer: str, *, forced: bool = False) -> None:
        if url is None or url in self.seen or skipped(url):
            return
        pattern = pattern_of(url)
        route = (pattern[0], pattern[2])  # a download view's formats are counted apart
        if not forced and (
            self.counts[pattern] >= self.limits["per_pattern"]
            or self.counts[route] >= self.route_limit(url)
        ):
            self.result.capped += 1
            return
        self.counts.update([pattern, route])
        self.seen.add(url)
        self.queue.append((url, referrer))

    def route_limit(self, url: str) -> int:
        if expected_download(url):
            return self.limits["per_download"]
        return self.limits["per_admin_route" if url.startswith("/admin/") else "per_route"]

    def fail(self, page_url: str, status, problem: str, referrer: str, detail: str = "") -> None:
        self.result.failures.append(
            Failure(self.result.account, page_url, status, problem, referrer, detail)
        )

    def visit(self, url: str, referrer: str) -> None:
        started = time.perf_counter()
        try:
            # A savepoint per request: a database error in one view (PostgreSQL aborts the
            # transaction) must not fail every later request of the test.
            with transaction.atomic():
                response = self.client.get(url)
                body = _body(response)
        except Exception as e:  # the crawl reports every exception a page raises
            problem = traceback.format_exception_only(e)[-1].strip()
            self.fail(url, None, problem, referrer, traceback.format_exc())
            return
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        page = Page(url, response.status_code, content_type, route_of(url), referrer)
        self.result.pages.append(page)
        self.check(page, response, body)
        page.seconds = time.perf_counter() - started

    def check(self, page: Page, response, body: bytes) -> None:
        if page.status >= 500:
            self.fail(page.url, page.status, "server error", page.referrer)
        elif page.status in (301, 302, 303, 307, 308):
            self.push(normalise(response.get("Location", ""), page.url), page.url, forced=True)
        elif self.is_download(page, response):
            problem = download_problem(page.url, page.status, page.content_type, body)
            if problem:
                self.fail(page.url, page.status, problem, page.referrer)
        elif page.content_type == "text/html":
            self.read_html(page, body.decode(response.charset or "utf-8", "replace"))

    @staticmethod
    def is_download(page: Page, response) -> bool:
        return (
            bool(expected_download(page.url))
            or page.content_type in DOWNLOADS.values()
            or response.get("Content-Disposition", "").startswith("attachment")
        )

    def read_html(self, page: Page, text: str) -> None:
        parser = _Parser()
        parser.feed(text)
        parser.close()
        if problem := frame_problem(parser, page.url):
            self.fail(page.url, page.status, problem, page.referrer)
        page.forms = parse_forms(parser, page.url)
        page.links = list(
            dict.fromkeys(filter(None, (normalise(h, page.url) for h in parser.links)))
        )
        for link in page.links:
            self.push(link, page.url)
        for form in page.forms:
            if form.is_simple_get:
                self.push(normalise(f"{form.action}?{urlencode(form.defaults())}"), page.url)
        if page.status == 200:
            self.push_as_of(page)

    def push_as_of(self, page: Page) -> None:
        """The page at each of `as_of_dates` if one of its GET forms asks for `as_of` and it has
        at most one other parameter; always for the first such page of each view."""
        takes = any(
            f.name == "as_of" for form in page.forms if form.method == "get" for f in form.fields
        )
        others = {k for k, _ in parse_qsl(urlsplit(page.url).query) if k != "as_of"}
        if not takes or len(others) > 1:
            return
        forced = page.route not in self.as_of_routes
        self.as_of_routes.add(page.route)
        for day in self.as_of_dates:
            self.push(with_params(page.url, as_of=day), page.url, forced=forced)


def crawl(
    client,
    *,
    account: str = "",
    seeds: Iterable[str] = ("/",),
    as_of_dates: Iterable[str] = (),
    max_pages: int = 400,
    per_route: int = 8,
    per_pattern: int = 3,
    per_admin_route: int = 1,
    per_download: int = 1,
) -> CrawlResult:
    """Crawl the site breadth-first from `seeds` with `client`, a logged-in django.test.Client
    that raises a view's exception (as it does by default); `account` names it in failures."""
    limits = {
        "max_pages": max_pages,
        "per_route": per_route,
        "per_pattern": per_pattern,
        "per_admin_route": per_admin_route,
        "per_download": per_download,
    }
    return Crawler(client, account=account, as_of_dates=as_of_dates, limits=limits).run(seeds)
