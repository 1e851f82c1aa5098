"""A one-line input that never lets a typed letter overtake the key before it."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    """An Input that runs its own editing keys (backspace, delete, arrows, ctrl+u ...) as they
    arrive, in turn with the letters.

    Textual inserts a letter in the Input's own message queue, but runs the Input's key
    bindings only after the key has bubbled up through the screen to the app. A backspace
    followed quickly by a letter (a held key's repeats, fast typing while the list below is
    refiltered) let the letter overtake it: "ledelse", 7 × backspace, "uklare" became "lklare".
    """

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if binding.priority:
                    continue  # the app has already offered it to priority bindings
                if await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)
