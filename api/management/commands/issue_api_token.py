from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.tokens import issue_token


class Command(BaseCommand):
    help = "Make an API token for a user and print its key (shown this once, stored hashed)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument("--read-only", action="store_true", help="The token can only read.")

    def handle(self, *args, username, name, read_only, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is inactive: a token would not work.")
        if not name.strip():
            raise CommandError("Give the token a --name.")
        _token, key = issue_token(user=user, name=name.strip()[:100], read_only=read_only)
        self.stdout.write(key)
