"""What a tester met trying the delivery and the handover in a browser (desktop
and phone): a handover sent twice, a mis-tapped Kept that could not be undone, a
portal that said "To sign" too early, a checklist cut on a phone, a tablet page
a tap away from the back office, a manager's empty Handovers menu."""

import json

from lxml import etree, html

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import SIGNATURE, JourneyServiceCommon


class JourneyUxDeliveryCommon(JourneyServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivery_action = cls.env.ref(
            "journey_service.project_task_action_journey_delivery"
        )

    @classmethod
    def _only_specialist(cls, specialist):
        """Leave ``specialist`` the company's only delivery specialist (the managers,
        who hold the role too, do not count)."""
        group = cls.env.ref("journey_crm.group_delivery_specialist")
        managers = cls.env.ref("journey_crm.group_cx_manager")
        others = group.users.filtered(
            lambda u: u != specialist and managers not in u.groups_id
        )
        others.write({"active": False})

    def _checklist_task(self, assign=True):
        order = self._confirmed_order()
        task = self._delivery_task(order).with_env(self.env)
        if assign:
            task.user_ids = self.delivery
        return task

    def _mats(self, task):
        return task.journey_checklist_ids.filtered(lambda c: c.name == "Floor mats")

    def _sign(self, task):
        return task._journey_sign_checklist(
            "Customer Zhao", SIGNATURE, "in_store", user=self.delivery
        )


@tagged("post_install", "-at_install")
class TestUxDelivery(JourneyUxDeliveryCommon):
    # ------------------------------------------------------------------
    # 1. Hand Over to Delivery
    # ------------------------------------------------------------------

    def _open_handover_wizard(self, order):
        action = order.with_user(self.consultant).action_journey_handover()
        return Form(
            self.env["journey.handover.wizard"]
            .with_user(self.consultant)
            .with_context(**action["context"])
        )

    def test_handover_proposes_the_only_specialist_and_sends_once(self):
        self._only_specialist(self.delivery)
        order = self._confirmed_order()
        self.assertTrue(order.journey_handover_to_send)
        wizard = self._open_handover_wizard(order)
        self.assertEqual(wizard.receiver_id, self.delivery)
        wizard.background = "Teacher, first EV"
        wizard.save().action_send()
        order.invalidate_recordset()
        self.assertEqual(order.journey_handover_state, "sent")
        self.assertFalse(
            order.journey_handover_to_send, "the button gives way to the handover"
        )
        action = order.with_user(self.consultant).action_journey_view_handover()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("journey.handover", order.journey_handover_id.id),
        )

    def test_handover_proposes_the_specialist_assigned_to_the_delivery(self):
        other = self.delivery.copy({"login": "jc_delivery_other", "name": "Other"})
        order = self._confirmed_order()
        self._delivery_task(order).sudo().user_ids = other
        self.assertEqual(self._open_handover_wizard(order).receiver_id, other)

    def test_handover_does_not_guess_between_specialists(self):
        self.delivery.copy({"login": "jc_delivery_other", "name": "Other"})
        order = self._confirmed_order()
        self.assertFalse(self._open_handover_wizard(order).receiver_id)

    # ------------------------------------------------------------------
    # 2. Reopening a line checked by mistake
    # ------------------------------------------------------------------

    def _reopen(self, commitments, reason="Tapped Kept by mistake", user=None):
        user = user or self.delivery
        action = commitments.with_user(user).action_journey_reopen()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({"reason": reason})
        )
        return wizard.action_confirm()

    def test_reopen_a_kept_line_before_signature(self):
        task = self._checklist_task()
        mats = self._mats(task)
        self._check_promise(mats)
        self.assertTrue(mats.journey_can_reopen)
        self._reopen(mats)
        self.assertEqual(mats.fulfillment_state, "open")
        self.assertFalse(mats.fulfilled_by_id)
        self.assertFalse(mats.fulfilled_on)
        self.assertEqual(mats.reopen_reason, "Tapped Kept by mistake")
        self.assertIn(
            "Tapped Kept by mistake", mats.message_ids[:1].body, "the reason is logged"
        )
        self.assertEqual(mats.message_ids[:1].author_id, self.delivery.partner_id)
        self.assertEqual(task.journey_checklist_blocking_count, 2)
        # Checked again, properly.
        self._check_promise(mats)
        self.assertEqual(mats.fulfillment_state, "fulfilled")

    def test_reopen_a_waived_line_clears_the_consent(self):
        task = self._checklist_task()
        mats = self._mats(task)
        self._check_promise(
            mats, action="waived", note="Does not want them", customer_consent=True
        )
        self._reopen(mats)
        self.assertEqual(
            (mats.fulfillment_state, mats.waive_reason, mats.customer_consent),
            ("open", False, False),
        )

    def test_reopen_needs_a_reason_and_the_specialist(self):
        task = self._checklist_task()
        mats = self._mats(task)
        self._check_promise(mats)
        with self.assertRaisesText(UserError, "why"):
            self._reopen(mats, reason="  ")
        for intruder in (self.consultant, self.advisor):
            with self.assertRaises(AccessError):
                mats.with_user(intruder).write(
                    {"fulfillment_state": "open", "reopen_reason": "No"}
                )
        with self.assertRaises(UserError):
            # The reason is written with the reopening, never on its own.
            mats.with_user(self.delivery).write({"reopen_reason": "Just a note"})
        self.assertEqual(mats.fulfillment_state, "fulfilled")

    def test_reopen_refused_after_signature_for_every_caller(self):
        task = self._checklist_task()
        self._keep_all(task)
        mats = self._mats(task)
        self._sign(task)
        self.assertFalse(mats.journey_can_reopen, "no Reopen button once signed")
        with self.assertRaisesText(UserError, "signed"):
            mats.with_user(self.delivery).action_journey_reopen()
        with self.assertRaisesText(UserError, "signed"):
            mats.with_user(self.delivery).write(
                {"fulfillment_state": "open", "reopen_reason": "Changed my mind"}
            )
        with self.assertRaisesText(UserError, "signed"):
            mats.sudo().write(
                {"fulfillment_state": "open", "reopen_reason": "Changed my mind"}
            )
        self.assertEqual(mats.fulfillment_state, "fulfilled")

    def test_reopen_is_for_checked_lines_only(self):
        task = self._checklist_task()
        mats = self._mats(task)
        with self.assertRaises(UserError):
            # Open already: not a reopening, and "open" is set no other way.
            mats.with_user(self.delivery).write(
                {"fulfillment_state": "open", "reopen_reason": "x"}
            )
        mats.with_user(self.consultant).action_cancel(reason="Out of stock for good")
        with self.assertRaisesText(UserError, "only a line kept"):
            mats.with_user(self.delivery).write(
                {"fulfillment_state": "open", "reopen_reason": "x"}
            )

    # ------------------------------------------------------------------
    # 6. The Handovers menu per role
    # ------------------------------------------------------------------

    def _menu_domain(self, user):
        """The domain the Handovers menu starts with for ``user``: its action's
        default filters, read from the search view."""
        Handover = self.env["journey.handover"].with_user(user)
        action = Handover._journey_action_open_handovers()
        arch = Handover.get_view(action["search_view_id"] or False, "search")["arch"]
        tree = html.fromstring(arch)
        domain = []
        for key in action["context"]:
            name = key.removeprefix("search_default_")
            [node] = tree.xpath(f"//filter[@name='{name}']")
            domain += safe_eval(node.get("domain"), {"uid": user.id})
        return domain, action

    def test_handovers_menu_per_role(self):
        order = self._confirmed_order()
        handover = order.journey_handover_ids
        for manager in (self.cx_manager, self.manager):
            domain, action = self._menu_domain(manager)
            self.assertNotIn("search_default_mine", action["context"])
            self.assertIn(
                handover,
                self.env["journey.handover"].with_user(manager).search(domain),
                "a manager starts on the handovers to review, not on an empty Mine",
            )
        domain, action = self._menu_domain(self.delivery)
        self.assertEqual(action["context"], {"search_default_mine": 1})
        menu = self.env.ref("journey_service.menu_journey_handovers")
        self.assertEqual(
            menu.action, self.env.ref("journey_service.journey_handover_action_open")
        )

    def test_demo_handovers_shown_to_a_demo_manager(self):
        wang_fang = self.env.ref(
            "journey_service.partner_wang_fang", raise_if_not_found=False
        )
        if not wang_fang:
            self.skipTest("no demo data")
        manager = self.env.ref("journey_crm.user_cx_manager")
        domain, _action = self._menu_domain(manager)
        demo = self.env["journey.handover"].search(
            [
                (
                    "partner_id",
                    "in",
                    (wang_fang | self.env.ref("journey_service.partner_sun_hao")).ids,
                )
            ]
        )
        self.assertEqual(len(demo), 3)
        self.assertEqual(
            self.env["journey.handover"]
            .with_user(manager)
            .search_count(domain + [("id", "in", demo.ids)]),
            3,
        )

    # ------------------------------------------------------------------
    # 7. The demo briefs
    # ------------------------------------------------------------------

    def test_demo_wang_fang_has_her_own_brief(self):
        wang_fang = self.env.ref(
            "journey_service.partner_wang_fang", raise_if_not_found=False
        )
        if not wang_fang:
            self.skipTest("no demo data")
        briefs = self.env["journey.handover"].search(
            [
                ("kind", "=", "sales_delivery"),
                (
                    "partner_id",
                    "in",
                    (wang_fang | self.env.ref("journey_service.partner_sun_hao")).ids,
                ),
            ]
        )
        hers = briefs.filtered(lambda h: h.partner_id == wang_fang)
        his = briefs - hers
        self.assertNotIn(" his ", f" {hers.background} ")
        self.assertNotEqual(hers.background, his.background)
        self.assertNotEqual(hers.special_requests, his.special_requests)

    # ------------------------------------------------------------------
    # What a role may only read looks read-only (as the service visit)
    # ------------------------------------------------------------------

    def test_consultant_sees_the_delivery_read_only(self):
        task = self._checklist_task()

        def arch(xmlid, user):
            view = self.env.ref(xmlid)
            tasks = self.env["project.task"].with_user(user)
            return etree.fromstring(tasks.get_view(view.id, view.type)["arch"])

        for xmlid in (
            "journey_service.project_task_delivery_view_form",
            "journey_service.project_task_delivery_view_list",
            "journey_service.project_task_delivery_view_kanban",
        ):
            node = arch(xmlid, self.consultant)
            self.assertEqual((node.get("create"), node.get("edit")), ("False", "False"))
            self.assertNotEqual(arch(xmlid, self.delivery).get("create"), "False")
        self.assertFalse(task.with_user(self.consultant).journey_can_edit)
        self.assertTrue(task.with_user(self.delivery).journey_can_edit)
        form = arch("journey_service.project_task_delivery_view_form", self.consultant)
        statusbar = form.xpath("//field[@name='stage_id']")[0]
        self.assertEqual(statusbar.get("readonly"), "not journey_can_edit")


