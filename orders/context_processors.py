from orders.approvals import WaitingApprovals


def approvals(request):
    """``approvals_nav``: whether to show the Approvals link and how many items wait for the
    user. Lazy: its one query runs only when a template uses it, and at most once."""
    return {"approvals_nav": WaitingApprovals(getattr(request, "user", None))}
