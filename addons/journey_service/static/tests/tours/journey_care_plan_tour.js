/** @odoo-module **/

import { registry } from "@web/core/registry";

// An after-sales manager moves a care plan step in Configuration > Care Plans.
// The data is created by journey_service/tests/test_care_tour.py.
registry.category("web_tour.tours").add("journey_care_plan_edit", {
    steps: () => [
        {
            content: "Open the test plan",
            trigger: ".o_data_row .o_data_cell:contains(Test plan)",
            run: "click",
        },
        {
            content: "Open its day 30 call",
            trigger: ".o_field_one2many .o_data_row .o_data_cell:contains(Day 30 call)",
            run: "click",
        },
        {
            content: "Call on day 45 instead",
            trigger: ".modal .o_field_widget[name='offset_days'] input",
            run: "edit 45",
        },
        {
            content: "Keep the step",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The list shows the new offset",
            trigger: ".o_field_one2many .o_data_row .o_data_cell[name='offset_days']:contains(45)",
        },
        {
            content: "Save the plan",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
