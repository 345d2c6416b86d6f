#!/usr/bin/env python3
"""Take the README's screenshots from a running Journey demo.

Start the demo first (``scripts/run.sh``), then::

    python3 scripts/screenshots.py [--url http://localhost:8069] [--db journey]

Each screen is taken in English and in Simplified Chinese, as the demo user who
works on it, with headless Chromium (Debian package ``chromium``), into
``docs/screenshots/<name>_<lang>.png``. For the Chinese shot the user's own
language preference is switched for the moment of the shot and set back after.
Needs only ``requests`` and ``websocket-client`` (both among Odoo's
requirements); Odoo itself is reached over HTTP.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

REPO = Path(__file__).resolve().parent.parent
DESK = (1440, 900)
PHONE = (390, 844)


class Odoo:
    """A JSON-RPC session of one user."""

    def __init__(self, url, db, login):
        self.url = url
        self.session = requests.Session()
        result = self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": login},
        )
        self.uid = result["uid"]

    def _post(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=60,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RuntimeError(json.dumps(body["error"], indent=1)[:2000])
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def first(self, model, domain, order="id"):
        ids = self.call(model, "search", domain, limit=1, order=order)
        if not ids:
            raise RuntimeError(f"no {model} matches {domain} in the demo")
        return ids[0]

    def set_lang(self, lang):
        self.call("res.users", "write", [self.uid], {"lang": lang})

    def get_lang(self):
        return self.call("res.users", "read", [self.uid], ["lang"])[0]["lang"]

    @property
    def session_id(self):
        return self.session.cookies.get("session_id")


class Browser:
    """Headless Chromium driven through the DevTools protocol."""

    def __init__(self):
        executable = next(
            (
                shutil.which(name)
                for name in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(name)
            ),
            None,
        )
        if not executable:
            sys.exit("Chromium is needed (Debian: apt-get install chromium)")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="journey-shots-")
        self.process = subprocess.Popen(
            [
                executable,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        targets = None
        for _attempt in range(100):
            try:
                targets = requests.get(
                    f"http://127.0.0.1:{port}/json", timeout=1
                ).json()
                break
            except requests.RequestException:
                time.sleep(0.1)
        page = next(t for t in targets or [] if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"])
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def shot(self, url, session_id, size, wait_for, path):
        width, height = size
        mobile = width < 768
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self.send("Emulation.setTouchEmulationEnabled", enabled=mobile)
        self.send("Network.enable")
        self.send("Network.clearBrowserCookies")
        if session_id:
            self.send("Network.setCookie", name="session_id", value=session_id, url=url)
        self.send("Page.navigate", url=url)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(wait_for)})"):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"{url}: {wait_for} did not appear within 30 s")
        time.sleep(2)  # fonts, images and the last rendering
        # Passing notifications (the page refreshed for the language switch)
        # are not part of the screen.
        self.evaluate(
            "document.querySelectorAll('.o_notification_manager .o_notification')"
            ".forEach((n) => n.remove())"
        )
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def screens(url, db):
    """(name, user or None for the customer's link, size, path, selector)."""
    sales = Odoo(url, db, "sales")
    order = sales.first(
        "sale.order",
        [("state", "in", ("draft", "sent")), ("commitment_ids", "!=", False)],
    )
    delivery = Odoo(url, db, "delivery")
    task = delivery.first(
        "project.task",
        [
            ("project_id.journey_work_type", "=", "delivery"),
            ("state", "not in", ("1_done", "1_canceled")),
        ],
    )
    service = Odoo(url, db, "service")
    visit = service.first(
        "project.task", [("project_id.journey_work_type", "=", "service")]
    )
    # The customer's pages open from the links the customer receives.
    order_link = sales.call("sale.order", "get_portal_url", [order])
    delivery_link = delivery.call("project.task", "get_portal_url", [task])
    nps_link = service.call("project.task", "get_portal_url", [visit], suffix="/nps")
    backend = "/odoo/action-journey_service.project_task_action_journey_"
    manager = Odoo(url, db, "cx")
    return [
        (
            "quotation",
            sales,
            DESK,
            f"/odoo/action-sale.action_quotations_with_onboarding/{order}",
            ".o_form_view",
        ),
        (
            "delivery_checklist_phone",
            delivery,
            PHONE,
            f"{backend}delivery/{task}",
            ".o_form_view",
        ),
        ("service_visit", service, DESK, f"{backend}service/{visit}", ".o_form_view"),
        ("portal_quotation", None, DESK, order_link, "main"),
        ("portal_delivery_phone", None, PHONE, delivery_link, "main"),
        ("portal_nps_phone", None, PHONE, nps_link, "main"),
        (
            "health_board",
            manager,
            DESK,
            "/odoo/action-journey_kpi.action_journey_kpi_health_board",
            ".o_journey_kpi_card",
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="journey")
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--langs", default="en_US,zh_CN")
    parser.add_argument(
        "--only", help="comma-separated screen names (default: every screen)"
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        shots = screens(args.url.rstrip("/"), args.db)
    except (requests.RequestException, RuntimeError) as error:
        sys.exit(
            f"cannot read the demo at {args.url} (database {args.db}): {error}\n"
            "Start it with scripts/run.sh"
        )
    base = args.url.rstrip("/")
    browser = Browser()
    try:
        only = set(args.only.split(",")) if args.only else None
        for name, user, size, path, wait_for in shots:
            if only and name not in only:
                continue
            original = user.get_lang() if user else None
            try:
                for lang in args.langs.split(","):
                    target = out / f"{name}_{lang}.png"
                    if user:
                        user.set_lang(lang)
                        url = base + path
                    else:
                        # The customer's link, in the language of the page's
                        # URL (as a customer switching it in the portal).
                        url = base + ("" if lang == "en_US" else f"/{lang}") + path
                    browser.shot(
                        url, user.session_id if user else "", size, wait_for, target
                    )
                    print(target)
            finally:
                if user:
                    user.set_lang(original)
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
