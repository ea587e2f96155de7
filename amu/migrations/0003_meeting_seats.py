from django.db import migrations, models


def store_seats_of_held_meetings(apps, schema_editor):
    """Meetings held before this migration get the seats active on their day."""
    Meeting = apps.get_model("amu", "Meeting")
    Member = apps.get_model("amu", "Member")
    for meeting in Meeting.objects.filter(status__in=["held", "approved"]):
        seats = Member.objects.filter(body_id=meeting.body_id, term_start__lte=meeting.date).filter(
            models.Q(term_end__isnull=True) | models.Q(term_end__gte=meeting.date)
        )
        meeting.seats.set(seats)


class Migration(migrations.Migration):

    dependencies = [
        ('amu', '0002_attendance_deputies_quorum_conflicts_appeals'),
    ]

    operations = [
        migrations.AddField(
            model_name='meeting',
            name='seats',
            field=models.ManyToManyField(blank=True, help_text='The body\'s seats on the meeting\'s day, stored when the meeting is held: the minutes keep their attendance when a seat is edited later.', related_name='+', to='amu.member', verbose_name='seats on the day'),
        ),
        migrations.RunPython(store_seats_of_held_meetings, migrations.RunPython.noop),
    ]
