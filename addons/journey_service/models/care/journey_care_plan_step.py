import calendar
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

ANCHOR_SELECTION = [
    ("delivery", "Delivery Date"),
    ("first_service", "First Service Booked at Delivery"),
    ("birthday", "Customer's Birthday"),
    ("day_of_year", "Fixed Day of the Year"),
]
# A birthday or a day of the year comes back each year by itself.
YEARLY_ANCHORS = ("birthday", "day_of_year")
ACTION_SELECTION = [
    ("activity", "Activity for a Role"),
    ("email", "E-mail to the Customer"),
    ("service_task", "Service Appointment"),
    ("nps", "NPS Request"),
    ("health_report", "Vehicle Health Report"),
]
ROLE_SELECTION = [
    ("salesperson", "Customer's Salesperson"),
    ("service_advisor", "Service Advisor"),
    ("advisor_and_salesperson", "Service Advisor and Salesperson"),
    ("customer_success", "Customer Success Manager"),
]
KIND_SELECTION = [
    ("care", "Care Contact"),
    ("greeting", "Greeting"),
    ("survey", "Survey"),
    ("service", "Service Reminder"),
    ("safety", "Safety or Recall"),
]
# The customer's opt-out that silences each kind of step (when the step allows it).
OPT_OUT_FIELDS = {
    "care": "journey_care_opt_out_calls",
    "greeting": "journey_care_opt_out_greetings",
    "survey": "journey_care_opt_out_surveys",
    "service": "journey_care_opt_out_calls",
}
MAX_OFFSET_DAYS = 3660
MAX_RECURRENCE_MONTHS = 60


class JourneyCarePlanStep(models.Model):
    """One action of a care plan: when (an anchor, an offset, a recurrence), what
    (an activity, an e-mail, an appointment, an NPS request, a health report) and
    whether the customer may opt out of it."""

    _name = "journey.care.plan.step"
    _description = "Care Plan Step"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    plan_id = fields.Many2one(
        "journey.care.plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    kind = fields.Selection(KIND_SELECTION, required=True, default="care")
    anchor = fields.Selection(
        ANCHOR_SELECTION,
        required=True,
        default="delivery",
        help="What the step is counted from. The birthday and a day of the year come "
        "back every year.",
    )
    anchor_month = fields.Integer(
        string="Month", help="For a fixed day of the year: the month (1-12)."
    )
    anchor_day = fields.Integer(
        string="Day", help="For a fixed day of the year: the day of the month."
    )
    offset_days = fields.Integer(
        string="Offset (Days)",
        help="Days after the anchor (before it when negative, e.g. -7 for a week "
        "before the first service).",
    )
    recurrence_months = fields.Integer(
        string="Repeat Every (Months)",
        help="Repeat the step every this many months after its first date; 0 for "
        "once. Not for yearly anchors, which repeat every year.",
    )
    action = fields.Selection(ACTION_SELECTION, required=True, default="activity")
    role = fields.Selection(
        ROLE_SELECTION,
        default="service_advisor",
        help="Who gets the activity; the customer success manager is the one named "
        "on the customer.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        domain="[('res_model', 'in', (False, 'journey.care.event'))]",
        default=lambda self: self.env.ref(
            "journey_service.mail_act_care_contact", raise_if_not_found=False
        ),
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'journey.care.event')]",
    )
    counts_handover_call = fields.Boolean(
        string="The Advisor's First Call Counts",
        help="The service advisor's first call of the delivery to after-sales "
        "handover does this step: no second call is asked for; the step is done "
        "when that call is recorded.",
    )
    opt_out_allowed = fields.Boolean(
        string="Customer May Opt Out",
        help="Greetings and surveys may be declined by the customer; safety and "
        "recall reminders never.",
    )
    note = fields.Html(
        string="Text", translate=True, help="What to say or do, shown to staff."
    )

    @api.constrains(
        "anchor",
        "anchor_month",
        "anchor_day",
        "offset_days",
        "recurrence_months",
        "action",
        "role",
        "mail_template_id",
        "kind",
        "opt_out_allowed",
    )
    def _check_journey_timing(self):
        for step in self:
            if step.recurrence_months < 0:
                raise ValidationError(
                    self.env._(
                        "%(step)s: a step repeats every 1 month or more, or not at "
                        "all (0), not every %(months)s months.",
                        step=step.name,
                        months=step.recurrence_months,
                    )
                )
            if step.recurrence_months > MAX_RECURRENCE_MONTHS:
                raise ValidationError(
                    self.env._(
                        "%(step)s: a step repeats at most every %(max)s months.",
                        step=step.name,
                        max=MAX_RECURRENCE_MONTHS,
                    )
                )
            if abs(step.offset_days) > MAX_OFFSET_DAYS:
                raise ValidationError(
                    self.env._(
                        "%(step)s: an offset of %(days)s days is more than ten years.",
                        step=step.name,
                        days=step.offset_days,
                    )
                )
            if step.anchor == "delivery" and step.offset_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(step)s: a care action counted from the delivery cannot "
                        "come before it (offset %(days)s days).",
                        step=step.name,
                        days=step.offset_days,
                    )
                )
            if step.anchor in YEARLY_ANCHORS and step.recurrence_months:
                raise ValidationError(
                    self.env._(
                        "%(step)s: a birthday or a day of the year comes back every "
                        "year; leave Repeat Every empty.",
                        step=step.name,
                    )
                )
            if step.anchor == "day_of_year":
                step._check_journey_day_of_year()
            step._check_journey_action()

    def _check_journey_day_of_year(self):
        self.ensure_one()
        if not 1 <= self.anchor_month <= 12:
            raise ValidationError(
                self.env._(
                    "%(step)s: choose a month from 1 to 12, not %(month)s.",
                    step=self.name,
                    month=self.anchor_month,
                )
            )
        # February has 29 days: in other years the step falls on the 28th.
        last = (
            29
            if self.anchor_month == 2
            else calendar.monthrange(2025, self.anchor_month)[1]
        )
        if not 1 <= self.anchor_day <= last:
            raise ValidationError(
                self.env._(
                    "%(step)s: month %(month)s has no day %(day)s.",
                    step=self.name,
                    month=self.anchor_month,
                    day=self.anchor_day,
                )
            )

    def _check_journey_action(self):
        self.ensure_one()
        if self.action == "activity" and not self.role:
            raise ValidationError(
                self.env._("%(step)s: choose who gets the activity.", step=self.name)
            )
        if self.action == "email" and not self.mail_template_id:
            raise ValidationError(
                self.env._("%(step)s: choose the e-mail to send.", step=self.name)
            )
        if (
            self.mail_template_id
            and self.mail_template_id.model != "journey.care.event"
        ):
            raise ValidationError(
                self.env._(
                    "%(step)s: the e-mail template must be made for care events.",
                    step=self.name,
                )
            )
        if self.opt_out_allowed and self.kind == "safety":
            raise ValidationError(
                self.env._(
                    "%(step)s: a customer never opts out of safety and recall "
                    "reminders.",
                    step=self.name,
                )
            )

    # ------------------------------------------------------------------
    # Dates
    # ------------------------------------------------------------------

    @staticmethod
    def _journey_yearly_date(year, month, day):
        """``month``/``day`` in ``year``; 29 February falls on the 28th otherwise."""
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))

    def _journey_occurrences(self, anchors, end):
        """``{occurrence: planned date}`` of this step for a vehicle, up to ``end``.

        :param anchors: ``{'delivery': date, 'first_service': date or None,
            'birthday': date or None}``, dates in the company's time zone
        Occurrences are numbered 0, 1, 2... from the anchor for a one-off or
        recurring step, and by the year for a yearly one; none falls before the
        delivery.
        """
        self.ensure_one()
        delivery = anchors["delivery"]
        result = {}
        if self.anchor in YEARLY_ANCHORS:
            if self.anchor == "birthday":
                birthday = anchors.get("birthday")
                if not birthday:
                    return result
                month, day = birthday.month, birthday.day
            else:
                month, day = self.anchor_month, self.anchor_day
            for year in range(delivery.year, end.year + 2):
                planned = self._journey_yearly_date(year, month, day) + relativedelta(
                    days=self.offset_days
                )
                if delivery <= planned <= end:
                    result[year] = planned
            return result
        anchor = anchors.get(self.anchor)
        if not anchor:
            return result
        first = anchor + relativedelta(days=self.offset_days)
        index = 0
        while True:
            planned = first + relativedelta(months=self.recurrence_months * index)
            if planned > end:
                break
            if planned >= delivery:
                result[index] = planned
            if not self.recurrence_months:
                break
            index += 1
        return result

    # ------------------------------------------------------------------
    # Changes regenerate the planned events
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        steps.plan_id._journey_regenerate_events()
        return steps

    def write(self, vals):
        plans = self.plan_id
        result = super().write(vals)
        if set(vals) - {"name", "note"}:
            (plans | self.plan_id)._journey_regenerate_events()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_carried_out(self):
        # sudo: whatever the admin may read, a step carried out is kept.
        if (
            self.env["journey.care.event"]
            .sudo()
            .search_count(
                [("step_id", "in", self.ids), ("state", "!=", "planned")], limit=1
            )
        ):
            raise UserError(
                self.env._(
                    "Some events of this step were carried out or skipped: archive "
                    "the step instead of deleting it."
                )
            )

    def unlink(self):
        plans = self.plan_id
        # sudo: the planned events of a deleted step go with it.
        self.env["journey.care.event"].sudo().search(
            [("step_id", "in", self.ids), ("state", "=", "planned")]
        ).unlink()
        result = super().unlink()
        plans._journey_regenerate_events()
        return result
