/** @odoo-module **/

import { Component, onWillStart, useState } from "@odoo/owl";
import { formatCurrency } from "@web/core/currency";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const MODEL = "journey.kpi.measure";
// Width and height of a trend sparkline (SVG user units).
const SPARK_WIDTH = 160;
const SPARK_HEIGHT = 36;
const SPARK_PAD = 4;

/**
 * A measure's figure as the board shows it: "96.0 %", "+45", "2.5 min",
 * "3.0 h", "12", "¥ 12,500".
 *
 * @param {number|null} value
 * @param {string} unit percent|score|minutes|hours|count|amount
 * @param {number} [currencyId] the company's currency, for amounts
 * @returns {string}
 */
export function formatMeasureValue(value, unit, currencyId) {
    if (value === null || value === undefined || value === false) {
        return "–";
    }
    switch (unit) {
        case "percent":
            // The percent sign needs no translation (and no "%" in a translated term).
            return `${formatFloat(value, { digits: [false, 1] })} %`;
        case "score": {
            const score = Math.round(value);
            const text = formatFloat(score, { digits: [false, 0] });
            return score > 0 ? `+${text}` : text;
        }
        case "minutes":
            return _t("%(value)s min", { value: formatFloat(value, { digits: [false, 1] }) });
        case "hours":
            return _t("%(value)s h", { value: formatFloat(value, { digits: [false, 1] }) });
        case "amount":
            return formatCurrency(Math.round(value), currencyId, { digits: [false, 0] });
        case "count":
            return formatFloat(Math.round(value), { digits: [false, 0] });
        default:
            return formatFloat(value, { digits: [false, 1] });
    }
}

/**
 * "12 records" (what the figure is computed on).
 *
 * @param {number} sample
 * @returns {string}
 */
export function formatSample(sample) {
    return sample === 1 ? _t("1 record") : _t("%(count)s records", { count: sample || 0 });
}

/**
 * The points of a weekly trend sparkline, scaled into the SVG box; weeks without
 * data get no point (the line joins the weeks around them).
 *
 * @param {Object[]} trend [{week, value, sample}], oldest first
 * @param {number|null} target drawn as a dashed line when set
 * @returns {{points: Object[], line: string, targetY: number|null}|null}
 */
export function sparkline(trend, target) {
    const known = (trend || []).filter((week) => week.value !== null && week.value !== undefined);
    if (!known.length) {
        return null;
    }
    const values = known.map((week) => week.value);
    if (target !== null && target !== undefined) {
        values.push(target);
    }
    let min = Math.min(...values);
    let max = Math.max(...values);
    if (max === min) {
        min -= 1;
        max += 1;
    }
    const count = trend.length;
    const step = count > 1 ? (SPARK_WIDTH - 2 * SPARK_PAD) / (count - 1) : 0;
    const x = (index) => (count > 1 ? SPARK_PAD + index * step : SPARK_WIDTH / 2);
    const y = (value) =>
        SPARK_PAD + (SPARK_HEIGHT - 2 * SPARK_PAD) * (1 - (value - min) / (max - min));
    const points = trend.map((week, index) => ({
        week: week.week,
        value: week.value,
        sample: week.sample,
        x: x(index),
        y: week.value === null || week.value === undefined ? null : y(week.value),
        // The hover band of the week: its whole column.
        bandX: count > 1 ? Math.max(x(index) - step / 2, 0) : 0,
        bandWidth: count > 1 ? step : SPARK_WIDTH,
    }));
    const line = points
        .filter((point) => point.y !== null)
        .map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`)
        .join(" ");
    const targetY = target !== null && target !== undefined ? y(target) : null;
    return { points, line, targetY };
}

export class HealthBoard extends Component {
    static template = "journey_kpi.HealthBoard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.sparkWidth = SPARK_WIDTH;
        this.sparkHeight = SPARK_HEIGHT;
        const saved = this.props.state?.journeyKpiFilters;
        this.state = useState({
            loading: true,
            data: null,
            filters: {
                companyId: false,
                teamId: false,
                userId: false,
                // Three months give the joint measures enough records to judge.
                period: "last_3_months",
                ...(saved || {}),
            },
        });
        this.canEditTargets = false;
        this.loadCount = 0;
        // Coming back from the records (breadcrumb): the same filters.
        useSetupAction({
            getLocalState: () => ({ journeyKpiFilters: { ...this.state.filters } }),
        });
        onWillStart(async () => {
            const [manager, admin] = await Promise.all([
                user.hasGroup("journey_crm.group_aftersales_manager"),
                user.hasGroup("base.group_system"),
            ]);
            this.canEditTargets = manager || admin;
            await this.load();
        });
    }

    // ------------------------------------------------------------------
    // Data
    // ------------------------------------------------------------------

    /** The filters as get_board_data and action_journey_open_records read them. */
    get rpcFilters() {
        const { companyId, teamId, userId, period } = this.state.filters;
        return {
            company_ids: companyId ? [companyId] : [],
            team_ids: teamId ? [teamId] : [],
            user_id: userId || false,
            period,
        };
    }

    /** The reporting rules read the active companies: the chosen one. */
    get rpcContext() {
        const companyId = this.state.filters.companyId;
        return companyId ? { allowed_company_ids: [companyId] } : {};
    }

    async load() {
        const loadId = ++this.loadCount;
        this.state.loading = true;
        try {
            const data = await this.orm.call(MODEL, "get_board_data", [this.rpcFilters], {
                context: this.rpcContext,
            });
            if (loadId !== this.loadCount) {
                return; // a later filter change is loading
            }
            this.state.data = data;
            this.state.filters.companyId = data.filters.company_ids[0] || false;
        } finally {
            if (loadId === this.loadCount) {
                this.state.loading = false;
            }
        }
    }

    get choices() {
        return this.state.data?.choices || { companies: [], teams: [], users: [], periods: [] };
    }

    get periodLabel() {
        const { date_from, date_to } = this.state.data?.filters || {};
        if (!date_from) {
            return "";
        }
        return _t("%(from)s to %(to)s", {
            from: formatDate(deserializeDate(date_from)),
            to: formatDate(deserializeDate(date_to)),
        });
    }

    /** Measures grouped by area, in the measures' order. */
    get areas() {
        const areas = [];
        const byArea = {};
        for (const measure of this.state.data?.measures || []) {
            if (!byArea[measure.area]) {
                byArea[measure.area] = {
                    area: measure.area,
                    label: measure.area_label,
                    measures: [],
                };
                areas.push(byArea[measure.area]);
            }
            byArea[measure.area].measures.push(measure);
        }
        return areas;
    }

    get redCount() {
        return (this.state.data?.measures || []).filter((m) => m.status === "red").length;
    }

    // ------------------------------------------------------------------
    // Presentation
    // ------------------------------------------------------------------

    formatValue(measure, value = measure.value) {
        return formatMeasureValue(value, measure.unit, this.state.data?.currency_id);
    }

    formatSample(sample) {
        return formatSample(sample);
    }

    targetLabel(measure) {
        if (measure.target === null || measure.target === undefined) {
            return _t("No target");
        }
        const target = this.formatValue(measure, measure.target);
        return measure.direction === "lower"
            ? _t("Target ≤ %(target)s", { target })
            : _t("Target ≥ %(target)s", { target });
    }

    statusLabel(measure) {
        return {
            green: _t("On target"),
            red: _t("Off target"),
            nodata: _t("No data"),
            low: _t("Too few records"),
            none: _t("No target"),
        }[measure.status];
    }

    statusTitle(measure) {
        if (measure.status === "low") {
            return _t("Fewer than %(count)s records: too few to judge.", {
                count: measure.min_sample,
            });
        }
        return this.statusLabel(measure);
    }

    cardClass(measure) {
        const grey = ["nodata", "low", "none"].includes(measure.status);
        return {
            [`o_journey_kpi_${measure.status}`]: true,
            o_journey_kpi_grey: grey,
            "border-success": measure.status === "green",
            "border-danger": measure.status === "red",
            "border-secondary-subtle": grey,
        };
    }

    badgeClass(measure) {
        return {
            green: "text-bg-success",
            red: "text-bg-danger",
            nodata: "text-bg-light",
            low: "text-bg-light",
            none: "text-bg-light",
        }[measure.status];
    }

    sparkline(measure) {
        return sparkline(measure.trend, measure.target);
    }

    weekTitle(measure, point) {
        const week = formatDate(deserializeDate(point.week));
        if (point.value === null || point.value === undefined) {
            return _t("Week of %(week)s: no data", { week });
        }
        return _t("Week of %(week)s: %(value)s (%(sample)s)", {
            week,
            value: this.formatValue(measure, point.value),
            sample: formatSample(point.sample),
        });
    }

    cardTitle(measure) {
        return measure.status === "red"
            ? _t("Open the records behind the missed figure")
            : _t("Open the records behind the figure");
    }

    scoreLabel(score) {
        return score === null || score === undefined
            ? "–"
            : formatFloat(score, { digits: [false, 0] });
    }

    scoreWidth(score) {
        return score === null || score === undefined ? 0 : Math.max(0, Math.min(100, score));
    }

    scoreBarClass(score) {
        if (score === null || score === undefined) {
            return "bg-secondary";
        }
        return score >= 90 ? "bg-success" : score >= 70 ? "bg-warning" : "bg-danger";
    }

    // ------------------------------------------------------------------
    // Handlers
    // ------------------------------------------------------------------

    async onFilterChange(name, ev) {
        const raw = ev.target.value;
        const value = name === "period" ? raw : parseInt(raw, 10) || false;
        this.state.filters[name] = value;
        if (name === "companyId") {
            // Teams and people belong to a company.
            this.state.filters.teamId = false;
            this.state.filters.userId = false;
        }
        await this.load();
    }

    async openRecords(measure) {
        const action = await this.orm.call(
            MODEL,
            "action_journey_open_records",
            [measure.id, this.rpcFilters, measure.status === "red"],
            { context: this.rpcContext }
        );
        await this.action.doAction(action);
    }

    onCardKeydown(measure, ev) {
        if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            this.openRecords(measure);
        }
    }

    openMeetingPack() {
        const { companyId, teamId, period } = this.state.filters;
        return this.action.doAction("journey_kpi.journey_kpi_pack_wizard_action", {
            additionalContext: {
                default_period: period,
                default_company_id: companyId || undefined,
                default_team_ids: teamId ? [teamId] : [],
            },
        });
    }

    openTargets() {
        return this.action.doAction("journey_kpi.journey_kpi_target_action");
    }
}

registry.category("actions").add("journey_kpi.health_board", HealthBoard);
