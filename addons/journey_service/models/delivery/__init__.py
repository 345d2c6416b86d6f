from . import project_task
from . import sale_order
from . import journey_commitment
from . import journey_commitment_signature
