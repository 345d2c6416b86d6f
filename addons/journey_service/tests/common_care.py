from datetime import datetime

from freezegun import freeze_time

from odoo import Command

from .common import JourneyServiceCommon

DELIVERED = datetime(2026, 11, 2, 2, 0)  # 10:00 in Shanghai


class JourneyCareCommon(JourneyServiceCommon):
    """Delivered vehicles following a care plan of one step per test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.customer.user_id = cls.consultant
        cls.customer.journey_service_advisor_id = cls.advisor
        cls.Event = cls.env["journey.care.event"]
        cls.Plan = cls.env["journey.care.plan"]
        # The shipped plan is tested on its own; here each test writes its plan.
        cls.env.ref("journey_service.care_plan_default").active = False
        cls.order = cls._confirmed_order()
        cls.order.sudo().journey_delivered_on = DELIVERED
        cls.plan = cls.Plan.create(
            {
                "name": "Test plan",
                "company_id": cls.company.id,
                "step_ids": [
                    Command.create(
                        {
                            "name": "Day 30 call",
                            "anchor": "delivery",
                            "offset_days": 30,
                            "action": "activity",
                            "role": "service_advisor",
                        }
                    )
                ],
            }
        )
        cls.step = cls.plan.step_ids

    @classmethod
    def _vehicle(cls, partner=None, model=None, order=None):
        with freeze_time(DELIVERED):
            return cls.env["fleet.vehicle"].create(
                {
                    "model_id": (model or cls.fleet_model).id,
                    "vin_sn": cls._next_vin(),
                    "journey_partner_id": (partner or cls.customer).id,
                    "journey_order_id": (order or cls.order).id,
                    "company_id": cls.company.id,
                }
            )

    @classmethod
    def _generate(cls, vehicles, when=DELIVERED):
        with freeze_time(when):
            return cls.Event._journey_generate(vehicles)

    def _events(self, vehicle, step=None):
        domain = [("vehicle_id", "=", vehicle.id)]
        if step:
            domain.append(("step_id", "=", step.id))
        return self.Event.search(domain, order="planned_date, id")
