import uuid

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.journey_crm.tools import field_labels

# The form each kind of dealership work opens with, wherever a task is opened
# from (a link, a button, a notification); Odoo's task form stays untouched.
FORM_VIEWS = {
    "delivery": "journey_service.project_task_delivery_view_form",
    "service": "journey_service.project_task_workshop_view_form",
}
# The customer's own pages (never Odoo's task pages, which show internal notes).
PORTAL_PATHS = {
    "delivery": "/my/journey/delivery/%s",
    "service": "/my/journey/service/%s",
}


class ProjectTask(models.Model):
    """What deliveries and workshop visits share as field-service tasks.

    ``project_task_delivery.py`` and ``project_task_workshop.py`` (in
    ``models/delivery`` and ``models/workshop``) add each kind's own work.
    """

    _inherit = "project.task"

    journey_work_type = fields.Selection(
        related="project_id.journey_work_type",
        store=True,
        index=True,
    )
    journey_step = fields.Selection(related="stage_id.journey_step", store=True)
    journey_step_ids = fields.One2many("journey.task.step", "task_id", string="Steps")
    journey_order_id = fields.Many2one(
        "sale.order",
        string="Vehicle Order",
        index="btree_not_null",
        copy=False,
        help="The order of the vehicle delivered or serviced.",
    )
    journey_order_line_id = fields.Many2one(
        "sale.order.line", string="Vehicle Line", copy=False
    )
    journey_vehicle_id = fields.Many2one(
        "fleet.vehicle", string="Vehicle", index="btree_not_null", tracking=True
    )
    journey_salesperson_id = fields.Many2one(
        "res.users",
        string="Customer's Salesperson",
        compute="_compute_journey_salesperson_id",
        store=True,
        index="btree_not_null",
    )
    journey_access_token = fields.Char(
        copy=False,
        groups="base.group_user",
        help="Opens the customer's own page of this delivery or visit; made when a "
        "link is first needed.",
    )
    journey_is_done = fields.Boolean(
        string="Journey Done",
        compute="_compute_journey_is_done",
        help="Done by its state or by a stage whose step is Done.",
    )
    journey_done_processed = fields.Boolean(copy=False)
    journey_can_edit = fields.Boolean(
        string="Can Edit",
        compute="_compute_journey_can_edit",
        help="The user may change this delivery or visit (the record rules allow "
        "it): otherwise it shows read-only, with only the user's own actions.",
    )

    @api.depends(
        "journey_order_id.user_id",
        "partner_id.user_id",
        "partner_id.commercial_partner_id.user_id",
    )
    def _compute_journey_salesperson_id(self):
        for task in self:
            task.journey_salesperson_id = (
                task.journey_order_id.user_id
                or task.partner_id._journey_get_salesperson()
            )

    @api.depends("state", "journey_step")
    def _compute_journey_is_done(self):
        for task in self:
            task.journey_is_done = task.state == "1_done" or task.journey_step == "done"

    @api.depends_context("uid")
    def _compute_journey_can_edit(self):
        writable = self.filtered("id")._origin._filtered_access("write")
        for task in self:
            # A task being created: the action's create right already applies.
            task.journey_can_edit = not task.id or task._origin in writable

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for task in self.filtered("journey_work_type"):
            task.access_url = PORTAL_PATHS[task.journey_work_type] % task.id
        return result

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vehicles = self.env["fleet.vehicle"].browse(
            [
                vals["journey_vehicle_id"]
                for vals in vals_list
                if vals.get("journey_vehicle_id")
            ]
        )
        for vals in vals_list:
            # A visit of a vehicle we sold belongs to that customer's story.
            if vals.get("journey_vehicle_id") and not vals.get("journey_order_id"):
                vehicle = vehicles.browse(vals["journey_vehicle_id"])
                vals["journey_order_id"] = vehicle.journey_order_id.id
                vals.setdefault("partner_id", vehicle.journey_partner_id.id)
        tasks = super().create(vals_list)
        tasks.filtered("journey_work_type")._journey_log_steps()
        return tasks

    def write(self, vals):
        self._check_journey_write(vals)
        if vals.get("state") == "1_done" or "stage_id" in vals:
            before = {task.id: task.journey_is_done for task in self}
        else:
            before = None
        result = super().write(vals)
        if "stage_id" in vals:
            journey_tasks = self.filtered("journey_work_type")
            journey_tasks._journey_log_steps()
            # Odoo's state follows the stage that means done, for its own filters.
            closing = journey_tasks.filtered(
                lambda t: (
                    t.journey_step == "done" and t.state not in ("1_done", "1_canceled")
                )
            )
            if closing:
                super(ProjectTask, closing).write({"state": "1_done"})
        if before is not None:
            finished = self.filtered(
                lambda t: t.journey_work_type and t.journey_is_done and not before[t.id]
            )
            if finished:
                finished._journey_on_done()
        return result

    @api.model
    def _journey_get_ledger_fields(self):
        """Fields set by the addon's own steps (signing, the ceremony, the buttons,
        the scheduled actions), never by a caller's write; each kind of work adds
        its own."""
        return {
            "journey_access_token",
            "journey_done_processed",
            "journey_order_id",
            "journey_order_line_id",
        }

    def _check_journey_write(self, vals):
        """What the customer signed and what the figures count change only through
        the addon's own steps, whoever writes and whatever the context."""
        if self.env.su:
            return True
        protected = sorted(set(vals) & self._journey_get_ledger_fields())
        if protected:
            raise AccessError(
                self.env._(
                    "These fields are set by the delivery and the workshop's own steps "
                    "only: %(fields)s",
                    fields=field_labels(self, protected),
                )
            )
        return True

    @api.model
    def _journey_read_only_view_xmlids(self):
        """The journey views the current user may only read in (by their groups
        alone, never the context): each kind of work adds its own."""
        return ()

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        """Deliveries and visits look read-only to whom may only read them.

        Odoo hides *New* and the edit mode from the model's access rights only, and
        every employee may create tasks (their to-dos): the record rules that keep
        deliveries and visits to their departments would only answer with an error
        after the click. Like ``_postprocess_access_rights``, this depends on the
        user's groups only."""
        result = super().get_view(view_id, view_type, **options)
        xmlids = self._journey_read_only_view_xmlids() if view_id else ()
        views = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in xmlids]
        if view_id in [view.id for view in views if view]:
            node = etree.fromstring(result["arch"])
            for action in ("create", "edit", "delete"):
                node.set(action, "False")
            if view_type == "kanban":
                for action in ("group_create", "group_delete", "group_edit"):
                    node.set(action, "False")
            result["arch"] = etree.tostring(node, encoding="unicode")
        return result

    def get_formview_id(self, access_uid=None):
        if len(self) == 1 and self.journey_work_type:
            view = self.env.ref(
                FORM_VIEWS[self.journey_work_type], raise_if_not_found=False
            )
            if view:
                return view.id
        return super().get_formview_id(access_uid=access_uid)

    # ------------------------------------------------------------------
    # Steps and completion
    # ------------------------------------------------------------------

    def _journey_log_steps(self):
        """Record the step each task enters, with who moved it and when."""
        values = [
            {
                "task_id": task.id,
                "step": task.stage_id.journey_step,
                "stage_id": task.stage_id.id,
                "user_id": self.env.uid,
            }
            for task in self
            if task.stage_id.journey_step
        ]
        if values:
            # sudo: the step log is the task's history, never written by a user.
            self.env["journey.task.step"].sudo().create(values)
        return True

    def _journey_on_done(self):
        """Checks and consequences of finishing a delivery or a service visit.

        A task is done by its state or by a stage whose step is Done; both run
        this once. Each kind of work adds its checks to ``_journey_check_can_finish``
        and its consequences to ``_journey_after_done``.
        """
        self._journey_check_can_finish()
        unprocessed = self.filtered(lambda t: not t.journey_done_processed)
        if unprocessed:
            # sudo: what finishing a task entails runs once, whoever finishes it.
            unprocessed.sudo().journey_done_processed = True
            unprocessed._journey_after_done()

    def _journey_check_can_finish(self):
        """Raise a UserError naming what is missing before the task can be done."""
        return True

    def _journey_after_done(self):
        """What follows a finished task (the handover to after-sales, a use
        consumed)."""
        return True

    # ------------------------------------------------------------------
    # Customer pages
    # ------------------------------------------------------------------

    def _portal_ensure_token(self):
        """A delivery or a visit opens on the addon's own pages with its own token,
        made when first needed: Odoo's task pages and chatter routes, which compare
        the task's standard token, never open it."""
        if not self.journey_work_type:
            return super()._portal_ensure_token()
        self.ensure_one()
        if not self.journey_access_token:
            # sudo: the customer's link is made by whoever first sends or opens it.
            self.sudo().journey_access_token = str(uuid.uuid4())
        return self.journey_access_token

    def _journey_check_kind(self, work_type):
        for task in self:
            if task.journey_work_type != work_type:
                raise UserError(
                    self.env._(
                        "%(task)s is not a %(kind)s.",
                        task=task.display_name,
                        kind=dict(
                            self._fields["journey_work_type"]._description_selection(
                                self.env
                            )
                        )[work_type],
                    )
                )
