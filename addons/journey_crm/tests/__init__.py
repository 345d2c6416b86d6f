from . import test_backend_tour
from . import test_commitment_access
from . import test_commitment_approval
from . import test_commitment_rules
from . import test_commitment_versions
from . import test_ledger_integrity
from . import test_portal_signing
from . import test_sale_order_confirmation
