"""What a tester noticed in English and Simplified Chinese, on the sales side."""

import hashlib
import json
import re

from dateutil.relativedelta import relativedelta
from lxml import etree
from lxml import html as lxml_html

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import format_date
from odoo.tools.safe_eval import safe_eval

from .common import JourneyCrmCommon


def _text(node):
    return re.sub(r"\s+", " ", node.text_content()).strip()


def _is_invisible(node, record):
    """Evaluate a view node's ``invisible`` expression on ``record``, as the web
    client does."""
    expr = node.get("invisible")
    if not expr:
        return False
    values = {"uid": record.env.uid, "context": {}}
    for name in set(re.findall(r"[A-Za-z_]\w*", expr)) & set(record._fields):
        field = record._fields[name]
        value = record[name]
        if field.type == "many2one":
            value = value.id
        elif field.type in ("one2many", "many2many"):
            value = value.ids
        values[name] = value
    return bool(safe_eval(expr, values))


class JourneyUxCommon(JourneyCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.chinese_customer = cls.env["res.partner"].create(
            {"name": "Customer Sun", "email": "sun@example.com", "lang": "zh_CN"}
        )
        cls.type_price_protection = cls.env.ref(
            "journey_crm.commitment_type_price_protection"
        )

    def _arch(self, model, view_type, view_ref=None, user=None):
        records = self.env[model].with_user(user or self.env.user)
        view_id = self.env.ref(view_ref).id if view_ref else None
        return etree.fromstring(
            records.get_view(view_id=view_id, view_type=view_type)["arch"]
        )

    def _delivery_day(self, order):
        return fields.Date.to_date(
            fields.Datetime.context_timestamp(order, order.commitment_date)
        )


@tagged("post_install", "-at_install")
class TestUxCommitments(JourneyUxCommon):
    # ------------------------------------------------------------------
    # 1. The due text in the reader's language
    # ------------------------------------------------------------------

    def test_english_staff_read_english_dates_of_a_chinese_customer(self):
        order = self._create_order(partner=self.chinese_customer)
        mats = self._add_commitment(order, self.type_mats, "Floor mats")
        day = self._delivery_day(order)
        self.assertEqual(mats.date_deadline, day)
        english = mats.with_user(self.consultant).with_context(lang="en_US")
        self.assertEqual(
            english.due_description,
            f"At delivery ({format_date(english.env, day)})",
        )
        self.assertNotIn("年", english.due_description)
        chinese = mats.with_context(lang="zh_CN")
        self.assertTrue(chinese.due_description.startswith("交车时"))
        self.assertIn(format_date(chinese.env, day), chinese.due_description)
        self.assertIn("年", chinese.due_description)

    def test_signed_content_does_not_depend_on_the_reader(self):
        order = self._create_order(partner=self.chinese_customer)
        mats = self._add_commitment(order, self.type_mats, "Floor mats")
        # The fingerprint of an existing signed line is what it always was.
        expected = hashlib.sha256(
            json.dumps(
                {
                    "name": "Floor mats",
                    "type": "MATS",
                    "quantity": "1.00",
                    "due_rule": "at_delivery",
                },
                sort_keys=True,
            ).encode()
        ).hexdigest()
        self.assertEqual(mats.with_context(lang="en_US").fingerprint, expected)
        self.assertEqual(mats.with_context(lang="zh_CN").fingerprint, expected)

    # ------------------------------------------------------------------
    # 3. One spelling, the words of the buttons
    # ------------------------------------------------------------------

    def test_fulfillment_words(self):
        Commitment = self.env["journey.commitment"].with_context(lang="en_US")
        labels = dict(
            Commitment._fields["fulfillment_state"]._description_selection(
                Commitment.env
            )
        )
        self.assertEqual(labels["fulfilled"], "Kept")
        self.assertEqual(labels["partial"], "Partly Kept")
        self.assertEqual(labels["deferred"], "Deferred")
        self.assertEqual(labels["waived"], "Waived")
        described = Commitment.fields_get(["fulfillment_state", "fulfillment_note"])
        self.assertEqual(described["fulfillment_state"]["string"], "Fulfillment")
        self.assertEqual(described["fulfillment_note"]["string"], "Fulfillment Note")
        for view_type in ("form", "search", "list"):
            arch = etree.tostring(
                self._arch("journey.commitment", view_type), encoding="unicode"
            )
            self.assertNotIn("Fulfilment", arch, view_type)

    # ------------------------------------------------------------------
    # 4. Approving a special promise
    # ------------------------------------------------------------------

    def test_approval_form_shows_meaningful_steps_and_no_cancel(self):
        order = self._create_order()
        special = self._add_commitment(order, self.type_repairs, "Repairs in 3 days")
        standard = self._add_commitment(order, self.type_mats, "Floor mats")
        form = self._arch("journey.commitment", "form", user=self.manager)
        statusbar = form.xpath("//header/field[@name='approval_state']")[0]
        self.assertEqual(statusbar.get("statusbar_visible"), "to_approve,approved")
        self.assertTrue(_is_invisible(statusbar, standard))
        self.assertFalse(_is_invisible(statusbar, special))

        def visible_buttons(record):
            return {
                button.get("name")
                for button in form.xpath("//header/button")
                if not _is_invisible(button, record)
            }

        awaiting = visible_buttons(special)
        self.assertIn("action_approve", awaiting)
        self.assertIn("action_reject", awaiting)
        self.assertNotIn("action_cancel", awaiting, "no Cancel beside the decision")
        special.with_user(self.manager).action_approve()
        self.assertIn("action_cancel", visible_buttons(special))
        self.assertIn("action_cancel", visible_buttons(standard))

    # ------------------------------------------------------------------
    # 5. The quotation and the opportunity
    # ------------------------------------------------------------------

    def test_confirm_hidden_with_the_reason_while_blocked(self):
        order = self._create_order()
        self._add_commitment(order, self.type_repairs, "Repairs within 3 days")
        reason = order.journey_confirm_blocked_reason
        self.assertIn("has not declared the commitment checklist complete", reason)
        self.assertIn('"Repairs within 3 days" is awaiting approval', reason)

        form = self._arch("sale.order", "form", user=self.consultant)
        alert = form.xpath("//div[@name='journey_confirm_blocked']")[0]
        self.assertTrue(alert.xpath(".//field[@name='journey_confirm_blocked_reason']"))
        self.assertFalse(_is_invisible(alert, order))
        confirm_buttons = form.xpath("//header/button[@name='action_confirm']")
        self.assertEqual(len(confirm_buttons), 2)
        self.assertTrue(all(_is_invisible(b, order) for b in confirm_buttons))

        # RPC callers are refused by the model all the same.
        with self.assertRaisesText(UserError, "cannot be confirmed yet"):
            order.with_user(self.consultant).action_confirm()

        ready = self._ready_order()
        self.assertFalse(ready.journey_confirm_blocked_reason)
        self.assertTrue(_is_invisible(alert, ready))
        self.assertEqual(
            [_is_invisible(b, ready) for b in confirm_buttons].count(False), 1
        )
        ready.with_user(self.consultant).action_confirm()
        self.assertFalse(ready.journey_confirm_blocked_reason, "confirmed")

    def test_inline_commitment_list_fits_beside_the_quotation(self):
        arch = self._arch(
            "journey.commitment",
            "list",
            view_ref="journey_crm.journey_commitment_view_list_inline",
        )
        shown = [
            field.get("name")
            for field in arch.xpath("/list/field")
            if field.get("optional") != "hide"
            and field.get("column_invisible") not in ("True", "1")
            and field.get("widget") != "handle"
        ]
        self.assertEqual(
            shown,
            [
                "type_id",
                "name",
                "quantity",
                "due_rule",
                "date_deadline",
                "approval_state",
                "fulfillment_state",
            ],
        )
        for name in ("department", "policy", "cost_amount", "is_signed", "version"):
            self.assertEqual(
                arch.xpath(f"/list/field[@name='{name}']")[0].get("optional"), "hide"
            )

    def test_opportunity_warns_of_a_promise_awaiting_approval(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Family SUV",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.consultant.id,
            }
        )
        form = self._arch("crm.lead", "form", user=self.consultant)
        alert = form.xpath("//div[@name='journey_commitments_to_approve']")[0]
        self._add_commitment_to_lead(lead, self.type_mats, "Floor mats")
        self.assertTrue(_is_invisible(alert, lead))
        special = self._add_commitment_to_lead(lead, self.type_repairs, "Repairs")
        self.assertEqual(lead.commitment_to_approve_count, 1)
        self.assertFalse(_is_invisible(alert, lead))
        special.with_user(self.manager).action_approve()
        self.assertEqual(lead.commitment_to_approve_count, 0)
        self.assertTrue(_is_invisible(alert, lead))

    def _add_commitment_to_lead(self, lead, commitment_type, name):
        return (
            self.env["journey.commitment"]
            .with_user(self.consultant)
            .create({"lead_id": lead.id, "type_id": commitment_type.id, "name": name})
        )

    # ------------------------------------------------------------------
    # 8. The managers' reports
    # ------------------------------------------------------------------

    def test_overdue_commitments_per_salesperson_in_one_click(self):
        menu = self.env.ref("journey_crm.menu_journey_commitments_overdue")
        action = menu.action
        self.assertEqual(
            action, self.env.ref("journey_crm.journey_commitment_action_overdue")
        )
        context = safe_eval(action.context)
        self.assertTrue(context.get("search_default_filter_overdue"))
        self.assertTrue(context.get("search_default_group_user"))
        search = self._arch("journey.commitment", "search")
        self.assertTrue(search.xpath("//filter[@name='group_user']"))
        Menu = self.env["ir.ui.menu"]
        for user, visible in (
            (self.manager, True),
            (self.cx_manager, True),
            (self.consultant, False),
        ):
            self.assertEqual(
                menu.id in Menu.with_user(user)._visible_menu_ids(), visible, user.name
            )

    def test_graph_and_no_sum_of_quantities(self):
        action = self.env.ref("journey_crm.journey_commitment_action")
        self.assertIn("graph", action.view_mode.split(","))
        self.assertIn("pivot", action.view_mode.split(","))
        graph = self._arch("journey.commitment", "graph")
        self.assertEqual(graph.tag, "graph")
        described = self.env["journey.commitment"].fields_get(
            ["quantity", "uses_total", "version", "cost_amount"], ["aggregator"]
        )
        self.assertFalse(described["quantity"].get("aggregator"))
        self.assertFalse(described["uses_total"].get("aggregator"))
        self.assertFalse(described["version"].get("aggregator"))
        self.assertEqual(described["cost_amount"].get("aggregator"), "sum")
        for view_type in ("list", "pivot"):
            arch = self._arch("journey.commitment", view_type)
            self.assertFalse(arch.xpath("//field[@name='quantity'][@sum]"))
        order = self._create_order()
        self._add_commitment(order, self.type_mats, "Floor mats", quantity=4)
        self._add_commitment(order, self.type_dash_cam, "Dash cam", quantity=1)
        groups = self.env["journey.commitment"].web_read_group(
            [("order_id", "=", order.id)], ["quantity"], ["user_id"]
        )["groups"]
        self.assertNotIn("quantity", groups[0], "4 mats and 1 dash cam are not 5")

    # ------------------------------------------------------------------
    # 9. Due texts that read right
    # ------------------------------------------------------------------

    def test_period_service_level_reads_as_a_period(self):
        order = self._create_order()
        repairs = self._add_commitment(
            order, self.type_repairs, "Any repair within 3 days for 3 years"
        )
        self.assertEqual(repairs.due_rule, "during_period")
        end = self._delivery_day(order) + relativedelta(months=36)
        self.assertEqual(repairs.date_deadline, end)
        self.assertEqual(
            repairs.with_context(lang="en_US").due_description,
            f"For 36 months after delivery (until {format_date(self.env, end)})",
        )
        self.assertNotIn("Once", repairs.due_description)

    def test_price_protection_due_after_delivery(self):
        order = self._create_order()
        protection = self._add_commitment(
            order, self.type_price_protection, "Price protection for 90 days"
        )
        self.assertEqual(protection.due_rule, "days_after_delivery")
        day = self._delivery_day(order) + relativedelta(days=90)
        self.assertEqual(protection.date_deadline, day)
        self.assertEqual(
            protection.with_context(lang="en_US").due_description,
            f"Within 90 days of delivery ({format_date(self.env, day)})",
        )

    def test_demo_promises_read_right(self):
        repairs = self.env.ref(
            "journey_crm.order_commitment_repairs", raise_if_not_found=False
        )
        if not repairs:
            self.skipTest("no demo data")
        self.assertEqual(repairs.due_rule, "during_period")
        self.assertTrue(
            repairs.with_context(lang="en_US").due_description.startswith(
                "For 36 months after delivery"
            )
        )
        order = self.env.ref("journey_crm.sale_order_zhao_lei")
        self.assertFalse(order.require_payment)
        self.assertFalse(order.company_id.portal_confirmation_pay)


