from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..handover.journey_handover import STATE_SELECTION


class SaleOrder(models.Model):
    """A vehicle sold: one delivery per vehicle and the handover to delivery."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    journey_task_ids = fields.One2many(
        "project.task", "journey_order_id", string="Delivery and Service Visits"
    )
    journey_delivery_task_count = fields.Integer(
        string="Deliveries", compute="_compute_journey_delivery_task_count"
    )
    journey_handover_ids = fields.One2many(
        "journey.handover", "order_id", string="Handovers"
    )
    journey_delivered_on = fields.Datetime(
        string="Delivered On", readonly=True, copy=False, tracking=True
    )
    journey_handover_to_send = fields.Boolean(
        compute="_compute_journey_handover_to_send",
        help="The handover to delivery waits for the salesperson's brief.",
    )
    journey_handover_id = fields.Many2one(
        "journey.handover",
        string="Handover to Delivery",
        compute="_compute_journey_handover_id",
    )
    journey_handover_state = fields.Selection(
        STATE_SELECTION,
        string="Handover Status",
        compute="_compute_journey_handover_state",
    )

    @api.depends("journey_task_ids.journey_work_type")
    def _compute_journey_delivery_task_count(self):
        for order in self:
            order.journey_delivery_task_count = len(
                order.journey_task_ids.filtered(
                    lambda t: t.journey_work_type == "delivery"
                )
            )

    @api.depends("journey_handover_ids.kind")
    def _compute_journey_handover_id(self):
        for order in self:
            order.journey_handover_id = order.journey_handover_ids.filtered(
                lambda h: h.kind == "sales_delivery"
            )[:1]

    @api.depends("journey_handover_ids.kind", "journey_handover_ids.state")
    def _compute_journey_handover_state(self):
        for order in self:
            order.journey_handover_state = order.journey_handover_id.state

    @api.depends("journey_handover_ids.state", "journey_delivery_task_count")
    def _compute_journey_handover_to_send(self):
        for order in self:
            handover = order.journey_handover_ids.filtered(
                lambda h: h.kind == "sales_delivery"
            )[:1]
            order.journey_handover_to_send = bool(
                order.journey_delivery_task_count
            ) and (not handover or handover.state in ("draft", "returned"))

    def _check_journey_write(self, vals):
        result = super()._check_journey_write(vals)
        if "journey_delivered_on" in vals and not self.env.su:
            raise AccessError(
                self.env._("The delivery date is recorded by the delivery only.")
            )
        return result

    def _action_confirm(self):
        result = super()._action_confirm()
        self._journey_start_delivery()
        return result

    def _journey_start_delivery(self):
        """One delivery task per vehicle sold and the sales -> delivery handover.

        This is the only place delivery tasks are created: the handover wizard
        links to them.
        """
        tasks_vals = []
        for order in self:
            vehicle_lines = order.order_line.filtered(
                lambda line: (
                    line.product_id.journey_is_vehicle and line.product_uom_qty > 0
                )
            )
            if not vehicle_lines or order.journey_task_ids.filtered(
                lambda t: t.journey_work_type == "delivery"
            ):
                continue
            project = self.env["project.project"]._journey_get_project(
                "delivery", order.company_id
            )
            if not project:
                continue
            stage = project.type_ids.filtered(lambda s: s.journey_step == "scheduled")[
                :1
            ]
            for line in vehicle_lines:
                for index in range(int(line.product_uom_qty)):
                    name = self.env._(
                        "Delivery: %(vehicle)s for %(customer)s (%(order)s)",
                        vehicle=line.product_id.name,
                        customer=order.partner_id.name,
                        order=order.name,
                    )
                    if line.product_uom_qty > 1:
                        name = f"{name} #{index + 1}"
                    tasks_vals.append(
                        {
                            "name": name,
                            "project_id": project.id,
                            "stage_id": stage.id,
                            "partner_id": order.partner_id.id,
                            "company_id": order.company_id.id,
                            "journey_order_id": order.id,
                            "journey_order_line_id": line.id,
                            "date_deadline": order.commitment_date,
                            "user_ids": [fields.Command.clear()],
                        }
                    )
        if not tasks_vals:
            return
        # sudo: confirming a sale creates its deliveries in delivery's private
        # project, where the salesperson has no right to create tasks.
        tasks = (
            self.env["project.task"]
            .sudo()
            .with_context(mail_create_nolog=True)
            .create(tasks_vals)
        )
        Handover = self.env["journey.handover"]
        for order in tasks.journey_order_id:
            first = tasks.filtered(lambda t, o=order: t.journey_order_id == o)[:1]
            order._journey_assign_checklist(first)
            Handover._journey_create_for_order(order, first)

    def _journey_assign_checklist(self, task):
        """Promises due at delivery go on the first delivery task's checklist."""
        self.ensure_one()
        commitments = self.commitment_ids.filtered(
            lambda c: c._journey_is_due_at_delivery() and not c.delivery_task_id
        )
        # sudo: the checklist a promise joins is the ledger's bookkeeping.
        commitments.sudo().write({"delivery_task_id": task.id})

    def action_journey_handover(self):
        self.ensure_one()
        return self.env["journey.handover.wizard"]._journey_open_for_order(self)

    def action_journey_view_handover(self):
        """The handover to delivery, once sent: what the specialist was told."""
        self.ensure_one()
        handover = self.journey_handover_id
        if not handover:
            raise UserError(self.env._("%(order)s has no handover.", order=self.name))
        form = self.env.ref("journey_service.journey_handover_view_form")
        return {
            "type": "ir.actions.act_window",
            "name": handover.display_name,
            "res_model": "journey.handover",
            "view_mode": "form",
            "views": [(form.id, "form")],
            "res_id": handover.id,
        }

    def action_journey_view_delivery_tasks(self):
        self.ensure_one()
        tasks = self.journey_task_ids.filtered(
            lambda t: t.journey_work_type == "delivery"
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_service.project_task_action_journey_delivery"
        )
        action.update(domain=[("id", "in", tasks.ids)], context={"create": False})
        if len(tasks) == 1:
            form = self.env.ref("journey_service.project_task_delivery_view_form")
            action.update(view_mode="form", views=[(form.id, "form")], res_id=tasks.id)
        return action
