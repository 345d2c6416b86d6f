from . import res_company
from . import res_config_settings
from . import journey_kpi_measure
from . import journey_kpi_target
from . import journey_kpi_value
from . import journey_kpi_scorecard
from . import journey_kpi_scorecard_line
