from django.contrib.auth.models import Group

from org.roles import ROLES


def role_groups_ensure() -> None:
    """Create the role groups (also done by org's migration; a flushed test
    database or a restored dump may lack them)."""
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def language_set(*, user, language: str) -> str:
    """The person's one language choice (pages and everything sent to them).

    An unknown code is no choice: bokmål is stored instead, never an error.
    """
    from org.models import Profile
    from varde.languages import or_default

    language = or_default(language)
    profile, _created = Profile.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    user.profile = profile  # the user object in hand reads the new choice
    return language


def language_first_choice(*, user, language: str) -> bool:
    """Set the language of a new person who has not chosen one (a sign-in
    provider's ``preferredLanguage``, such as Feide's); an existing choice, or
    an unknown code, is left alone. Never the device's language cookie: on a
    shared PC that is the previous person's language, not this one's."""
    from org.models import Profile
    from varde.languages import supported

    language = supported(language)
    if language is None:
        return False
    profile, _created = Profile.objects.get_or_create(user=user)
    user.profile = profile
    if supported(profile.language):
        return False
    profile.language = language
    profile.save(update_fields=["language"])
    return True
