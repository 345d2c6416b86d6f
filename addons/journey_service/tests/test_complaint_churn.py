"""Churn risk: two NPS answers in a row at or below the company's threshold flag
the customer, and the shipped automation rule asks the area manager for a
retention call; one low answer does not."""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_complaint import JourneyComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintChurn(JourneyComplaintCommon):
    def _answer(self, score, when, partner=None):
        with freeze_time(when):
            visit = self._hand_back(self._create_service_task(partner=partner))
            return self.env["journey.nps.answer"]._journey_record(
                visit, score, "", "portal"
            )

    def _retention_calls(self, partner=None):
        return (partner or self.customer).activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("journey_service.mail_act_retention_call")
            )
        )

    def test_two_low_answers_in_a_row_start_a_retention_call(self):
        self._answer(5, "2026-11-01 10:00:00")
        self.assertFalse(self.customer.journey_churn_risk, "not after one")
        self.assertFalse(self._retention_calls())
        self._answer(9, "2026-11-05 10:00:00")
        self._answer(4, "2026-11-09 10:00:00")
        self.assertFalse(
            self.customer.journey_churn_risk, "a good answer between breaks the row"
        )
        self._answer(6, "2026-11-12 10:00:00")
        self.assertTrue(self.customer.journey_churn_risk)
        call = self._retention_calls()
        self.assertEqual(len(call), 1)
        area_manager = self.company._journey_area_manager()
        self.assertTrue(area_manager.has_group("journey_crm.group_aftersales_manager"))
        self.assertEqual(call.user_id, area_manager)
        self.assertEqual(self.customer.journey_area_manager_id, area_manager)
        # A third low answer does not start a second call while the risk stands.
        self._answer(2, "2026-11-15 10:00:00")
        self.assertEqual(len(self._retention_calls()), 1)
        # A good answer clears the risk.
        self._answer(10, "2026-11-20 10:00:00")
        self.assertFalse(self.customer.journey_churn_risk)

    def test_the_threshold_is_a_setting(self):
        self.company.journey_churn_threshold = 4
        self._answer(6, "2026-11-01 10:00:00", partner=self.other_customer)
        self._answer(5, "2026-11-02 10:00:00", partner=self.other_customer)
        self.assertFalse(self.other_customer.journey_churn_risk)
        self._answer(4, "2026-11-03 10:00:00", partner=self.other_customer)
        self.assertFalse(self.other_customer.journey_churn_risk)
        self._answer(3, "2026-11-04 10:00:00", partner=self.other_customer)
        self.assertTrue(self.other_customer.journey_churn_risk)

    def test_admins_switch_the_retention_rule_off_or_choose_who_calls(self):
        self.churn_rule.active = False
        self._answer(2, "2026-11-01 10:00:00")
        self._answer(3, "2026-11-02 10:00:00")
        self.assertTrue(self.customer.journey_churn_risk, "the flag is the model's")
        self.assertFalse(self._retention_calls(), "nobody is asked to call")

        self.churn_rule.active = True
        action = self.env.ref("journey_service.automation_partner_churn_risk_activity")
        action.write(
            {"activity_user_type": "specific", "activity_user_id": self.cx_manager.id}
        )
        self._answer(1, "2026-11-01 10:00:00", partner=self.other_customer)
        self._answer(2, "2026-11-02 10:00:00", partner=self.other_customer)
        self.assertEqual(
            self._retention_calls(self.other_customer).user_id, self.cx_manager
        )

    def test_only_an_aftersales_manager_clears_the_flag(self):
        self._answer(2, "2026-11-01 10:00:00")
        self._answer(3, "2026-11-02 10:00:00")
        for user in (self.consultant, self.advisor, self.quality):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write({"journey_churn_risk": False})
        self.customer.with_user(self.manager).write({"journey_churn_risk": False})
        self.assertFalse(self.customer.journey_churn_risk)
