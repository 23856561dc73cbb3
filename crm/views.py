from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

# The dashboard at "/" lives in the dashboard app (dashboard.views).

# The language switch sits on the login page too, so it must not need a login.
switch_language = login_not_required(require_POST(set_language))
