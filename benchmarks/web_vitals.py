"""Core Web Vitals of the main pages in Chromium: the demo plus a 100,000-person client.

Run: scripts/with-postgres.sh .venv/bin/python benchmarks/web_vitals.py [--runs 3]
Budget (DESIGN.md): Core Web Vitals "good" on every page: LCP <= 2.5 s, INP <= 200 ms and
CLS <= 0.1. The script exits 1 when a page's worst run is over any of them.

It builds the data of pages_load.py, serves it with gunicorn on 127.0.0.1 only, with the
production static files (collected, hashed and compressed: KOERS_STATIC_MANIFEST=1), logs in
through the log-in form in a Dutch headless Chromium (Debian's, driven by Playwright) and
loads every page `--runs` times (at most 5), each time in a new tab with an empty cache, in
two profiles: desktop (1280x900, no throttling) and mobile (390x844, touch, Lighthouse's
mobile throttling over CDP: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower).

Per load: LCP is the last 'largest-contentful-paint' entry, the page left to settle after its
load event before any input; then the user does the page's two interactions (listed in the
output) with the mouse or a finger and the keyboard, none of which leaves the page; INP is the
longest of those interactions ('event' entries with durationThreshold 16 ms, and the
'first-input' entry); CLS is the largest session window of 'layout-shift' entries without
recent input (gaps under 1 s, at most 5 s long) over the whole visit.
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass

# The static files as production serves them: hashed names and compressed copies.
os.environ["KOERS_STATIC_MANIFEST"] = "1"

from pages_load import HOST, PEOPLE, build_data, serving
from playwright.sync_api import Browser, BrowserContext, Page, Request, sync_playwright

from koers.demo.builder import DEMO_PASSWORD, DEMO_USERS

LCP_BUDGET, INP_BUDGET, CLS_BUDGET = 2500.0, 200.0, 0.1
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU / 4.
MOBILE_NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
MOBILE_CPU_SLOWDOWN = 4
SETTLE_MS = 100  # after two frames, for the last paints and entries to arrive

# Watches from the start of every document; read with page.evaluate("window.__vitals").
OBSERVERS = """
(() => {
  const vitals = { lcp: 0, shifts: [], events: [] };
  window.__vitals = vitals;
  const observe = (type, options, take) =>
    new PerformanceObserver((list) => list.getEntries().forEach(take))
      .observe({ type, buffered: true, ...options });
  observe("largest-contentful-paint", {}, (e) => { vitals.lcp = e.startTime; });
  observe("layout-shift", {}, (e) => {
    if (!e.hadRecentInput) vitals.shifts.push([e.startTime, e.value]);
  });
  const event = (e) => { if (e.interactionId) vitals.events.push([e.interactionId, e.duration]); };
  observe("event", { durationThreshold: 16 }, event);
  observe("first-input", {}, event);
})();
"""
STYLES_APPLIED = """
[...document.querySelectorAll('link[rel=stylesheet]')]
  .every((link) => link.sheet && link.sheet.cssRules.length > 0)
"""
TWO_FRAMES = "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@dataclass(frozen=True)
class Profile:
    name: str
    width: int
    height: int
    mobile: bool


PROFILES = [Profile("desktop", 1280, 900, False), Profile("mobile", 390, 844, True)]


@dataclass(frozen=True)
class Interaction:
    what: str
    selector: str
    key: str = ""  # pressed on the element; neither key nor typed: a click, or a tap on mobile
    typed: str = ""


USER_MENU = Interaction("open the user menu", ".topbar-end details.menu:last-of-type > summary")
WORKSPACE_MENU = Interaction(
    "Enter on the workspace menu", ".topbar-end details.menu:first-of-type > summary", "Enter"
)
# The second interaction of a page that has something of its own to use without leaving it.
OWN_INTERACTION = {
    "people, 100,000": Interaction("type in the search field", "#q", typed="Afdeling 7"),
    "scope canvas": Interaction("type a new item's title", "#id_title", typed="Klantportaal"),
    "revisions": Interaction("open the changes", "main details > summary"),
    "pilot": Interaction("open the criteria panel", "main details.panel > summary"),
    "wave": Interaction("open criteria and notes", "main details > summary"),
}


@dataclass(frozen=True)
class Vitals:
    lcp: float  # ms
    cls: float
    inp: float  # ms


def interactions(label: str) -> list[Interaction]:
    return [USER_MENU, OWN_INTERACTION.get(label, WORKSPACE_MENU)]


def cls_of(shifts: list[list[float]]) -> float:
    """The largest session window: shifts less than 1 s apart, a window at most 5 s long."""
    largest = window = 0.0
    first = last = -1e9
    for start, value in sorted(shifts):
        if start - last < 1000 and start - first < 5000:
            window += value
        else:
            window, first = value, start
        last = start
        largest = max(largest, window)
    return largest


def inp_of(events: list[list[float]]) -> float:
    """The longest interaction: few interactions, so no percentile is left out."""
    longest: dict[float, float] = {}
    for interaction, duration in events:
        longest[interaction] = max(duration, longest.get(interaction, 0.0))
    return max(longest.values(), default=0.0)


def log_in(browser: Browser, base: str, profile: Profile) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": profile.width, "height": profile.height},
        is_mobile=profile.mobile,
        has_touch=profile.mobile,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )
    context.add_init_script(OBSERVERS)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", DEMO_USERS[0].email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, "log-in failed"
    page.close()
    return context


def settle(page: Page) -> None:
    page.evaluate(TWO_FRAMES)
    page.wait_for_timeout(SETTLE_MS)


def interact(page: Page, step: Interaction, touch: bool) -> None:
    target = page.locator(step.selector).first
    if step.typed:
        target.press_sequentially(step.typed)
    elif step.key:
        target.press(step.key)
    elif touch:
        target.tap()
    else:
        target.click()


def note_error(request: Request, failed: list[str]) -> None:
    response = request.response()
    if response is not None and response.status >= 400:
        failed.append(f"{response.status} {request.url}")


def warm_up(context: BrowserContext, base: str, pages: list[tuple[str, str]]) -> None:
    """Load every page once unmeasured, as pages_load.py does, for the workers' caches."""
    page = context.new_page()
    for _label, path in pages:
        page.goto(base + path)
    page.close()


