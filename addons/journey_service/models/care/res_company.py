from odoo import api, fields, models
from odoo.exceptions import ValidationError

CARE_SETTING_FIELDS = ("journey_care_horizon_months", "journey_care_mileage_interval")


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    journey_care_horizon_months = fields.Integer(
        string="Care Events Planned Ahead (Months)",
        default=12,
        help="Each vehicle's care plan is turned into care events this many months "
        "ahead; the scheduled action extends the horizon as time passes.",
    )
    journey_care_mileage_interval = fields.Integer(
        string="Service Reminder Every (km)",
        default=5000,
        help="An odometer reading this many kilometres past the last service reminds "
        "the service advisor and the salesperson to book the next one.",
    )

    @api.constrains(*CARE_SETTING_FIELDS)
    def _check_journey_care_settings(self):
        for company in self:
            for name in CARE_SETTING_FIELDS:
                if company[name] <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be a positive number.",
                            setting=self._fields[name]._description_string(self.env),
                        )
                    )
            if company.journey_care_horizon_months > 60:
                raise ValidationError(
                    self.env._(
                        "Care events are planned at most 60 months ahead, not "
                        "%(months)s.",
                        months=company.journey_care_horizon_months,
                    )
                )
