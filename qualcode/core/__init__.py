"""The domain: the Project API over the store."""

from qualcode.core.model import (
                                  Case,
                                  Code,
                                  CodeGroup,
                                  Coder,
                                  Coding,
                                  Event,
                                  Memo,
                                  Source,
                                  SourceEntry,
                                  Turn,
)
from qualcode.core.project import Project, create_project, open_project

__all__ = ["Case", "Code", "CodeGroup", "Coder", "Coding", "Event", "Memo", "Project", "Source",
           "SourceEntry", "Turn", "create_project", "open_project"]
