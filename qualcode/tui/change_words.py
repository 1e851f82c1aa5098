"""A change from the project's history in words a researcher reads: for undo and redo messages.

The history stores an action ("uncode") and a summary ("Barrierer/tid on kontor02_T2 [120:160]");
this says "removing the coding tid from “Vi fikk ikke tid …” (kontor02_T2)".
"""

from __future__ import annotations

import re

from qualcode.core import Event, Project
from qualcode.errors import QualcodeError

ON_SPAN = re.compile(r"^(?P<codes>.+) on (?P<source>.+) \[(?P<start>\d+):(?P<end>\d+)\]$")
SPAN_ACTIONS = {"code": "coding {excerpt} as {codes}",
                "uncode": "removing the coding {codes} from {excerpt}",
                "memo on coding": "the memo on the coding {codes} of {excerpt}"}
ACTIONS = {"code many": "coding", "add code": "adding the code", "edit code": "editing the code",
           "move code": "moving the code", "merge codes": "merging the codes",
           "delete code": "deleting the code", "add group": "adding the code group",
           "delete group": "deleting the code group", "add memo": "adding the memo",
           "edit memo": "editing the memo", "delete memo": "deleting the memo",
           "add source": "adding the source", "rename source": "renaming the source",
           "delete source": "deleting the source", "set attribute": "setting",
           "set attributes": "setting attributes", "add case": "adding the case",
           "move case": "moving the case", "delete case": "deleting the case",
           "load codebook": "loading the codebook", "add coder": "adding the coder",
           "add bookmark": "setting the bookmark", "edit bookmark": "relabelling the bookmark",
           "remove bookmark": "removing the bookmark"}
EXCERPT = 40


def describe(event: Event, project: Project) -> str:
    """E.g. 'coding “Vi fikk ikke tid til å øve.” (kontor02_T2) as tid'."""
    span = ON_SPAN.match(event.summary or "")
    if event.action in SPAN_ACTIONS and span:
        codes = ", ".join(path.rsplit("/", 1)[-1] for path in span["codes"].split(", "))
        return SPAN_ACTIONS[event.action].format(
            codes=codes, excerpt=_excerpt(project, span["source"], int(span["start"]),
                                          int(span["end"])))
    words = ACTIONS.get(event.action, event.action)
    return f"{words} {event.summary}" if event.summary else words


def _excerpt(project: Project, source: str, start: int, end: int) -> str:
    try:
        text = " ".join(project.source(source).text[start:end].split())
    except QualcodeError:  # the source is gone: its name is all there is
        return source
    cut = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")
    return f"“{cut}” ({source})"
