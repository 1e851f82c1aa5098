"""SQLite storage: schema, migrations, connections, transactions and the change log."""

from qualcode.store.changes import Recorder, change, redo, undo
from qualcode.store.connection import check_file, now, open_database, transaction
from qualcode.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Recorder", "change", "check_file", "now", "open_database", "redo", "transaction",
           "undo"]
