from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

from odoo.addons.journey_crm.models.journey_commitment import OPEN_STATES
from odoo.addons.journey_crm.tools import field_labels

from .journey_alert_keyword import SEVERITY_SELECTION
from .res_company import AFTERSALES_MANAGER_GROUP, QUALITY_MANAGER_GROUP

CHANNEL_SELECTION = [
    ("phone", "Phone"),
    ("store", "In Store"),
    ("portal", "Customer Portal"),
    ("social", "Social Media"),
    ("other", "Other"),
]
STATE_SELECTION = [
    ("new", "New"),
    ("investigating", "Investigating"),
    ("joint_solution", "Joint Solution"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
]
ROOT_CAUSE_SELECTION = [
    ("over_promise", "Over-Promise"),
    ("slow_response", "Slow Response"),
    ("product_defect", "Product Defect"),
    ("other", "Other"),
]
# Each state is reached from exactly one other, by its button.
TRANSITIONS = {
    "investigating": "new",
    "joint_solution": "investigating",
    "resolved": "joint_solution",
    "closed": "resolved",
}
# The time each state was reached.
STATE_DATE_FIELDS = {
    "investigating": "date_investigating",
    "joint_solution": "date_joint_solution",
    "resolved": "date_resolved",
    "closed": "date_closed",
}
# Set by the complaint's own steps (buttons, the red-alert check, the hourly
# notice), never by a caller's create or write, whatever its context: they make
# the "answered within 24 h" figure and the alert.
LEDGER_FIELDS = (
    "state",
    *STATE_DATE_FIELDS.values(),
    "date_received",
    "date_solution_deadline",
    "solution_overdue_notified",
    "is_red_alert",
    "alert_keyword_ids",
    "alert_severity",
)
MANAGER_GROUPS = (AFTERSALES_MANAGER_GROUP, QUALITY_MANAGER_GROUP)


class JourneyComplaint(models.Model):
    """A customer's complaint, answered jointly by sales, after-sales and quality
    with one solution, through one person who speaks to the customer."""

    _name = "journey.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "is_red_alert desc, date_received desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name"]

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    vehicle_id = fields.Many2one(
        "fleet.vehicle",
        index="btree_not_null",
        tracking=True,
        domain="[('journey_partner_id', 'child_of', partner_id)]",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Vehicle Order",
        compute="_compute_order_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    task_id = fields.Many2one(
        "project.task",
        string="Delivery or Visit",
        index="btree_not_null",
        check_company=True,
        domain="[('journey_work_type', '!=', False), "
        "('partner_id', 'child_of', partner_id)]",
        tracking=True,
    )
    nps_answer_id = fields.Many2one(
        "journey.nps.answer",
        string="NPS Answer",
        readonly=True,
        index="btree_not_null",
        help="The NPS answer whose comment raised this complaint.",
    )
    channel = fields.Selection(
        CHANNEL_SELECTION, required=True, default="phone", tracking=True
    )
    description = fields.Text(
        string="Customer's Words",
        required=True,
        help="What the customer said, in their own words.",
    )
    state = fields.Selection(
        STATE_SELECTION,
        required=True,
        default="new",
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    salesperson_id = fields.Many2one(
        "res.users",
        string="Customer's Salesperson",
        compute="_compute_salesperson_id",
        store=True,
        index="btree_not_null",
        help="Who sold the customer their car, even if they have left since.",
    )
    sales_user_id = fields.Many2one(
        "res.users",
        string="Sales Owner",
        compute="_compute_sales_user_id",
        store=True,
        readonly=False,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    aftersales_user_id = fields.Many2one(
        "res.users",
        string="After-Sales Owner",
        compute="_compute_aftersales_user_id",
        store=True,
        readonly=False,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    quality_user_id = fields.Many2one(
        "res.users",
        string="Quality Owner",
        compute="_compute_quality_user_id",
        store=True,
        readonly=False,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    contact_user_id = fields.Many2one(
        "res.users",
        string="Speaks to the Customer",
        compute="_compute_contact_user_id",
        store=True,
        index="btree_not_null",
        help="The one person who talks to the customer: their salesperson, or the "
        "leader of the salesperson's team when the salesperson has left.",
    )
    alert_manager_ids = fields.Many2many(
        "res.users",
        "journey_complaint_alert_manager_rel",
        "complaint_id",
        "user_id",
        string="Owners' Managers",
        compute="_compute_alert_manager_ids",
        store=True,
        help="Told of a red alert: the leader of the sales owner's team, the area "
        "manager (the company's after-sales manager) and the quality managers.",
    )
    date_received = fields.Datetime(
        string="Received On",
        required=True,
        readonly=True,
        copy=False,
        default=fields.Datetime.now,
    )
    date_investigating = fields.Datetime(
        string="Investigation Started", readonly=True, copy=False
    )
    date_joint_solution = fields.Datetime(
        string="Joint Solution Given", readonly=True, copy=False
    )
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    date_solution_deadline = fields.Datetime(
        string="Joint Solution Due",
        readonly=True,
        copy=False,
        help="Set from Settings > Journey when the complaint is received.",
    )
    is_solution_late = fields.Boolean(
        string="Solution Late",
        compute="_compute_is_solution_late",
        search="_search_is_solution_late",
    )
    is_answered_in_time = fields.Boolean(
        string="Answered in Time",
        compute="_compute_is_answered_in_time",
        store=True,
        help="The joint solution was given by its deadline.",
    )
    solution_overdue_notified = fields.Boolean(readonly=True, copy=False)
    solution = fields.Html(
        string="Joint Solution",
        help="The one answer sales, after-sales and quality agreed on.",
    )
    root_cause = fields.Selection(ROOT_CAUSE_SELECTION, tracking=True)
    root_cause_note = fields.Text(string="Root Cause Details")
    commitment_ids = fields.Many2many(
        "journey.commitment",
        string="Unkept Promises",
        domain="[('partner_id', 'child_of', partner_id), "
        f"('fulfillment_state', 'in', {list(OPEN_STATES)})]",
        help="The promises not kept that the complaint is about.",
    )
    alert_keyword_ids = fields.Many2many(
        "journey.alert.keyword",
        string="Alert Keywords",
        readonly=True,
        copy=False,
        help="The red-alert keywords found in the customer's words; set by the check "
        "only, never removed.",
    )
    is_red_alert = fields.Boolean(
        string="Red Alert",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="The customer's words contain a red-alert keyword: the owners' managers "
        "are told at once (Settings > Technical > Automation Rules). Set by the "
        "check, in the write that adds the keywords, so that the rule sees it change.",
    )
    alert_severity = fields.Selection(
        SEVERITY_SELECTION, compute="_compute_alert_severity", store=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def init(self):
        # The hourly notice looks for the few complaints still without a solution.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS journey_complaint_solution_due_idx
                ON journey_complaint (date_solution_deadline)
             WHERE state IN ('new', 'investigating')
               AND solution_overdue_notified IS NOT TRUE;
            """
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("vehicle_id", "task_id")
    def _compute_order_id(self):
        for complaint in self:
            if not complaint.order_id:
                complaint.order_id = (
                    complaint.task_id.journey_order_id
                    or complaint.vehicle_id.journey_order_id
                )

    @api.depends("order_id.user_id", "partner_id")
    def _compute_salesperson_id(self):
        for complaint in self:
            complaint.salesperson_id = (
                complaint.order_id.user_id
                or complaint.partner_id._journey_get_salesperson()
            )

    @api.depends("contact_user_id")
    def _compute_sales_user_id(self):
        # Editable: defaults to who speaks to the customer; a manager may hand the
        # sales side to someone else.
        for complaint in self:
            if not complaint.sales_user_id:
                complaint.sales_user_id = complaint.contact_user_id

    @api.depends("partner_id", "task_id")
    def _compute_aftersales_user_id(self):
        # Editable: defaults to the visit's advisor, else the customer's advisor.
        for complaint in self:
            customer = complaint.partner_id.commercial_partner_id
            if not complaint.aftersales_user_id:
                complaint.aftersales_user_id = (
                    complaint.task_id.journey_service_advisor_id
                    or customer.journey_service_advisor_id
                )

    @api.depends("company_id")
    def _compute_quality_user_id(self):
        # Editable: defaults to the company's first quality manager.
        for complaint in self:
            if not complaint.quality_user_id:
                complaint.quality_user_id = (
                    complaint.company_id._journey_quality_managers()[:1]
                )

    @api.depends(
        "salesperson_id.active",
        "salesperson_id.company_ids",
        "salesperson_id.crm_team_member_ids.crm_team_id.user_id",
        "order_id.team_id.user_id",
        "company_id",
    )
    def _compute_contact_user_id(self):
        for complaint in self:
            complaint.contact_user_id = complaint._journey_find_contact()

    def _journey_find_contact(self):
        """The salesperson while they work for the company; once they have left
        (archived, or no longer in the company), the leader of their team (of the
        order's team, of the company's default team)."""
        self.ensure_one()
        salesperson = self.salesperson_id
        if self._journey_is_staff(salesperson):
            return salesperson
        # sudo: the team that sold to the customer is known whatever the caller
        # reads; a salesperson who left keeps their (archived) team membership.
        memberships = (
            self.env["crm.team.member"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("user_id", "=", salesperson.id)] if salesperson else [("id", "=", 0)],
                order="active desc, id desc",
            )
        )
        # sudo: the order's and the default sales team, which the complaint's
        # readers (quality, after-sales) may not read.
        teams = (
            memberships.crm_team_id
            | self.order_id.sudo().team_id
            | self.env["crm.team"]
            .sudo()
            ._get_default_team_id(
                domain=[("company_id", "in", [False, self.company_id.id])]
            )
        )
        for team in teams:
            if self._journey_is_staff(team.user_id) and team.user_id != salesperson:
                return team.user_id.sudo(False)
        return self.env["res.users"]

    def _journey_is_staff(self, user):
        return bool(
            user
            and user.active
            and not user.share
            # sudo: another user's companies are not readable to everyone.
            and self.company_id in user.sudo().company_ids
        )

    @api.depends("sales_user_id.sale_team_id.user_id", "contact_user_id", "company_id")
    def _compute_alert_manager_ids(self):
        for complaint in self:
            company = complaint.company_id
            # sudo: the sales team's leader is told, whoever records the complaint.
            sales_leader = (
                complaint.sales_user_id.sudo().sale_team_id.user_id
                | complaint.order_id.sudo().team_id.user_id
            ).filtered(complaint._journey_is_staff)[:1]
            complaint.alert_manager_ids = (
                sales_leader.sudo(False)
                | company._journey_area_manager()
                | company._journey_quality_managers()
            )

    @api.depends("alert_keyword_ids.severity")
    def _compute_alert_severity(self):
        for complaint in self:
            severities = complaint.alert_keyword_ids.mapped("severity")
            if "critical" in severities:
                complaint.alert_severity = "critical"
            else:
                complaint.alert_severity = "high" if severities else False

    def _compute_is_solution_late(self):
        now = fields.Datetime.now()
        for complaint in self:
            complaint.is_solution_late = bool(
                complaint.state in ("new", "investigating")
                and complaint.date_solution_deadline
                and complaint.date_solution_deadline < now
            )

    def _search_is_solution_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        domain = [
            ("state", "in", ("new", "investigating")),
            ("date_solution_deadline", "<", fields.Datetime.now()),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends("date_joint_solution", "date_solution_deadline")
    def _compute_is_answered_in_time(self):
        for complaint in self:
            complaint.is_answered_in_time = bool(
                complaint.date_joint_solution
                and complaint.date_solution_deadline
                and complaint.date_joint_solution <= complaint.date_solution_deadline
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("state", "root_cause")
    def _check_root_cause(self):
        for complaint in self:
            if complaint.state in ("resolved", "closed") and not complaint.root_cause:
                raise ValidationError(
                    self.env._(
                        "A resolved complaint names its root cause: over-promise, "
                        "slow response, product defect or other."
                    )
                )

    @api.constrains("description")
    def _check_description(self):
        for complaint in self:
            if not (complaint.description or "").strip():
                raise ValidationError(
                    self.env._("Write down what the customer said, in their words.")
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._check_ledger_fields(vals, create=True)
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            now = fields.Datetime.now()
            vals["date_received"] = now
            vals["date_solution_deadline"] = now + timedelta(
                hours=company.journey_complaint_answer_hours
            )
            if vals.get("name", "/") == "/":
                # sudo: the complaint's number, whatever the recorder may read.
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .sudo()
                    .next_by_code("journey.complaint")
                    or "/"
                )
            # The red-alert check of every complaint, however it is created
            # (backend, portal, an NPS comment, the workshop reception).
            vals.update(self._journey_alert_values(vals.get("description"), company))
        return super().create(vals_list)

    def write(self, vals):
        self._check_ledger_fields(vals)
        if not self.env.su and self.filtered(lambda c: c.state == "closed"):
            raise UserError(self.env._("A closed complaint is kept as it was closed."))
        if vals.get("description"):
            for complaint in self:
                alert = complaint._journey_alert_values(
                    vals["description"], complaint.company_id, complaint
                )
                if alert:
                    # sudo: the alert is set by the check, never by the caller; its
                    # own write, so that the automation rule sees the flag change.
                    complaint.sudo().write(alert)
        return super().write(vals)

    @api.model
    def _check_ledger_fields(self, vals, create=False):
        """The state, its times, the deadline and the alert are set by the
        complaint's own steps, which run as superuser after their checks; no caller,
        whatever its role or context, writes them (a new complaint starts new)."""
        if self.env.su:
            return
        protected = set(vals) & set(LEDGER_FIELDS)
        if create and vals.get("state", "new") == "new":
            protected.discard("state")
        if protected:
            raise AccessError(
                self.env._(
                    "These fields are set by the complaint's own steps only: "
                    "%(fields)s",
                    fields=field_labels(self, sorted(protected)),
                )
            )

    @api.model
    def _journey_alert_values(self, text, company, complaint=None):
        """The red-alert keywords found in ``text`` added to those already found on
        ``complaint``; empty when nothing new is found."""
        found = self.env["journey.alert.keyword"]._journey_match(text, company)
        if complaint:
            # sudo: the keywords already found, which the writer may not read.
            found -= complaint.sudo().alert_keyword_ids
        if not found:
            return {}
        return {
            "is_red_alert": True,
            "alert_keyword_ids": [fields.Command.link(k.id) for k in found],
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        if any(c.state != "new" or c.is_red_alert for c in self):
            raise UserError(
                self.env._(
                    "A complaint being answered, or a red alert, is kept: close it "
                    "instead."
                )
            )

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def _journey_check_can_act(self):
        """The owners, who speaks to the customer, and the after-sales and quality
        managers move a complaint on."""
        user = self.env.user
        if self.env.su or any(user.has_group(group) for group in MANAGER_GROUPS):
            return
        for complaint in self:
            if user not in (
                complaint.sales_user_id
                | complaint.aftersales_user_id
                | complaint.quality_user_id
                | complaint.contact_user_id
            ):
                raise AccessError(
                    self.env._(
                        "Only the complaint's owners, who speaks to the customer and "
                        "the after-sales and quality managers move %(complaint)s on.",
                        complaint=complaint.name,
                    )
                )

    def _journey_check_transition(self, state):
        """The owners may move each complaint to ``state`` from the state before
        it."""
        self.check_access("write")
        self._journey_check_can_act()
        states = dict(self._fields["state"]._description_selection(self.env))
        for complaint in self:
            if complaint.state != TRANSITIONS[state]:
                raise UserError(
                    self.env._(
                        "%(complaint)s is %(current)s: it cannot move to %(target)s.",
                        complaint=complaint.name,
                        current=states[complaint.state],
                        target=states[state],
                    )
                )

    def _journey_set_state(self, state):
        """The one way a complaint changes state, stamped with the time it was
        reached."""
        self._journey_check_transition(state)
        # sudo: the state and its time are set here only, after the checks above.
        self.sudo().write(
            {"state": state, STATE_DATE_FIELDS[state]: fields.Datetime.now()}
        )
        return True

    def action_investigate(self):
        return self._journey_set_state("investigating")

    def action_propose_solution(self):
        self._journey_check_transition("joint_solution")
        for complaint in self:
            if not complaint.solution or not complaint.solution.striptags().strip():
                raise UserError(
                    self.env._(
                        "Write the joint solution that sales, after-sales and quality "
                        "agreed on before giving it to the customer."
                    )
                )
        return self._journey_set_state("joint_solution")

    def action_resolve(self):
        self._journey_check_transition("resolved")
        for complaint in self:
            if not complaint.root_cause:
                raise UserError(
                    self.env._(
                        "Name the root cause before resolving %(complaint)s: "
                        "over-promise, slow response, product defect or other.",
                        complaint=complaint.name,
                    )
                )
        return self._journey_set_state("resolved")

    def action_close(self):
        return self._journey_set_state("closed")

    # ------------------------------------------------------------------
    # Raised from elsewhere
    # ------------------------------------------------------------------

    @api.model
    def _journey_raise(self, partner, words, channel, task=None, nps_answer=None):
        """A complaint raised by the customer's words heard elsewhere (an NPS
        comment, the workshop reception), as the superuser: it is checked for red
        alerts like every other."""
        task = task or self.env["project.task"]
        # sudo: the customer's words create the complaint whoever recorded them.
        return (
            self.sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "vehicle_id": task.journey_vehicle_id.id,
                    "task_id": task.id,
                    "nps_answer_id": nps_answer.id if nps_answer else False,
                    "channel": channel,
                    "description": words,
                    "company_id": (task.company_id or self.env.company).id,
                }
            )
            .sudo(False)
        )

    # ------------------------------------------------------------------
    # Late joint solutions (the hourly job of handover deadlines)
    # ------------------------------------------------------------------

    @api.model
    def _journey_late_domain(self):
        return [
            ("state", "in", ("new", "investigating")),
            ("solution_overdue_notified", "=", False),
            ("date_solution_deadline", "<", fields.Datetime.now()),
        ]

    def _journey_overdue_activity_values(self):
        """One activity per owner: the joint solution is late."""
        self.ensure_one()
        activity_type = self.env.ref("journey_service.mail_act_complaint_overdue")
        values = []
        owners = (
            self.contact_user_id
            | self.sales_user_id
            | self.aftersales_user_id
            | self.quality_user_id
        )
        for user in owners:
            note = self.env._(
                "The joint solution to %(complaint)s (%(customer)s) was due "
                "on %(date)s.",
                complaint=self.name,
                customer=self.partner_id.name,
                date=format_datetime(
                    self.env,
                    self.date_solution_deadline,
                    tz=user.tz,
                    lang_code=user.lang,
                ),
            )
            values.append(
                self.env["mail.activity"]._journey_activity_values(
                    self, activity_type, user, note
                )
            )
        return values

    @api.model
    def _journey_notify_late_solutions(self, limit):
        """Tell the owners, once, that a joint solution is late; returns how many
        complaints were notified."""
        late = self.search(
            self._journey_late_domain(), limit=limit, order="date_solution_deadline, id"
        )
        if late:
            self.env["mail.activity"]._journey_schedule_batch(
                [
                    vals
                    for complaint in late
                    for vals in complaint._journey_overdue_activity_values()
                ],
                lambda env: env._("Joint solutions to complaints are late"),
            )
            # sudo: the notice is sent once, whoever runs the job.
            late.sudo().write({"solution_overdue_notified": True})
        return len(late)
