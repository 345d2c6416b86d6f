"""Parallel signings against a real multi-worker Odoo server.

``HttpCase`` runs Odoo in threads, never with ``--workers``: this script starts
a real server (prefork workers, a cron worker) on the given database, prepares a
quotation with commitments and a checked delivery through JSON-RPC as the demo
users, then sends many signings of each at once, as customers tapping "Sign"
twice or two tablets do. It checks that:

- each document ends up with exactly one signature;
- every request is answered, within ``--max-seconds`` each;
- the signed delivery checklist is attached as a PDF by the job afterwards.

It prints the figures and exits 1 when a check fails. ``scripts/test.sh`` runs
it against the demo database ``journey_test`` after the test suite:

    python3 tests/concurrency/parallel_signing.py -c .run/odoo.conf -d journey_test

Only the standard library is used; Odoo must be importable (``python3 -m odoo``).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import xmlrpc.client

# A 1x1 transparent PNG: what the portal's signature pad posts (base64).
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, default=8071)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--parallel", type=int, default=8, help="signings sent at once per document"
    )
    parser.add_argument("--max-seconds", type=float, default=30.0)
    return parser.parse_args()


class Server:
    """``python3 -m odoo`` with prefork workers, stopped on exit."""

    def __init__(self, args, logfile):
        self.args = args
        self.logfile = logfile
        self.process = None
        self.base = f"http://127.0.0.1:{args.port}"

    def start(self):
        # Odoo's prefork server starts its websocket worker by running its own
        # command line again: ``python3 -m odoo`` cannot be run again that way,
        # a launcher script can (what ``odoo-bin`` is).
        launcher = os.path.join(
            os.path.dirname(os.path.abspath(self.args.config)), "odoo-launcher.py"
        )
        with open(launcher, "w", encoding="utf-8") as script:
            script.write("import odoo.cli\n\nodoo.cli.main()\n")
        command = [
            sys.executable,
            launcher,
            "-c",
            self.args.config,
            "-d",
            self.args.database,
            "--db-filter",
            f"^{self.args.database}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(self.args.port),
            "--workers",
            str(self.args.workers),
            "--max-cron-threads",
            "1",
            "--limit-time-real",
            "120",
            "--no-database-list",
            "--log-level",
            "warn",
            "--gevent-port",
            str(self.args.port + 1),
        ]
        self.process = subprocess.Popen(
            command,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"the Odoo server stopped at start (exit {self.process.returncode})"
                )
            try:
                urllib.request.urlopen(f"{self.base}/web/health", timeout=5)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        raise SystemExit("the Odoo server did not answer within 120 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class Rpc:
    """XML-RPC as one user of the database."""

    def __init__(self, base, database, login, password):
        self.database = database
        self.password = password
        common = xmlrpc.client.ServerProxy(f"{base}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(database, login, password, {})
        if not self.uid:
            raise SystemExit(
                f"cannot log in as {login} (is the database made with demo data?)"
            )
        self.models = xmlrpc.client.ServerProxy(
            f"{base}/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.database, self.uid, self.password, model, method, list(args), kwargs
        )


def post_json(url, params, timeout):
    body = json.dumps(
        {"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
    ).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def sign_in_parallel(label, url, params, count, timeout):
    """Send ``count`` signings at once; return (seconds, outcome) per request."""
    results = [None] * count
    barrier = threading.Barrier(count)

    def one(index):
        barrier.wait()
        start = time.monotonic()
        try:
            answer = post_json(url, dict(params, name=f"Customer {index}"), timeout)
            result = answer.get("result") or {}
            if "error" in answer:
                outcome = "error: {}".format(
                    answer["error"].get("data", {}).get("message", answer["error"])
                )
            elif result.get("error"):
                outcome = "refused: {}".format(result["error"])
            else:
                outcome = "signed"
        except Exception as error:  # noqa: BLE001 - every failure is a figure to print
            outcome = f"failed: {type(error).__name__}: {error}"
        results[index] = (time.monotonic() - start, outcome)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = sorted(seconds for seconds, _outcome in results)
    print(
        f"{label}: {count} signings at once, answered in {times[0]:.2f}-{times[-1]:.2f} s "
        f"(median {times[len(times) // 2]:.2f} s)"
    )
    for outcome in sorted({outcome for _seconds, outcome in results}):
        print(f"    {sum(1 for _s, o in results if o == outcome)} x {outcome}")
    return results


def prepare(base, database):
    admin = Rpc(base, database, "admin", "admin")
    sales = Rpc(base, database, "sales", "sales")
    delivery = Rpc(base, database, "delivery", "delivery")
    # wkhtmltopdf fetches the report's assets from this very server.
    admin("ir.config_parameter", "set_param", "report.url", base)
    ref = admin(
        "ir.model.data", "check_object_reference", "journey_crm", "product_ev_suv"
    )[1]
    mats = admin(
        "ir.model.data",
        "check_object_reference",
        "journey_crm",
        "commitment_type_floor_mats",
    )[1]
    partner = admin(
        "res.partner",
        "create",
        {"name": "Parallel Signing Customer", "email": "parallel@example.com"},
    )

    def order():
        order_id = sales(
            "sale.order",
            "create",
            {
                "partner_id": partner,
                "require_signature": True,
                "require_payment": False,
                "commitment_date": time.strftime(
                    "%Y-%m-%d 10:00:00", time.gmtime(time.time() + 30 * 86400)
                ),
                "order_line": [(0, 0, {"product_id": ref, "product_uom_qty": 1})],
                "commitment_ids": [(0, 0, {"type_id": mats, "name": "Floor mats"})],
            },
        )
        sales("sale.order", "action_declare_commitments", [order_id])
        return order_id

    quotation = order()
    quotation_url = sales("sale.order", "get_portal_url", [quotation])
    quotation_token = quotation_url.split("access_token=")[1].split("&")[0]

    delivered = order()
    sales("sale.order", "action_confirm", [delivered])
    task = delivery(
        "project.task",
        "search",
        [("journey_order_id", "=", delivered), ("journey_work_type", "=", "delivery")],
    )[0]
    promises = delivery("project.task", "read", [task], ["journey_checklist_ids"])[0]
    for promise in promises["journey_checklist_ids"]:
        delivery("journey.commitment", "action_journey_fulfil", [promise])
    task_url = delivery("project.task", "get_portal_url", [task])
    return (
        admin,
        quotation,
        quotation_token,
        task,
        task_url.split("access_token=")[1].split("&")[0],
    )


def main():
    args = parse_args()
    log_path = os.path.join(
        os.path.dirname(os.path.abspath(args.config)), "parallel_signing.log"
    )
    with open(log_path, "w", encoding="utf-8") as logfile:
        server = Server(args, logfile)
        try:
            server.start()
            admin, quotation, q_token, task, t_token = prepare(
                server.base, args.database
            )
            timeout = args.max_seconds * 4
            quotation_results = []
            checklist_results = []
            runs = [
                threading.Thread(
                    target=lambda: quotation_results.extend(
                        sign_in_parallel(
                            "Quotation",
                            f"{server.base}/my/orders/{quotation}/accept",
                            {"access_token": q_token, "signature": SIGNATURE},
                            args.parallel,
                            timeout,
                        )
                    )
                ),
                threading.Thread(
                    target=lambda: checklist_results.extend(
                        sign_in_parallel(
                            "Delivery checklist",
                            f"{server.base}/my/journey/delivery/{task}/sign",
                            {"access_token": t_token, "signature": SIGNATURE},
                            args.parallel,
                            timeout,
                        )
                    )
                ),
            ]
            for run in runs:
                run.start()
            for run in runs:
                run.join()

            problems = []
            for label, results in (
                ("quotation", quotation_results),
                ("checklist", checklist_results),
            ):
                slow = [
                    seconds
                    for seconds, _outcome in results
                    if seconds > args.max_seconds
                ]
                failed = [
                    outcome
                    for _seconds, outcome in results
                    if outcome.startswith("failed")
                ]
                signed = [
                    outcome for _seconds, outcome in results if outcome == "signed"
                ]
                if slow:
                    problems.append(
                        f"{label}: {len(slow)} request(s) took more than {args.max_seconds} s"
                    )
                if failed:
                    problems.append(
                        f"{label}: {len(failed)} request(s) got no answer ({failed[0]})"
                    )
                if len(signed) != 1:
                    problems.append(
                        f"{label}: {len(signed)} requests were told 'signed', expected 1"
                    )
            q_signatures = admin(
                "journey.commitment.signature",
                "search_count",
                [("order_id", "=", quotation)],
            )
            t_signatures = admin(
                "journey.commitment.signature", "search_count", [("task_id", "=", task)]
            )
            print(
                f"Signatures stored: quotation {q_signatures}, delivery checklist {t_signatures}"
            )
            if q_signatures != 1 or t_signatures != 1:
                problems.append("each document must hold exactly one signature")
            start = time.monotonic()
            while time.monotonic() - start < 90:
                if admin(
                    "project.task", "read", [task], ["journey_checklist_pdf_posted"]
                )[0]["journey_checklist_pdf_posted"]:
                    print(
                        f"Signed checklist PDF attached by the job after {time.monotonic() - start:.1f} s"
                    )
                    break
                time.sleep(2)
            else:
                problems.append("the signed checklist PDF was not attached within 90 s")
        finally:
            server.stop()
    if problems:
        print(
            "PARALLEL SIGNING FAILED:\n- "
            + "\n- ".join(problems)
            + f"\n(server log: {log_path})"
        )
        return 1
    print("Parallel signing: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
