"""Checks that an addon ships a complete translation (used by each addon's
``test_translations``)."""

import ast
import os

import polib
from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader


def _demo_xmlids(module):
    """External ids of the module's demo records: demo texts (names of the demo
    customers, their briefs) are the demo's story, not the product's words."""
    path = get_module_path(module)
    with open(os.path.join(path, "__manifest__.py"), encoding="utf-8") as manifest:
        demo_files = ast.literal_eval(manifest.read()).get("demo", [])
    xmlids = set()
    for demo_file in demo_files:
        if not demo_file.endswith(".xml"):
            continue
        tree = etree.parse(os.path.join(path, demo_file))
        for node in tree.iter("record", "menuitem", "template"):
            xml_id = node.get("id")
            if xml_id:
                xmlids.add(xml_id if "." in xml_id else f"{module}.{xml_id}")
    return xmlids


def _is_demo(res_id, demo):
    """A demo record, or one Odoo made for it (the template of a demo product
    is ``<product's id>_product_template``)."""
    return res_id in demo or any(str(res_id).startswith(f"{xmlid}_") for xmlid in demo)


def _normalized(term):
    """Whitespace aside: Odoo imports the translation of a whole-field text
    (an e-mail body) by external id, whatever its indentation."""
    return " ".join(term.split())


def untranslated_terms(env, module, lang):
    """Terms of ``module`` (code, views, fields, data) that its
    ``i18n/<lang>.po`` does not translate."""
    po_path = os.path.join(get_module_path(module), "i18n", f"{lang}.po")
    translated = {
        _normalized(entry.msgid)
        for entry in polib.pofile(po_path)
        if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
    }
    demo = _demo_xmlids(module)
    missing = set()
    for (
        term_module,
        _ttype,
        _name,
        res_id,
        source,
        _value,
        _comments,
    ) in TranslationModuleReader(env.cr, modules=[module]):
        if term_module != module or _is_demo(res_id, demo):
            continue
        if _normalized(source) not in translated:
            missing.add(source)
    return sorted(missing)
