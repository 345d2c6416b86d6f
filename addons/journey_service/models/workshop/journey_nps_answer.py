from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.journey_crm.tools import is_module_uninstalling

SOURCE_SELECTION = [
    ("portal", "Customer Portal"),
    ("call", "Follow-up Call"),
]
# Where in the customer's story the answer was given: the joint NPS counts both.
TOUCHPOINT_SELECTION = [
    ("delivery", "Delivery"),
    ("service", "Service Visit"),
]
CATEGORY_SELECTION = [
    ("promoter", "Promoter"),
    ("passive", "Passive"),
    ("detractor", "Detractor"),
]


RATED_WORK_TYPES = ("delivery", "service")


class JourneyNpsAnswer(models.Model):
    """The customer's answer to "How likely are you to recommend us?" (0-10),
    about their delivery or a service visit.

    Odoo's task rating takes only 1, 3 or 5; the KPIs need the NPS scale.
    """

    _name = "journey.nps.answer"
    _description = "NPS Answer"
    _inherit = ["mail.thread"]
    _order = "answered_on desc, id desc"
    _check_company_auto = True
    _rec_name = "task_id"

    task_id = fields.Many2one(
        "project.task",
        string="Delivery or Visit",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    touchpoint = fields.Selection(
        TOUCHPOINT_SELECTION,
        compute="_compute_touchpoint",
        store=True,
        index=True,
        help="The delivery or the service visit the customer rated.",
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
    score = fields.Integer(required=True, readonly=True, aggregator="avg")
    comment = fields.Text(readonly=True)
    category = fields.Selection(
        CATEGORY_SELECTION, compute="_compute_category", store=True
    )
    # Averaged over answers: % promoters - % detractors, the NPS itself.
    nps_value = fields.Integer(
        string="NPS",
        compute="_compute_nps_value",
        store=True,
        aggregator="avg",
        help="+100 for a promoter (9-10), 0 for a passive (7-8), -100 for a "
        "detractor (0-6): their average over answers is the Net Promoter Score.",
    )
    source = fields.Selection(SOURCE_SELECTION, required=True, readonly=True)
    answered_on = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("task_uniq", "unique(task_id)", "A delivery or visit has one NPS answer."),
    ]

    @api.depends("task_id.journey_work_type")
    def _compute_touchpoint(self):
        for answer in self:
            work_type = answer.task_id.journey_work_type
            answer.touchpoint = work_type if work_type in RATED_WORK_TYPES else False

    @api.depends("score")
    def _compute_category(self):
        for answer in self:
            if answer.score >= 9:
                answer.category = "promoter"
            elif answer.score >= 7:
                answer.category = "passive"
            else:
                answer.category = "detractor"

    @api.depends("score")
    def _compute_nps_value(self):
        for answer in self:
            if answer.score >= 9:
                answer.nps_value = 100
            elif answer.score >= 7:
                answer.nps_value = 0
            else:
                answer.nps_value = -100

    @api.constrains("score")
    def _check_score(self):
        for answer in self:
            if not 0 <= answer.score <= 10:
                raise ValidationError(
                    self.env._(
                        "The score goes from 0 to 10, not %(score)s.",
                        score=answer.score,
                    )
                )

    def write(self, vals):
        if vals and not self.env.su:
            raise UserError(self.env._("A customer's answer is not changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A customer's answer is kept."))

    def unlink(self):
        if not is_module_uninstalling(self.env, "journey_service"):
            self.check_access("unlink")
            self._unlink_never()
        return super().unlink()

    @api.model
    def _journey_check_can_answer(self, task, score):
        """The reasons an answer cannot be recorded, as a translated error."""
        if task.journey_work_type not in RATED_WORK_TYPES:
            raise UserError(self.env._("Only a delivery or a service visit is rated."))
        is_delivery = task.journey_work_type == "delivery"
        if is_delivery and not task.journey_is_done:
            raise UserError(
                self.env._("The delivery is rated once the vehicle is handed over.")
            )
        if not is_delivery and not task.journey_date_handed_back:
            raise UserError(
                self.env._("The visit is rated once the vehicle is handed back.")
            )
        # sudo: one answer per delivery or visit, whoever may read the answers.
        if self.sudo().search_count([("task_id", "=", task.id)], limit=1):
            if is_delivery:
                raise UserError(self.env._("This delivery was already rated."))
            raise UserError(self.env._("This visit was already rated."))
        if (
            not isinstance(score, int)
            or isinstance(score, bool)
            or not 0 <= score <= 10
        ):
            raise ValidationError(self.env._("Choose a score from 0 to 10."))

    @api.model
    def _journey_record(self, task, score, comment, source):
        """Record one answer for a handed-back visit or a done delivery, and close
        the visit's follow-up.

        The only way an answer is created: ``portal`` from the customer's page
        (the controller checked the token or the customer), ``call`` by the
        visit's advisor or an after-sales manager (a delivery is rated on the
        customer's page only).
        """
        if source == "call":
            self._journey_check_can_record_call(task)
        elif source != "portal" or not self.env.su:
            raise AccessError(
                self.env._("Only the customer answers from their own page.")
            )
        self._journey_check_can_answer(task, score)
        # sudo: no role creates answers (no access right does); this method is the
        # one path, checked above, and records who acted.
        answer = self.sudo().create(
            {
                "task_id": task.id,
                "score": score,
                "comment": (comment or "").strip() or False,
                "source": source,
                "user_id": self.env.uid,
                "answered_on": fields.Datetime.now(),
            }
        )
        feedback = self.env._("NPS %(score)s/10", score=score)
        if comment:
            feedback = f"{feedback}: {comment}"
        if source == "call":
            task.activity_feedback(
                ["journey_service.mail_act_follow_up_call"], feedback=feedback
            )
        else:
            task.message_post(
                body=self.env._(
                    "The customer answered %(score)s/10: %(comment)s",
                    score=score,
                    comment=comment or "",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return answer

    @api.model
    def _journey_check_can_record_call(self, task):
        """The advisor who called the customer records their answer, on a visit they
        may work on."""
        if task.journey_work_type == "delivery":
            raise AccessError(
                self.env._("The customer rates their delivery from their own page.")
            )
        if not self.env.user.has_group("journey_crm.group_service_advisor"):
            raise AccessError(
                self.env._("Only service advisors record the answer given on a call.")
            )
        task.check_access("write")
