from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.journey_crm.tools import field_labels

REASON_SELECTION = [
    ("repeat_buyer", "Repeat Buyer"),
    ("urgent_trip", "Urgent Trip"),
    ("media", "Media or Influencer"),
    ("other", "Other"),
]
ALTERNATIVE_SELECTION = [
    ("loaner_car", "Loaner Car"),
    ("progress_updates", "Progress Updates Every 2 Hours"),
    ("quality_check", "Personal Quality Check"),
    ("other", "Other"),
]
DECIDER_GROUP = "journey_crm.group_service_advisor"
# Stamped by the workshop's decision.
DECIDED_FIELDS = ("decided_by_id", "decided_on")
# Written with the workshop's decision (``state`` in the same write), never alone.
DECISION_FIELDS = ("promised_date", "alternative", "alternative_note")


class JourneyExpediteRequest(models.Model):
    """Sales asks the workshop to hurry a visit; the workshop decides, both logged."""

    _name = "journey.expedite.request"
    _description = "Expedite Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _rec_name = "task_id"

    task_id = fields.Many2one(
        "project.task",
        string="Service Visit",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('journey_work_type', '=', 'service')]",
    )
    partner_id = fields.Many2one(
        related="task_id.partner_id", store=True, string="Customer"
    )
    vehicle_id = fields.Many2one(related="task_id.journey_vehicle_id", store=True)
    service_advisor_id = fields.Many2one(
        related="task_id.journey_service_advisor_id",
        store=True,
        string="Service Advisor",
    )
    salesperson_id = fields.Many2one(
        related="task_id.journey_salesperson_id",
        store=True,
        string="Customer's Salesperson",
    )
    requested_by_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    reason_kind = fields.Selection(
        REASON_SELECTION, string="Reason", required=True, tracking=True
    )
    reason = fields.Text(string="Details", required=True)
    date_wanted = fields.Datetime(
        string="Wanted By", help="When the customer needs the car back."
    )
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
        ],
        required=True,
        default="requested",
        readonly=True,
        tracking=True,
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_on = fields.Datetime(readonly=True)
    promised_date = fields.Datetime(
        string="New Promised Time", readonly=True, tracking=True
    )
    alternative = fields.Selection(ALTERNATIVE_SELECTION, readonly=True, tracking=True)
    alternative_note = fields.Text(readonly=True)
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_create_values(vals)
        requests = super().create(vals_list)
        for request in requests:
            # sudo: the salesperson reads the visit but does not write on the
            # workshop's chatter; the request is logged there for the advisor.
            task = request.task_id.sudo()
            if task.journey_work_type != "service":
                raise UserError(self.env._("Only a service visit can be expedited."))
            if task.journey_is_done:
                raise UserError(self.env._("This visit is already done."))
            body = self.env._(
                "%(user)s asks to expedite this visit (%(reason)s): %(details)s",
                user=request.requested_by_id.name,
                reason=dict(
                    self._fields["reason_kind"]._description_selection(self.env)
                )[request.reason_kind],
                details=request.reason,
            )
            task.message_post(body=body, subtype_xmlid="mail.mt_note")
            advisor = task.journey_service_advisor_id
            if advisor:
                request.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=advisor.id,
                    summary=self.env._("Expedite request"),
                    note=body,
                )
        return requests

    @api.model
    def _check_create_values(self, vals):
        """A request is made by the user who asks, on a visit they can read, and is
        decided later by the workshop."""
        if self.env.su:
            return
        decided = [name for name in DECIDED_FIELDS + DECISION_FIELDS if vals.get(name)]
        if vals.get("state", "requested") != "requested":
            decided.append("state")
        if vals.get("requested_by_id", self.env.uid) != self.env.uid:
            decided.append("requested_by_id")
        if decided:
            raise AccessError(
                self.env._(
                    "A request is made in your name and decided by the workshop: "
                    "%(fields)s",
                    fields=field_labels(self, decided),
                )
            )
        if vals.get("task_id"):
            # The visit must be one the user may read: the request posts into its
            # chatter.
            self.env["project.task"].browse(vals["task_id"]).check_access("read")

    def write(self, vals):
        if not self.env.su:
            protected = [
                name
                for name in DECIDED_FIELDS + ("requested_by_id", "task_id")
                if name in vals
            ]
            if "state" not in vals:
                protected += [name for name in DECISION_FIELDS if name in vals]
            if protected:
                raise AccessError(
                    self.env._(
                        "These fields are set by the workshop's decision only: "
                        "%(fields)s",
                        fields=field_labels(self, protected),
                    )
                )
            if "state" in vals:
                self._journey_check_can_decide(vals)
        if vals.get("state") in ("accepted", "declined"):
            vals = dict(
                vals, decided_by_id=self.env.uid, decided_on=fields.Datetime.now()
            )
        result = super().write(vals)
        if vals.get("state") in ("accepted", "declined"):
            self._journey_after_decision()
        return result

    def _journey_check_can_decide(self, vals=None):
        if not self.env.user.has_group(DECIDER_GROUP):
            raise AccessError(
                self.env._("The after-sales side decides on expedite requests.")
            )
        for request in self:
            if request.state != "requested":
                raise UserError(self.env._("This request was already decided."))
        if vals is None:
            return
        if vals["state"] == "accepted":
            promised = fields.Datetime.to_datetime(vals.get("promised_date"))
            if not promised or promised <= fields.Datetime.now():
                raise UserError(
                    self.env._("Give the new promised time, in the future.")
                )
        elif vals["state"] == "declined":
            if not vals.get("alternative"):
                raise UserError(
                    self.env._(
                        "Offer an alternative: a loaner car, progress updates every 2 "
                        "hours or a personal quality check."
                    )
                )
        else:
            raise UserError(self.env._("A request is accepted or declined."))

    def _journey_after_decision(self):
        """The requester and the visit learn the decision, however it was written."""
        labels = dict(self._fields["alternative"]._description_selection(self.env))
        for request in self:
            if request.state == "accepted":
                message = self.env._(
                    "Expedite accepted: the vehicle is promised for %(date)s.",
                    date=fields.Datetime.to_string(request.promised_date),
                )
                request.task_id.date_deadline = request.promised_date
            else:
                message = self.env._(
                    "Expedite declined; offered instead: %(alternative)s. %(note)s",
                    alternative=labels.get(request.alternative, ""),
                    note=request.alternative_note or "",
                )
            request.activity_feedback(
                ["mail.mail_activity_data_todo"], feedback=message
            )
            request.message_post(
                body=message, partner_ids=request.requested_by_id.partner_id.ids
            )
            request.task_id.message_post(body=message, subtype_xmlid="mail.mt_note")

    def action_accept(self, promised_date):
        self.write({"state": "accepted", "promised_date": promised_date})
        return True

    def action_decline(self, alternative, note):
        self.write(
            {"state": "declined", "alternative": alternative, "alternative_note": note}
        )
        return True

    def action_open_decision(self):
        self._journey_check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide"),
            "res_model": "journey.expedite.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }
