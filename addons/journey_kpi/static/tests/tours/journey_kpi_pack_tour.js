import { registry } from "@web/core/registry";

// A manager downloads the monthly joint meeting pack from its wizard: the file is
// built behind the loading indicator and the dialog closes without an error.
// The data is created by journey_kpi/tests/test_pack.py.
registry.category("web_tour.tours").add("journey_kpi_pack_download", {
    steps: () => [
        {
            content: "Download the pack",
            trigger: ".modal button[name='action_download']",
            run: "click",
        },
        {
            content: "The wizard closed, with no error dialog",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
