"""Personal API tokens for the API fuzzing pass (``scripts/fuzz-api``), one per demo account named.

Accounts whose posts require a second factor must have the confirmed TOTP device the demo enrols for them (the
run stops otherwise); their token is created as from a session that passed it — the same rule the token page
enforces. Prints ``username token`` lines.
Usage: python -m tests.fuzz.issue_tokens USERNAME [USERNAME …]
"""

from __future__ import annotations

import os
import sys


def main(usernames: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from grassroots.people import security, tokens
    from grassroots.people.models import User

    for username in usernames:
        user = User.objects.get(username=username)
        if security.needs_second_factor(user):
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                sys.exit(f"{username} needs a second factor, but the demo enrolled no TOTP device for it")
            user.is_verified = lambda: True
        _, secret = tokens.token_create(actor=user, name="schemathesis")
        print(username, secret)


if __name__ == "__main__":
    main(sys.argv[1:])
