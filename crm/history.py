"""The recorded workflow steps of a record (django-fsm-log), as its page shows them."""

from django_fsm_log.models import StateLog


def transition_history(record, choices) -> list[dict]:
    """Every recorded transition of ``record``, newest first: who (None = automatic), when,
    from and to as the labels of ``choices``, and the note (a reason, a rule)."""
    labels = dict(choices)

    def label(value):
        return str(labels[value]) if value in labels else value or "—"

    return [
        {
            "source": label(entry.source_state),
            "target": label(entry.state),
            "by": entry.by,
            "when": entry.timestamp,
            "note": entry.description,
        }
        for entry in StateLog.objects.for_(record)
        .select_related("by")
        .order_by("-timestamp", "-id")
    ]
