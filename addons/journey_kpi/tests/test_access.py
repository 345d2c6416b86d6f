"""Who reads which figures: the reporting views' rules per role, the health
board's RPC under attack contexts, and who may change targets, scorecards and
the stored weekly values."""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .access_common import REPORT_MODELS, JourneyKpiAccessCommon


@tagged("post_install", "-at_install")
class TestReportAccess(JourneyKpiAccessCommon):
    """The reporting views through search, read and read_group (what the list,
    pivot and graph views call)."""

    def _by_department(self, consultant, department):
        commitments = self.journeys[consultant]["journey.kpi.commitment.report"]
        return set(commitments.filtered(lambda c: c.department == department).ids)

    def _assert_sees(self, user, expected):
        for model in REPORT_MODELS:
            with self.subTest(user=user.login, model=model):
                self.assertEqual(self._seen(user, model), expected.get(model, set()))

    def test_consultant_reads_only_their_customers_rows(self):
        for consultant in (self.cons_1, self.cons_2, self.cons_b):
            self._assert_sees(
                consultant,
                {model: self._rows(model, consultant) for model in REPORT_MODELS},
            )
        # A pivot grouped by salesperson shows one line: their own.
        for model in REPORT_MODELS:
            with self.subTest(model=model):
                groups = (
                    self.env[model]
                    .with_user(self.cons_1)
                    ._read_group([], ["salesperson_id"], ["__count"])
                )
                self.assertEqual({user for user, _count in groups}, {self.cons_1})

    def test_consultant_cannot_open_another_consultants_row(self):
        for model in REPORT_MODELS:
            other = self.env[model].browse(min(self._rows(model, self.cons_2)))
            with self.subTest(model=model), self.assertRaises(AccessError):
                other.with_user(self.cons_1).read(["date", "salesperson_id"])

    def test_delivery_specialist_reads_the_cars_they_deliver(self):
        """Not every delivery promise of the company: only those of the orders
        whose delivery they are assigned to (the rule was the department)."""
        for specialist, consultant in (
            (self.spec_1, self.cons_1),
            (self.spec_2, self.cons_2),
            (self.spec_b, self.cons_b),
        ):
            journey = self.journeys[consultant]
            self._assert_sees(
                specialist,
                {
                    "journey.kpi.commitment.report": self._by_department(
                        consultant, "delivery"
                    ),
                    "journey.kpi.delivery.report": set(
                        journey["journey.kpi.delivery.report"].ids
                    ),
                    "journey.kpi.handover.report": set(
                        journey["journey.kpi.handover.report"].ids
                    ),
                    "journey.kpi.nps.report": set(
                        journey["journey.kpi.nps.report"]
                        .filtered(lambda a: a.touchpoint == "delivery")
                        .ids
                    ),
                },
            )

    def test_service_advisor_reads_their_own_customers_and_work(self):
        """After-sales promises of the customers they take care of, not every
        after-sales promise of the company (the rule was the department)."""
        for advisor, consultant in (
            (self.adv_1, self.cons_1),
            (self.adv_2, self.cons_2),
            (self.adv_b, self.cons_b),
        ):
            journey = self.journeys[consultant]
            self._assert_sees(
                advisor,
                {
                    "journey.kpi.commitment.report": self._by_department(
                        consultant, "after_sales"
                    ),
                    "journey.kpi.handover.report": set(
                        journey["journey.kpi.handover.report"]
                        .filtered(lambda h: h.kind == "delivery_service")
                        .ids
                    ),
                    "journey.kpi.visit.report": set(
                        journey["journey.kpi.visit.report"].ids
                    ),
                    "journey.kpi.nps.report": set(
                        journey["journey.kpi.nps.report"]
                        .filtered(lambda a: a.touchpoint == "service")
                        .ids
                    ),
                    "journey.kpi.complaint.report": set(
                        journey["journey.kpi.complaint.report"].ids
                    ),
                    "journey.kpi.lead.report": set(
                        journey["journey.kpi.lead.report"].ids
                    ),
                },
            )

    def test_managers_read_their_companies_rows_only(self):
        for manager in (self.as_manager, self.cx_manager_a, self.quality_manager):
            self._assert_sees(
                manager,
                {
                    model: self._rows(model, self.cons_1, self.cons_2)
                    for model in REPORT_MODELS
                },
            )
        self._assert_sees(
            self.manager_b,
            {model: self._rows(model, self.cons_b) for model in REPORT_MODELS},
        )
        # Naming the other company in the context opens nothing.
        for model in REPORT_MODELS:
            with self.subTest(model=model), self.assertRaises(AccessError):
                self._seen(self.as_manager, model, self.company_b.ids)

    def test_no_journey_role_reads_no_report(self):
        for user in (self.plain_user, self.portal_user):
            for model in REPORT_MODELS:
                with self.subTest(user=user.login, model=model):
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(user).search([])
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(user).read_group(
                            [], ["__count"], ["company_id"]
                        )
            with self.assertRaises(AccessError):
                self.env["journey.kpi.measure"].with_user(user).get_board_data({})