def measure(context: BrowserContext, url: str, label: str, profile: Profile) -> Vitals:
    """Load the page in a new tab with an empty cache, use it, and read its vitals."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    if profile.mobile:
        cdp.send("Network.emulateNetworkConditions", MOBILE_NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": MOBILE_CPU_SLOWDOWN})
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("requestfinished", lambda request: note_error(request, failed))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{label}: {response}"
    settle(page)
    assert page.evaluate(STYLES_APPLIED), f"{label}: a stylesheet did not load"
    for step in interactions(label):
        interact(page, step, profile.mobile)
        settle(page)
    assert page.url == url, f"{label}: an interaction left the page for {page.url}"
    assert not failed, f"{label}: {failed}"
    vitals = page.evaluate("window.__vitals")
    page.close()
    return Vitals(vitals["lcp"], cls_of(vitals["shifts"]), inp_of(vitals["events"]))


def run(
    browser: Browser, base: str, pages: list[tuple[str, str]], runs: int
) -> dict[str, dict[str, list[Vitals]]]:
    """Return {profile: {page: [vitals of each run]}}, runs interleaved over the pages."""
    results: dict[str, dict[str, list[Vitals]]] = {}
    for profile in PROFILES:
        context = log_in(browser, base, profile)
        if not results:
            warm_up(context, base, pages)
        results[profile.name] = {label: [] for label, _ in pages}
        for _ in range(runs):
            for label, path in pages:
                results[profile.name][label].append(measure(context, base + path, label, profile))
        context.close()
    return results


def over_budget(worst: Vitals) -> bool:
    return worst.lcp > LCP_BUDGET or worst.inp > INP_BUDGET or worst.cls > CLS_BUDGET


def report(results: dict[str, dict[str, list[Vitals]]]) -> bool:
    """Print a table per profile; return whether every page's worst run is within budget."""
    within = True
    for profile, by_page in results.items():
        print(f"\n{profile}: median / worst of {len(next(iter(by_page.values())))} runs")
        print(f"  {'page':24s} {'LCP ms':>13s} {'CLS':>13s} {'INP ms':>11s}  interactions")
        for label, runs in by_page.items():
            worst = Vitals(*(max(getattr(v, f) for v in runs) for f in ("lcp", "cls", "inp")))
            median = Vitals(
                *(statistics.median(getattr(v, f) for v in runs) for f in ("lcp", "cls", "inp"))
            )
            mark = "  OVER" if over_budget(worst) else ""
            within = within and not mark
            steps = "; ".join(step.what for step in interactions(label))
            print(
                f"  {label:24s} {median.lcp:6.0f} {worst.lcp:6.0f}"
                f" {median.cls:6.3f} {worst.cls:6.3f} {median.inp:5.0f} {worst.inp:5.0f}"
                f"  {steps}{mark}"
            )
    return within


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = max(1, min(args.runs, 5))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Run under scripts/with-postgres.sh: the pages are for PostgreSQL.")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the run")
    started = time.monotonic()
    pages = build_data()
    assert set(OWN_INTERACTION) <= {label for label, _ in pages}, "a page was renamed"
    print(f"data: demo + {PEOPLE:,} people in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    with serving() as port, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        results = run(browser, f"http://{HOST}:{port}", pages, runs)
        browser.close()
    print(f"measured in {time.monotonic() - started:.0f} s, each load with an empty cache")
    within = report(results)
    print(
        f"\nbudget: LCP <= {LCP_BUDGET:.0f} ms, INP <= {INP_BUDGET:.0f} ms, CLS <= {CLS_BUDGET}"
        f" on every page's worst run: {'OK' if within else 'OVER'}"
    )
    sys.exit(0 if within else 1)


if __name__ == "__main__":
    main()
