from . import journey_kpi_pack
