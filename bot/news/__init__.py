"""The news pipeline: feed items in, analysed, clustered into stories, composed into digests.

ingest (poll, dedupe, read, analyse, cluster, store), analysis (the NLP core off the event loop and
its excerpt fallback), clustering and candidates (which story an article joins), topics (topic
queries), digests (which stories a destination gets, and their entries).
"""
