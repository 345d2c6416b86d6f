from . import journey_kpi_demo
