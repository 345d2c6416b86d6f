"""What a tester noticed on the commitments, the workshop leads and the NPS
reports of Delivery & Service."""

import re
from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged
from odoo.tools import format_date
from odoo.tools.safe_eval import safe_eval

from .common import JourneyServiceCommon


def _is_invisible(node, record):
    """Evaluate a view node's ``invisible`` expression on ``record``."""
    expr = node.get("invisible")
    if not expr:
        return False
    values = {"uid": record.env.uid, "context": {}}
    for name in set(re.findall(r"[A-Za-z_]\w*", expr)) & set(record._fields):
        value = record[name]
        if record._fields[name].type == "many2one":
            value = value.id
        values[name] = value
    return bool(safe_eval(expr, values))


@tagged("post_install", "-at_install")
class TestUxCommitments(JourneyServiceCommon):
    def _arch(self, model, view_type, user=None):
        records = self.env[model].with_user(user or self.env.user)
        return etree.fromstring(records.get_view(view_type=view_type)["arch"])

    def test_one_overdue_filter_with_one_meaning(self):
        search = self._arch("journey.commitment", "search")
        overdue = search.xpath("//filter[@string='Overdue']")
        self.assertEqual(len(overdue), 1, "one Overdue filter")
        self.assertEqual(overdue[0].get("name"), "filter_overdue")
        domain = safe_eval(overdue[0].get("domain"))
        self.assertEqual(domain, [("is_overdue", "=", True)])

        order = self._create_order()
        mats = self._add_commitment(order, self.type_mats, "Floor mats")
        charger = self._add_commitment(order, self.type_charger, "Home charger")
        order.with_user(self.consultant).action_declare_commitments()
        order.with_user(self.consultant).action_confirm()
        Commitment = self.env["journey.commitment"]
        with freeze_time(charger.date_deadline + timedelta(days=1)):
            # Deferred with the customer's consent to a date still to come.
            charger.sudo().write(
                {
                    "fulfillment_state": "deferred",
                    "customer_consent": True,
                    "date_deferred": charger.date_deadline + timedelta(days=30),
                }
            )
            found = Commitment.search(domain + [("order_id", "=", order.id)])
            self.assertEqual(found, mats, "the deferred promise is not overdue yet")
        with freeze_time(charger.date_deadline + timedelta(days=31)):
            Commitment.invalidate_model(["is_overdue"])
            found = Commitment.search(domain + [("order_id", "=", order.id)])
            self.assertEqual(found, mats | charger, "past the agreed date too")

    def test_commitments_in_the_delivery_and_service_app(self):
        Menu = self.env["ir.ui.menu"]
        commitments = self.env.ref("journey_service.menu_journey_service_commitments")
        self.assertEqual(
            commitments.parent_id,
            self.env.ref("journey_service.menu_journey_service_root"),
        )
        self.assertEqual(
            commitments.action, self.env.ref("journey_crm.journey_commitment_action")
        )
        overdue = self.env.ref(
            "journey_service.menu_journey_service_commitments_overdue"
        )
        self.assertEqual(
            overdue.action,
            self.env.ref("journey_crm.journey_commitment_action_overdue"),
        )
        for user, sees_overdue in (
            (self.delivery, False),
            (self.advisor, False),
            (self.manager, True),
            (self.cx_manager, True),
        ):
            visible = Menu.with_user(user)._visible_menu_ids()
            self.assertIn(commitments.id, visible, user.name)
            self.assertEqual(overdue.id in visible, sees_overdue, user.name)

    def test_delivery_staff_read_their_own_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer.lang = "zh_CN"
        order = self._confirmed_order()
        task = self._delivery_task(order)
        line = task.with_user(self.delivery).journey_checklist_ids.filtered(
            lambda c: c.type_id == self.type_mats
        )
        self.assertEqual(
            line.due_description,
            f"At delivery ({format_date(line.env, line.date_deadline)})",
        )
        self.assertNotIn("年", line.due_description)

    def test_workshop_lead_fields_only_on_workshop_leads(self):
        Lead = self.env["crm.lead"]
        showroom = Lead.create(
            {"name": "Walk-in", "type": "opportunity", "user_id": self.consultant.id}
        )
        workshop = Lead.create(
            {
                "name": "Needs seven seats",
                "type": "opportunity",
                "user_id": self.consultant.id,
                "journey_origin": "service",
                "journey_lead_kind": "additional_purchase",
                "journey_lead_grade": "a",
            }
        )
        form = self._arch("crm.lead", "form", user=self.consultant)
        for name in ("journey_lead_kind", "journey_lead_grade"):
            node = form.xpath(f"//field[@name='{name}']")[0]
            self.assertTrue(_is_invisible(node, showroom), name)
            self.assertFalse(_is_invisible(node, workshop), name)
        listing = self._arch("crm.lead", "list", user=self.consultant)
        for name in ("journey_lead_kind", "journey_lead_grade"):
            self.assertEqual(
                listing.xpath(f"//field[@name='{name}']")[0].get("optional"), "hide"
            )

    def test_nps_reports_show_the_nps(self):
        Answer = self.env["journey.nps.answer"]
        described = Answer.fields_get(["nps_value"], ["string", "aggregator"])
        self.assertEqual(described["nps_value"]["string"], "NPS")
        self.assertEqual(described["nps_value"]["aggregator"], "avg")
        for view_type in ("pivot", "graph"):
            arch = self._arch("journey.nps.answer", view_type, user=self.manager)
            self.assertTrue(
                arch.xpath("//field[@name='nps_value'][@type='measure']"), view_type
            )
        answers = Answer
        # 2 promoters, 1 passive, 1 detractor: NPS = 50% - 25% = 25.
        for score in (10, 9, 8, 3):
            task = self._create_service_task()
            self._hand_back(task)
            answers |= Answer._journey_record(task, score, "", "portal")
        self.assertEqual(answers.mapped("nps_value"), [100, 100, 0, -100])
        [(nps,)] = Answer._read_group(
            [("id", "in", answers.ids)], aggregates=["nps_value:avg"]
        )
        self.assertEqual(nps, 25)
