from .fields import field_labels
from .uninstall import is_module_uninstalling
