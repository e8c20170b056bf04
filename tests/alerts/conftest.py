import signal

import pytest
from django.core.management import call_command


@pytest.fixture
def run_queue(monkeypatch):
    """run_queue(): what `manage.py alerts_worker` does, until the queue has
    nothing ready: catch up, then run each ready task."""
    # The worker closes "old" connections between tasks, as a request would;
    # the test's connection holds its transaction, so it must stay open (as
    # Django's test client keeps it across requests).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )
    handlers = {
        number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)
    }

    def run():
        call_command(
            "alerts_worker", batch=True, startup_delay=False, reload=False, verbosity=0
        )

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)
