"""Scheduled actions at a dealership group's scale: a batch per call, progress
reported to Odoo's scheduler, nothing done twice after an interruption, and a
number of queries that does not grow with each item."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SIGNATURE, JourneyServiceCommon


class Interrupted(Exception):
    """The worker stopped before the scheduler committed the batch."""


@tagged("post_install", "-at_install")
class TestScheduledActions(JourneyServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.consultant
        cls.Handover = cls.env["journey.handover"]
        cls.Commitment = cls.env["journey.commitment"]
        cls.Task = cls.env["project.task"]
        cls.Lead = cls.env["crm.lead"]

    def _progress(self, xmlid):
        """The progress record Odoo's scheduler gives a scheduled action's run."""
        cron = self.env.ref(xmlid)
        return self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "done": 0, "remaining": 0}
        )

    def _run(self, model, method, progress, **kwargs):
        getattr(model.with_context(ir_cron_progress_id=progress.id), method)(**kwargs)
        return progress.done, progress.remaining

    def _activities(self, records, xmlid):
        activity_type = self.env.ref(xmlid)
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _late_handovers(self, count):
        with freeze_time("2026-11-02 09:00:00"):
            orders = self.env["sale.order"].browse()
            for _index in range(count):
                orders |= self._confirmed_order()
        return orders.journey_handover_ids

    # ------------------------------------------------------------------
    # Handovers
    # ------------------------------------------------------------------

    def test_handover_notice_in_batches_resumes_without_doing_anything_twice(self):
        handovers = self._late_handovers(3)
        progress = self._progress("journey_service.ir_cron_handover_overdue")
        with freeze_time("2026-11-03 10:00:00"):
            # The worker stops after a batch, before the scheduler's commit.
            with self.assertRaises(Interrupted), self.env.cr.savepoint():
                self._run(self.Handover, "_cron_notify_overdue", progress, batch_size=2)
                raise Interrupted
            self.env.invalidate_all()
            self.assertFalse(
                handovers.filtered("brief_overdue_notified"), "nothing was kept"
            )
            self.assertEqual(
                self._run(
                    self.Handover, "_cron_notify_overdue", progress, batch_size=2
                ),
                (2, 1),
            )
            self.assertEqual(len(handovers.filtered("brief_overdue_notified")), 2)
            self._run(self.Handover, "_cron_notify_overdue", progress, batch_size=2)
            self._run(self.Handover, "_cron_notify_overdue", progress, batch_size=2)
        self.assertTrue(all(handovers.mapped("brief_overdue_notified")))
        notices = self._activities(
            handovers, "journey_service.mail_act_handover_overdue"
        )
        self.assertEqual(
            len(notices), 3, "one notice per late brief, after the interruption too"
        )
        self.assertEqual(notices.user_id, self.consultant)

    def test_handover_notice_queries_do_not_grow_per_handover(self):
        """Five late briefs or ten: about one more query per handover (a run used to
        cost 17 queries per handover, mostly an e-mail per activity). The absolute
        count depends on the test runner's caches: the growth is what matters."""
        late = self._late_handovers(2)
        with freeze_time("2026-11-03 10:00:00"):
            self.Handover._cron_notify_overdue()  # warms the caches
        spent = {}
        for count in (5, 10):
            late |= self._late_handovers(count)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            with (
                freeze_time("2026-11-03 10:00:00"),
                self.assertQueryCount(__system__=50),
            ):
                self.Handover._cron_notify_overdue()
            spent[count] = self.env.cr.sql_log_count - before
        self.assertLessEqual(
            spent[10] - spent[5], 10, "at most 2 queries per more handover"
        )
        self.assertTrue(all(late.mapped("brief_overdue_notified")))

    # ------------------------------------------------------------------
    # Deliveries to prepare
    # ------------------------------------------------------------------

    def test_preparation_reminders_in_batches(self):
        orders = self.env["sale.order"].browse()
        for _index in range(3):
            orders |= self._confirmed_order()
        tasks = orders.journey_task_ids.with_env(self.env)
        tasks.user_ids = self.delivery
        progress = self._progress("journey_service.ir_cron_prepare_deliveries")
        with freeze_time(self.delivery_datetime - timedelta(days=2)):
            self.assertEqual(
                self._run(
                    self.Task,
                    "_cron_journey_prepare_deliveries",
                    progress,
                    batch_size=2,
                )[0],
                2,
            )
            self._run(
                self.Task, "_cron_journey_prepare_deliveries", progress, batch_size=2
            )
            self._run(
                self.Task, "_cron_journey_prepare_deliveries", progress, batch_size=2
            )
        reminders = self._activities(tasks, "journey_service.mail_act_prepare_delivery")
        self.assertEqual(len(reminders), 3)
        self.assertEqual(reminders.user_id, self.delivery)
        self.assertIn("Floor mats", reminders[0].note)

    # ------------------------------------------------------------------
    # Promises falling due
    # ------------------------------------------------------------------

    def test_promise_reminders_in_batches_and_bounded_queries(self):
        order = self._confirmed_order()
        chargers = self.Commitment.browse()
        for index in range(6):
            chargers |= self._add_commitment(
                order, self.type_charger, f"Home charger {index}"
            )
        due = chargers[0].date_due
        progress = self._progress("journey_service.ir_cron_commitment_follow_up")
        with freeze_time(due - timedelta(days=3)):
            self.assertEqual(
                self._run(
                    self.Commitment, "_cron_journey_follow_up", progress, batch_size=4
                ),
                (4, 1),
            )
            self.env.flush_all()
            with self.assertQueryCount(__system__=50):
                self.Commitment._cron_journey_follow_up(batch_size=4)
            self.Commitment._cron_journey_follow_up(batch_size=4)
        reminders = self._activities(
            chargers, "journey_service.mail_act_commitment_due"
        )
        self.assertEqual(len(reminders), 6, "one reminder per promise")
        self.assertEqual(
            reminders.user_id, self.consultant, "no advisor yet: the salesperson"
        )

    # ------------------------------------------------------------------
    # Leads raised in after-sales
    # ------------------------------------------------------------------

    def test_unanswered_lead_notice_in_batches(self):
        with freeze_time("2026-11-02 09:00:00"):
            leads = self.Lead.browse()
            for index in range(3):
                leads |= self.Lead.with_user(self.advisor)._journey_raise_from_service(
                    self.customer, "trade_in", "b", f"Old car {index}"
                )
        progress = self._progress("journey_service.ir_cron_service_lead_overdue")
        with freeze_time("2026-11-03 10:00:00"):
            self.assertEqual(
                self._run(
                    self.Lead, "_cron_journey_notify_overdue", progress, batch_size=2
                ),
                (2, 1),
            )
            self._run(self.Lead, "_cron_journey_notify_overdue", progress, batch_size=2)
            self._run(self.Lead, "_cron_journey_notify_overdue", progress, batch_size=2)
        self.assertTrue(all(leads.sudo().mapped("journey_overdue_notified")))
        self.assertEqual(
            len(
                self._activities(leads, "journey_service.mail_act_service_lead_overdue")
            ),
            3,
        )

    # ------------------------------------------------------------------
    # Signed checklists to attach as PDF
    # ------------------------------------------------------------------

    def test_signed_checklists_are_attached_once(self):
        tasks = self.Task.browse()
        for _index in range(2):
            task = self._delivery_task(self._confirmed_order()).with_env(self.env)
            task.user_ids = self.delivery
            self._keep_all(task)
            task._journey_sign_checklist(
                "Zhao", SIGNATURE, "in_store", user=self.delivery
            )
            tasks |= task
        progress = self._progress("journey_service.ir_cron_post_signed_checklists")
        self.assertEqual(
            self._run(
                self.Task,
                "_cron_journey_post_signed_checklists",
                progress,
                batch_size=1,
            ),
            (1, 1),
        )
        self._run(
            self.Task, "_cron_journey_post_signed_checklists", progress, batch_size=1
        )
        self._run(
            self.Task, "_cron_journey_post_signed_checklists", progress, batch_size=1
        )
        for task in tasks:
            pdfs = task.message_ids.attachment_ids.filtered(
                lambda a: a.name.endswith(".pdf")
            )
            self.assertEqual(len(pdfs), 1, "one signed PDF per delivery")

    def test_free_services_close_at_the_end_of_their_period(self):
        order = self._create_order()
        free = self._add_commitment(
            order, self.type_free_maintenance, "Two free services"
        )
        order.with_user(self.consultant).action_declare_commitments()
        order.with_user(self.consultant).action_confirm()
        with freeze_time(free.date_deadline + timedelta(days=1)):
            self.Commitment._cron_journey_close_free_services()
            self.Commitment._cron_journey_close_free_services()
        self.assertEqual(free.fulfillment_state, "fulfilled")
        ended = free.message_ids.filtered(lambda m: "period ended" in (m.body or ""))
        self.assertEqual(len(ended), 1)