@tagged("post_install", "-at_install")
class TestTargetValueAccess(JourneyKpiAccessCommon):
    """Targets, scorecards and the weekly values: who may change them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.measure = cls.env.ref("journey_kpi.measure_commitment_kept")
        Target = cls.env["journey.kpi.target"]
        cls.target_1, cls.target_2 = Target.create(
            [
                {
                    "measure_id": cls.measure.id,
                    "company_id": cls.company_a.id,
                    "scope": "salesperson",
                    "user_id": user.id,
                    "target": 90.0,
                }
                for user in (cls.cons_1, cls.cons_2)
            ]
        )
        cls.target_b = Target.create(
            {
                "measure_id": cls.measure.id,
                "company_id": cls.company_b.id,
                "target": 90.0,
            }
        )
        cls.company_target = Target.search(
            [
                ("company_id", "=", cls.company_a.id),
                ("scope", "=", "company"),
                ("measure_id", "=", cls.measure.id),
            ]
        ) or Target.create(
            {
                "measure_id": cls.measure.id,
                "company_id": cls.company_a.id,
                "target": 90.0,
            }
        )
        # What the weekly scheduled action stores.
        monday = fields.Date.today() - timedelta(days=fields.Date.today().weekday())
        for target in cls.target_1 | cls.target_2 | cls.target_b | cls.company_target:
            target._journey_store_week(monday, monday + timedelta(days=6))
        cls.scorecard_a = cls.env["journey.kpi.scorecard"].search(
            [("company_id", "=", cls.company_a.id), ("department", "=", "sales")]
        )
        cls.scorecard_b = cls.env["journey.kpi.scorecard"].create(
            {
                "name": "Sales B",
                "department": "sales",
                "company_id": cls.company_b.id,
                "line_ids": [
                    Command.create({"measure_id": cls.measure.id, "weight": 100.0})
                ],
            }
        )

    def test_staff_cannot_change_targets_scorecards_or_values(self):
        value = self.target_1.value_ids
        self.assertEqual(len(value), 1)
        for user in (self.cons_1, self.spec_1, self.adv_1):
            with self.subTest(user=user.login):
                Target = self.env["journey.kpi.target"].with_user(user)
                with self.assertRaises(AccessError):
                    Target.create(
                        {
                            "measure_id": self.measure.id,
                            "scope": "salesperson",
                            "user_id": user.id,
                            "target": 10.0,
                        }
                    )
                with self.assertRaises(AccessError):
                    self.target_1.with_user(user).write({"target": 10.0})
                with self.assertRaises(AccessError):
                    self.target_1.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.scorecard_a.with_user(user).write({"name": "Mine"})
                with self.assertRaises(AccessError):
                    self.scorecard_a.line_ids[:1].with_user(user).write({"weight": 0.0})
                with self.assertRaises(AccessError):
                    self.env["journey.kpi.value"].with_user(user).create(
                        {
                            "target_id": self.target_1.id,
                            "week_start": "2020-01-06",
                            "status": "green",
                        }
                    )
                with self.assertRaises(AccessError):
                    value.with_user(user).write({"status": "green"})
        self.assertEqual(self.target_1.target, 90.0)

    def test_manager_edits_the_targets_of_their_company_only(self):
        target = self.target_1.with_user(self.as_manager)
        target.write({"target": 85.0, "min_sample": 3})
        self.assertEqual(self.target_1.target, 85.0)
        created = (
            self.env["journey.kpi.target"]
            .with_user(self.as_manager)
            .create(
                {
                    "measure_id": self.env.ref("journey_kpi.measure_care_on_time").id,
                    "scope": "salesperson",
                    "user_id": self.cons_1.id,
                    "target": 80.0,
                }
            )
        )
        self.assertEqual(created.company_id, self.company_a)
        for manager in (self.as_manager, self.cx_manager_a):
            Target = self.env["journey.kpi.target"].with_user(manager)
            with self.subTest(manager=manager.login):
                with self.assertRaises(AccessError):
                    self.target_b.with_user(manager).write({"target": 1.0})
                with self.assertRaises(AccessError):
                    self.target_b.with_user(manager).unlink()
                with self.assertRaises(AccessError):
                    Target.create(
                        {
                            "measure_id": self.env.ref(
                                "journey_kpi.measure_care_on_time"
                            ).id,
                            "company_id": self.company_b.id,
                            "target": 1.0,
                        }
                    )
                # Moving one's own target into the other company is refused too.
                with self.assertRaises(AccessError):
                    created.with_user(manager).write({"company_id": self.company_b.id})
        self.assertEqual(self.target_b.target, 90.0)
        self.assertEqual(created.company_id, self.company_a)
        # The quality manager reads targets, they do not set them.
        with self.assertRaises(AccessError):
            self.target_1.with_user(self.quality_manager).write({"target": 1.0})

    def test_cx_manager_edits_the_scorecards_of_their_company_only(self):
        card = self.scorecard_a.with_user(self.cx_manager_a)
        card.line_ids[:1].weight = 7.0
        self.assertEqual(self.scorecard_a.line_ids[:1].weight, 7.0)
        with self.assertRaises(AccessError):
            self.scorecard_b.with_user(self.cx_manager_a).write({"name": "Ours"})
        with self.assertRaises(AccessError):
            self.scorecard_b.line_ids.with_user(self.cx_manager_a).write(
                {"weight": 1.0}
            )
        aftersales = self.env["journey.kpi.scorecard"].search(
            [("company_id", "=", self.company_a.id), ("department", "=", "aftersales")]
        )
        with self.assertRaises(AccessError):
            aftersales.with_user(self.cx_manager_a).write(
                {"company_id": self.company_b.id}
            )
        # An item of their scorecard slipped into the other company's.
        with self.assertRaises(AccessError):
            card.line_ids[:1].write({"scorecard_id": self.scorecard_b.id})
        self.assertEqual(self.scorecard_b.line_ids.weight, 100.0)
        self.assertEqual(self.scorecard_b.name, "Sales B")

    def test_nobody_but_the_scheduled_action_writes_a_value(self):
        value = self.target_1.value_ids
        for manager in (self.as_manager, self.cx_manager_a, self.quality_manager):
            with self.subTest(manager=manager.login):
                with self.assertRaises(AccessError):
                    value.with_user(manager).write({"value": 100.0, "status": "green"})
                with self.assertRaises(AccessError):
                    value.with_user(manager).unlink()
                with self.assertRaises(AccessError):
                    self.env["journey.kpi.value"].with_user(manager).create(
                        {
                            "target_id": self.target_1.id,
                            "week_start": "2020-01-06",
                            "status": "red",
                        }
                    )
        # Nor through the target's form, as a one2many command.
        target = self.target_1.with_user(self.as_manager)
        for command in (
            Command.update(value.id, {"value": 100.0}),
            Command.create({"week_start": "2020-01-06", "status": "red"}),
            Command.delete(value.id),
        ):
            with self.subTest(command=command), self.assertRaises(AccessError):
                target.write({"value_ids": [command]})
        self.assertEqual(self.target_1.value_ids, value)
        self.assertEqual(value.week_start.weekday(), 0)
        # The scheduled action alone stores a week, once.
        Target = self.env["journey.kpi.target"]
        Target._cron_store_weekly_values()
        count = self.env["journey.kpi.value"].search_count([])
        Target._cron_store_weekly_values()
        self.assertEqual(self.env["journey.kpi.value"].search_count([]), count)
        for target in Target.search([("active", "=", True)]):
            monday, _sunday = Target._journey_last_week(target.company_id)
            self.assertEqual(
                len(target.value_ids.filtered(lambda v, m=monday: v.week_start == m)),
                1,
            )

    def test_stored_weeks_are_read_by_their_person_and_managers(self):
        """A stored week adds up everyone's rows of its scope: a consultant reads
        the weeks of their own target, not a colleague's nor the company's."""
        mine = self.target_1.value_ids
        Value = self.env["journey.kpi.value"]
        self.assertEqual(Value.with_user(self.cons_1).search([]), mine)
        self.assertFalse(Value.with_user(self.adv_1).search([]))
        for target in (self.target_2, self.company_target):
            with self.assertRaises(AccessError):
                target.value_ids.with_user(self.cons_1).read(["value"])
            # Nor through the target's last status (a related field).
            self.assertTrue(target.last_status)
            self.env.invalidate_all()
            self.assertFalse(target.with_user(self.cons_1).last_status)
            self.assertFalse(target.with_user(self.cons_1).last_value)
        self.assertTrue(self.target_1.with_user(self.cons_1).last_status)
        every = (self.target_1 | self.target_2 | self.company_target).value_ids
        for manager in (self.as_manager, self.cx_manager_a, self.quality_manager):
            seen = Value.with_user(manager).search([("id", "in", every.ids)])
            self.assertEqual(seen, every)
            self.assertFalse(
                Value.with_user(manager).search([("target_id", "=", self.target_b.id)])
            )


@tagged("post_install", "-at_install")
class TestBoardOverRpc(HttpCase, JourneyKpiAccessCommon):
    """The health board as its client calls it, with the caller's own context
    and filters."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.period = {
            "date_from": fields.Date.to_string(today - timedelta(days=40)),
            "date_to": fields.Date.to_string(today + timedelta(days=40)),
        }
        cls.overdue = cls.env.ref("journey_kpi.measure_commitment_overdue")

    def _call_kw(self, method, args, context=None):
        response = self.url_open(
            f"/web/dataset/call_kw/journey.kpi.measure/{method}",
            data=json.dumps(
                {
                    "id": 0,
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "journey.kpi.measure",
                        "method": method,
                        "args": args,
                        "kwargs": {"context": context or {}},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _board(self, filters, context=None):
        answer = self._call_kw("get_board_data", [filters], context)
        self.assertIn("result", answer, answer.get("error"))
        return answer["result"]

    def _refused(self, answer, exception="odoo.exceptions.UserError"):
        self.assertNotIn("result", answer)
        self.assertEqual(answer["error"]["data"]["name"], exception)
        return answer["error"]["data"]["message"]

    @staticmethod
    def _figures(board):
        return {m["code"]: (m["value"], m["sample"]) for m in board["measures"]}

    def _commitments(self, consultant):
        return self.journeys[consultant]["journey.kpi.commitment.report"]

    def test_consultant_board_counts_their_own_rows(self):
        self.authenticate("kpa_cons1", "kpa_cons1")
        board = self._board(self.period)
        figures = self._figures(board)
        # Four promises of their customer, all overdue; the colleague's four and
        # the other company's four are not counted.
        self.assertEqual(figures["commitment_overdue"], (4, 4))
        self.assertEqual(figures["sales_volume"], (1, 1))
        # The same figures as a manager reads for this consultant alone.
        manager = (
            self.env["journey.kpi.measure"]
            .with_user(self.as_manager)
            .get_board_data(dict(self.period, user_id=self.cons_1.id))
        )
        for code in ("commitment_overdue", "sales_volume", "brief_on_time"):
            self.assertEqual(figures[code], self._figures(manager)[code], code)
        # No one else's score on the scorecards.
        people = {p["user_id"] for card in board["scorecards"] for p in card["people"]}
        self.assertLessEqual(people, {self.cons_1.id})
        self.assertEqual(
            {c["id"] for c in board["choices"]["companies"]}, {self.company_a.id}
        )

    @mute_logger("odoo.http")
    def test_consultant_attack_contexts(self):
        self.authenticate("kpa_cons1", "kpa_cons1")
        mine = self._figures(self._board(self.period))
        # A company they are not in, alone or beside theirs.
        for companies in (self.company_b.ids, (self.company_a | self.company_b).ids):
            self._refused(
                self._call_kw(
                    "get_board_data",
                    [dict(self.period, company_ids=companies)],
                    {"allowed_company_ids": companies},
                )
            )
        message = self._refused(
            self._call_kw(
                "get_board_data", [dict(self.period, company_ids=self.company_b.ids)]
            )
        )
        self.assertIn("your companies", message)
        # Archived records in the context change nothing.
        self.assertEqual(
            self._figures(self._board(self.period, {"active_test": False})), mine
        )
        # Another consultant's figures: nothing of theirs is counted.
        for user_id in (self.cons_2.id, str(self.cons_2.id), self.cons_b.id):
            board = self._board(dict(self.period, user_id=user_id))
            for code, (value, sample) in self._figures(board).items():
                with self.subTest(user_id=user_id, code=code):
                    self.assertFalse(sample)
                    self.assertIn(value, (None, 0, 0.0))
            self.assertFalse(
                [p for card in board["scorecards"] for p in card["people"]]
            )

    @mute_logger("odoo.http")
    def test_bad_filters_are_clear_errors(self):
        self.authenticate("kpa_cons1", "kpa_cons1")
        for filters in (
            {"period": "forever"},
            {"period": ["this_month"]},
            {"date_from": "yesterday", "date_to": "2026-01-31"},
            {"date_from": "2026-02-01", "date_to": "2026-01-01"},
            {"date_from": "2026-02-01"},
            {"date_from": 20260101, "date_to": 20260131},
            {"date_from": "0001-01-01", "date_to": "0001-01-31"},
            {"date_from": "9999-12-01", "date_to": "9999-12-31"},
            {"date_from": "1960-01-01", "date_to": "2026-01-31"},
            {"team_ids": ["sales"]},
            {"team_ids": 3.5},
            {"user_id": "me"},
            {"user_id": [self.cons_1.id, self.cons_2.id]},
            {"company_ids": ["main"]},
            {"company_ids": {"id": 1}},
            {"company_ids": [-1]},
            "this_month",
            ["period", "this_month"],
        ):
            with self.subTest(filters=filters):
                self._refused(self._call_kw("get_board_data", [filters]))
        for measure_id in ("x", [self.overdue.id, self.overdue.id + 1], -1, None):
            with self.subTest(measure_id=measure_id):
                self._refused(
                    self._call_kw(
                        "action_journey_open_records", [measure_id, self.period, True]
                    )
                )

    @mute_logger("odoo.http")
    def test_click_through_lists_no_foreign_record(self):
        self.authenticate("kpa_cons1", "kpa_cons1")
        foreign = set(self._commitments(self.cons_2).ids) | set(
            self._commitments(self.cons_b).ids
        )
        for filters, context in (
            (self.period, {}),
            (dict(self.period, user_id=self.cons_2.id), {}),
            (self.period, {"active_test": False}),
        ):
            with self.subTest(filters=filters, context=context):
                answer = self._call_kw(
                    "action_journey_open_records",
                    [self.overdue.id, filters, True],
                    context,
                )
                self.assertIn("result", answer, answer.get("error"))
                (_field, _operator, ids) = answer["result"]["domain"][0]
                self.assertFalse(set(ids) & foreign)
                self.assertLessEqual(set(ids), set(self._commitments(self.cons_1).ids))
        answer = self._call_kw(
            "action_journey_open_records", [self.overdue.id, self.period, True]
        )
        self.assertEqual(
            set(answer["result"]["domain"][0][2]),
            set(self._commitments(self.cons_1).ids),
        )
        self._refused(
            self._call_kw(
                "action_journey_open_records",
                [self.overdue.id, dict(self.period, company_ids=self.company_b.ids)],
                {"allowed_company_ids": self.company_b.ids},
            )
        )

    def test_manager_board_scores_everyone_of_their_company(self):
        self.authenticate("kpa_cxm", "kpa_cxm")
        board = self._board(self.period)
        self.assertEqual(self._figures(board)["commitment_overdue"][1] >= 8, True)
        scored = {p["user_id"] for card in board["scorecards"] for p in card["people"]}
        self.assertIn(self.cons_2.id, scored)
        self.assertNotIn(self.cons_b.id, scored)

    @mute_logger("odoo.http")
    def test_no_journey_role_cannot_call_the_board(self):
        for login in ("kpa_plain", "kpa_portal"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self._refused(
                    self._call_kw("get_board_data", [self.period]),
                    "odoo.exceptions.AccessError",
                )
                self._refused(
                    self._call_kw(
                        "action_journey_open_records", [self.overdue.id, self.period]
                    ),
                    "odoo.exceptions.AccessError",
                )
