"""New GUIDs are UUID version 7: valid REFI-QDA GUIDs whose order follows the time they were
made, so that the GUID index of a table grows at one end during a bulk insert."""

from __future__ import annotations

import re
import time
import uuid

from qualcode.core.util import new_guid

REFI_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_a_guid_is_a_version_7_uuid_with_the_time_in_front():
    before = time.time_ns() // 1_000_000
    guids = [new_guid() for _ in range(2000)]
    after = time.time_ns() // 1_000_000
    assert len(set(guids)) == len(guids)
    for guid in guids:
        parsed = uuid.UUID(guid)
        assert REFI_GUID.match(guid) and str(parsed) == guid
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
        assert before <= parsed.int >> 80 <= after


def test_guids_made_later_sort_after_earlier_ones(project):
    first = [new_guid() for _ in range(50)]
    time.sleep(0.002)
    later = [new_guid() for _ in range(50)]
    assert max(first) < min(later)
    source = project.add_source("s", "tekst")
    assert uuid.UUID(source.guid).version == 7
