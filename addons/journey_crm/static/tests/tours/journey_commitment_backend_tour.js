/** @odoo-module **/

import { registry } from "@web/core/registry";

// The sales consultant records a promise on the quotation, declares the
// checklist complete and confirms the order. Data: tests/test_backend_tour.py.
registry.category("web_tour.tours").add("journey_crm_commitment_backend", {
    steps: () => [
        {
            content: "The quotation warns that the checklist is not declared",
            trigger: ".o_form_view [name=journey_confirm_blocked]:contains(not declared the commitment checklist complete)",
        },
        {
            content: "Open the Commitments tab",
            trigger: "a.nav-link[name='journey_commitments']",
            run: "click",
        },
        {
            content: "Add a commitment",
            trigger: "div[name='commitment_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Pick the type from the catalogue",
            trigger: "div[name='commitment_ids'] .o_data_row td[name='type_id'] input",
            run: "edit Floor mats",
        },
        {
            content: "Select Floor mats",
            trigger: ".o-autocomplete--dropdown-menu a:contains(Floor mats)",
            run: "click",
        },
        {
            content: "Write the promise as the customer will read it",
            trigger: "div[name='commitment_ids'] .o_data_row td[name='name'] input",
            run: "edit All-weather floor mats for all three rows",
        },
        {
            content: "Save the quotation",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "The promise is on the list, not signed yet",
            trigger: "div[name='commitment_ids'] .o_data_row td:contains(All-weather floor mats)",
        },
        {
            content: "Declare the checklist complete",
            trigger: "button[name='action_declare_commitments']",
            run: "click",
        },
        {
            content: "The warning is gone",
            trigger: ".o_form_view:not(:has([name=journey_confirm_blocked]:contains(not declared the commitment checklist complete)))",
        },
        {
            content: "Confirm the order",
            trigger: ".o_form_statusbar button[name='action_confirm']:visible",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});
