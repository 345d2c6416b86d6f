from . import test_measures
from . import test_targets
