from odoo import Command
from odoo.tests import new_test_user

from .common import JourneyServiceCommon


class JourneyComplaintCommon(JourneyServiceCommon):
    """The dealership of the service tests with a quality manager and a customer
    whose salesperson is the first consultant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = new_test_user(
            cls.env,
            login="jc_quality",
            groups="base.group_user,journey_service.group_quality_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            name="Quality Manager",
        )
        cls.customer.user_id = cls.consultant
        cls.customer.journey_service_advisor_id = cls.advisor
        cls.other_customer.user_id = cls.consultant_2
        cls.Complaint = cls.env["journey.complaint"]
        cls.Keyword = cls.env["journey.alert.keyword"]
        cls.red_alert_rule = cls.env.ref(
            "journey_service.automation_complaint_red_alert"
        )
        cls.churn_rule = cls.env.ref("journey_service.automation_partner_churn_risk")

    @classmethod
    def _complaint(cls, words="The floor mats never came.", user=None, **values):
        return cls.Complaint.with_user(user or cls.consultant).create(
            {
                "partner_id": cls.customer.id,
                "channel": "phone",
                "description": words,
                **values,
            }
        )

    def _red_alert_messages(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: (m.subject or "").startswith("Red alert")
        )
