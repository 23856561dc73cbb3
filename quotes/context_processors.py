from django.utils.functional import SimpleLazyObject

from quotes.services import unseen_answers


def customer_answers(request):
    """``customer_answer_count``: quotes of the user's customers answered on their link
    (accepted or declined) that the user has not opened since, for the navigation's badge.

    Lazy: the one query (on a partial index) runs only when a template uses the value.
    """

    def count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unseen_answers(user).count()

    return {"customer_answer_count": SimpleLazyObject(count)}
