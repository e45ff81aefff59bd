"""Delivery: the scheduler's ticks, each channel's digest times, and exactly-once posting."""
