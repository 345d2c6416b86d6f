from odoo import api, models


class FleetVehicleOdometer(models.Model):
    _inherit = "fleet.vehicle.odometer"

    @api.model_create_multi
    def create(self, vals_list):
        readings = super().create(vals_list)
        vehicles = readings.vehicle_id
        # The odometer is computed from the readings: read the new one.
        vehicles.invalidate_recordset(["odometer"])
        vehicles._journey_check_mileage()
        return readings
