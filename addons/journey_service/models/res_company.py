from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Delays a dealership tunes in Settings > Journey; each must be a positive
# number.
DELAY_FIELDS = (
    "journey_brief_hours",
    "journey_call_days",
    "journey_service_brief_hours",
    "journey_service_call_days",
    "journey_prepare_days",
    "journey_reminder_days",
    "journey_follow_up_days",
    "journey_repeat_visit_days",
    "journey_first_service_min_months",
    "journey_first_service_max_months",
    "journey_lead_response_hours",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    journey_brief_hours = fields.Integer(
        string="Sales Brief Due (Hours)",
        default=24,
        help="Hours after the order's confirmation by which the salesperson briefs the "
        "delivery specialist.",
    )
    journey_call_days = fields.Integer(
        string="Three-Party Call Within (Days)",
        default=3,
        help="Days after the order's confirmation by which the three-party call "
        "(sales, delivery, customer) takes place.",
    )
    journey_service_brief_hours = fields.Integer(
        string="Delivery Brief Due (Hours)",
        default=24,
        help="Hours after the delivery by which the delivery specialist briefs the "
        "service advisor.",
    )
    journey_service_call_days = fields.Integer(
        string="Advisor's First Call Within (Days)",
        default=3,
        help="Days after the delivery by which the service advisor calls the customer.",
    )
    journey_prepare_days = fields.Integer(
        string="Prepare the Delivery (Days Before)",
        default=3,
        help="Days before the planned delivery on which the delivery specialist is "
        "reminded to prepare what was promised.",
    )
    journey_reminder_days = fields.Integer(
        string="Promise Reminder (Days Before)",
        default=7,
        help="Days before a promise falls due on which the department keeping it is "
        "reminded.",
    )
    journey_follow_up_days = fields.Integer(
        string="Follow-up Call Within (Days)",
        default=3,
        help="Days after a vehicle is handed back by which the advisor calls the "
        "customer.",
    )
    journey_repeat_visit_days = fields.Integer(
        string="Repeat Visit Window (Days)",
        default=30,
        help="A visit repeats an earlier one when the same job was done on the same "
        "vehicle this many days before: it does not count as fixed the first time.",
    )
    journey_first_service_min_months = fields.Integer(
        string="First Service From (Months)",
        default=3,
        help="The first service is booked at the delivery, at the earliest this many "
        "months later.",
    )
    journey_first_service_max_months = fields.Integer(
        string="First Service Until (Months)",
        default=6,
        help="The first service is booked at the delivery, at the latest this many "
        "months later.",
    )
    journey_lead_response_hours = fields.Integer(
        string="Lead Answer Due (Hours)",
        default=24,
        help="Hours within which the salesperson answers a lead raised in after-sales.",
    )

    @api.constrains(*DELAY_FIELDS)
    def _check_journey_delays(self):
        for company in self:
            for name in DELAY_FIELDS:
                if company[name] <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be a positive number.",
                            setting=self._fields[name]._description_string(self.env),
                        )
                    )
            if (
                company.journey_first_service_min_months
                > company.journey_first_service_max_months
            ):
                raise ValidationError(
                    self.env._(
                        "The first-service window starts after it ends (%(low)s to "
                        "%(high)s months): make First Service From no later than First "
                        "Service Until.",
                        low=company.journey_first_service_min_months,
                        high=company.journey_first_service_max_months,
                    )
                )

    def _journey_first_service_bounds(self, start):
        """The earliest and latest dates for the first service booked on ``start``."""
        self.ensure_one()
        return (
            fields.Date.add(start, months=self.journey_first_service_min_months),
            fields.Date.add(start, months=self.journey_first_service_max_months),
        )
