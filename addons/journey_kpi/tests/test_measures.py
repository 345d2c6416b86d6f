from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import JourneyKpiCommon

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
# Monday 2 to Sunday 8 March 2026.
WEEK = (date(2026, 3, 2), date(2026, 3, 8))
EMPTY = (date(2025, 6, 1), date(2025, 6, 30))


@tagged("post_install", "-at_install")
class TestCommitmentMeasures(JourneyKpiCommon):
    """Promises due in March 2026, in Shanghai, their figures worked out by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        order = cls._order(delivery_day=date(2026, 3, 10))
        order_2 = cls._order(user=cls.consultant_2, delivery_day=date(2026, 3, 10))
        new = cls._commitment
        # Kept the day before it was due: on time.
        cls.kept = cls._keep(new(order, due=date(2026, 3, 10)), datetime(2026, 3, 9, 2))
        # Kept at 17:00 UTC on its due day: already the next day in Shanghai, late.
        cls.late = cls._keep(
            new(order, cls.type_dash_cam, "Dash cam", due=date(2026, 3, 10)),
            datetime(2026, 3, 10, 17),
        )
        # Still open after its due date: not kept, overdue.
        cls.open = new(order_2, name="Window film", due=date(2026, 3, 15))
        # Due in February, deferred with the customer's consent to 20 March and
        # kept on the 18th, after the first date: on time, counted in March.
        cls.deferred = new(order, name="Charger", due=date(2026, 2, 25))
        cls._defer(cls.deferred, date(2026, 3, 20), datetime(2026, 2, 20))
        cls._keep(cls.deferred, datetime(2026, 3, 18, 3))
        # Waived: reported apart, with its internal cost.
        cls.waived = cls._waive(
            new(order, name="Umbrella", due=date(2026, 3, 12), cost_amount=500.0)
        )
        # Cancelled and rejected: not counted at all.
        cls.cancelled = new(order, name="Cup", due=date(2026, 3, 12))
        cls.cancelled.sudo().write(
            {"fulfillment_state": "cancelled", "cancel_reason": "Typed twice."}
        )
        cls.rejected = new(
            order, cls.type_price, "Free insurance", due=date(2026, 3, 12)
        )
        cls.rejected.sudo().write(
            {"approval_state": "rejected", "rejection_reason": "Outside policy."}
        )
        # Signed, then changed: the replaced version is not counted, the current
        # one (kept on time) is.
        cls.first_version = new(order_2, name="Mats", due=date(2026, 3, 8))
        cls._sign(cls.first_version)
        cls.first_version.sudo().write({"name": "Premium mats"})
        cls.current_version = cls.first_version.next_version_id
        cls._keep(cls.current_version, datetime(2026, 3, 7, 2))
        # Two free services over a period: due at the period's end; kept when the
        # last use is done (the second one is only half used).
        cls.free_kept = new(
            order,
            cls.type_free_maintenance,
            "Two free services",
            due=date(2026, 3, 25),
            uses_total=2,
        )
        cls.free_open = new(
            order_2,
            cls.type_free_maintenance,
            "Two more free services",
            due=date(2026, 3, 28),
            uses_total=2,
        )
        visit = cls._visit(partner=order.partner_id)
        for when in (datetime(2026, 1, 10, 2), datetime(2026, 3, 20, 2)):
            with freeze_time(when):
                cls.free_kept._journey_consume_use(visit)
        with freeze_time(datetime(2026, 2, 1, 2)):
            cls.free_open._journey_consume_use(visit)

    def test_fixture(self):
        self.assertFalse(self.first_version.is_current)
        self.assertTrue(self.current_version.is_current)
        self.assertEqual(self.free_kept.fulfillment_state, "fulfilled")
        self.assertEqual(self.free_open.fulfillment_state, "in_progress")
        self.assertEqual(self.deferred.date_deadline, date(2026, 2, 25))

    def test_kept_on_time(self):
        # kept, deferred, current version, free services used up: 100;
        # late (local date), open, half-used free service: 0. 4 / 7.
        self.assertFigure("commitment_kept", *MARCH, 400 / 7, 7)
        # The deferred promise is not due in February any more.
        self.assertFigure(
            "commitment_kept", date(2026, 2, 1), date(2026, 2, 28), None, 0
        )

    def test_kept_per_salesperson(self):
        groups = self.figure("commitment_kept", *MARCH, groupby="salesperson_id")
        # Consultant One: kept, late, deferred, free kept -> 3 / 4.
        self.assertAlmostEqual(groups[self.consultant.id][0], 75.0)
        self.assertEqual(groups[self.consultant.id][1], 4)
        # Consultant Two: open, current version, free half used -> 1 / 3.
        self.assertAlmostEqual(groups[self.consultant_2.id][0], 100 / 3)
        self.assertEqual(groups[self.consultant_2.id][1], 3)
        self.assertFigure(
            "commitment_kept", *MARCH, 100 / 3, 3, user_id=self.consultant_2.id
        )

    def test_overdue(self):
        # The open one and the half-used free service; not the replaced version.
        self.assertFigure("commitment_overdue", *MARCH, 2, 8)

    def test_waived(self):
        # 1 waived among the 8 due and decided or past due.
        self.assertFigure("commitment_waived", *MARCH, 12.5, 8)
        self.assertFigure("commitment_waived_value", *MARCH, 500.0, 8)

    def test_empty_period(self):
        for code in (
            "commitment_kept",
            "commitment_overdue",
            "commitment_waived",
            "commitment_waived_value",
        ):
            self.assertFigure(code, *EMPTY, None, 0)


@tagged("post_install", "-at_install")
class TestDeliveryMeasures(JourneyKpiCommon):
    def _sale(self, order_day, signed_day, delivered_on, sign=True):
        order = self._order(delivery_day=order_day, delivered_on=delivered_on)
        promise = self._commitment(
            order, self.type_delivery_date, "Delivery date", due=signed_day
        )
        if sign:
            self._sign(promise)
        return order

    def test_delivery_on_signed_date(self):
        # The order's field says 5 March, the customer signed 10 March: delivered
        # on the 8th is on time.
        self._sale(date(2026, 3, 5), date(2026, 3, 10), datetime(2026, 3, 8, 2))
        # Delivered at 16:30 UTC on the signed day: the next day in Shanghai.
        self._sale(date(2026, 3, 12), date(2026, 3, 12), datetime(2026, 3, 12, 16, 30))
        # Not delivered, the signed date past.
        self._sale(date(2026, 3, 20), date(2026, 3, 20), None)
        # No signed date: not counted, whatever the order's field.
        self._sale(date(2026, 3, 15), date(2026, 3, 15), None, sign=False)
        # Signed for April although the order's field says March.
        self._sale(date(2026, 3, 25), date(2026, 4, 2), datetime(2026, 4, 1, 2))
        self.assertFigure("delivery_on_time", *MARCH, 100 / 3, 3)
        self.assertFigure(
            "delivery_on_time", date(2026, 4, 1), date(2026, 4, 30), 100, 1
        )
        self.assertFigure("delivery_on_time", *EMPTY, None, 0)

    def test_delivery_per_specialist(self):
        self._sale(date(2026, 3, 5), date(2026, 3, 10), datetime(2026, 3, 8, 2))
        groups = self.figure("delivery_on_time", *MARCH, groupby="specialist_id")
        self.assertEqual(groups, {self.specialist.id: (100.0, 1)})


@tagged("post_install", "-at_install")
class TestHandoverMeasures(JourneyKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Sales to delivery: brief on time, call late, acknowledged first time.
        cls._handover(
            "sales_delivery",
            datetime(2026, 3, 3, 2),
            datetime(2026, 3, 5, 2),
            date_sent=datetime(2026, 3, 3, 1),
            call_done_on=datetime(2026, 3, 6, 2),
            state="acknowledged",
            date_acknowledged=datetime(2026, 3, 3, 4),
        )
        # Delivery to after-sales: brief late, call on time, returned once.
        cls._handover(
            "delivery_service",
            datetime(2026, 3, 10, 2),
            datetime(2026, 3, 12, 2),
            date_sent=datetime(2026, 3, 11, 2),
            call_done_on=datetime(2026, 3, 11, 8),
            state="acknowledged",
            return_count=1,
            date_acknowledged=datetime(2026, 3, 12, 1),
        )
        # Never sent, the deadline past; the call is due in April.
        cls._handover(
            "delivery_service", datetime(2026, 3, 20, 2), datetime(2026, 4, 2, 2)
        )
        # Due at 16:30 UTC on 31 March: 1 April in Shanghai.
        cls._handover(
            "sales_delivery",
            datetime(2026, 3, 31, 16, 30),
            datetime(2026, 4, 3, 2),
            date_sent=datetime(2026, 3, 31, 10),
        )

    def test_brief_on_time(self):
        self.assertFigure("brief_on_time", *MARCH, 100 / 3, 3)
        self.assertFigure("brief_on_time", date(2026, 4, 1), date(2026, 4, 30), 100, 1)

    def test_call_on_time(self):
        self.assertFigure("call_on_time", *MARCH, 50, 2)
        # The April calls: one not made (past), one not made (past).
        self.assertFigure("call_on_time", date(2026, 4, 1), date(2026, 4, 30), 0, 2)

    def test_info_accuracy(self):
        self.assertFigure("info_accuracy", *MARCH, 50, 2)
        groups = self.figure("info_accuracy", *MARCH, groupby="advisor_id")
        self.assertEqual(groups[self.advisor.id], (0.0, 1))
        self.assertEqual(groups[False], (100.0, 1))

    def test_empty(self):
        for code in ("brief_on_time", "call_on_time", "info_accuracy"):
            self.assertFigure(code, *EMPTY, None, 0)


@tagged("post_install", "-at_install")
class TestNpsMeasures(JourneyKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sold_1 = cls._order(delivered_on=datetime(2025, 3, 20, 2))
        sold_2 = cls._order(delivered_on=datetime(2025, 6, 1, 2))
        sold_3 = cls._order(user=cls.consultant_2, delivered_on=datetime(2026, 3, 2, 2))
        car_1, car_2 = cls._vehicle(sold_1), cls._vehicle(sold_2)
        # The ceremony gives the delivery its vehicle.
        cls._delivery_task(sold_3).sudo().journey_vehicle_id = cls._vehicle(sold_3)

        def visit(car, advisor):
            return cls._visit(vehicle=car, advisor=advisor)

        # Within the first year of delivery: +100.
        cls._answer(visit(car_1, cls.advisor), 10, datetime(2026, 3, 5, 2))
        # Five days after the first year: no first-year value; a detractor.
        cls._answer(visit(car_1, cls.advisor), 3, datetime(2026, 3, 25, 2))
        # A passive and a detractor, the detractor at 16:30 UTC on 28 February,
        # already 1 March in Shanghai.
        cls._answer(visit(car_2, cls.advisor_2), 8, datetime(2026, 3, 10, 2))
        cls._answer(visit(car_2, cls.advisor_2), 5, datetime(2026, 2, 28, 16, 30))
        # The delivery rated by a promoter.
        cls._answer(cls._delivery_task(sold_3), 9, datetime(2026, 3, 3, 2))

    def test_first_year(self):
        # 100, 0, -100, 100 -> 25 over 4 answers.
        self.assertFigure("nps_first_year", *MARCH, 25, 4)
        groups = self.figure("nps_first_year", *MARCH, groupby="salesperson_id")
        self.assertEqual(groups[self.consultant.id], (0.0, 3))
        self.assertEqual(groups[self.consultant_2.id], (100.0, 1))

    def test_service(self):
        # 100, -100, 0, -100 -> -50 over 4; per advisor 0 and -50.
        self.assertFigure("nps_service", *MARCH, -25, 4)
        groups = self.figure("nps_service", *MARCH, groupby="advisor_id")
        self.assertEqual(groups[self.advisor.id], (0.0, 2))
        self.assertEqual(groups[self.advisor_2.id], (-50.0, 2))

    def test_joint(self):
        self.assertFigure("nps_joint", *MARCH, 0, 5)
        # The answer of 28 February 16:30 UTC is not February's.
        self.assertFigure("nps_joint", date(2026, 2, 1), date(2026, 2, 28), None, 0)
        self.assertFigure("nps_joint", *EMPTY, None, 0)


@tagged("post_install", "-at_install")
class TestSaleMeasures(JourneyKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        referrer = cls._partner("Referring Customer")
        lead = cls.env["crm.lead"].create(
            {
                "name": "A friend's referral",
                "type": "opportunity",
                "company_id": cls.company.id,
                "user_id": cls.consultant.id,
                "journey_lead_kind": "referral",
                "journey_referrer_id": referrer.id,
            }
        )
        cls._order(confirmed_on=datetime(2026, 3, 3, 2), opportunity_id=lead.id)
        cls._order(confirmed_on=datetime(2026, 3, 10, 2))
        cls._order(user=cls.consultant_2, confirmed_on=datetime(2026, 3, 12, 2))
        # Confirmed at 17:00 UTC on 31 March: an April sale in Shanghai.
        cls._order(confirmed_on=datetime(2026, 3, 31, 17))
        # A quotation is no sale.
        cls._order(confirm=False)

    def test_sales_volume(self):
        self.assertFigure("sales_volume", *MARCH, 3, 3)
        groups = self.figure("sales_volume", *MARCH, groupby="salesperson_id")
        self.assertEqual(groups[self.consultant.id], (2, 2))
        self.assertEqual(groups[self.consultant_2.id], (1, 1))
        self.assertFigure("sales_volume", date(2026, 4, 1), date(2026, 4, 30), 1, 1)
        self.assertFigure("sales_volume", *EMPTY, None, 0)

    def test_referral_rate(self):
        self.assertFigure("referral_rate", *MARCH, 100 / 3, 3)
        groups = self.figure("referral_rate", *MARCH, groupby="salesperson_id")
        self.assertEqual(groups[self.consultant.id], (50.0, 2))
        self.assertEqual(groups[self.consultant_2.id], (0.0, 1))

    def test_scorecard(self):
        """Volume 70 (target 4 for Consultant One, none for Consultant Two: left
        out), first-year NPS 15 (no target: left out), referral 10 (target 20,
        reached 50: capped at 100%)."""
        card = self.env["journey.kpi.scorecard"].create(
            {
                "name": "Sales",
                "department": "sales",
                "company_id": self.company.id,
                "line_ids": [
                    Command.create(
                        {"measure_id": self.measure(code).id, "weight": weight}
                    )
                    for code, weight in (
                        ("sales_volume", 70),
                        ("nps_first_year", 15),
                        ("referral_rate", 10),
                    )
                ],
            }
        )
        Target = self.env["journey.kpi.target"]
        Target.create(
            {
                "measure_id": self.measure("sales_volume").id,
                "company_id": self.company.id,
                "scope": "salesperson",
                "user_id": self.consultant.id,
                "target": 4,
            }
        )
        Target.create(
            {
                "measure_id": self.measure("referral_rate").id,
                "company_id": self.company.id,
                "scope": "company",
                "target": 20,
            }
        )
        rows = card.with_user(self.cx_manager)._journey_compute(self.filters(*MARCH))
        scores = {row["user"]: row for row in rows}
        one, two = scores[self.consultant], scores[self.consultant_2]
        # (70 x 2/4 + 10 x 1) / 80.
        self.assertAlmostEqual(one["score"], 100 * (70 * 0.5 + 10 * 1.0) / 80)
        self.assertEqual(len(one["items"]), 2)
        referral = card.line_ids.filtered(
            lambda line: line.measure_id.code == "referral_rate"
        )
        self.assertEqual(one["items"][referral]["achievement"], 1.0)
        # Only the referral item has a target for Consultant Two: 0 of 20.
        self.assertEqual(two["score"], 0.0)
        self.assertEqual(list(two["items"]), [referral])
        self.assertEqual(
            [row["user"] for row in rows], [self.consultant, self.consultant_2]
        )


@tagged("post_install", "-at_install")
class TestRetention(JourneyKpiCommon):
    def test_retention(self):
        """At the end of March 2026: customers delivered by 31 March 2023 (local),
        with a visit since 1 April 2025."""
        kept = self._partner("Kept")
        self._order(partner=kept, delivered_on=datetime(2022, 5, 1, 2))
        self._order(partner=kept, delivered_on=datetime(2020, 5, 1, 2))
        self._visit(partner=kept, checkin=datetime(2025, 10, 10, 2))
        # Delivered at 23:00 on 31 March 2023 in Shanghai; last visit too early.
        lapsed = self._partner("Lapsed")
        self._order(partner=lapsed, delivered_on=datetime(2023, 3, 31, 15))
        self._visit(partner=lapsed, checkin=datetime(2025, 3, 15, 2))
        # Delivered too recently: not in the cohort, although serviced.
        recent = self._partner("Recent")
        self._order(partner=recent, delivered_on=datetime(2024, 1, 1, 2))
        self._visit(partner=recent, checkin=datetime(2025, 12, 1, 2))
        # Never came back.
        self._order(partner=self._partner("Gone"), delivered_on=datetime(2021, 1, 1, 2))
        # Delivered at 16:30 UTC on 31 March 2023: 1 April 2023 in Shanghai.
        late = self._partner("Edge")
        self._order(partner=late, delivered_on=datetime(2023, 3, 31, 16, 30))
        self.assertFigure("retention_3y", *MARCH, 100 / 3, 3)
        self.assertFigure("retention_3y", date(2019, 1, 1), date(2019, 1, 31), None, 0)
        # The board's trend, at each week's end: on Sunday 29 March, Kept and
        # Gone (Kept serviced); on Sunday 5 April, Lapsed and Edge join them.
        measure = self.measure("retention_3y").with_user(self.cx_manager)
        trend = measure._journey_trend(
            self.filters(*MARCH), date(2026, 3, 23), date(2026, 4, 5)
        )
        self.assertEqual(
            [(point["week"], point["sample"]) for point in trend],
            [("2026-03-23", 2), ("2026-03-30", 4)],
        )
        self.assertAlmostEqual(trend[0]["value"], 50.0)
        self.assertAlmostEqual(trend[1]["value"], 25.0)


@tagged("post_install", "-at_install")
class TestVisitMeasures(JourneyKpiCommon):
    """Visits handed back in the week of 2 March 2026 (Monday to Sunday)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        order = cls._order()
        cars = [cls._vehicle(order) for _i in range(4)]
        at = datetime

        # A: advisor, bay 1, the one-hour job: reception 2 min, diagnosis 1 h,
        # repair 2 h, hand back 10 min; followed up; repeated later.
        cls.visit_a = cls._visit(
            vehicle=cars[0],
            checkin=at(2026, 3, 2, 1),
            steps={
                "reception": at(2026, 3, 2, 1, 2),
                "diagnosis": at(2026, 3, 2, 1, 30),
                "repair": at(2026, 3, 2, 2, 30),
                "handed_back": at(2026, 3, 2, 4, 40),
            },
            ready=at(2026, 3, 2, 4, 30),
            jobs=cls.job_1h,
            bay=cls.bay,
        )
        cls._answer(cls.visit_a, 9, at(2026, 3, 3, 2))
        # B: advisor 2, bay 1, the two-hour job: reception 6 min, diagnosis 1 h,
        # repair 3 h, hand back 20 min; no follow-up; the car came back in May.
        cls.visit_b = cls._visit(
            vehicle=cars[1],
            advisor=cls.advisor_2,
            checkin=at(2026, 3, 3, 1),
            steps={
                "reception": at(2026, 3, 3, 1, 6),
                "diagnosis": at(2026, 3, 3, 1, 10),
                "repair": at(2026, 3, 3, 2, 10),
                "handed_back": at(2026, 3, 3, 5, 30),
            },
            ready=at(2026, 3, 3, 5, 10),
            jobs=cls.job_2h,
            bay=cls.bay,
        )
        # C: advisor, the closed bay, no job: reception 4 min, 1 h + 1 h, hand
        # back 15 min; no follow-up, never came back.
        cls.visit_c = cls._visit(
            vehicle=cars[2],
            checkin=at(2026, 3, 4, 1),
            steps={
                "reception": at(2026, 3, 4, 1, 4),
                "diagnosis": at(2026, 3, 4, 1, 10),
                "repair": at(2026, 3, 4, 2, 10),
                "handed_back": at(2026, 3, 4, 3, 25),
            },
            ready=at(2026, 3, 4, 3, 10),
            bay=cls.bay_closed,
        )
        # E: advisor, bay 1 on Saturday, the one-hour job: reception 8 min,
        # 0.5 h + 0.5 h, hand back 15 min; followed up; came back in June.
        cls.visit_e = cls._visit(
            vehicle=cars[3],
            checkin=at(2026, 3, 7, 1),
            steps={
                "reception": at(2026, 3, 7, 1, 8),
                "diagnosis": at(2026, 3, 7, 1, 10),
                "repair": at(2026, 3, 7, 1, 40),
                "handed_back": at(2026, 3, 7, 2, 25),
            },
            ready=at(2026, 3, 7, 2, 10),
            jobs=cls.job_1h,
            bay=cls.bay,
        )
        cls._answer(cls.visit_e, 7, at(2026, 3, 8, 2))
        # D: A's job again on the same car 18 days later: A was not fixed the
        # first time, and D is not A's customer coming back.
        cls.visit_d = cls._visit(
            vehicle=cars[0], checkin=at(2026, 3, 20, 1), jobs=cls.job_1h
        )
        # The next visits of B's and E's cars, booked within the interval.
        cls._visit(vehicle=cars[1], checkin=at(2026, 5, 1, 1))
        cls._visit(vehicle=cars[3], checkin=at(2026, 6, 1, 1))

    def test_fixture(self):
        self.assertEqual(self.visit_d.journey_repeat_of_id, self.visit_a)
        self.assertAlmostEqual(self.visit_a.journey_repair_hours, 2.0)
        self.assertAlmostEqual(self.visit_b.journey_handback_minutes, 20.0)

    def test_reception(self):
        self.assertFigure("reception_minutes", *WEEK, (2 + 6 + 4 + 8) / 4, 4)
        groups = self.figure("reception_minutes", *WEEK, groupby="advisor_id")
        self.assertEqual(groups[self.advisor.id], (14 / 3, 3))
        self.assertEqual(groups[self.advisor_2.id], (6.0, 1))

    def test_first_time_fix(self):
        # A repeated (0), B and E fixed (100), C without a job not judged.
        self.assertFigure("first_time_fix", *WEEK, 200 / 3, 3)
        groups = self.figure("first_time_fix", *WEEK, groupby="advisor_id")
        self.assertEqual(groups[self.advisor.id], (50.0, 2))
        self.assertEqual(groups[self.advisor_2.id], (100.0, 1))

    def test_repair_vs_standard(self):
        # (2 + 3 + 0.5) repair hours over (1 + 2 + 1) standard hours.
        self.assertFigure("repair_vs_standard", *WEEK, 137.5, 3)
        # Wednesday: only C, without standard hours: no figure, not infinity.
        day = date(2026, 3, 4)
        self.assertFigure("repair_vs_standard", day, day, None, 0)

    def test_bay_utilisation(self):
        # Bay 1: 3 + 4 + 1 hours over 40 open hours; the closed bay has no open
        # hours: its 2 hours are not counted against the others'.
        self.assertFigure("bay_utilisation", *WEEK, 20.0, 3)
        groups = self.figure("bay_utilisation", *WEEK, groupby="bay_id")
        self.assertEqual(groups, {self.bay.id: (20.0, 3)})
        # The weekend: no open hours at all.
        weekend = (date(2026, 3, 7), date(2026, 3, 8))
        self.assertFigure("bay_utilisation", *weekend, None, 0)
        # A workshop figure: none per person.
        self.assertFigure("bay_utilisation", *WEEK, None, 0, user_id=self.advisor.id)
        # The board's trend reads the schedules once for all its weeks: each
        # week's point is that week's figure.
        measure = self.measure("bay_utilisation").with_user(self.cx_manager)
        trend = measure._journey_trend(
            self.filters(*WEEK), WEEK[0] - timedelta(days=7), WEEK[1]
        )
        self.assertEqual(
            [(point["week"], point["sample"]) for point in trend],
            [("2026-02-23", 0), ("2026-03-02", 3)],
        )
        self.assertAlmostEqual(trend[1]["value"], 20.0, places=2)

    def test_handback(self):
        self.assertFigure("handback_minutes", *WEEK, (10 + 20 + 15 + 15) / 4, 4)

    def test_followup(self):
        # A and E answered, B and C past their follow-up deadline.
        self.assertFigure("followup_rate", *WEEK, 50, 4)

    def test_return_rate(self):
        # B and E came back; A's repeat does not count as coming back; C never.
        self.assertFigure("return_rate", *WEEK, 50, 4)
        groups = self.figure("return_rate", *WEEK, groupby="advisor_id")
        self.assertEqual(groups[self.advisor.id], (100 / 3, 3))
        self.assertEqual(groups[self.advisor_2.id], (100.0, 1))

    def test_empty(self):
        for code in (
            "reception_minutes",
            "first_time_fix",
            "repair_vs_standard",
            "bay_utilisation",
            "handback_minutes",
            "followup_rate",
            "return_rate",
        ):
            self.assertFigure(code, *EMPTY, None, 0)


