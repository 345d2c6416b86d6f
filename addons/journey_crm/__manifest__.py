{
    "name": "Journey CRM: Commitment Ledger",
    "summary": "Every sales promise recorded, approved, signed in the portal "
    "and never silently changed",
    "version": "18.0.1.2.0",
    "category": "Sales/CRM",
    "author": "Journey",
    "website": "https://github.com/journey-dealer/journey",
    "license": "LGPL-3",
    "depends": ["sale_crm", "sale_management", "portal"],
    "data": [
        "security/journey_security.xml",
        "security/ir.model.access.csv",
        "security/journey_rules.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_message_subtype_data.xml",
        "data/journey_commitment_type_data.xml",
        "wizard/journey_commitment_reason_wizard_views.xml",
        "views/journey_commitment_type_views.xml",
        "views/journey_commitment_views.xml",
        "views/journey_commitment_signature_views.xml",
        "views/sale_order_views.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/journey_menus.xml",
        "views/sale_portal_templates.xml",
        "report/sale_order_report_templates.xml",
    ],
    "demo": [
        "demo/journey_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "journey_crm/static/tests/tours/*.js",
        ],
    },
}
