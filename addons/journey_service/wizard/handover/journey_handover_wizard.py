from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.journey_crm.models.res_partner import CONTACT_METHOD_SELECTION


class JourneyHandoverWizard(models.TransientModel):
    """Hand a confirmed order over to delivery, pre-filled from what sales knows."""

    _name = "journey.handover.wizard"
    _description = "Hand Over to Delivery"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    handover_id = fields.Many2one("journey.handover", readonly=True)
    task_id = fields.Many2one(related="handover_id.task_id")
    partner_id = fields.Many2one(related="order_id.partner_id")
    receiver_id = fields.Many2one(
        "res.users",
        string="Delivery Specialist",
        required=True,
        domain=lambda self: [
            ("share", "=", False),
            (
                "groups_id",
                "in",
                self.env.ref("journey_crm.group_delivery_specialist").ids,
            ),
        ],
    )
    background = fields.Text()
    needs = fields.Text()
    concerns = fields.Text()
    preferred_contact_method = fields.Selection(
        CONTACT_METHOD_SELECTION, string="Preferred Contact"
    )
    special_requests = fields.Text()
    commitment_ids = fields.Many2many(related="handover_id.commitment_ids")
    date_deadline = fields.Datetime(
        related="handover_id.date_deadline", string="Brief Due"
    )
    call_deadline = fields.Datetime(
        related="handover_id.call_deadline", string="Call Due"
    )
    call_date = fields.Datetime(string="Three-Party Call On")

    @api.model
    def _journey_open_for_order(self, order):
        if order.state != "sale":
            raise UserError(
                self.env._("Confirm the order before handing it over to delivery.")
            )
        handover = order.journey_handover_ids.filtered(
            lambda h: h.kind == "sales_delivery"
        )[:1]
        if not handover:
            tasks = order.journey_task_ids.filtered(
                lambda t: t.journey_work_type == "delivery"
            )
            if not tasks:
                raise UserError(
                    self.env._(
                        "%(order)s sells no vehicle: there is no delivery to hand "
                        "over.",
                        order=order.name,
                    )
                )
            handover = self.env["journey.handover"]._journey_create_for_order(
                order, tasks[:1]
            )
        if handover.state not in ("draft", "returned"):
            raise UserError(
                self.env._(
                    "The handover of %(order)s was already sent to %(user)s.",
                    order=order.name,
                    user=handover.receiver_id.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over to Delivery"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_order_id": order.id,
                "default_handover_id": handover.id,
                "default_receiver_id": (
                    handover.receiver_id or handover._journey_default_receiver()
                ).id,
                "default_background": handover.background,
                "default_needs": handover.needs,
                "default_concerns": handover.concerns,
                "default_preferred_contact_method": handover.preferred_contact_method,
                "default_special_requests": handover.special_requests,
                "default_call_date": handover.call_date,
            },
        }

    def action_send(self):
        self.ensure_one()
        handover = self.handover_id
        handover.write(
            {
                "receiver_id": self.receiver_id.id,
                "background": self.background,
                "needs": self.needs,
                "concerns": self.concerns,
                "preferred_contact_method": self.preferred_contact_method,
                "special_requests": self.special_requests,
                "call_date": self.call_date,
            }
        )
        handover.action_send()
        if self.call_date:
            handover.action_schedule_call()
        return {"type": "ir.actions.act_window_close"}
