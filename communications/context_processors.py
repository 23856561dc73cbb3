from django.utils.functional import SimpleLazyObject

from communications.follow_ups import due_count


def follow_up_count(request):
    """``follow_up_count``: the user's follow-ups due today or overdue, for the navigation.

    Lazy: the one query runs only when a template uses the value, and at most once.
    """

    def count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return due_count(user)

    return {"follow_up_count": SimpleLazyObject(count)}
