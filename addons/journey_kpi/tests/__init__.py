from . import test_pack
