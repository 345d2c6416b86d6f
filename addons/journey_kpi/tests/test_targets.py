from datetime import date, datetime, time, timedelta

from odoo.tests import new_test_user, tagged

from .common import JourneyKpiCommon

# Mondays of four weeks running.
W1, W2, W3, W4 = (date(2026, 3, 2) + timedelta(weeks=n) for n in range(4))


@tagged("post_install", "-at_install")
class TestWeeklyTargets(JourneyKpiCommon):
    """Complaints answered in 24 h, target 95% on at least 2 complaints a week."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.target = cls.env["journey.kpi.target"].create(
            {
                "measure_id": cls.env.ref("journey_kpi.measure_complaint_in_time").id,
                "company_id": cls.company.id,
                "scope": "company",
                "target": 95,
                "min_sample": 2,
            }
        )
        cls.meeting = cls.env.ref("journey_kpi.mail_act_kpi_improvement")
        cls.plan_type = cls.env.ref("journey_kpi.mail_act_kpi_plan")

    @classmethod
    def _week(cls, monday, answered=0, late=0):
        """Complaints received on ``monday`` (Shanghai): answered within the hour,
        or never answered (their deadline long past)."""
        received = datetime.combine(monday, time(2))
        for index in range(answered):
            start = received + timedelta(hours=index)
            cls._complaint(start, start + timedelta(hours=1))
        for index in range(late):
            cls._complaint(received + timedelta(hours=10 + index))

    def _store(self, monday):
        self.target._journey_store_week(monday, monday + timedelta(days=6))

    def _activities(self):
        return self.target.activity_ids

    def test_two_red_weeks_ask_improvement(self):
        self._week(W1, answered=1, late=1)
        self._week(W2, late=2)
        self._store(W1)
        self.assertFalse(self._activities(), "one red week is no alert")
        self._store(W2)
        values = self.target.value_ids.sorted("week_start")
        self.assertEqual(values.mapped("week_start"), [W1, W2])
        self.assertEqual(values.mapped("status"), ["red", "red"])
        self.assertEqual(values.mapped("value"), [50.0, 0.0])
        self.assertEqual(values.mapped("sample"), [2, 2])
        today = self.company._journey_kpi_today()
        activities = self._activities()
        self.assertEqual(len(activities), 2)
        meeting = activities.filtered(lambda a: a.activity_type_id == self.meeting)
        plan = activities.filtered(lambda a: a.activity_type_id == self.plan_type)
        self.assertEqual(meeting.date_deadline, today + timedelta(days=1))
        self.assertEqual(plan.date_deadline, today + timedelta(days=2))
        self.assertEqual(activities.user_id, self.cx_manager)
        # A third red week while they are open: nothing more.
        self._week(W3, late=2)
        self._store(W3)
        self.assertEqual(len(self._activities()), 2)

    def test_company_manager_setting(self):
        other = new_test_user(
            self.env,
            login="kpi_cx_chosen",
            groups="base.group_user,journey_crm.group_cx_manager",
            company_id=self.company.id,
            company_ids=self.company.ids,
            name="Chosen CX Manager",
        )
        self.assertEqual(self.company._journey_kpi_cx_manager(), self.cx_manager)
        self.company.journey_kpi_cx_manager_id = other
        self._week(W1, late=2)
        self._week(W2, late=2)
        self._store(W1)
        self._store(W2)
        self.assertEqual(self._activities().user_id, other)

    def test_low_sample_and_no_data_are_no_miss(self):
        self._week(W1, late=2)
        self._week(W2, late=1)  # one complaint: too few to judge
        self._week(W3, late=2)
        for monday in (W1, W2, W3, W4):  # W4: no complaint at all
            self._store(monday)
        statuses = self.target.value_ids.sorted("week_start").mapped("status")
        self.assertEqual(statuses, ["red", "nodata", "red", "nodata"])
        self.assertFalse(self._activities())

    def test_green_week_resets(self):
        self._week(W1, late=2)
        self._week(W2, answered=2)
        self._week(W3, answered=1, late=1)
        self._week(W4, late=2)
        self._store(W1)
        self._store(W2)
        self._store(W3)
        self.assertFalse(self._activities(), "red, green, red: no two weeks running")
        self._store(W4)
        self.assertEqual(len(self._activities()), 2)

    def test_cron_stores_once(self):
        """The scheduled action stores the last complete week once, and asks for
        the meeting when the week before was red too."""
        today = self.company._journey_kpi_today()
        last_monday = today - timedelta(days=today.weekday() + 7)
        previous_monday = last_monday - timedelta(days=7)
        self._week(previous_monday, late=2)
        self._week(last_monday, answered=1, late=1)
        self._store(previous_monday)
        Value = self.env["journey.kpi.value"]
        Target = self.env["journey.kpi.target"]
        Target._cron_store_weekly_values()
        mine = self.target.value_ids.sorted("week_start")
        self.assertEqual(mine.mapped("week_start"), [previous_monday, last_monday])
        self.assertEqual(mine.mapped("status"), ["red", "red"])
        self.assertEqual(len(self._activities()), 2)
        count = Value.search_count([])
        Target._cron_store_weekly_values()
        self.assertEqual(Value.search_count([]), count)
        self.assertEqual(len(self.target.value_ids), 2)
        self.assertEqual(len(self._activities()), 2)