@tagged("post_install", "-at_install")
class TestUxPortal(HttpCase, JourneyUxCommon):
    def _page(self, url, lang=None):
        # A new visitor: no language cookie left by an earlier page.
        self.opener.cookies.clear()
        headers = {"Accept-Language": lang} if lang else {}
        response = self.url_open(url, headers=headers)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("/web/login", response.url)
        return response.text, lxml_html.fromstring(response.text)

    def _due_cells(self, tree, xpath):
        return {
            _text(row.xpath("./td")[0]): _text(row.xpath("./td")[2])
            for row in tree.xpath(xpath)
        }

    def test_chinese_customer_reads_one_language(self):
        order = self._ready_order(partner=self.chinese_customer)
        mats = order.commitment_ids.filtered(lambda c: c.name == "Floor mats")
        day = self._delivery_day(order)
        rows = "//section[@id='journey_commitments']//tbody/tr"
        # In the customer's browser language: words and date in Chinese.
        __, tree = self._page(order.get_portal_url(), lang="zh-CN,zh;q=0.9")
        due = self._due_cells(tree, rows)["Floor mats"]
        self.assertEqual(
            due, mats.with_context(lang="zh_CN").due_description, "one language"
        )
        self.assertIn("交车时", due)
        self.assertIn("年", due)
        # In English: words and date in English.
        __, tree = self._page(order.get_portal_url(), lang="en-US,en;q=0.9")
        due = self._due_cells(tree, rows)["Floor mats"]
        self.assertEqual(
            due,
            f"At delivery ({format_date(self.env(context={'lang': 'en_US'}), day)})",
        )
        # The PDF speaks the customer's language throughout.
        report = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sale.action_report_saleorder", order.ids)[0]
            .decode()
        )
        due = self._due_cells(
            lxml_html.fromstring(report),
            "//div[@name='journey_commitments']//tbody/tr",
        )["Floor mats"]
        self.assertEqual(due, mats.with_context(lang="zh_CN").due_description)

    def test_portal_quotation_words_sign_dialog_and_navigation(self):
        order = self._ready_order()
        page, tree = self._page(order.get_portal_url())
        section = tree.xpath("//section[@id='journey_commitments']")[0]
        # A heading the sale portal's sidebar navigation lists (its h2/h3).
        self.assertEqual(
            [_text(h) for h in section.xpath(".//h3")], ["Our commitments to you"]
        )
        states = {
            _text(row.xpath("./td")[0]): _text(row.xpath("./td")[3])
            for row in section.xpath(".//tbody/tr")
        }
        self.assertEqual(
            states, {"Floor mats": "To be delivered", "Dash cam": "To be delivered"}
        )
        self.assertNotIn(">Open<", page)
        dialog = tree.xpath(
            "//form[@id='accept']//*[@id='journey_sign_covers_commitments']"
        )
        self.assertTrue(dialog, "the sign dialog says the commitments are signed too")
        self.assertIn("also covers our commitments", _text(dialog[0]))
        self.assertIn("Floor mats", _text(dialog[0]))
        self.assertIn("Dash cam", _text(dialog[0]))

        # Kept, with its date, once the delivery specialist checked it.
        mats = order.commitment_ids.filtered(lambda c: c.name == "Floor mats")
        mats.sudo().write({"fulfillment_state": "fulfilled"})
        self.assertEqual(
            mats._get_customer_state_text(),
            f"Kept on {format_date(self.env, mats.fulfilled_on)}",
        )

    def test_demo_quotation_is_signed_not_paid(self):
        order = self.env.ref(
            "journey_crm.sale_order_zhao_lei", raise_if_not_found=False
        )
        if not order:
            self.skipTest("no demo data")
        if order.state not in ("draft", "sent"):
            self.skipTest("the demo quotation was confirmed in this database")
        repairs = self.env.ref("journey_crm.order_commitment_repairs")
        if repairs.approval_state == "to_approve":
            repairs.with_user(
                self.env.ref("journey_crm.user_aftersales_manager")
            ).action_approve()
        if not order.commitments_declared:
            order.with_user(order.user_id).action_declare_commitments()
        self.assertFalse(order.require_payment)
        self.assertTrue(order._has_to_be_signed())
        self.assertFalse(order._has_to_be_paid())
        page, tree = self._page(order.get_portal_url())
        self.assertTrue(tree.xpath("//form[@id='accept']"), "the customer can sign")
        self.assertTrue(
            tree.xpath(
                "//a[@data-bs-target='#modalaccept'][contains(., 'Accept & Sign')]"
            )
        )
        self.assertNotIn("Sign &amp; Pay", page)
        self.assertNotIn("Sign & Pay", page)
        self.assertFalse(tree.xpath("//*[@id='o_sale_portal_paynow']"))
