from odoo import http

from .portal import JourneyServicePortal


class JourneyWorkshopPortal(JourneyServicePortal):
    """The customer's answer to the NPS question after a workshop visit."""

    @http.route(
        ["/my/journey/service/<int:task_id>/nps"],
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_journey_nps(self, task_id, access_token=None, **kwargs):
        return self._journey_nps_page(task_id, access_token, "service")

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
        return self._journey_nps_answer(
            task_id, access_token, "service", score, comment
        )
