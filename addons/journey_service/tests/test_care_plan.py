"""Care plans: which plan a vehicle follows, its steps turned into events in the
company's time zone, edits that regenerate only what is planned, opt-outs, the
advisor's first call counting for the day 3 call, and skipping with a reason."""

from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_care import DELIVERED, JourneyCareCommon


@tagged("post_install", "-at_install")
class TestCarePlan(JourneyCareCommon):
    def test_events_follow_the_plan_in_the_companys_time_zone(self):
        # 2026-11-02 23:30 UTC is already the 3rd in Shanghai.
        self.order.sudo().journey_delivered_on = datetime(2026, 11, 2, 23, 30)
        vehicle = self._vehicle()
        self._generate(vehicle, when=datetime(2026, 11, 2, 23, 45))
        event = self._events(vehicle)
        self.assertEqual(event.planned_date, date(2026, 12, 3))
        self.assertEqual(
            (event.state, event.partner_id, event.occurrence),
            ("planned", self.customer, 0),
        )

    def test_recurrence_fills_the_horizon_and_is_unique(self):
        self.step.write({"recurrence_months": 3})
        vehicle = self._vehicle()
        self._generate(vehicle)
        events = self._events(vehicle)
        # Day 30, then every 3 months within 12 months of the delivery.
        self.assertEqual(
            events.mapped("planned_date"),
            [date(2026, 12, 2), date(2027, 3, 2), date(2027, 6, 2), date(2027, 9, 2)],
        )
        self.assertEqual(events.mapped("occurrence"), [0, 1, 2, 3])
        self._generate(vehicle)
        self.assertEqual(self._events(vehicle), events, "made once")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.Event.sudo().create(
                {
                    "vehicle_id": vehicle.id,
                    "partner_id": self.customer.id,
                    "step_id": self.step.id,
                    "occurrence": 0,
                    "planned_date": date(2026, 12, 2),
                    "company_id": self.company.id,
                }
            )

    def test_the_horizon_is_a_setting_and_rolls(self):
        self.step.write({"recurrence_months": 1})
        settings = Form(self.env["res.config.settings"])
        settings.journey_care_horizon_months = 3
        settings.save().execute()
        vehicle = self._vehicle()
        self._generate(vehicle)
        self.assertEqual(self._events(vehicle)[-1].planned_date, date(2027, 2, 2))
        self.assertEqual(vehicle.journey_care_horizon_date, date(2027, 2, 2))
        # A month later the scheduled action extends the horizon.
        with freeze_time("2026-12-10 01:00:00"):
            self.Event._cron_journey_run_care()
        self.assertEqual(self._events(vehicle)[-1].planned_date, date(2027, 3, 2))
        with self.assertRaisesText(ValidationError, "positive"):
            self.company.journey_care_horizon_months = 0

    def test_most_specific_plan_wins_then_sequence(self):
        brand = self.fleet_model.brand_id
        other_model = self.env["fleet.vehicle.model"].create(
            {"name": "City EV", "brand_id": brand.id}
        )
        suv_plan = self.Plan.create(
            {
                "name": "SUV plan",
                "sequence": 50,
                "vehicle_model_ids": [Command.set(self.fleet_model.ids)],
            }
        )
        generic_first = self.Plan.create({"name": "Generic first", "sequence": 1})
        city_plan = self.Plan.create(
            {
                "name": "City plan",
                "vehicle_model_ids": [Command.set(other_model.ids)],
            }
        )
        suv = self._vehicle()
        city = self._vehicle(model=other_model)
        third = self.env["fleet.vehicle.model"].create(
            {"name": "Van", "brand_id": brand.id}
        )
        van = self._vehicle(model=third)
        plans = self.Plan._journey_plans_for_vehicles(suv | city | van)
        self.assertEqual(plans[suv], suv_plan, "the model's plan beats a generic one")
        self.assertEqual(plans[city], city_plan)
        self.assertEqual(
            plans[van], generic_first, "among generic plans, the lowest sequence"
        )
        generic_first.sequence = 99
        self.assertEqual(self.Plan._journey_plans_for_vehicles(van)[van], self.plan)

    def test_bad_steps_are_refused_with_a_clear_error(self):
        cases = [
            ({"recurrence_months": -1}, "repeats every 1 month or more"),
            ({"offset_days": -3}, "cannot come before it"),
            (
                {"anchor": "day_of_year", "anchor_month": 2, "anchor_day": 30},
                "month 2 has no day 30",
            ),
            ({"anchor": "day_of_year", "anchor_month": 13, "anchor_day": 1}, "1 to 12"),
            ({"anchor": "birthday", "recurrence_months": 12}, "comes back every year"),
            ({"kind": "safety", "opt_out_allowed": True}, "never opts out"),
            ({"action": "email", "mail_template_id": False}, "choose the e-mail"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                with self.assertRaisesText(ValidationError, message):
                    self.step.write(values)
        self.assertEqual(self.step.offset_days, 30, "nothing lost")

    def test_editing_a_step_moves_planned_events_only(self):
        self.step.write({"recurrence_months": 3})
        vehicle = self._vehicle()
        self._generate(vehicle)
        first, second = self._events(vehicle)[:2]
        first._journey_mark("done", "Called")
        second.with_user(self.advisor).action_skip(reason="Customer abroad")
        with freeze_time(DELIVERED):
            self.plan.with_user(self.manager).step_ids.write({"offset_days": 45})
        events = self._events(vehicle)
        self.assertEqual((first.state, first.planned_date), ("done", date(2026, 12, 2)))
        self.assertEqual(second.state, "skipped")
        self.assertEqual(second.planned_date, date(2027, 3, 2), "never touched")
        planned = events.filtered(lambda e: e.state == "planned")
        self.assertEqual(
            planned.mapped("planned_date"), [date(2027, 6, 17), date(2027, 9, 17)]
        )
        # A step removed takes its planned events, not the done ones.
        with self.assertRaisesText(UserError, "archive the step"):
            self.step.with_user(self.manager).unlink()
        self.step.with_user(self.manager).active = False
        self.assertEqual(
            set(self._events(vehicle).mapped("state")), {"done", "skipped"}
        )

    def test_birthday_and_day_of_year_steps(self):
        self.customer.journey_birthday = date(1992, 2, 29)
        self.plan.write(
            {
                "step_ids": [
                    Command.create(
                        {
                            "name": "Birthday",
                            "kind": "greeting",
                            "anchor": "birthday",
                            "action": "activity",
                            "role": "salesperson",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Battery before winter",
                            "kind": "service",
                            "anchor": "day_of_year",
                            "anchor_month": 11,
                            "anchor_day": 1,
                            "action": "activity",
                        }
                    ),
                ]
            }
        )
        vehicle = self._vehicle()
        self._generate(vehicle)
        events = self._events(vehicle)
        birthday = events.filtered(lambda e: e.name == "Birthday")
        self.assertEqual(birthday.planned_date, date(2027, 2, 28))
        self.assertEqual(birthday.occurrence, 2027)
        battery = events.filtered(lambda e: e.name == "Battery before winter")
        self.assertEqual(
            battery.mapped("planned_date"), [date(2027, 11, 1)], "not before delivery"
        )

    def test_opted_out_customer_is_not_contacted_but_safety_always(self):
        self.step.write({"kind": "greeting", "opt_out_allowed": True})
        safety = self.env["journey.care.plan.step"].create(
            {
                "plan_id": self.plan.id,
                "name": "Recall: airbag",
                "kind": "safety",
                "anchor": "delivery",
                "offset_days": 30,
                "action": "activity",
                "role": "service_advisor",
            }
        )
        self.customer.journey_care_opt_out_greetings = True
        self.customer.journey_care_opt_out_calls = True
        vehicle = self._vehicle()
        self._generate(vehicle)
        with freeze_time("2026-12-02 02:00:00"):
            self.Event._cron_journey_run_care()
        greeting = self._events(vehicle, self.step)
        recall = self._events(vehicle, safety)
        self.assertEqual(greeting.state, "skipped")
        self.assertIn("opted out", greeting.result)
        self.assertFalse(greeting.activity_ids)
        self.assertEqual(recall.state, "planned")
        self.assertEqual(recall.activity_ids.user_id, self.advisor)
        # The advisor calls and marks it done: the event is done by them.
        recall.activity_ids.with_user(self.advisor).action_feedback("Booked the fix")
        self.assertEqual(
            (recall.state, recall.done_by_id, recall.result),
            ("done", self.advisor, "Booked the fix"),
        )

    def test_advisors_first_call_counts_for_the_day_3_call(self):
        self.step.write({"offset_days": 3, "counts_handover_call": True})
        order = self._confirmed_order()
        task = self._delivery_task(order).with_env(self.env)
        task.user_ids = self.delivery
        self._keep_all(task)
        with freeze_time("2026-11-02 02:00:00"):
            vehicle = self._run_ceremony(task)
            task.with_user(self.delivery).stage_id = self.stage["done"]
        event = self._events(vehicle)
        self.assertEqual(event.planned_date, date(2026, 11, 5))
        handover = order.journey_handover_ids.filtered(
            lambda h: h.kind == "delivery_service"
        )
        handover.sudo().receiver_id = self.advisor
        # Day 3: the call is not made yet; no second call is asked for.
        with freeze_time("2026-11-05 02:00:00"):
            self.Event._cron_journey_run_care()
        self.assertEqual(event.state, "planned")
        self.assertFalse(event.activity_ids)
        self.assertEqual(event.handover_id, handover)
        handover.with_user(
            self.advisor
        ).call_note = "All fine, asked about winter range"
        handover.with_user(self.advisor).action_call_done()
        self.assertEqual(
            (event.state, event.done_by_id, event.result),
            ("done", self.advisor, "All fine, asked about winter range"),
        )
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "journey.care.event"), ("res_id", "=", event.id)]
            )
        )

    def test_skip_needs_a_reason(self):
        vehicle = self._vehicle()
        self._generate(vehicle)
        event = self._events(vehicle)
        action = event.with_user(self.consultant).action_skip()
        self.assertEqual(action["res_model"], "journey.care.event.skip.wizard")
        wizard = (
            self.env["journey.care.event.skip.wizard"]
            .with_user(self.consultant)
            .create({"event_ids": [Command.set(event.ids)], "reason": "  "})
        )
        with self.assertRaisesText(UserError, "Say why"):
            wizard.action_skip()
        self.assertEqual(event.state, "planned", "nothing lost")
        wizard.reason = "Moved to another city"
        wizard.action_skip()
        self.assertEqual(
            (event.state, event.result, event.done_by_id),
            ("skipped", "Moved to another city", self.consultant),
        )
        self.assertIn("Moved to another city", event.message_ids[0].body)

    def test_access_per_role(self):
        vehicle = self._vehicle()
        self._generate(vehicle)
        event = self._events(vehicle)
        for user in (
            self.consultant,
            self.delivery,
            self.advisor,
            self.manager,
            self.cx_manager,
        ):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.Event.with_user(user).search([("id", "=", event.id)]), event
                )
                self.assertTrue(
                    self.Plan.with_user(user).search([("id", "=", self.plan.id)])
                )
        self.assertFalse(
            self.Event.with_user(self.consultant_2).search([("id", "=", event.id)]),
            "another salesperson's customers are not theirs",
        )
        for user in (self.consultant, self.delivery, self.advisor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.plan.with_user(user).name = "Mine"
        for user in (self.advisor, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                event.with_user(user).write({"state": "done"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Event.with_user(user).create(
                    {
                        "vehicle_id": vehicle.id,
                        "partner_id": self.customer.id,
                        "step_id": self.step.id,
                        "occurrence": 9,
                        "planned_date": date(2027, 1, 1),
                        "company_id": self.company.id,
                    }
                )
        with self.assertRaises(AccessError):
            event.with_user(self.delivery).action_skip(reason="not mine")
        self.plan.with_user(self.manager).name = "Renamed"
        other = self.Plan.sudo().create(
            {"name": "Other", "company_id": self.other_company.id}
        )
        self.assertFalse(
            self.Plan.with_user(self.manager).search([("id", "=", other.id)])
        )

    def test_default_plan_ships_the_issue_steps(self):
        plan = self.env.ref("journey_service.care_plan_default")
        plan.active = True
        self.plan.active = False
        order = self._confirmed_order()
        task = self._delivery_task(order).with_env(self.env)
        task.user_ids = self.delivery
        self._keep_all(task)
        self.customer.journey_birthday = date(1988, 6, 6)
        with freeze_time("2026-11-02 02:00:00"):
            vehicle = self._run_ceremony(task, first_service=date(2027, 3, 1))
            task.with_user(self.delivery).stage_id = self.stage["done"]
        events = self._events(vehicle)
        by_name = {}
        for event in events:
            by_name.setdefault(event.name, []).append(event.planned_date)
        self.assertEqual(by_name["Day 3 call"], [date(2026, 11, 5)])
        self.assertEqual(by_name["Day 30 survey"], [date(2026, 12, 2)])
        self.assertEqual(by_name["First service in 7 days"], [date(2027, 2, 22)])
        self.assertEqual(by_name["Winter check: battery"], [date(2027, 11, 1)])
        self.assertEqual(by_name["Summer check: air conditioning"], [date(2027, 5, 15)])
        self.assertEqual(by_name["Vehicle health report"], [date(2027, 5, 3)])
        self.assertEqual(by_name["Birthday greetings"], [date(2027, 6, 6)])
        self.assertEqual(len(by_name["Quarterly call"]), 4)
        reminder = events.filtered(lambda e: e.name == "First service in 7 days")
        with freeze_time("2027-02-22 02:00:00"):
            reminder._journey_carry_out()
        self.assertEqual(
            reminder.activity_ids.user_id, self.advisor | self.consultant, "双线触达"
        )
        self.assertEqual(
            task.journey_first_service_task_id.date_deadline.date(), date(2027, 3, 1)
        )
