from odoo import api, fields, models
from odoo.exceptions import AccessError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    journey_task_ids = fields.One2many(
        "project.task", "journey_order_id", string="Delivery and Service Visits"
    )
    journey_delivery_task_count = fields.Integer(
        string="Deliveries", compute="_compute_journey_delivery_task_count"
    )
    journey_handover_ids = fields.One2many("journey.handover", "order_id", string="Handovers")
    journey_delivered_on = fields.Datetime(
        string="Delivered On", readonly=True, copy=False, tracking=True
    )
    journey_service_task_id = fields.Many2one(
        "project.task",
        string="Service Visit",
        index="btree_not_null",
        copy=False,
        help="The workshop visit this order bills.",
    )

    @api.model
    def _may_waive_checklist(self, vals):
        """The workshop's service orders bill a visit: no promise is sold with them."""
        if vals.get("journey_service_task_id") and self.env.user.has_group(
            "journey_crm.group_service_advisor"
        ):
            return True
        return super()._may_waive_checklist(vals)

    def _check_journey_write(self, vals):
        super()._check_journey_write(vals)
        if self.env.su:
            return
        protected = [
            name for name in ("journey_delivered_on", "journey_service_task_id") if name in vals
        ]
        if protected:
            raise AccessError(
                self.env._(
                    "These fields are set by the delivery and the workshop only: %(fields)s",
                    fields=", ".join(self._fields[name].string for name in protected),
                )
            )

    @api.depends("journey_task_ids.journey_work_type")
    def _compute_journey_delivery_task_count(self):
        for order in self:
            order.journey_delivery_task_count = len(
                order.journey_task_ids.filtered(lambda t: t.journey_work_type == "delivery")
            )

    def _action_confirm(self):
        result = super()._action_confirm()
        self.filtered(lambda o: not o.journey_service_task_id)._journey_start_delivery()
        return result

    def _journey_start_delivery(self):
        """One delivery task per vehicle sold and the sales -> delivery handover.

        This is the only place delivery tasks are created: the handover wizard
        links to them.
        """
        tasks_vals = []
        for order in self:
            vehicle_lines = order.order_line.filtered(
                lambda l: l.product_id.journey_is_vehicle and l.product_uom_qty > 0
            )
            if not vehicle_lines or order.journey_task_ids.filtered(
                lambda t: t.journey_work_type == "delivery"
            ):
                continue
            project = self.env["project.project"]._journey_get_project("delivery", order.company_id)
            if not project:
                continue
            stage = project.type_ids.filtered(lambda s: s.journey_step == "scheduled")[:1]
            for line in vehicle_lines:
                for index in range(int(line.product_uom_qty)):
                    name = self.env._(
                        "Delivery: %(vehicle)s for %(customer)s (%(order)s)",
                        vehicle=line.product_id.name,
                        customer=order.partner_id.name,
                        order=order.name,
                    )
                    if line.product_uom_qty > 1:
                        name = "%s #%s" % (name, index + 1)
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
        tasks = self.env["project.task"].sudo().with_context(mail_create_nolog=True).create(tasks_vals)
        for order in tasks.journey_order_id:
            order_tasks = tasks.filtered(lambda t, o=order: t.journey_order_id == o)
            order._journey_assign_checklist(order_tasks[:1])
            self.env["journey.handover"].sudo()._journey_create_for_order(order, order_tasks[:1])

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

    def action_journey_view_delivery_tasks(self):
        self.ensure_one()
        tasks = self.journey_task_ids.filtered(lambda t: t.journey_work_type == "delivery")
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Deliveries"),
            "res_model": "project.task",
            "domain": [("id", "in", tasks.ids)],
            "view_mode": "list,form",
            "context": {"create": False},
        }
        if len(tasks) == 1:
            action.update(view_mode="form", res_id=tasks.id)
        return action
