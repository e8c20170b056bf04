"""The queue's worker (django-tasks-db's db_worker, with all its options), which
first does what an earlier worker left undone and queues the recurring sweep."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from alerts import tasks
from releases import tasks as release_tasks


class Command(WorkerCommand):
    help = (
        "Run the queue: alert mail (after catching up on what is due) and "
        "attachments' text versions."
    )

    def handle(self, *args, **options):
        done = tasks.catch_up()
        if options["verbosity"]:
            self.stdout.write(
                "Caught up: {sent} mails sent, {digests} digests, {expired} expired "
                "requests deleted.".format(**{"digests": 0, **done})
            )
        tasks.schedule_sweep()
        # The same queue makes attachments' text versions.
        release_tasks.schedule_sweep()
        return super().handle(*args, **options)
