from odoo import api, fields, models

ALERT_FIELDS = ("journey_is_red_alert", "journey_alert_keyword_ids")


class ProjectTask(models.Model):
    """What the customer says at the workshop reception, in their words, read for
    red-alert keywords."""

    _inherit = "project.task"  # pylint: disable=consider-merging-classes-inherited

    journey_reception_words = fields.Text(
        string="Customer's Words at Reception",
        tracking=True,
        help="What the customer said when handing over the vehicle, in their words. "
        "A red-alert keyword raises a complaint that the owners' managers hear of at "
        "once.",
    )
    journey_is_red_alert = fields.Boolean(string="Red Alert", readonly=True, copy=False)
    journey_alert_keyword_ids = fields.Many2many(
        "journey.alert.keyword", string="Alert Keywords", readonly=True, copy=False
    )
    journey_complaint_ids = fields.One2many(
        "journey.complaint", "task_id", string="Complaints"
    )
    journey_complaint_count = fields.Integer(
        string="Complaint Count", compute="_compute_journey_complaint_count"
    )

    @api.depends_context("uid")
    def _compute_journey_complaint_count(self):
        if not self.env["journey.complaint"].has_access("read"):
            # Users without a dealership role open partners and tasks too.
            self.journey_complaint_count = 0
            return
        counts = dict(
            self.env["journey.complaint"]._read_group(
                [("task_id", "in", self.ids)], ["task_id"], ["__count"]
            )
        )
        for task in self:
            task.journey_complaint_count = counts.get(task, 0)

    def _journey_get_ledger_fields(self):
        return super()._journey_get_ledger_fields() | set(ALERT_FIELDS)

    @api.model_create_multi
    def create(self, vals_list):
        tasks = super().create(vals_list)
        tasks.filtered("journey_reception_words")._journey_check_red_alert()
        return tasks

    def write(self, vals):
        result = super().write(vals)
        if vals.get("journey_reception_words"):
            self._journey_check_red_alert()
        return result

    def _journey_check_red_alert(self):
        """Words with a red-alert keyword flag the visit and raise a complaint
        (the shipped automation rule tells the owners' managers); words changed
        later raise another only for keywords not heard before."""
        for task in self:
            keywords = self.env["journey.alert.keyword"]._journey_match(
                task.journey_reception_words, task.company_id
            )
            # sudo: the visit's alert is set by this check only (a ledger field).
            new = keywords - task.sudo().journey_alert_keyword_ids
            if not new:
                continue
            task.sudo().write(
                {
                    "journey_is_red_alert": True,
                    "journey_alert_keyword_ids": [
                        fields.Command.link(k.id) for k in new
                    ],
                }
            )
            if task.partner_id:
                self.env["journey.complaint"]._journey_raise(
                    task.partner_id, task.journey_reception_words, "store", task=task
                )

    def action_journey_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_service.journey_complaint_action"
        )
        action["domain"] = [("task_id", "=", self.id)]
        action["context"] = {
            "default_task_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_vehicle_id": self.journey_vehicle_id.id,
            "default_channel": "store",
        }
        return action
