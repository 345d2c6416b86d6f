/** @odoo-module **/

import { registry } from "@web/core/registry";

// Data and checks: tests/test_board.py. Four service leads of "Consultant One"
// raised this month, one converted: Service Lead Conversion is 25 % against a
// target of 30 %, red.
const LEAD_CARD = ".o_journey_kpi_card[data-code='lead_conversion']";

registry.category("web_tour.tours").add("journey_kpi_board", {
    steps: () => [
        {
            content: "The board shows the measures by area",
            trigger: ".o_journey_kpi_board .o_journey_kpi_area[data-area='joint'] h2",
        },
        {
            content: "Service lead conversion is red for the company",
            trigger: `${LEAD_CARD}.o_journey_kpi_red .o_journey_kpi_status.text-bg-danger`,
        },
        {
            content: "Its target is shown",
            trigger: `${LEAD_CARD} .o_journey_kpi_target:contains(Target ≥ 30.0 %)`,
        },
        {
            content: "With its weekly trend",
            trigger: `${LEAD_CARD} svg.o_journey_kpi_sparkline .o_journey_kpi_spark_dot`,
        },
        {
            content: "A manager may edit the targets",
            trigger: ".o_journey_kpi_buttons .o_journey_kpi_targets",
        },
        {
            content: "Narrow the board to one salesperson",
            trigger: ".o_journey_kpi_filter_user",
            run: "selectByLabel Consultant One",
        },
        {
            content: "The figure is reloaded for them: still red, on their four leads",
            trigger: `${LEAD_CARD}.o_journey_kpi_red .o_journey_kpi_sample:contains(4 records)`,
        },
        {
            content: "Their value: one converted lead out of four",
            trigger: `${LEAD_CARD} .o_journey_kpi_value:contains(25.0 %)`,
        },
        {
            content: "Open the records behind the red figure",
            trigger: `${LEAD_CARD}`,
            run: "click",
        },
        {
            content: "The unconverted leads are listed",
            trigger: ".o_list_view .o_data_row:contains(Board Missed Lead 1)",
        },
        {
            content: "All three of them",
            trigger: ".o_list_view .o_data_row:contains(Board Missed Lead 3)",
        },
        {
            content: "The converted lead is not among the missed ones",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Board Converted Lead)))",
        },
        {
            content: "Back to the board",
            trigger: ".breadcrumb-item:contains(Collaboration Health Board)",
            run: "click",
        },
        {
            content: "The board kept its person filter",
            trigger: `${LEAD_CARD} .o_journey_kpi_sample:contains(4 records)`,
        },
    ],
});

// A sales consultant opens the board (on a phone in tests/test_board.py): no
// access error, their own figures, the cards in one column.
registry.category("web_tour.tours").add("journey_kpi_board_consultant", {
    steps: () => [
        {
            content: "The consultant's own leads only: four, not the other salesperson's",
            trigger: `${LEAD_CARD}.o_journey_kpi_red .o_journey_kpi_sample:contains(4 records)`,
        },
        {
            content: "No target editing for a consultant",
            trigger: ".o_journey_kpi_buttons:not(:has(.o_journey_kpi_targets)) .o_journey_kpi_pack",
        },
        {
            content: "The cards wrap: one per row on a phone",
            trigger: ".o_journey_kpi_area[data-area='joint'] .o_journey_kpi_card:nth-child(2)",
            run() {
                const cards = this.anchor.parentElement.children;
                const first = cards[0].getBoundingClientRect();
                const second = this.anchor.getBoundingClientRect();
                if (window.innerWidth < 576 && second.top <= first.top) {
                    throw new Error("The cards do not wrap on a phone.");
                }
                if (first.right > window.innerWidth + 1) {
                    throw new Error("A card is wider than the phone's screen.");
                }
            },
        },
        {
            content: "Reach the card with the keyboard",
            trigger: LEAD_CARD,
            run() {
                this.anchor.focus();
            },
        },
        {
            content: "Open the records behind the figure with Enter",
            trigger: `${LEAD_CARD}:focus`,
            run: "press Enter",
        },
        {
            content: "The consultant's unconverted lead is listed",
            trigger: ".o_data_row:contains(Board Missed Lead 1), .o_kanban_record:contains(Board Missed Lead 1)",
        },
    ],
});
