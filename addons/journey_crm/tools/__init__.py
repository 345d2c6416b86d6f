from .uninstall import is_module_uninstalling
