from datetime import timedelta

from freezegun import freeze_time
from lxml import etree, html

from odoo.tests import Form, HttpCase, tagged

from .common import JourneyServiceCommon


class JourneyUxWorkshopCommon(JourneyServiceCommon):
    """A customer of the consultant with a signed order, its vehicle with a plate
    and a visit of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.consultant
        cls.order = cls._confirmed_order()
        cls.charger = cls._add_commitment(cls.order, cls.type_charger, "Home charger")
        cls.vehicle = cls.env["fleet.vehicle"].create(
            {
                "model_id": cls.fleet_model.id,
                "vin_sn": cls._next_vin(),
                "license_plate": "粤B12345",
                "journey_partner_id": cls.customer.id,
                "journey_order_id": cls.order.id,
            }
        )
        cls.visit = cls._create_service_task(
            name="Wheel alignment", journey_vehicle_id=cls.vehicle.id
        )

    def _arch(self, xmlid, user):
        view = self.env.ref(xmlid)
        arch = (
            self.env["project.task"]
            .with_user(user)
            .get_view(view.id, view.type)["arch"]
        )
        return etree.fromstring(arch)


@tagged("post_install", "-at_install")
class TestUxWorkshop(JourneyUxWorkshopCommon):
    def test_nps_wizard_has_no_score_until_one_is_chosen(self):
        visit = self._hand_back(self.visit)
        action = visit.with_user(self.advisor).action_journey_record_followup()
        Wizard = (
            self.env[action["res_model"]]
            .with_user(self.advisor)
            .with_context(**action["context"])
        )
        form = Form(Wizard)
        self.assertFalse(form.score, "one click must not record a promoter")
        with self.assertRaises(AssertionError, msg="the score is required"):
            form.save()
        self.assertEqual(
            [value for value, _label in Wizard._fields["score"].selection],
            [str(score) for score in range(11)],
        )
        form.score = "8"
        form.save().action_confirm()
        self.assertEqual(visit.journey_nps_answer_ids.score, 8)
        self.assertEqual(visit.journey_nps_answer_ids.source, "call")

    def test_consultant_sees_the_visit_read_only(self):
        for xmlid in (
            "journey_service.project_task_workshop_view_form",
            "journey_service.project_task_workshop_view_list",
            "journey_service.project_task_workshop_view_kanban",
        ):
            arch = self._arch(xmlid, self.consultant)
            self.assertEqual(
                (arch.get("create"), arch.get("edit")), ("False", "False"), xmlid
            )
            arch = self._arch(xmlid, self.advisor)
            self.assertNotEqual(arch.get("create"), "False", xmlid)
        self.assertFalse(self.visit.with_user(self.consultant).journey_can_edit)
        self.assertTrue(self.visit.with_user(self.advisor).journey_can_edit)
        self.assertTrue(self.visit.with_user(self.manager).journey_can_edit)
        form = self._arch(
            "journey_service.project_task_workshop_view_form", self.consultant
        )
        statusbar = form.xpath("//field[@name='stage_id']")[0]
        self.assertEqual(statusbar.get("readonly"), "not journey_can_edit")
        buttons = {b.get("name") for b in form.xpath("//header/button")}
        self.assertIn("action_journey_request_expedite", buttons)
        self.assertNotIn("action_journey_checkin", buttons)

    def test_brief_is_one_line_with_counts_and_overdue_in_words(self):
        visit = self.visit.with_user(self.advisor)
        promises = visit.journey_open_commitment_ids
        self.assertIn(self.charger, promises)
        self.assertEqual(
            visit.journey_brief_summary, f"{len(promises)} open promise(s)"
        )
        with freeze_time(self.charger.date_deadline + timedelta(days=1)):
            self.env.invalidate_all()
            self.assertTrue(visit.journey_has_overdue_commitment)
            overdue = promises.filtered("is_overdue")
            self.assertIn(self.charger, overdue)
            self.assertEqual(
                visit.journey_brief_summary,
                f"{len(promises)} open promise(s) · {len(overdue)} overdue",
            )
            self.assertEqual(set(overdue.mapped("journey_overdue_label")), {"Overdue"})
            self.assertFalse((promises - overdue).filtered("journey_overdue_label"))
        arch = self._arch(
            "journey_service.project_task_workshop_view_form", self.advisor
        )
        brief = arch.xpath("//div[@name='journey_brief']")[0]
        self.assertTrue(brief.xpath("./details/summary"), "collapsed to one line")
        self.assertTrue(brief.xpath(".//field[@name='journey_overdue_label']"))

    def test_pending_expedite_banner_and_next_step_button(self):
        visit = self.visit.with_user(self.advisor)
        self.assertEqual(visit.journey_next_action, "checkin")
        self.assertFalse(visit.journey_expedite_pending)
        request = (
            self.env["journey.expedite.request"]
            .with_user(self.consultant)
            .create(
                {
                    "task_id": self.visit.id,
                    "reason_kind": "urgent_trip",
                    "reason": "Flying on Friday",
                }
            )
        )
        visit.invalidate_recordset()
        self.assertTrue(visit.journey_expedite_pending)
        self.assertEqual(
            visit.journey_expedite_pending_text,
            "Consultant One asks to expedite this visit (Urgent Trip).",
        )
        decision = visit.action_journey_decide_expedite()
        self.assertEqual(decision["context"]["default_request_id"], request.id)
        request.with_user(self.advisor).action_decline("loaner_car", "")
        visit.invalidate_recordset()
        self.assertFalse(visit.journey_expedite_pending)

        for step, expected in (
            ("reception", False),
            ("diagnosis", False),
            ("repair", "ready"),
        ):
            visit.stage_id = self.service_stage[step]
            self.assertEqual(visit.journey_next_action, expected, step)
        visit.action_journey_vehicle_ready()
        self.assertFalse(visit.journey_next_action)
        visit.stage_id = self.service_stage["handed_back"]
        self.assertEqual(visit.journey_next_action, "followup")
        arch = self._arch(
            "journey_service.project_task_workshop_view_form", self.advisor
        )
        primary = arch.xpath("//header/button[contains(@class, 'btn-primary')]")
        self.assertEqual(
            sorted(b.get("invisible").split(" or ")[-2] for b in primary),
            sorted(
                f"journey_next_action != '{step}'"
                for step in ("checkin", "ready", "followup")
            ),
            "a button is primary only when it is the next step",
        )

    def test_expedite_request_is_a_small_dialog(self):
        action = self.visit.with_user(self.consultant).action_journey_request_expedite()
        self.assertEqual(action["target"], "new")
        ((view_id, view_type),) = action["views"]
        self.assertEqual(view_type, "form")
        arch = etree.fromstring(
            self.env["journey.expedite.request"]
            .with_user(self.consultant)
            .get_view(view_id, "form")["arch"]
        )
        self.assertEqual(
            {f.get("name") for f in arch.xpath("//field")},
            {"task_id", "reason_kind", "reason", "date_wanted"},
        )
        self.assertFalse(arch.xpath("//header") or arch.xpath("//chatter"))
        self.assertEqual(
            [b.get("string") for b in arch.xpath("//footer/button")],
            ["Send Request", "Cancel"],
        )

    def test_service_visits_views(self):
        action = self.env.ref("journey_service.project_task_action_journey_service")
        self.assertEqual(
            action.view_ids.sorted("sequence").mapped("view_mode"),
            ["kanban", "list", "calendar", "form"],
        )
        self.assertTrue(action.view_mode.startswith("kanban,list,calendar,form"))
        columns = {
            f.get("name")
            for f in self._arch(
                "journey_service.project_task_workshop_view_list", self.advisor
            ).xpath("//field")
        }
        self.assertLessEqual(
            {"partner_id", "journey_license_plate", "journey_bay_id", "date_deadline"},
            columns,
        )
        calendar = self._arch(
            "journey_service.project_task_workshop_view_calendar", self.advisor
        )
        self.assertEqual(
            (calendar.get("date_start"), calendar.get("color")),
            ("date_deadline", "journey_bay_id"),
        )
        kanban = self._arch(
            "journey_service.project_task_workshop_view_kanban", self.advisor
        )
        self.assertEqual(kanban.get("default_group_by"), "stage_id")
        self.assertEqual(self.visit.journey_license_plate, "粤B12345")

    def test_vehicle_visits_open_in_the_workshop_views(self):
        """Not Odoo's generic task form, with milestones, sales order items and
        sub-tasks that mean nothing in a workshop."""
        action = self.vehicle.with_user(self.advisor).action_journey_view_tasks()
        views = {mode: view_id for view_id, mode in action["views"]}
        self.assertEqual(
            views["form"],
            self.env.ref("journey_service.project_task_workshop_view_form").id,
        )
        self.assertEqual(
            self.env["project.task"].with_user(self.advisor).search(action["domain"]),
            self.visit,
        )
        self.assertEqual(self.vehicle.journey_task_count, 1)
        form = self._arch(
            "journey_service.project_task_workshop_view_form", self.advisor
        )
        shown = {f.get("name") for f in form.xpath("//field")}
        for name in (
            "milestone_id",
            "sale_line_id",
            "child_ids",
            "parent_id",
            "allocated_hours",
            "tag_ids",
        ):
            self.assertNotIn(name, shown)


@tagged("post_install", "-at_install")
class TestUxWorkshopPortal(HttpCase, JourneyUxWorkshopCommon):
    def _page(self, visit):
        token = visit._portal_ensure_token()
        response = self.url_open(
            f"/my/journey/service/{visit.id}/nps?access_token={token}"
        )
        self.assertEqual(response.status_code, 200)
        return html.fromstring(response.text)

    def test_nps_page_reads_as_the_customer_reads(self):
        self.authenticate(None, None)
        page = self._page(self.visit)
        header = page.xpath("//p[contains(@class, 'o_journey_nps_visit')]")[0]
        text = " ".join(header.text_content().split())
        self.assertEqual(
            text,
            "Journey Motors EV SUV · 粤B12345 · your service advisor: Service Advisor",
            "no empty dash for the missing date, no fleet name",
        )
        self._hand_back(self.visit)
        page = self._page(self.visit)
        text = " ".join(
            page.xpath("//p[contains(@class, 'o_journey_nps_visit')]")[0]
            .text_content()
            .split()
        )
        self.assertNotIn("Journey Motors/EV SUV", text)
        self.assertNotIn("—", text)
        self.assertRegex(text, r"^Journey Motors EV SUV · 粤B12345 · .+ · your service")
        scale = page.xpath("//div[contains(@class, 'o_journey_nps_scale')]")[0]
        self.assertEqual(
            [label.text_content() for label in scale.xpath(".//label")],
            [str(score) for score in range(11)],
        )


@tagged("post_install", "-at_install")
class TestUxWorkshopTours(HttpCase, JourneyUxWorkshopCommon):
    def _url(self, visit):
        action = self.env.ref("journey_service.project_task_action_journey_service")
        return f"/odoo/action-{action.id}/{visit.id}"

    def test_advisor_records_the_follow_up_score(self):
        visit = self._hand_back(self.visit)
        self.start_tour(
            self._url(visit),
            "journey_service_nps_record",
            login=self.advisor.login,
            timeout=300,
        )
        self.env.invalidate_all()
        self.assertEqual(visit.journey_nps_answer_ids.score, 8)
        self.assertEqual(visit.journey_nps_answer_ids.user_id, self.advisor)

    def test_consultant_opens_a_visit_and_asks_to_expedite(self):
        # Odoo's generic task form (what the vehicle's button opened) subscribes
        # its collaborative notes to the bus, which refuses a reader and logs it.
        with (
            self.assertNoLogs("odoo.addons.bus.websocket", level="ERROR"),
            self.assertNoLogs("odoo.http", level="WARNING"),
        ):
            self.start_tour(
                f"/odoo/fleet.vehicle/{self.vehicle.id}",
                "journey_service_visit_consultant",
                login=self.consultant.login,
                timeout=300,
            )
        self.env.invalidate_all()
        request = self.visit.journey_expedite_ids
        self.assertEqual(
            (request.requested_by_id, request.reason_kind, request.state),
            (self.consultant, "urgent_trip", "requested"),
        )
        self.assertEqual(self.visit.stage_id, self.service_stage["appointment"])


@tagged("post_install", "-at_install")
class TestUxWorkshopPhone(HttpCase, JourneyUxWorkshopCommon):
    browser_size = "390x844"
    touch_enabled = True

    def test_customer_rates_the_visit_on_a_phone(self):
        self._hand_back(self.visit)
        token = self.visit._portal_ensure_token()
        self.authenticate(None, None)
        self.start_tour(
            f"/my/journey/service/{self.visit.id}/nps?access_token={token}",
            "journey_service_nps_phone",
            login=None,
            timeout=300,
        )
        self.env.invalidate_all()
        self.assertEqual(self.visit.journey_nps_answer_ids.score, 9)
        self.assertEqual(self.visit.journey_nps_answer_ids.source, "portal")
