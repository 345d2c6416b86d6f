/** @odoo-module **/

import { registry } from "@web/core/registry";

// The after-sales manager adds a red-alert keyword from Configuration >
// Red-Alert Keywords. Data and checks: tests/test_complaint_tour.py.
registry.category("web_tour.tours").add("journey_complaint_keyword", {
    steps: () => [
        {
            content: "Open the Configuration menu of Delivery & Service",
            trigger: ".o_menu_sections button:contains(Configuration)",
            run: "click",
        },
        {
            content: "Open the red-alert keywords",
            trigger: ".dropdown-menu .dropdown-item:contains(Red-Alert Keywords)",
            run: "click",
        },
        {
            content: "The shipped keywords are listed",
            trigger: ".o_list_view .o_data_row td[name='keyword']:contains(brake failure)",
        },
        {
            content: "Add a keyword",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Type the words to watch for",
            trigger: ".o_data_row.o_selected_row td[name='keyword'] input",
            run: "edit Coolant Leak",
        },
        {
            content: "Save it",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            content: "The keyword is saved",
            trigger: ".o_data_row:not(.o_selected_row) td[name='keyword']:contains(Coolant Leak)",
        },
    ],
});
