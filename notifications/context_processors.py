from notifications.services import unread_count


def bell(request):
    """Unread count for the bell in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user=user)}
