# What deliveries and workshop visits share.
from . import res_company
from . import res_config_settings
from . import product_template
from . import project_project
from . import project_task_type
from . import project_task
from . import journey_task_step
from . import fleet_vehicle
from . import res_partner
from . import journey_commitment

# The handover that joins sales, delivery and after-sales.
from . import handover

# The two products: the delivery and the workshop. Each extends the shared models
# (project.task, sale.order, journey.commitment, res.partner) in its own files, by
# design: pylint's consider-merging-classes-inherited is silenced on those lines.
from . import delivery
from . import workshop
from . import complaint

# The care plan after the delivery.
from . import care
