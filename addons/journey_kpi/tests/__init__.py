from . import test_board
