"""Spots in a zone: take, hand back, and the HSE administrators' zone rights.

``Zone.occupied`` is the locked counter that keeps a zone from being
overfilled: it changes only while the zone row is locked
(``select_for_update``), and a check constraint refuses a value above the
capacity even if some code path forgot the lock. Callers hold a transaction;
when two zones are needed they are locked in id order, so two transactions
never wait for each other in a circle.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import F

from org.roles import HSE_ADMIN
from parking.models import Zone


def lock_zones(*zone_ids: int) -> dict[int, Zone]:
    """The zones, locked until the end of the transaction, in id order."""
    zones = Zone.objects.select_for_update().filter(pk__in=set(zone_ids)).order_by("pk")
    return {zone.pk: zone for zone in zones}


def take_spot(zone: Zone) -> bool:
    """Occupy one spot of a locked zone; False if it is full."""
    if zone.occupied >= zone.capacity:
        return False
    Zone.objects.filter(pk=zone.pk).update(occupied=F("occupied") + 1)
    zone.occupied += 1
    return True


def restore_spot(zone: Zone) -> None:
    """Occupy one spot of a locked zone above its capacity if it is full: a
    permit given back after a revocation was reversed on appeal, when its
    spot had gone to the next on the waiting list (fvl. § 35). The next
    spot freed in the zone absorbs it (``release_spot``)."""
    if take_spot(zone):
        return
    Zone.objects.filter(pk=zone.pk).update(occupied=F("occupied") + 1,
                                           restored=F("restored") + 1)
    zone.occupied += 1
    zone.restored += 1


def release_spot(zone: Zone) -> None:
    """Hand one spot of a locked zone back (first a spot given back above
    the capacity, which then is no longer free)."""
    if zone.restored > 0:
        Zone.objects.filter(pk=zone.pk, restored__gt=0, occupied__gt=0).update(
            occupied=F("occupied") - 1, restored=F("restored") - 1)
        zone.restored -= 1
        zone.occupied = max(zone.occupied - 1, 0)
        return
    Zone.objects.filter(pk=zone.pk, occupied__gt=0).update(occupied=F("occupied") - 1)
    zone.occupied = max(zone.occupied - 1, 0)


ZONE_ADMIN_CODENAMES = ("view_zone", "add_zone", "change_zone")


def zone_admin_permissions_ensure() -> None:
    """HSE administrators may list, add and change zones in the Django admin
    (they need ``is_staff`` to log in there). Zones are never deleted, only
    closed, since permits and decisions refer to them."""
    group, _created = Group.objects.get_or_create(name=HSE_ADMIN)
    permissions = Permission.objects.filter(
        content_type__app_label="parking", codename__in=ZONE_ADMIN_CODENAMES
    )
    group.permissions.add(*permissions)
