from . import portal
from . import delivery
from . import workshop
