from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from .portal import JourneyServicePortal


class JourneyWorkshopPortal(JourneyServicePortal):
    """The customer's answer to the NPS question after a workshop visit."""

    def _journey_vehicle_label(self, vehicle):
        """The vehicle as its owner reads it ("Aurora EV SUV · 沪A12345"), not the
        fleet's internal name ("Aurora/EV SUV/沪A12345")."""
        model = " ".join(
            name
            for name in (vehicle.model_id.brand_id.name, vehicle.model_id.name)
            if name
        )
        return " · ".join(part for part in (model, vehicle.license_plate) if part)

    def _journey_nps_values(self, task_sudo, access_token, **values):
        return {
            "journey_task": task_sudo,
            "vehicle_label": self._journey_vehicle_label(task_sudo.journey_vehicle_id),
            "access_token": access_token,
            "answer": task_sudo.journey_nps_answer_ids[:1],
            "page_name": "journey_nps",
            **values,
        }

    @http.route(
        ["/my/journey/service/<int:task_id>/nps"],
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_journey_nps(self, task_id, access_token=None, **kwargs):
        task_sudo = self._journey_get_task(task_id, access_token, "service")
        return request.render(
            "journey_service.portal_service_nps",
            self._journey_nps_values(task_sudo, access_token),
        )

    @http.route(
        ["/my/journey/service/<int:task_id>/nps"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_journey_nps_answer(
        self, task_id, access_token=None, score=None, comment=None, **kwargs
    ):
        task_sudo = self._journey_get_task(task_id, access_token, "service")
        try:
            value = int(score)
        except (TypeError, ValueError):
            value = None
        try:
            with request.env.cr.savepoint():
                # sudo: the customer answers for their own visit, checked above.
                request.env["journey.nps.answer"].sudo()._journey_record(
                    task_sudo, value, comment, "portal"
                )
        except (UserError, ValidationError) as error:
            return request.render(
                "journey_service.portal_service_nps",
                self._journey_nps_values(
                    task_sudo,
                    access_token,
                    error=error.args[0],
                    comment=comment,
                    score=score,
                ),
            )
        return request.render(
            "journey_service.portal_service_nps",
            self._journey_nps_values(task_sudo, access_token, thanks=True),
        )
