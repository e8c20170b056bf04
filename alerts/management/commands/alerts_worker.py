"""The queue's worker (django-tasks-db's db_worker, with all its options), which
first does what an earlier worker left undone and queues the recurring sweep."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from alerts import tasks


class Command(WorkerCommand):
    help = "Send alert mail from the queue (after catching up on what is due)."

    def handle(self, *args, **options):
        done = tasks.catch_up()
        if options["verbosity"]:
            self.stdout.write(
                "Caught up: {sent} mails sent, {digests} digests, {expired} expired "
                "requests deleted.".format(**{"digests": 0, **done})
            )
        tasks.schedule_sweep()
        return super().handle(*args, **options)
