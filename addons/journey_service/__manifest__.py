{
    "name": "Journey Service: Handovers, Delivery and After-Sales",
    "summary": "Hot handovers, a delivery that checks every promise, and the "
    "after-sales value chain as field-service tasks",
    "version": "18.0.2.0.0",
    "category": "Services/Field Service",
    "author": "Journey",
    "website": "https://github.com/journey-dealer/journey",
    "license": "LGPL-3",
    "depends": [
        "journey_crm",
        "project",
        "fleet",
        "calendar",
        "stock",
        "base_automation",
    ],
    "data": [
        "security/journey_service_security.xml",
        "security/ir.model.access.csv",
        "security/journey_service_rules.xml",
        # Shared: activities, subtypes, scheduled actions, customer e-mails
        "data/mail_activity_type_data.xml",
        "data/mail_message_subtype_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        # The delivery
        "data/delivery_project_data.xml",
        # The workshop
        "data/workshop_project_data.xml",
        "data/workshop_job_data.xml",
        # Wizards
        "wizard/journey_commitment_fulfil_wizard_views.xml",
        "wizard/delivery/journey_delivery_ceremony_wizard_views.xml",
        "wizard/handover/journey_handover_wizard_views.xml",
        "wizard/workshop/journey_service_lead_wizard_views.xml",
        # Shared views
        "views/project_project_views.xml",
        "views/journey_commitment_views.xml",
        "views/fleet_vehicle_views.xml",
        "views/res_partner_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        # The handover that joins them
        "views/handover/journey_handover_views.xml",
        # The delivery
        "views/delivery/project_task_views.xml",
        "views/delivery/journey_commitment_views.xml",
        "views/delivery/sale_order_views.xml",
        "views/delivery/portal_templates.xml",
        "report/delivery_checklist_report.xml",
        # The workshop
        "views/workshop/project_task_views.xml",
        "views/workshop/journey_service_bay_views.xml",
        "views/workshop/journey_service_job_views.xml",
        "views/workshop/journey_nps_answer_views.xml",
        "views/workshop/journey_expedite_request_views.xml",
        "views/workshop/crm_lead_views.xml",
        "views/workshop/res_partner_views.xml",
        "views/workshop/portal_templates.xml",
        "views/journey_service_menus.xml",
        # The care plan
        "security/journey_care_rules.xml",
        "wizard/care/journey_care_event_skip_wizard_views.xml",
        "views/care/journey_care_plan_views.xml",
        "views/care/journey_care_event_views.xml",
        "views/care/res_partner_views.xml",
        "views/care/fleet_vehicle_views.xml",
        "views/care/res_config_settings_views.xml",
        "views/care/journey_care_menus.xml",
        "report/care/vehicle_health_report.xml",
        "data/care/mail_activity_type_data.xml",
        "data/care/mail_template_data.xml",
        "data/care/ir_cron_data.xml",
        "data/care/base_automation_data.xml",
        "data/care/journey_care_plan_data.xml",
    ],
    "demo": [
        "demo/journey_service_demo.xml",
        "demo/care/journey_care_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "journey_service/static/tests/tours/*.js",
        ],
    },
}
