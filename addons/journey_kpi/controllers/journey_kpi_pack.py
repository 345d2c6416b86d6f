from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.http import content_disposition, request

from ..wizard.journey_kpi_pack_wizard import XLSX_MIMETYPE


class JourneyKpiPack(http.Controller):
    @http.route(
        "/journey_kpi/pack/<int:wizard_id>",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        readonly=True,
    )
    def journey_kpi_pack(self, wizard_id, **kwargs):
        """The monthly joint meeting pack of one of the user's own wizards, built
        with the user's rights."""
        Wizard = request.env["journey.kpi.pack.wizard"]
        if not Wizard.has_access("read"):
            raise Forbidden()
        wizard = Wizard.browse(wizard_id).exists()
        # A wizard is its creator's: another user's is not found, whoever asks.
        if not wizard or wizard.create_uid.id != request.env.uid:
            raise NotFound()
        if wizard.company_id not in request.env.user.company_ids:
            raise Forbidden()
        wizard = wizard.with_company(wizard.company_id)
        content = wizard._journey_build_xlsx()
        filename = wizard._journey_file_name(wizard._journey_filters())
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
                ("Content-Length", len(content)),
            ],
        )
