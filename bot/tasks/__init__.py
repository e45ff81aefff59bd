"""Scaled mode: feed polls, article analysis and deliveries as procrastinate tasks on Postgres.

The task bodies are the engine's own coroutines (`Ingestor.poll`, `Ingestor.ingest_job`,
`Scheduler.deliver`); the embedded default calls the same coroutines from its in-process
scheduler. Here they run in `newsdigest worker` processes, fed through a Postgres queue.
"""
