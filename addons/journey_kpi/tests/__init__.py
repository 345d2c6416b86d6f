from . import test_translations
from . import test_board
from . import test_access
from . import test_pack
from . import test_measures
from . import test_targets
