"""The care plan's scheduled action: batches that resume after an interruption,
a failing event marked failed without stopping the others, the shipped rule that
tells the after-sales manager, bounded queries, the health report and the
mileage reminder."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common_care import JourneyCareCommon

DUE = "2026-12-02 02:00:00"


class Interrupted(Exception):
    """The worker stopped before the scheduler committed the batch."""


@tagged("post_install", "-at_install")
class TestCareCron(JourneyCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env.ref("journey_service.automation_care_event_failed")
        cls.failed_type = cls.env.ref("journey_service.mail_act_care_failed")

    def _progress(self):
        return self.env["ir.cron.progress"].create(
            {
                "cron_id": self.env.ref("journey_service.ir_cron_care_events").id,
                "done": 0,
                "remaining": 0,
            }
        )

    def _run(self, progress, **kwargs):
        self.Event.with_context(ir_cron_progress_id=progress.id)._cron_journey_run_care(
            **kwargs
        )
        return progress.done, progress.remaining

    def _vehicles(self, count):
        vehicles = self.env["fleet.vehicle"]
        for _index in range(count):
            vehicles |= self._vehicle()
        self._generate(vehicles)
        return vehicles

    def _failed_notices(self, events):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "journey.care.event"),
                ("res_id", "in", events.ids),
                ("activity_type_id", "=", self.failed_type.id),
            ]
        )

    def test_batches_resume_after_an_interruption_without_doing_anything_twice(self):
        vehicles = self._vehicles(3)
        events = self.Event.search([("vehicle_id", "in", vehicles.ids)])
        progress = self._progress()
        with freeze_time(DUE):
            with self.assertRaises(Interrupted), self.env.cr.savepoint():
                self._run(progress, batch_size=2)
                raise Interrupted
            self.env.invalidate_all()
            self.assertFalse(events.filtered("dispatched_on"), "nothing was kept")
            self.assertEqual(self._run(progress, batch_size=2), (2, 1))
            self.assertEqual(self._run(progress, batch_size=2), (1, 0))
            self.assertEqual(self._run(progress, batch_size=2), (0, 0))
        self.assertTrue(all(events.mapped("dispatched_on")))
        activities = events.activity_ids
        self.assertEqual(len(activities), 3, "one call per event, after the resume too")
        self.assertEqual(activities.user_id, self.advisor)

    def test_a_failing_event_is_marked_failed_and_the_manager_told(self):
        self.plan.step_ids = [
            Command.create(
                {
                    "name": "Greeting",
                    "kind": "greeting",
                    "anchor": "delivery",
                    "offset_days": 30,
                    "action": "email",
                    "mail_template_id": self.env.ref(
                        "journey_service.mail_template_care_birthday"
                    ).id,
                }
            )
        ]
        self.other_customer.write(
            {
                "email": False,
                "user_id": self.consultant.id,
                "journey_service_advisor_id": self.advisor.id,
            }
        )
        vehicles = self._vehicles(1) | self._vehicle(partner=self.other_customer)
        self._generate(vehicles)
        with freeze_time(DUE):
            self.Event._cron_journey_run_care()
        events = self.Event.search([("vehicle_id", "in", vehicles.ids)])
        greetings = events.filtered(lambda e: e.name == "Greeting")
        failed = greetings.filtered(lambda e: e.partner_id == self.other_customer)
        self.assertEqual(failed.state, "failed")
        self.assertIn("no e-mail address", failed.error)
        sent = greetings - failed
        self.assertEqual(sent.state, "done", "the others went on")
        self.assertTrue(
            sent.message_ids.filtered(lambda m: "Happy birthday" in (m.body or ""))
        )
        calls = events - greetings
        self.assertTrue(all(calls.mapped("dispatched_on")))
        notice = self._failed_notices(failed)
        self.assertEqual(len(notice), 1)
        self.assertIn(
            notice.user_id, self.env.ref("journey_crm.group_aftersales_manager").users
        )
        # Running again does nothing twice, and the job stays on.
        with freeze_time(DUE):
            self.Event._cron_journey_run_care()
        self.assertEqual(len(self._failed_notices(failed)), 1)
        self.assertEqual(
            len(
                sent.message_ids.filtered(lambda m: "Happy birthday" in (m.body or ""))
            ),
            1,
        )
        self.assertTrue(self.env.ref("journey_service.ir_cron_care_events").active)
        # Fixed, tried again: it is carried out.
        self.other_customer.email = "qian@example.com"
        failed.with_user(self.manager).action_retry()
        with freeze_time(DUE):
            self.Event._cron_journey_run_care()
        self.assertEqual(failed.state, "done")

    def test_the_shipped_rule_can_be_switched_off_or_redirected(self):
        self.plan.step_ids.role = "customer_success"  # nobody named: fails
        vehicle = self._vehicles(1)
        event = self._events(vehicle)
        self.rule.active = False
        with freeze_time(DUE):
            self.Event._cron_journey_run_care()
        self.assertEqual(event.state, "failed")
        self.assertIn("Customer Success Manager", event.error)
        self.assertFalse(self._failed_notices(event), "the rule is off: nobody told")
        self.rule.active = True
        action = self.rule.action_server_ids
        action.write(
            {"activity_user_type": "specific", "activity_user_id": self.cx_manager.id}
        )
        event.with_user(self.manager).action_retry()
        with freeze_time(DUE):
            self.Event._cron_journey_run_care()
        self.assertEqual(self._failed_notices(event).user_id, self.cx_manager)

    def test_queries_per_event_do_not_grow_with_what_is_stored(self):
        """The growth from 5 to 10 due events is what matters; events already
        stored (done, or planned later) do not make a run dearer."""
        self._vehicles(2)
        with freeze_time(DUE):
            self.Event._cron_journey_run_care()  # warms the caches
        self._vehicles(20)  # stored volume: later events of other vehicles
        spent = {}
        for count in (5, 10):
            self._vehicles(count)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time(DUE), self.assertQueryCount(__system__=600):
                self.Event._cron_journey_run_care(batch_size=count)
            spent[count] = self.env.cr.sql_log_count - before
        per_event = (spent[10] - spent[5]) / 5
        self.assertLessEqual(per_event, 30, f"{spent}")

    def test_health_report_is_sent_to_the_customer_and_shown_on_the_vehicle(self):
        self.plan.step_ids.write({"action": "health_report"})
        vehicle = self._vehicles(1)
        self.env["fleet.vehicle.odometer"].create(
            {"vehicle_id": vehicle.id, "value": 1200, "date": date(2026, 11, 30)}
        )
        event = self._events(vehicle)
        with freeze_time(DUE):
            self.Event._cron_journey_run_care()
        self.assertEqual(event.state, "done")
        message = vehicle.message_ids.filtered(
            lambda m: self.customer in m.partner_ids
        )[:1]
        self.assertTrue(message.attachment_ids, "the report goes with the e-mail")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "journey_service.action_report_vehicle_health", vehicle.ids
            )[0]
            .decode()
        )
        self.assertIn("1,200", html)
        action = vehicle.with_user(self.advisor).action_journey_health_report()
        self.assertEqual(action["report_name"], "journey_service.report_vehicle_health")

    def test_mileage_past_the_interval_reminds_advisor_and_salesperson_once(self):
        self.company.journey_care_mileage_interval = 3000
        vehicle = self._vehicles(1)
        Odometer = self.env["fleet.vehicle.odometer"]
        mileage = self.env.ref("journey_service.mail_act_care_mileage")
        with freeze_time(datetime(2027, 1, 5)):
            Odometer.create({"vehicle_id": vehicle.id, "value": 2900})
            self.assertFalse(
                vehicle.activity_ids.filtered(lambda a: a.activity_type_id == mileage)
            )
            Odometer.create({"vehicle_id": vehicle.id, "value": 3100})
            Odometer.create({"vehicle_id": vehicle.id, "value": 3500})
        reminders = vehicle.activity_ids.filtered(
            lambda a: a.activity_type_id == mileage
        )
        self.assertEqual(reminders.user_id, self.advisor | self.consultant)
        self.assertEqual(len(reminders), 2, "once")
