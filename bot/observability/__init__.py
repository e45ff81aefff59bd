"""Operating the bot: Prometheus metrics, JSON logs, and the /healthz and /metrics server."""
