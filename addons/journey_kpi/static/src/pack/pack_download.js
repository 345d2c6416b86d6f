import { _t } from "@web/core/l10n/translation";
import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";

/**
 * Downloads the monthly joint meeting pack built by the server, behind Odoo's
 * blocking indicator when it takes more than a moment, then closes the wizard.
 */
export async function journeyKpiPackDownload(env, action) {
    env.services.ui.block({ message: _t("Building the meeting pack..."), delay: 500 });
    try {
        await download({ url: action.params.url, data: {} });
    } finally {
        env.services.ui.unblock();
    }
    return { type: "ir.actions.act_window_close" };
}

registry.category("actions").add("journey_kpi.pack_download", journeyKpiPackDownload);
