"""Policy-data tools: strict loading, validation and compilation of policy_data/ (needs PyYAML; the
calculator itself never reads YAML)."""

from .errors import DataError, DataErrors
from .loader import DEFAULT_DATA_DIR, dump, load

__all__ = ["DataError", "DataErrors", "DEFAULT_DATA_DIR", "dump", "load"]
