from odoo import api, fields, models
from odoo.exceptions import ValidationError

AFTERSALES_MANAGER_GROUP = "journey_crm.group_aftersales_manager"
QUALITY_MANAGER_GROUP = "journey_service.group_quality_manager"
CX_MANAGER_GROUP = "journey_crm.group_cx_manager"


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    journey_complaint_answer_hours = fields.Integer(
        string="Joint Solution Due (Hours)",
        default=24,
        help="Hours after a complaint is received by which sales, after-sales and "
        "quality give the customer one joint solution.",
    )
    journey_churn_threshold = fields.Integer(
        string="Churn Risk at or Below (NPS)",
        default=6,
        help="Two NPS answers in a row at or below this score flag the customer as at "
        "risk of leaving and start a retention call by the area manager.",
    )

    @api.constrains("journey_complaint_answer_hours", "journey_churn_threshold")
    def _check_journey_complaint_settings(self):
        for company in self:
            if company.journey_complaint_answer_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "%(setting)s must be a positive number.",
                        setting=self._fields[
                            "journey_complaint_answer_hours"
                        ]._description_string(self.env),
                    )
                )
            if not 0 <= company.journey_churn_threshold <= 9:
                raise ValidationError(
                    self.env._(
                        "The churn threshold is an NPS score from 0 to 9, not "
                        "%(score)s.",
                        score=company.journey_churn_threshold,
                    )
                )

    def _journey_group_users(self, xmlid):
        """The active internal users of the group ``xmlid`` whose main company is
        this one, the customer-experience managers (who inherit every role) last."""
        self.ensure_one()
        # sudo: who holds a role in the company is known whatever the caller reads.
        users = (
            self.env.ref(xmlid)
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and u.company_id == self)
            .sorted("id")
        )
        cx_managers = users.filtered(lambda u: u.has_group(CX_MANAGER_GROUP))
        return ((users - cx_managers) | cx_managers).sudo(False)

    def _journey_area_manager(self):
        """The area manager of this company: its (first) after-sales manager."""
        return self._journey_group_users(AFTERSALES_MANAGER_GROUP)[:1]

    def _journey_quality_managers(self):
        return self._journey_group_users(QUALITY_MANAGER_GROUP)
