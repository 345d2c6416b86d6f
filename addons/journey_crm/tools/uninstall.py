from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def is_module_uninstalling(env, module):
    """Whether Odoo is uninstalling ``module`` right now.

    Odoo skips ``@api.ondelete(at_uninstall=False)`` under the context key
    ``_force_unlink``, which any JSON-RPC caller can send and which survives
    ``sudo()``: a record that must never disappear asks the module's state too.
    """
    return bool(
        env.context.get(MODULE_UNINSTALL_FLAG)
        and env.su
        and env["ir.module.module"].search_count(
            [("name", "=", module), ("state", "=", "to remove")], limit=1
        )
    )