@tagged("post_install", "-at_install")
class TestComplaintMeasures(JourneyKpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        at = datetime
        cls._complaint(at(2026, 3, 2, 1), at(2026, 3, 2, 20))
        cls._complaint(at(2026, 3, 10, 1), at(2026, 3, 12, 1))
        cls._complaint(at(2026, 3, 20, 1))
        cls._complaint(at(2026, 3, 25, 1), at(2026, 3, 25, 9), words="刹车失灵了")
        # Received at 17:00 UTC on 31 January: 1 February in Shanghai.
        cls._complaint(at(2026, 1, 31, 17), at(2026, 2, 1, 2), words="刹车失灵")

    def test_answered_in_time(self):
        self.assertFigure("complaint_in_time", *MARCH, 50, 4)
        self.assertFigure("complaint_in_time", *EMPTY, None, 0)

    def test_red_alerts_month_edge(self):
        self.assertFigure("red_alerts", *MARCH, 1, 4)
        self.assertFigure("red_alerts", date(2026, 2, 1), date(2026, 2, 28), 1, 1)
        self.assertFigure("red_alerts", date(2026, 1, 1), date(2026, 1, 31), None, 0)


@tagged("post_install", "-at_install")
class TestLeadMeasures(JourneyKpiCommon):
    def _convert(self, lead, when, confirm=True):
        order = self._order(
            user=lead.user_id,
            confirm=confirm,
            confirmed_on=when,
            opportunity_id=lead.id,
        )
        if not confirm:
            order.date_order = when
        return order

    def test_conversion_and_time(self):
        at = datetime
        self._convert(self._lead(at(2026, 3, 2, 1)), at(2026, 3, 3, 1))
        self._convert(
            self._lead(at(2026, 3, 5, 1), advisor=self.advisor_2), at(2026, 3, 7, 1)
        )
        self._lead(at(2026, 3, 10, 1)).action_set_lost()
        self._lead(at(2026, 3, 20, 1))
        self._convert(self._lead(at(2026, 3, 21, 1)), at(2026, 3, 22, 1), confirm=False)
        # Raised at 17:00 UTC on 31 March: April in Shanghai.
        self._lead(at(2026, 3, 31, 17))
        self.assertFigure("lead_conversion", *MARCH, 40, 5)
        self.assertFigure("lead_hours_to_order", *MARCH, 36, 2)
        groups = self.figure("lead_hours_to_order", *MARCH, groupby="advisor_id")
        self.assertEqual(groups[self.advisor.id], (24.0, 1))
        self.assertEqual(groups[self.advisor_2.id], (48.0, 1))
        self.assertFigure("lead_conversion", date(2026, 4, 1), date(2026, 4, 30), 0, 1)
        self.assertFigure("lead_conversion", *EMPTY, None, 0)
        self.assertFigure("lead_hours_to_order", *EMPTY, None, 0)


@tagged("post_install", "-at_install")
class TestCareMeasures(JourneyKpiCommon):
    def test_care_on_time(self):
        car = self._vehicle(self._order())
        at = datetime
        # Planned 2 March, done on the 4th at 23:00 in Shanghai: within 2 days.
        self._care_event(car, date(2026, 3, 2), "done", at(2026, 3, 4, 15), 0)
        # Planned 5 March, done at 16:30 UTC on the 7th: the 8th in Shanghai.
        self._care_event(car, date(2026, 3, 5), "done", at(2026, 3, 7, 16, 30), 1)
        self._care_event(car, date(2026, 3, 10), "failed", occurrence=2)
        # The customer opted out: not counted.
        self._care_event(car, date(2026, 3, 12), "skipped", occurrence=3)
        # Still planned, past the grace days.
        self._care_event(car, date(2026, 3, 20), occurrence=4)
        self.assertFigure("care_on_time", *MARCH, 25, 4)
        self.assertFigure("care_on_time", *EMPTY, None, 0)


@tagged("post_install", "-at_install")
class TestBoardQueries(JourneyKpiCommon):
    def _board_queries(self):
        """Queries of one board of March, its caches warm."""
        Measure = self.Measure.with_user(self.cx_manager)
        filters = {
            "company_ids": self.company.ids,
            "date_from": MARCH[0],
            "date_to": MARCH[1],
        }
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        board = Measure.get_board_data(filters)
        return self.env.cr.sql_log_count - before, board

    def _promises(self, order, count):
        for day in range(count):
            self._commitment(order, name=f"Gift {day}", due=date(2026, 3, 1 + day % 28))

    def test_board_queries_do_not_grow_with_rows(self):
        order = self._order(delivery_day=date(2026, 3, 10))
        self._promises(order, 5)
        self._board_queries()  # warm the caches
        few, board = self._board_queries()
        kept = next(m for m in board["measures"] if m["code"] == "commitment_kept")
        self.assertEqual(kept["sample"], 5)
        self._promises(order, 45)
        many, board = self._board_queries()
        kept = next(m for m in board["measures"] if m["code"] == "commitment_kept")
        self.assertEqual(kept["sample"], 50)
        self.assertLessEqual(many, few, "the board's queries grew with the rows")
