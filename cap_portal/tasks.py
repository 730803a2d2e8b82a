from celery import shared_task


@shared_task
def ping(message: str = "") -> str:
    """A no-op round trip, used to check that a worker is consuming the queue."""
    return f"pong: {message}"
