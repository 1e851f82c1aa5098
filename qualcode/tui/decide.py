"""The screening decision on a source, from the reader: one key per decision.

`d` asks for the decision in the current phase (the app remembers the phase; the project's
latest by default, else "screening"); a decision that takes the document out asks for a reason
(esc: none). Each decision is one change, so ctrl+z takes it back.
"""

from __future__ import annotations

from qualcode.tui.widgets.common.prompts import Choice, TextPrompt

DEFAULT_PHASE = "screening"
CHANGE_PHASE = "\0phase"


def current_phase(app) -> str:
    phase = getattr(app, "decision_phase", None)
    if phase:
        return phase
    phases = app.project.phases()
    return phases[-1] if phases else DEFAULT_PHASE


def decision_keys(options) -> list[tuple[str, str, str]]:
    """(key, label, name) per decision: its first free letter, else a digit."""
    used, out = {"p"}, []
    for n, option in enumerate(options, 1):
        key = next((ch for ch in option.name.lower() if ch.isalpha() and ch not in used),
                   str(n % 10))
        used.add(key)
        out.append((key, option.name, option.name))
    return out


def ask_decision(screen, source) -> None:
    """Ask the current coder's decision on `source` and record it."""
    app, project = screen.app, screen.project
    phase = current_phase(app)
    options = project.decision_options()
    earlier = project.decision_of(source.id, phase=phase)
    now = f" (now: {earlier[0]})" if earlier else ""
    question = f"Your decision on {source.name} in phase {phase!r}{now}:"
    answers = [*decision_keys(options), ("p", "change phase", CHANGE_PHASE)]

    def record(decision: str, reason: str | None) -> None:
        app.attempt(lambda: project.decide(source.id, decision, phase=phase, reason=reason),
                    f"Decided {decision} on {source.name} ({phase}).")

    def new_phase(name: str | None) -> None:
        if name:
            app.decision_phase = name
            ask_decision(screen, source)

    def chosen(decision: str | None) -> None:
        if decision is None:
            return
        if decision == CHANGE_PHASE:
            app.push_screen(TextPrompt("Phase (e.g. screening, in-depth):", phase), new_phase)
            return
        leaves = not next(o.continues for o in options if o.name == decision)
        if not leaves:
            record(decision, None)
            return
        app.push_screen(TextPrompt(f"Why {decision}? (esc: no reason)",
                                   earlier[1] if earlier and earlier[1] else ""),
                        lambda reason: record(decision, reason))

    app.push_screen(Choice(question, answers), chosen)
