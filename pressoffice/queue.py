"""What the apps' work on the queue (django-tasks, database backend) shares."""

from django.utils import timezone
from django_tasks import TaskResultStatus


def schedule_unless_waiting(task, delay):
    """Queue task to run after delay, unless a run of it is waiting already:
    how a recurring sweep queues its successor."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY
    ).exists()
    if not waiting:
        task.using(run_after=timezone.now() + delay).enqueue()