@tagged("post_install", "-at_install")
class TestUxDeliveryHttp(HttpCaseWithUserPortal, JourneyUxDeliveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal.partner_id.parent_id = cls.customer

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _kiosk(self, task, suffix=""):
        return f"/journey/kiosk/delivery/{task.id}{suffix}"

    def _unlock(self, task, password):
        return self.url_open(
            self._kiosk(task, "/unlock"),
            data={"password": password, "csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )

    # ------------------------------------------------------------------
    # 3. The customer's deliveries in the portal
    # ------------------------------------------------------------------

    def _list_state(self, task):
        self.authenticate("portal", "portal")
        tree = html.fromstring(self._get("/my/journey/deliveries").text)
        [row] = tree.xpath(
            f"//tr[.//a[contains(@href, '/my/journey/delivery/{task.id}')]]"
        )
        [badge] = row.xpath(".//*[hasclass('o_journey_checklist_state')]")
        return badge.get("data-state"), badge.text_content().strip()

    def test_portal_list_shows_honest_states(self):
        task = self._checklist_task()
        self.assertEqual(self._list_state(task), ("preparing", "Being prepared"))
        self._keep_all(task)
        self.assertEqual(self._list_state(task), ("ready", "Ready to sign"))
        self._sign(task)
        self.assertEqual(self._list_state(task), ("signed", "Signed"))
        self.assertNotIn("To sign", self._get("/my/journey/deliveries").text)

    def test_portal_delivery_page_has_title_and_breadcrumbs(self):
        task = self._checklist_task()
        self.authenticate("portal", "portal")
        tree = html.fromstring(self._get(f"/my/journey/delivery/{task.id}").text)
        self.assertIn("Your delivery: Test EV", tree.findtext(".//title"))
        crumbs = tree.xpath("//ol[hasclass('breadcrumb')]/li")
        self.assertEqual(
            [li.text_content().strip() for li in crumbs], ["", "Deliveries", "Test EV"]
        )
        self.assertTrue(
            crumbs[1].xpath(".//a[@href='/my/journey/deliveries']"),
            "the customer goes back to their deliveries",
        )
        listing = html.fromstring(self._get("/my/journey/deliveries").text)
        self.assertEqual(
            [
                li.text_content().strip()
                for li in listing.xpath("//ol[hasclass('breadcrumb')]/li")
            ],
            ["", "Deliveries"],
        )

    # ------------------------------------------------------------------
    # 5. The tablet's sign-only page
    # ------------------------------------------------------------------

    def test_kiosk_only_for_the_delivery_specialist(self):
        task = self._checklist_task()
        response = self._get(self._kiosk(task))
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        for login in ("portal", "jc_consultant"):
            self.authenticate(login, login)
            self.assertEqual(self._get(self._kiosk(task)).status_code, 404)
        self.authenticate("jc_delivery", "jc_delivery")
        action = task.with_user(self.delivery).action_journey_open_customer_page()
        self.assertEqual(action["url"], self._kiosk(task))
        page = self._get(self._kiosk(task))
        self.assertEqual(page.status_code, 200)
        self.assertIn("Floor mats", page.text)
        tree = html.fromstring(page.text)
        hrefs = [a.get("href") or "" for a in tree.xpath("//a")]
        self.assertFalse(
            [h for h in hrefs if h.startswith(("/odoo", "/web", "/my", "http"))],
            "no way out of the sign-only page",
        )
        self.assertFalse(tree.xpath("//header[@id='top'] | //footer[@id='bottom']"))

    def test_kiosk_unlock_refuses_wrong_password_and_anonymous(self):
        task = self._checklist_task()
        self.authenticate("jc_delivery", "jc_delivery")
        self.assertEqual(self._get(self._kiosk(task)).status_code, 200)
        # Locked: the back office sends back to the sign-only page.
        response = self._get("/odoo")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(self._kiosk(task)))

        wrong = self._unlock(task, "not-my-password")
        self.assertEqual(wrong.status_code, 200)
        self.assertIn("journey_kiosk_unlock_error", wrong.text)
        self.assertEqual(self._get("/odoo").status_code, 303, "still locked")

        right = self._unlock(task, "jc_delivery")
        self.assertEqual(right.status_code, 303)
        self.assertTrue(
            right.headers["Location"].endswith(
                f"/odoo/action-{self.delivery_action.id}/{task.id}"
            )
        )
        self.assertEqual(self._get("/odoo").status_code, 200, "unlocked")

        # Nobody logged in: nothing to unlock, sent to the login page.
        self.authenticate(None, None)
        anonymous = self._unlock(task, "jc_delivery")
        self.assertEqual(anonymous.status_code, 303)
        self.assertIn("/web/login", anonymous.headers["Location"])

    def test_kiosk_signs_through_the_one_signing_path(self):
        task = self._checklist_task()
        self.authenticate("jc_delivery", "jc_delivery")
        result = self.make_jsonrpc_request(
            self._kiosk(task, "/sign"),
            {"name": "Customer Zhao", "signature": SIGNATURE},
        )
        self.assertIn("Check these promises", result["error"])
        self._keep_all(task)
        result = self.make_jsonrpc_request(
            self._kiosk(task, "/sign"),
            {"name": "Customer Zhao", "signature": SIGNATURE},
        )
        self.assertEqual(result["redirect_url"], self._kiosk(task))
        self.env.invalidate_all()
        signing = task.journey_checklist_signature_id
        self.assertEqual(
            (signing.name, signing.method, signing.user_id),
            ("Customer Zhao", "in_store", self.delivery),
        )
        self.assertIn("journey_kiosk_thanks", self._get(self._kiosk(task)).text)

    @mute_logger("odoo.http")  # the refused write is logged as a warning
    def test_reopen_after_signature_refused_over_rpc(self):
        task = self._checklist_task()
        self._keep_all(task)
        self._sign(task)
        mats = self._mats(task)
        self.authenticate("jc_delivery", "jc_delivery")
        response = self.url_open(
            "/web/dataset/call_kw/journey.commitment/write",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "journey.commitment",
                        "method": "write",
                        "args": [
                            mats.ids,
                            {"fulfillment_state": "open", "reopen_reason": "RPC"},
                        ],
                        "kwargs": {"context": {"journey_force": True}},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("signed", response.json()["error"]["data"]["message"])
        self.env.invalidate_all()
        self.assertEqual(mats.fulfillment_state, "fulfilled")

    # ------------------------------------------------------------------
    # Tours (desktop)
    # ------------------------------------------------------------------

    def test_tour_handover_sent_first_time(self):
        self._only_specialist(self.delivery)
        order = self._confirmed_order()
        action = self.env.ref("sale.action_orders")
        self.start_tour(
            f"/odoo/action-{action.id}/{order.id}",
            "journey_service_handover_send",
            login=self.consultant.login,
            timeout=300,
        )
        self.env.invalidate_all()
        handover = order.journey_handover_id
        self.assertEqual(
            (handover.state, handover.receiver_id), ("sent", self.delivery)
        )

    def test_tour_reopen_a_mis_tapped_line(self):
        task = self._checklist_task()
        self.start_tour(
            f"/odoo/action-{self.delivery_action.id}/{task.id}",
            "journey_service_checklist_reopen",
            login=self.delivery.login,
            timeout=300,
        )
        self.env.invalidate_all()
        mats = self._mats(task)
        self.assertEqual(mats.fulfillment_state, "open")
        self.assertEqual(mats.reopen_reason, "The mats are still in the warehouse.")

    def test_tour_kiosk_sign_and_unlock(self):
        task = self._checklist_task()
        self._keep_all(task)
        self.start_tour(
            self._kiosk(task),
            "journey_service_kiosk",
            login=self.delivery.login,
            timeout=300,
        )
        self.env.invalidate_all()
        signing = task.journey_checklist_signature_id
        self.assertEqual((signing.name, signing.method), ("Customer Zhao", "in_store"))


@tagged("post_install", "-at_install")
class TestUxDeliveryPhone(HttpCase, JourneyUxDeliveryCommon):
    """The specialist at the car, with a phone."""

    browser_size = "390x844"
    touch_enabled = True

    def test_tour_phone_checklist(self):
        task = self._checklist_task()
        self.start_tour(
            f"/odoo/action-{self.delivery_action.id}/{task.id}",
            "journey_service_checklist_phone",
            login=self.delivery.login,
            timeout=300,
        )
        self.env.invalidate_all()
        self.assertEqual(self._mats(task).fulfillment_state, "fulfilled")
        self.assertEqual(self._mats(task).fulfilled_by_id, self.delivery)
